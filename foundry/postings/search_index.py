"""The full-text index of postings, on each engine in its own way, and the text it holds.

Two documents per posting: `search_title` (the title) and `search_text` (title, description,
requirements, skills and the company's names in both languages), both in indexed form
(index_text): words in other scripts as written, every run of Chinese characters folded to
Simplified (cjk_fold) and written as its overlapping character pairs (bigrams) plus its
last character, so 港灣線機械人 is indexed as 港湾 湾线 线机 机械 械人 人.

A Chinese word of two or more characters is then found as the phrase of its pairs
(机械人 = "机械 械人", adjacent), which never matches characters that are merely near each
other; a single character is found as a prefix (港* matches 港湾, or a final 港). Pairs were
chosen over a segmentation library (jieba: a 20 MB Simplified dictionary, and it splits
unknown company names unpredictably) and over trigram indexes (pg_trgm: no index help for
the two-character words most Chinese words are, and nothing like it on SQLite); the
measurements are in bench/search_cjk.py.

PostgreSQL: postings.search_vector, a stored generated column holding
setweight(to_tsvector(search_title), 'A') || to_tsvector(search_text), GIN-indexed, so a
title hit ranks above a body hit and no row's text is parsed again at search time.
SQLite: an FTS5 table of both columns kept in step with postings by triggers, created here
after the postings table (tests build the schema with create_all; the migration runs
FTS5_DDL); bm25 weighs the title column SQLITE_TITLE_WEIGHT times the body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa

from foundry.db import POSTGRESQL_ONLY
from foundry.postings.cjk_fold import fold
from foundry.postings.models import Posting

TS_CONFIG = "english"
FTS_TABLE = "postings_fts"
SQLITE_TITLE_WEIGHT = 10.0

# CJK Unified Ideographs with extension A, the compatibility block and the supplementary
# planes' extensions B–G; 〇 (U+3007) is a Chinese numeral.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RUN = re.compile(f"[{HAN}]+")
WORD = re.compile(rf"[^\W{HAN}]+")  # a word of any other script

# Words the regions write differently even in one script, in folded form: the Hong Kong or
# Taiwan word, then the mainland one. Text and queries holding the first are also indexed
# and searched as the second, so a mainland 机器人 finds a Hong Kong 機械人 and back.
REGIONAL_WORDS = {
    "机械人": "机器人",
    "人工智慧": "人工智能",
    "软体": "软件",
    "硬体": "硬件",
    "网路": "网络",
    "伺服器": "服务器",
    "资料库": "数据库",
    "资料科学": "数据科学",
    "演算法": "算法",
    "晶片": "芯片",
    "程式": "程序",
    "物件导向": "面向对象",
}
_REGIONAL = re.compile("|".join(sorted(REGIONAL_WORDS, key=len, reverse=True)))

# What one search may ask of the index: each word or Chinese word is one lookup (a prefix
# lookup for a short word can touch much of the index), each character pair one more.
MAX_SEARCH_WORDS = 10
MAX_CHINESE_PAIRS = 16


def _regional(run: str) -> str:
    return _REGIONAL.sub(lambda match: REGIONAL_WORDS[match[0]], run)


def _pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _run_terms(run: str) -> str:
    folded = fold(run)
    spellings = dict.fromkeys((folded, _regional(folded)))
    return " ".join(" ".join([*_pairs(spelling), spelling[-1]]) for spelling in spellings)


def index_text(text: str) -> str:
    """`text` as the index holds it: NFKC, and every Chinese run as its folded pairs."""
    normal = unicodedata.normalize("NFKC", text)
    return HAN_RUN.sub(lambda match: f" {_run_terms(match[0])} ", normal).strip()


@dataclass(frozen=True)
class SearchTerms:
    """A query split for the index: the other words, and each Chinese word's spellings (as
    written, and in the mainland's words when they differ), each spelling as its pairs (or
    its single character)."""

    text: str = ""  # the words that are not Chinese, as typed (PostgreSQL reads its syntax)
    words: tuple[str, ...] = ()
    chinese: tuple[tuple[tuple[str, ...], ...], ...] = ()
    dropped: int = 0  # words and characters left out of the search (see the limits above)

    def __bool__(self) -> bool:
        return bool(self.words or self.chinese)


def search_terms(q: str) -> SearchTerms:
    """Split a query into what the index can look up, within the limits above."""
    normal = unicodedata.normalize("NFKC", q)
    words: list[str] = []
    chinese: list[tuple[tuple[str, ...], ...]] = []
    pairs_left = MAX_CHINESE_PAIRS
    dropped = 0
    seen: set[str] = set()
    for match in re.finditer(f"{HAN_RUN.pattern}|{WORD.pattern}", normal):
        token = match[0]
        if token.casefold() in seen:
            continue  # a repeated word asks nothing more of the index
        seen.add(token.casefold())
        if len(words) + len(chinese) >= MAX_SEARCH_WORDS:
            dropped += 1
        elif not HAN_RUN.fullmatch(token):
            words.append(token)
        elif pairs_left == 0:
            dropped += 1
        else:
            run = fold(token)
            if len(run) - 1 > pairs_left:
                dropped += len(run) - 1 - pairs_left
                run = run[: pairs_left + 1]
            pairs_left -= len(run) - 1
            spellings = dict.fromkeys((run, _regional(run)))
            chinese.append(tuple(tuple(_pairs(s)) if len(s) > 1 else (s,) for s in spellings))
    text = HAN_RUN.sub(" ", normal) if not dropped else " ".join(words)
    return SearchTerms(
        text=" ".join(text.split()), words=tuple(words), chinese=tuple(chinese), dropped=dropped
    )


def _spelling_tsquery(terms: tuple[str, ...]) -> str:
    return f"{terms[0]}:*" if len(terms[0]) == 1 else " <-> ".join(terms)


def chinese_tsquery(terms: SearchTerms) -> str:
    """The Chinese words as to_tsquery() text: Han characters and operators only, so it
    is never a syntax error."""
    return " & ".join(
        "(" + " | ".join(_spelling_tsquery(spelling) for spelling in spellings) + ")"
        for spellings in terms.chinese
    )


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_match_string(terms: SearchTerms) -> str:
    """An FTS5 query: every word as a prefix, every Chinese word as the phrase of its pairs
    (or its one character as a prefix), each quoted, so never a syntax error."""
    parts = [_quoted(word) + "*" for word in terms.words]
    for spellings in terms.chinese:
        choices = [
            _quoted(spelling[0]) + "*" if len(spelling[0]) == 1 else _quoted(" ".join(spelling))
            for spelling in spellings
        ]
        parts.append(choices[0] if len(choices) == 1 else "(" + " OR ".join(choices) + ")")
    return " AND ".join(parts)  # FTS5 takes no implicit AND beside a bracketed OR


FTS5_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_title, search_text, content='postings', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON postings BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_title, search_text) "
    "VALUES (new.id, new.search_title, new.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON postings BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_title, search_text) "
    "VALUES ('delete', old.id, old.search_title, old.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF search_title, search_text ON postings "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_title, search_text) "
    "VALUES ('delete', old.id, old.search_title, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_title, search_text) "
    "VALUES (new.id, new.search_title, new.search_text); END",
)
FTS5_DROP = (f"DROP TABLE IF EXISTS {FTS_TABLE}",)


def alembic_include_object(dialect_name: str):
    """What Alembic compares on `dialect_name`: not the FTS5 table and its shadow tables,
    and on SQLite not the columns that exist on PostgreSQL only (postings.search_vector)
    nor their indexes."""

    def include_object(obj, name, type_, reflected, compare_to) -> bool:
        if type_ == "table" and name and name.startswith(FTS_TABLE):
            return False
        if dialect_name != "postgresql" and not reflected:
            if type_ == "column":
                return not obj.info.get(POSTGRESQL_ONLY)
            if type_ == "index":
                return not any(column.info.get(POSTGRESQL_ONLY) for column in obj.columns)
        return True

    return include_object


def _create_sqlite_fts(target, connection, **kw) -> None:
    if connection.dialect.name == "sqlite":
        for statement in FTS5_DDL:
            connection.exec_driver_sql(statement)


def _drop_sqlite_fts(target, connection, **kw) -> None:
    if connection.dialect.name == "sqlite":
        for statement in FTS5_DROP:
            connection.exec_driver_sql(statement)


sa.event.listen(Posting.__table__, "after_create", _create_sqlite_fts)
sa.event.listen(Posting.__table__, "before_drop", _drop_sqlite_fts)
