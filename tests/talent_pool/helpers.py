"""Students in (or out of) the Talent Pool, built on the shared factories."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.db import utcnow
from foundry.extensions import db
from foundry.students.models import Proficiency, Skill, StudentLanguage, StudentProfile
from tests import factories as f


def skills_named(*names: str) -> list[Skill]:
    existing = {
        s.name: s for s in db.session.scalars(sa.select(Skill).where(Skill.name.in_(names)))
    }
    for name in names:
        if name not in existing:
            existing[name] = Skill(name=name)
            db.session.add(existing[name])
    return [existing[name] for name in names]


def pool_student(
    faculty,
    name: str = "Pool Student",
    skills: tuple[str, ...] = ("python",),
    languages: tuple[str, ...] = ("en",),
    opted_in: bool = True,
    **profile_fields,
) -> StudentProfile:
    """A student of `faculty` with these skills and languages, in the pool unless told."""
    user = f.student(
        faculty,
        talent_pool_opt_in=opted_in,
        talent_pool_opted_in_at=utcnow() if opted_in else None,
        **profile_fields,
    )
    user.display_name = name
    profile = f.profile_of(user)
    profile.skills = skills_named(*skills)
    profile.languages = [
        StudentLanguage(language=code, proficiency=Proficiency.FLUENT) for code in languages
    ]
    db.session.flush()
    return profile
