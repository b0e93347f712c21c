"""A posting's words: title, description and requirements (Markdown) in English,
Traditional Chinese or both, drawn from bench/park/vocabulary.py, and the search documents
the app would store for them (computed by the app's own functions)."""

from __future__ import annotations

import random
from types import SimpleNamespace

from bench.park import vocabulary as v
from foundry.postings.content import build_search_text
from foundry.postings.search_index import index_text

# The language of a posting: English only, Chinese only, or both (most).
LANGUAGES = (("en", 0.22), ("zh", 0.13), ("both", 0.65))
SKILL_IDS = {name: number for number, name in enumerate(v.SKILLS, start=1)}


def language(rng: random.Random) -> str:
    draw = rng.random()
    for name, share in LANGUAGES:
        if draw < share:
            return name
        draw -= share
    return LANGUAGES[-1][0]


def compose(rng: random.Random, lang: str, internship: bool) -> SimpleNamespace:
    """Title, description, requirements and skill names of one posting."""
    english = v.pick(rng, v.ENGLISH)
    chinese = v.pick(rng, v.CHINESE) if lang != "en" else []
    field_en, field_zh = rng.choice(v.FIELDS)
    role_en, role_zh = rng.choice(v.INTERN_ROLES if internship else v.ROLES)
    team_en, team_zh = rng.choice(v.TEAMS)
    goal_en, goal_zh = rng.choice(v.GOALS)
    title = {
        "en": f"{field_en} {role_en}",
        "zh": f"{field_zh}{role_zh}",
        "both": f"{field_en} {role_en} {field_zh}{role_zh}",
    }[lang]
    paragraphs, requirements = [], []
    if lang != "zh":
        sentences = [rng.choice(v.EN_OPENINGS).format(team=team_en, goal=goal_en)]
        sentences += [rng.choice(v.EN_SKILL_SENTENCES).format(skill=term) for term in english]
        sentences.append(rng.choice(v.EN_CLOSINGS))
        paragraphs.append(" ".join(sentences))
        requirements += [f"- {line}" for line in rng.sample(v.EN_REQUIREMENTS, 2)]
        requirements += [f"- Experience with {term}" for term in english[:3]]
    if lang != "en":
        sentences = [rng.choice(v.ZH_OPENINGS).format(team=team_zh, goal=goal_zh)]
        sentences += [rng.choice(v.ZH_SKILL_SENTENCES).format(skill=term) for term in chinese]
        if lang == "zh":  # Chinese postings name their tools in English, as they are written
            sentences += [f"需要使用{term}。" for term in english]
        sentences.append(rng.choice(v.ZH_CLOSINGS))
        paragraphs.append("".join(sentences))
        requirements += [f"- {line}" for line in rng.sample(v.ZH_REQUIREMENTS, 2)]
    return SimpleNamespace(
        title=title,
        description="\n\n".join(paragraphs),
        requirements="\n".join(requirements),
        skills=sorted(set(english[:8])),
    )


def search_documents(text: SimpleNamespace, company) -> tuple[str, str]:
    """(search_title, search_text) as foundry.postings.content.index_posting writes them."""
    posting = SimpleNamespace(
        title=text.title,
        description=text.description,
        requirements=text.requirements,
        skills=[SimpleNamespace(name=name) for name in text.skills],
        company=company,
    )
    return index_text(text.title), build_search_text(posting)
