"""The demo's static reference data in one place: universities, companies and people.

The tables live in data_universities, data_companies and data_people to keep each module
short; import from here.
"""

from __future__ import annotations

from foundry.demo.data_companies import COMPANIES, FOUNDER_COMPANY_SLUG, CompanySeed
from foundry.demo.data_people import (
    COMMON_SKILLS,
    FIELD_INTERESTS,
    FIELD_SKILLS,
    FIELD_THEMES,
    FOUNDER,
    HK_ENGLISH_GIVEN_NAMES,
    ORIGINS,
    PARK_ADMIN_EMAIL,
    PARK_ADMIN_NAME,
    STAFF_TITLES,
    FounderSeed,
    NameOrigin,
)
from foundry.demo.data_universities import (
    UNIVERSITIES,
    FacultySeed,
    ProgrammeSeed,
    StudentNumberRule,
    UniversitySeed,
)

# Random seed for everything the demo draws; fixed so that every run builds the same data.
RANDOM_SEED = 2025


def all_skill_names() -> tuple[str, ...]:
    """Every skill tag the demo may use, sorted and without duplicates."""
    names = {name for pool in FIELD_SKILLS.values() for name in pool}
    names.update(COMMON_SKILLS, FOUNDER.skills)
    return tuple(sorted(names))


__all__ = [
    "COMMON_SKILLS",
    "COMPANIES",
    "FIELD_INTERESTS",
    "FIELD_SKILLS",
    "FIELD_THEMES",
    "FOUNDER",
    "FOUNDER_COMPANY_SLUG",
    "HK_ENGLISH_GIVEN_NAMES",
    "ORIGINS",
    "PARK_ADMIN_EMAIL",
    "PARK_ADMIN_NAME",
    "RANDOM_SEED",
    "STAFF_TITLES",
    "UNIVERSITIES",
    "CompanySeed",
    "FacultySeed",
    "FounderSeed",
    "NameOrigin",
    "ProgrammeSeed",
    "StudentNumberRule",
    "UniversitySeed",
    "all_skill_names",
]
