"""The park admin's home counts people by role through the dashboards' shared cache: the
second read sends no statement, and a membership granted or taken away (committed) is
counted at the next read. On the store of one process and on Redis."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.accounts.models import Role, RoleMembership
from foundry.admin.queries import users_by_role
from tests import factories as f
from tests.statements import recorded_statements


def _read(db):
    with recorded_statements() as statements:
        counts = users_by_role()
    db.session.commit()  # as a request ends
    return counts, len(statements)


def test_people_by_role_are_counted_once_between_changes(db, store):
    faculty = f.FacultyFactory()
    f.student(faculty)
    db.session.commit()
    first, sent = _read(db)
    assert sent == 1 and first[Role.STUDENT] == 1 and first[Role.DEAN] == 0
    second, sent = _read(db)
    assert (second, sent) == (first, 0)

    dean = f.staff(Role.DEAN, faculty)
    db.session.commit()
    granted, sent = _read(db)
    assert sent == 1 and granted[Role.DEAN] == 1

    db.session.execute(sa.delete(RoleMembership).where(RoleMembership.user_id == dean.id))
    db.session.commit()
    assert _read(db)[0][Role.DEAN] == 0


def test_the_homes_company_and_platform_counts_are_read_once_between_changes(db, store):
    from foundry.admin.queries import companies_by_status, verified_companies_by_cluster
    from foundry.companies.models import VerificationStatus
    from foundry.core.queries import platform_figures
    from foundry.db import utcnow

    def read():
        with recorded_statements() as statements:
            figures = (companies_by_status(), verified_companies_by_cluster(), platform_figures())
        db.session.commit()
        return figures, len(statements)

    company = f.CompanyFactory(verification_status=VerificationStatus.PENDING)
    db.session.commit()
    first, sent = read()
    assert sent == 3 and first[0][VerificationStatus.PENDING] == 1
    assert first[2].verified_companies == 0
    assert read() == (first, 0)

    company.verification_status = VerificationStatus.VERIFIED
    company.verified_at = utcnow()
    db.session.commit()
    (by_status, by_cluster, figures), sent = read()
    assert sent == 3
    assert by_status[VerificationStatus.VERIFIED] == 1
    assert by_status[VerificationStatus.PENDING] == 0
    assert by_cluster[company.cluster] == 1 and figures.verified_companies == 1
