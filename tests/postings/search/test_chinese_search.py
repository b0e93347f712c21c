"""Searching in Chinese: Traditional and Simplified, regional words, company names in both
languages, mixed with English, ranked, with no false positives and bounded work."""

from __future__ import annotations

import time

import pytest

from foundry.companies.services import CompanyChanges, update_company
from foundry.postings.search_index import (
    MAX_CHINESE_PAIRS,
    MAX_SEARCH_WORDS,
    index_text,
    search_terms,
)
from tests.factories import CompanyFactory, PostingFactory
from tests.postings.search import titles


def _found(client, q: str) -> list[str]:
    response = client.get("/postings", query_string={"q": q})
    assert response.status_code == 200
    return titles(response)


@pytest.fixture
def chinese_postings(world):
    harbourline = CompanyFactory(name="Harbourline Robotics", name_zh="港灣線機械人")
    sensetime = CompanyFactory(name="SenseTime", name_zh="商湯科技")
    PostingFactory(
        company=harbourline,
        title="機械人工程實習生",
        description="以 Python 編寫機械人控制軟件。",
    )
    PostingFactory(
        company=sensetime,
        title="人工智能研究助理",
        description="Deep learning for 電腦視覺.",
    )
    PostingFactory(
        company=world.company_a,
        title="Warehouse operations intern",
        description="搬運工人排班，倉庫人手智能分配。",  # 工人 and 智能, but never 人工智能
    )
    return harbourline, sensetime


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("機械人", ["機械人工程實習生"]),  # Traditional finds Traditional
        ("机械人", ["機械人工程實習生"]),  # Simplified characters
        ("机器人", ["機械人工程實習生"]),  # the mainland's word for it
        ("人工智能", ["人工智能研究助理"]),
        ("人工智慧", ["人工智能研究助理"]),  # Taiwan's word for it
        ("研究", ["人工智能研究助理"]),
        ("電腦視覺", ["人工智能研究助理"]),
        ("电脑视觉", ["人工智能研究助理"]),
        ("倉庫", ["Warehouse operations intern"]),
    ],
)
def test_chinese_words_are_found_in_either_script(client, chinese_postings, query, expected):
    assert _found(client, query) == expected


@pytest.mark.parametrize("query", ["商湯科技", "商汤科技", "商湯", "SenseTime", "sensetime"])
def test_a_company_is_found_by_its_name_in_both_languages(client, chinese_postings, query):
    assert _found(client, query) == ["人工智能研究助理"]


def test_english_and_chinese_words_together_must_all_match(client, chinese_postings):
    assert _found(client, "Python 機械人") == ["機械人工程實習生"]
    assert _found(client, "python机器人") == ["機械人工程實習生"]
    assert _found(client, "learning 機械人") == []


def test_characters_that_are_only_near_each_other_are_not_a_word(client, chinese_postings):
    # 機械人工程 holds 人工 as written, side by side; 工人 and 智能 apart are not 人工智能.
    assert sorted(_found(client, "人工")) == ["人工智能研究助理", "機械人工程實習生"]
    assert "Warehouse operations intern" not in _found(client, "人工智能")
    assert _found(client, "火箭") == []


def test_one_character_is_found_at_the_start_middle_and_end_of_a_word(client, chinese_postings):
    assert sorted(_found(client, "商")) == ["人工智能研究助理"]  # 商湯科技: first
    assert sorted(_found(client, "湯")) == ["人工智能研究助理"]  # middle
    assert sorted(_found(client, "技")) == ["人工智能研究助理"]  # last
    assert sorted(_found(client, "倉")) == ["Warehouse operations intern"]


