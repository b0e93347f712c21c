"""Every demo persona for the development sign-in page, grouped as people look for them:
the park team, then each university by role, then each company.

One query loads every active role membership with its user, university, faculty and
company (plus the selectin load of the users' memberships); the grouping and the name
filter are done in Python on that one list, which stays small (a demo has hundreds of
people, not hundreds of thousands).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from foundry.accounts.models import COMPANY_ROLES, Role, RoleMembership, User
from foundry.extensions import db

# The order of the roles inside a university (and a company): those who run it first.
UNIVERSITY_ROLE_ORDER = (
    Role.UNIVERSITY_COORDINATOR,
    Role.DEAN,
    Role.ASSOCIATE_DEAN,
    Role.PLACEMENT_OFFICER,
    Role.STUDENT,
)
COMPANY_ROLE_ORDER = (Role.COMPANY_ADMIN, Role.RECRUITER)
MAX_QUERY_LENGTH = 100


def searchable(text: str) -> str:
    """The form both the page's filter and the server compare: NFKC, case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Persona:
    """One button of the page: a role membership, how its scope reads and what finds it."""

    membership: RoleMembership
    scope: str  # inside its group (whose heading names the university or company)
    full_scope: str  # on its own: "HKUST · School of Engineering", a company's name...
    own_search_text: str  # name, e-mail, role and scope; the group adds its own names
    group_search_text: str

    @property
    def search_text(self) -> str:
        return f"{self.own_search_text} {self.group_search_text}"

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def role(self) -> Role:
        return self.membership.role


@dataclass
class PersonaGroup:
    """A university, a company or the park team, with its people by role."""

    anchor: str
    title: str
    subtitle: str = ""

    @property
    def search_text(self) -> str:
        return searchable(f"{self.title} {self.subtitle}")

    by_role: dict[Role, list[Persona]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(people) for people in self.by_role.values())


@dataclass
class DemoDirectory:
    featured: list[Persona]
    platform: PersonaGroup | None
    universities: list[PersonaGroup]
    companies: list[PersonaGroup]
    total: int
    shown: int

    @property
    def groups(self) -> list[PersonaGroup]:
        return ([self.platform] if self.platform else []) + self.universities + self.companies


def demo_directory(locale: str, role_labels: dict, query: str = "") -> DemoDirectory:
    """Every active demo persona, grouped; `query` keeps those whose name, e-mail, role or
    place contains every word of it."""
    memberships = db.session.scalars(
        sa.select(RoleMembership)
        .join(RoleMembership.user)
        .options(contains_eager(RoleMembership.user))
        .where(User.active.is_(True))
        .order_by(RoleMembership.id)
    ).unique()
    words = searchable(query[:MAX_QUERY_LENGTH]).split()
    featured: dict[Role, Persona] = {}
    platform = PersonaGroup(anchor="park-team", title="")
    universities: dict[int, PersonaGroup] = {}
    companies: dict[int, PersonaGroup] = {}
    total = shown = 0
    for membership in memberships:
        group = _group_of(membership, locale, platform, universities, companies)
        persona = _persona(membership, group, locale, role_labels)
        total += 1
        featured.setdefault(membership.role, persona)
        if words and not all(word in persona.search_text for word in words):
            continue
        shown += 1
        group.by_role.setdefault(membership.role, []).append(persona)
    return DemoDirectory(
        featured=[featured[role] for role in Role if role in featured],
        platform=platform if platform.by_role else None,
        universities=[g for g in universities.values() if g.by_role],
        companies=sorted(
            (g for g in companies.values() if g.by_role), key=lambda g: searchable(g.title)
        ),
        total=total,
        shown=shown,
    )


def _group_of(membership, locale, platform, universities, companies) -> PersonaGroup:
    if membership.company_id is not None:
        company = membership.company
        if company.id not in companies:
            companies[company.id] = PersonaGroup(
                anchor=f"company-{company.slug}",
                title=company.name,
                subtitle=company.name_zh or "",
            )
        return companies[company.id]
    if membership.university_id is not None:
        university = membership.university
        if university.id not in universities:
            universities[university.id] = PersonaGroup(
                anchor=f"university-{university.code.lower()}",
                title=university.code,
                subtitle=university.name(locale),
            )
        return universities[university.id]
    return platform


def _persona(membership, group, locale, role_labels) -> Persona:
    role_label = str(role_labels[membership.role])
    if membership.faculty is not None:
        scope = membership.faculty.name(locale)
        full_scope = f"{membership.university.code} · {scope}"
    elif membership.company is not None and membership.role in COMPANY_ROLES:
        scope, full_scope = role_label, membership.company.name
    elif membership.university is not None:
        scope = full_scope = membership.university.name(locale)
    else:  # the park team: the whole platform
        scope, full_scope = role_label, ""
    parts = [membership.user.display_name, membership.user.email, full_scope, role_label]
    own = searchable(" ".join(p for p in parts if p))
    return Persona(membership, scope, full_scope, own, group.search_text)


def ordered_roles(group: PersonaGroup) -> list[tuple[Role, list[Persona]]]:
    """The group's roles in the order people look for them, people by name within each."""
    order = COMPANY_ROLE_ORDER if group.anchor.startswith("company-") else UNIVERSITY_ROLE_ORDER
    roles = [r for r in order if r in group.by_role] + [r for r in group.by_role if r not in order]
    return [
        (role, sorted(group.by_role[role], key=lambda p: searchable(p.user.display_name)))
        for role in roles
    ]
