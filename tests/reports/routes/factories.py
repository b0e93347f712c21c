"""A data set for the report pages: faculty X (the dean's), faculty Y beside it in the same
university, and university B. Y and B have data of every kind, under names and e-mail
addresses that must never show on X's pages, lists or exports.

Academic year 2025/26 (the reports' `year=2025`), against 2024/25:

  X  Xavier Insider  ENG-X programme, UG 2026, local
       applied 2024-10-01 (prev) to Alpha
       applied 2025-10-10 to Alpha: interviewed 10-20, offered 11-01, accepted;
       placed (portal) 2025-11-03 14:30 UTC = 22:30 HKT
  X  陳大文 Xena Chan   ENG-X, UG 2026, non-local
       applied 2026-01-05 to Alpha, withdrawn; outcome: continuing education (graduate survey)
  Y  Yvonne Outsider  SCI-Y, UG 2026: applied 2025-10-12 to Yonder Labs (only Y applies
       there): interviewed, offered, placed 2025-11-20; applied 2025-10-15 to Alpha;
       outcome: employed full-time (LinkedIn)
  B  Zed Faraway      ENG-B, UG 2026: applied 2025-10-16 to Alpha, placed there 2026-02-01
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from foundry.accounts.models import Role
from foundry.applications.models import ApplicationStatus
from foundry.extensions import db
from foundry.placements.models import GraduateOutcome, Outcome, Placement, PlacementSource
from foundry.postings.models import PostingKind
from foundry.taxonomy import Cluster
from tests import factories as f

YEAR = "year=2025"  # the data set's academic year, 2025/26, as a URL parameter
OUTSIDERS = ("Yvonne Outsider", "yvonne.outsider@", "Zed Faraway", "zed.faraway@")
INSIDERS = ("Xavier Insider", "陳大文 Xena Chan")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def _student(name: str, email: str, faculty, programme, **profile):
    user = f.student(faculty, programme_id=programme.id, graduation_year=2026, **profile)
    user.display_name, user.email = name, email
    return f.profile_of(user)


def _apply(profile, posting, submitted, interviewed=None, offered=None, status=None):
    return f.ApplicationFactory(
        profile=profile,
        posting=posting,
        submitted_at=submitted,
        status_changed_at=submitted,
        interviewed_at=interviewed,
        offered_at=offered,
        status=status or ApplicationStatus.SUBMITTED,
    )


def _place(profile, posting, application, placed_at, source=PlacementSource.PORTAL):
    placement = Placement(
        profile_id=profile.id,
        company_id=posting.company_id,
        posting_id=posting.id,
        application_id=application.id if application else None,
        kind=posting.kind,
        placed_at=placed_at,
        start_date=date(2026, 7, 1),
        source=source,
    )
    db.session.add(placement)
    return placement


def build() -> SimpleNamespace:
    w = SimpleNamespace()
    w.uni_a = f.UniversityFactory(code="UA", name_en="University A")
    w.uni_b = f.UniversityFactory(code="UB", name_en="University B")
    w.fac_x = f.FacultyFactory(university=w.uni_a, code="SENG", name_en="X Engineering")
    w.fac_y = f.FacultyFactory(university=w.uni_a, code="SCI", name_en="Y Science")
    w.fac_b = f.FacultyFactory(university=w.uni_b, code="BENG", name_en="B Engineering")
    w.prog_x = f.ProgrammeFactory(faculty=w.fac_x, code="ENGX", name_en="BEng X Computing")
    w.prog_y = f.ProgrammeFactory(faculty=w.fac_y, code="SCIY", name_en="BSc Y Statistics")
    w.prog_b = f.ProgrammeFactory(faculty=w.fac_b, code="ENGB", name_en="BEng B Civil")

    w.alpha = f.CompanyFactory(name="Alpha Robotics", slug="alpha", cluster=Cluster.AI_ROBOTICS)
    w.yonder = f.CompanyFactory(name="Yonder Labs", slug="yonder", cluster=Cluster.FINTECH)
    w.alpha_job = f.PostingFactory(
        company=w.alpha, kind=PostingKind.GRADUATE_ROLE, title="Robotics Graduate Engineer"
    )
    w.yonder_job = f.PostingFactory(
        company=w.yonder, kind=PostingKind.SUMMER_INTERNSHIP, title="Yonder Quant Intern"
    )

    w.xavier = _student("Xavier Insider", "xavier.insider@ua.example", w.fac_x, w.prog_x)
    w.xena = _student("陳大文 Xena Chan", "xena.chan@ua.example", w.fac_x, w.prog_x, non_local=True)
    w.yvonne = _student("Yvonne Outsider", "yvonne.outsider@ua.example", w.fac_y, w.prog_y)
    w.zed = _student("Zed Faraway", "zed.faraway@ub.example", w.fac_b, w.prog_b)

    w.dean_x = f.staff(Role.DEAN, w.fac_x)
    w.officer_y = f.staff(Role.PLACEMENT_OFFICER, w.fac_y)
    w.coordinator_a = f.coordinator(w.uni_a)
    w.coordinator_b = f.coordinator(w.uni_b)
    w.park_admin = f.park_admin()
    w.student = f.student(w.fac_x)
    w.recruiter = f.company_member(w.alpha, Role.RECRUITER)

    accepted = ApplicationStatus.ACCEPTED
    _apply(w.xavier, f.PostingFactory(company=w.alpha, title="Old Intern"), utc(2024, 10, 1))
    w.xavier_app = _apply(
        w.xavier, w.alpha_job, utc(2025, 10, 10), utc(2025, 10, 20), utc(2025, 11, 1), accepted
    )
    w.xavier_placement = _place(w.xavier, w.alpha_job, w.xavier_app, utc(2025, 11, 3, 14, 30))
    _apply(w.xena, w.alpha_job, utc(2026, 1, 5), status=ApplicationStatus.WITHDRAWN)
    w.yvonne_app = _apply(
        w.yvonne, w.yonder_job, utc(2025, 10, 12), utc(2025, 10, 22), utc(2025, 11, 2), accepted
    )
    _place(w.yvonne, w.yonder_job, w.yvonne_app, utc(2025, 11, 20))
    _apply(w.yvonne, w.alpha_job, utc(2025, 10, 15))
    w.zed_app = _apply(w.zed, w.alpha_job, utc(2025, 10, 16), status=accepted)
    _place(w.zed, w.alpha_job, w.zed_app, utc(2026, 2, 1))

    db.session.add_all(
        [
            GraduateOutcome(
                profile_id=w.xena.id,
                outcome=Outcome.CONTINUING_EDUCATION,
                institution="HKUST MPhil",
                found_via="graduate survey",
            ),
            GraduateOutcome(
                profile_id=w.yvonne.id,
                outcome=Outcome.EMPLOYED_FULL_TIME,
                employer_name="Yonder Labs",
                found_via="LinkedIn",
            ),
        ]
    )
    db.session.flush()
    return w