def test_a_title_hit_ranks_above_a_description_hit(client, world):
    PostingFactory(
        company=world.company_a, title="Operations intern", description="協助數據分析工作。"
    )
    PostingFactory(company=world.company_a, title="數據分析實習生", description="Reports.")
    PostingFactory(company=world.company_a, title="Lab intern", description="Calibrate lidar rigs.")
    PostingFactory(company=world.company_a, title="Lidar engineer", description="Rigs.")

    assert _found(client, "数据分析") == ["數據分析實習生", "Operations intern"]
    assert _found(client, "lidar") == ["Lidar engineer", "Lab intern"]


@pytest.mark.parametrize("query", ["!!!", "🤖🤖", "。，、「」", "“”—…", "()* :^"])
def test_a_query_of_only_punctuation_or_emoji_lists_postings_cleanly(
    client, chinese_postings, query
):
    response = client.get("/postings", query_string={"q": query})

    assert response.status_code == 200
    assert len(titles(response)) == 3  # no word to look up: nothing narrows the list


def test_renaming_a_company_reindexes_its_postings(client, world, db, chinese_postings):
    harbourline, _ = chinese_postings
    changes = CompanyChanges(
        name="Harbourline Automation",
        name_zh="港灣線自動化",
        cluster=harbourline.cluster,
        park_location=harbourline.park_location,
        size=harbourline.size,
        founded_year=harbourline.founded_year,
        website=harbourline.website,
        description=harbourline.description,
    )
    update_company(world.park_admin, harbourline, changes)
    db.session.commit()

    assert _found(client, "自动化") == ["機械人工程實習生"]
    assert _found(client, "automation") == ["機械人工程實習生"]
    assert _found(client, "港灣線機械人") == []
    assert _found(client, "harbourline robotics") == []


def test_a_long_chinese_query_is_cut_to_the_limit_and_says_so(client, chinese_postings):
    query = "人工智能" + "研究助理" * 60

    started = time.perf_counter()
    response = client.get("/postings", query_string={"q": query})
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert titles(response) == []  # 人工智能研究助理研究… is not in the title
    assert 'id="search-limit"' in response.text
    assert elapsed < 2


def test_a_hundred_one_letter_words_answer_quickly_and_say_what_was_searched(client, world):
    for n in range(30):
        PostingFactory(company=world.company_a, title=f"Role {n}", description="a b c d e f g")
    query = " ".join(("abcdefghijklmnopqrstuvwxyz" * 4)[:100])

    started = time.perf_counter()
    response = client.get("/postings", query_string={"q": query})
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert 'id="search-limit"' in response.text
    assert elapsed < 2


def test_the_limits_bound_what_a_query_asks_of_the_index():
    letters = search_terms(" ".join("abcdefghijklmnopqrstuvwxyz"))
    assert len(letters.words) == MAX_SEARCH_WORDS and letters.dropped == 16
    assert search_terms("a a a A a").words == ("a",)  # repeats ask nothing more

    long_run = search_terms("機" * 100)
    assert sum(len(spelling) for spelling in long_run.chinese[0]) == MAX_CHINESE_PAIRS
    assert long_run.dropped == 99 - MAX_CHINESE_PAIRS

    assert not search_terms("!!! 🤖 。")


def test_the_index_holds_folded_pairs_beside_the_english_words():
    assert index_text("商湯科技 SenseTime") == "商汤 汤科 科技 技  SenseTime"
    assert index_text("Ｐｙｔｈｏｎ") == "Python"  # full-width letters, as typed on a phone
    assert index_text("港") == "港"
    assert index_text("機械人") == "机械 械人 人 机器 器人 人"  # and the mainland's word


@pytest.mark.parametrize("query", ["商湯", "商汤科技", "SENSETIME"])
def test_the_company_directory_finds_a_chinese_name_in_either_script(client, db, query):
    CompanyFactory(name="SenseTime", name_zh="商湯科技")
    CompanyFactory(name="Harbourline Robotics", name_zh="港灣線機械人")

    response = client.get("/companies", query_string={"q": query})

    assert response.status_code == 200
    assert "SenseTime" in response.text and "Harbourline Robotics" not in response.text
