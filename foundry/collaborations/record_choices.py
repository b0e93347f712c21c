"""The record page's choosers, for those who may change the record: whom to name (staff of
its faculties, members of its companies, students of its faculties) and what to add
(companies, faculties, and the postings and programmes to link). Two statements in all,
each a UNION of the lists, so that the page's cost does not grow with its forms.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from foundry.accounts.models import COMPANY_ROLES, FACULTY_STAFF_ROLES, RoleMembership, User
from foundry.collaborations.links import Produced, link_choice_parts
from foundry.collaborations.models import Collaboration
from foundry.companies.models import Company, VerificationStatus
from foundry.extensions import db
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, University

STUDENT_CHOICES = 500


def _roles(roles) -> list:
    return sorted(roles, key=lambda r: r.value)


def people_choices(record: Collaboration) -> dict[str, list[tuple[int, str]]]:
    """(id, name) of the staff ("staff"), company members ("members", user ids) and
    students ("students", profile ids) the record may name: one statement."""
    faculty_ids = sorted(p.faculty_id for p in record.faculty_parties)
    company_ids = sorted(p.company_id for p in record.company_parties)

    def users(kind: str, condition) -> sa.Select:
        return (
            sa.select(sa.literal_column(f"'{kind}'").label("kind"), User.id, User.display_name)
            .join(RoleMembership, RoleMembership.user_id == User.id)
            .where(condition)
            .distinct()
        )

    students = (
        sa.select(
            sa.literal_column("'students'").label("kind"), StudentProfile.id, User.display_name
        )
        .join(User, User.id == StudentProfile.user_id)
        .where(StudentProfile.faculty_id.in_(faculty_ids))
        .order_by(User.display_name, StudentProfile.id)
        .limit(STUDENT_CHOICES)
        .subquery()
    )
    union = sa.union_all(
        users(
            "staff",
            sa.and_(
                RoleMembership.faculty_id.in_(faculty_ids),
                RoleMembership.role.in_(_roles(FACULTY_STAFF_ROLES)),
            ),
        ),
        users(
            "members",
            sa.and_(
                RoleMembership.company_id.in_(company_ids),
                RoleMembership.role.in_(_roles(COMPANY_ROLES)),
            ),
        ),
        sa.select(students),
    ).subquery()
    chosen: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for kind, id_, name in db.session.execute(
        sa.select(union).order_by(union.c.kind, union.c.display_name, union.c.id)
    ):
        chosen[kind].append((id_, name))
    return chosen


def party_and_link_choices(
    record: Collaboration, linked: list[Produced], *, parties: bool
) -> dict[str, list]:
    """The verified companies and every faculty (when `parties`: who may be added as a
    party), and the postings and programmes that may be linked: one statement."""
    parts = link_choice_parts(record)
    if parties:
        parts += [
            sa.select(
                sa.literal_column("'company'").label("kind"),
                Company.id,
                Company.name.label("title_en"),
                sa.null().label("title_zh"),
                sa.literal_column("''").label("owner"),
            ).where(Company.verification_status == VerificationStatus.VERIFIED),
            sa.select(
                sa.literal_column("'faculty'").label("kind"),
                Faculty.id,
                (University.code + " · " + Faculty.name_en).label("title_en"),
                sa.null().label("title_zh"),
                sa.literal_column("''").label("owner"),
            ).join(University, University.id == Faculty.university_id),
        ]
    union = sa.union_all(*parts).subquery()
    taken = {(p.kind, p.id) for p in linked}
    chosen: dict[str, list] = defaultdict(list)
    for row in db.session.execute(
        sa.select(union).order_by(union.c.kind, union.c.title_en, union.c.id)
    ):
        if (row.kind, row.id) in taken:
            continue
        if row.kind in ("company", "faculty"):
            chosen[row.kind].append((row.id, row.title_en))
        else:
            chosen[row.kind].append(Produced(*row))
    return chosen
