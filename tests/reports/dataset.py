"""A small data set whose every report figure is counted by hand in the tests.

Two universities: A (faculties A1 and A2) and B (faculty B1). The dashboard is read for
the academic year 2025/26 = [2025-08-31 16:00 UTC, 2026-08-31 16:00 UTC), against 2024/25
= [2024-08-31 16:00 UTC, 2025-08-31 16:00 UTC). "cur" / "prev" below say which.

Students (faculty / programme / level / graduation year / origin):
  s1  A1 pa1  UG  2026 local      s6  A2 pa2  UG  2026 local
  s2  A1 pa1  UG  2026 non-local  s7  B1 pb1  UG  2026 local
  s3  A1 pa1b PG  2027 local      s8  A1 pa1  UG  2026 local
  s4  A1 pa1  UG  2026 local      s9  A1 pa1  UG  2027 non-local
  s5  A1 -    PhD 2026 local      s10 A1 pa1  UG  2026 local
                                  s11 A1 pa1b PG  2026 local

Postings: p1 C1 summer, p2 C1 graduate role, p3 C2 summer, p4 C2 part-time,
p5 C3 research assistant, p6 C3 year-long. Clusters: C1 AI & robotics, C2 fintech,
C3 health tech.

Applications (submitted / interviewed / offered, UTC):
  a3  s1 -> p5  2025-03-01 00:00 prev, withdrawn
  a1  s1 -> p1  2025-10-10 cur, interviewed 2025-10-20, offered 2025-11-01, accepted
  a2  s1 -> p3  2025-10-31 16:30 cur (1 Nov in Hong Kong), int. 11-05, offered 11-10, declined
  b1  s2 -> p1  2025-08-31 15:59:59 prev (last second), int. 2025-09-10, off. 09-20 (both cur)
  c1  s3 -> p2  2025-08-31 16:00:00 cur (first instant), withdrawn
  c2  s3 -> p4  2026-08-31 15:59:59 cur (last second)
  c3  s3 -> p6  2026-08-31 16:00:00 next year: in no period
  d1  s5 -> p5  2024-11-01 prev, int. 2024-11-15, offered 2024-12-01, accepted
  e1  s6 -> p3  2025-12-01 cur, interviewed 2026-01-10
  f1  s7 -> p2  2025-10-01 cur, interviewed 2025-10-15, offered 2025-10-25, accepted
  g1  s9 -> p6  2026-03-03 cur
  h1  s10 -> p3 2026-04-01 cur, interviewed 2026-04-20, offered 2026-05-10, accepted

Placements (placed, UTC):
  pl1 s1  portal   C1 p1 summer     2025-11-03 cur, starts 2026-06-01
  pl2 s2  portal   C1 p1 summer     2025-09-25 15:59:59 cur, starts 2026-07-15
  pl3 s2  recorded "MTR Corporation" graduate role 2026-05-01 cur, starts 2026-08-01
  pl4 s5  portal   C3 p5 research assistant 2024-12-05 prev
  pl5 s7  portal   C1 p2 graduate role 2026-02-01 cur
  pl6 s8  recorded C2 part-time     2025-09-05 cur, starts 2026-02-01
  pl7 s10 portal   C2 p3 summer     2026-05-15 cur, starts 2026-07-01
  pl8 s11 portal   C3 p6 year-long  2024-06-01 (before both periods), starts 2026-09-01

Sign-ins: s1 2025-09-02 cur; s4 2026-01-15 cur; s5 2024-09-01 prev and 2024-08-31 15:00
(before prev); s6 2025-12-01 cur; a failed sign-in of s8 (cur); a dean's sign-in (cur).

Outcomes recorded by staff: s4 continuing education (graduate survey), s6 not seeking
(phone call), s7 self-employed (LinkedIn), s11 still seeking (graduate survey).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from foundry.accounts.models import Role
from foundry.applications.models import ApplicationStatus
from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.placements.models import GraduateOutcome, Outcome, Placement, PlacementSource
from foundry.postings.models import PostingKind
from foundry.reports.summaries.sign_ins import count_sign_in
from foundry.taxonomy import Cluster
from foundry.universities.models import StudyLevel
from tests import factories as f


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def build() -> SimpleNamespace:
    w = SimpleNamespace()
    w.uni_a = f.UniversityFactory(code="UA", name_en="University A")
    w.uni_b = f.UniversityFactory(code="UB", name_en="University B")
    w.fac_a1 = f.FacultyFactory(university=w.uni_a, code="A1", name_en="A Engineering")
    w.fac_a2 = f.FacultyFactory(university=w.uni_a, code="A2", name_en="A Science")
    w.fac_b1 = f.FacultyFactory(university=w.uni_b, code="B1", name_en="B Engineering")
    w.pa1 = f.ProgrammeFactory(faculty=w.fac_a1, name_en="BEng Computing", level=StudyLevel.UG)
    w.pa1b = f.ProgrammeFactory(faculty=w.fac_a1, name_en="MSc Robotics", level=StudyLevel.PG)
    w.pa2 = f.ProgrammeFactory(faculty=w.fac_a2, name_en="BSc Data Science")
    w.pb1 = f.ProgrammeFactory(faculty=w.fac_b1, name_en="BEng Civil")

    w.c1 = f.CompanyFactory(name="Alpha Robotics", slug="alpha", cluster=Cluster.AI_ROBOTICS)
    w.c2 = f.CompanyFactory(name="Beta Fintech", slug="beta", cluster=Cluster.FINTECH)
    w.c3 = f.CompanyFactory(name="Gamma Health", slug="gamma", cluster=Cluster.HEALTH_TECH)
    w.p1 = f.PostingFactory(company=w.c1, kind=PostingKind.SUMMER_INTERNSHIP, title="P1")
    w.p2 = f.PostingFactory(company=w.c1, kind=PostingKind.GRADUATE_ROLE, title="P2")
    w.p3 = f.PostingFactory(company=w.c2, kind=PostingKind.SUMMER_INTERNSHIP, title="P3")
    w.p4 = f.PostingFactory(company=w.c2, kind=PostingKind.PART_TIME_INTERNSHIP, title="P4")
    w.p5 = f.PostingFactory(company=w.c3, kind=PostingKind.RESEARCH_ASSISTANT, title="P5")
    w.p6 = f.PostingFactory(company=w.c3, kind=PostingKind.YEAR_LONG_PLACEMENT, title="P6")

    def student(name, faculty, programme, level, year, non_local=False):
        user = f.student(
            faculty,
            programme_id=programme.id if programme else None,
            study_level=level,
            graduation_year=year,
            non_local=non_local,
        )
        user.display_name = name
        return f.profile_of(user)

    ug, pg, phd = StudyLevel.UG, StudyLevel.PG, StudyLevel.PHD
    w.s1 = student("S01 Chan", w.fac_a1, w.pa1, ug, 2026)
    w.s2 = student("S02 Wong", w.fac_a1, w.pa1, ug, 2026, non_local=True)
    w.s3 = student("S03 Lee", w.fac_a1, w.pa1b, pg, 2027)
    w.s4 = student("S04 Cheung", w.fac_a1, w.pa1, ug, 2026)
    w.s5 = student("S05 Lau", w.fac_a1, None, phd, 2026)
    w.s6 = student("S06 Ho", w.fac_a2, w.pa2, ug, 2026)
    w.s7 = student("S07 Ng", w.fac_b1, w.pb1, ug, 2026)
    w.s8 = student("S08 Leung", w.fac_a1, w.pa1, ug, 2026)
    w.s9 = student("S09 Tam", w.fac_a1, w.pa1, ug, 2027, non_local=True)
    w.s10 = student("S10 Yip", w.fac_a1, w.pa1, ug, 2026)
    w.s11 = student("S11 Li", w.fac_a1, w.pa1b, pg, 2026)

    w.dean_a1 = f.staff(Role.DEAN, w.fac_a1)
    w.officer_a2 = f.staff(Role.PLACEMENT_OFFICER, w.fac_a2)
    w.dean_b1 = f.staff(Role.DEAN, w.fac_b1)
    w.coordinator_a = f.coordinator(w.uni_a)
    w.coordinator_b = f.coordinator(w.uni_b)
    w.park_admin = f.park_admin()

    def apply(profile, posting, submitted, interviewed=None, offered=None, status=None):
        return f.ApplicationFactory(
            profile=profile,
            posting=posting,
            submitted_at=submitted,
            status_changed_at=submitted,
            interviewed_at=interviewed,
            offered_at=offered,
            status=status or ApplicationStatus.SUBMITTED,
        )

    accepted, declined = ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED
    withdrawn = ApplicationStatus.WITHDRAWN
    w.a3 = apply(w.s1, w.p5, utc(2025, 3, 1), status=withdrawn)
    w.a1 = apply(w.s1, w.p1, utc(2025, 10, 10), utc(2025, 10, 20), utc(2025, 11, 1), accepted)
    w.a2 = apply(
        w.s1, w.p3, utc(2025, 10, 31, 16, 30), utc(2025, 11, 5), utc(2025, 11, 10), declined
    )
    w.b1 = apply(
        w.s2, w.p1, utc(2025, 8, 31, 15, 59, 59), utc(2025, 9, 10), utc(2025, 9, 20), accepted
    )
    w.c1_app = apply(w.s3, w.p2, utc(2025, 8, 31, 16, 0, 0), status=withdrawn)
    w.c2_app = apply(w.s3, w.p4, utc(2026, 8, 31, 15, 59, 59))
    w.c3_app = apply(w.s3, w.p6, utc(2026, 8, 31, 16, 0, 0))
    w.d1 = apply(w.s5, w.p5, utc(2024, 11, 1), utc(2024, 11, 15), utc(2024, 12, 1), accepted)
    w.e1 = apply(w.s6, w.p3, utc(2025, 12, 1), utc(2026, 1, 10), status=ApplicationStatus.INTERVIEW)
    w.f1 = apply(w.s7, w.p2, utc(2025, 10, 1), utc(2025, 10, 15), utc(2025, 10, 25), accepted)
    w.g1 = apply(w.s9, w.p6, utc(2026, 3, 3))
    w.h1 = apply(w.s10, w.p3, utc(2026, 4, 1), utc(2026, 4, 20), utc(2026, 5, 10), accepted)

    def place(profile, placed, kind, start, company=None, posting=None, application=None, **kw):
        placement = Placement(
            profile_id=profile.id,
            company_id=company.id if company else None,
            posting_id=posting.id if posting else None,
            application_id=application.id if application else None,
            kind=kind,
            placed_at=placed,
            start_date=start,
            **kw,
        )
        db.session.add(placement)
        return placement

    portal, recorded = PlacementSource.PORTAL, PlacementSource.RECORDED
    summer = PostingKind.SUMMER_INTERNSHIP
    w.pl1 = place(w.s1, utc(2025, 11, 3), summer, date(2026, 6, 1), w.c1, w.p1, w.a1)
    w.pl2 = place(w.s2, utc(2025, 9, 25, 15, 59, 59), summer, date(2026, 7, 15), w.c1, w.p1, w.b1)
    w.pl3 = place(
        w.s2,
        utc(2026, 5, 1),
        PostingKind.GRADUATE_ROLE,
        date(2026, 8, 1),
        source=recorded,
        employer_name="MTR Corporation",
        role_title="Graduate Engineer",
    )
    w.pl4 = place(
        w.s5, utc(2024, 12, 5), PostingKind.RESEARCH_ASSISTANT, date(2025, 1, 1), w.c3, w.p5
    )
    w.pl5 = place(w.s7, utc(2026, 2, 1), PostingKind.GRADUATE_ROLE, None, w.c1, w.p2, w.f1)
    w.pl6 = place(
        w.s8,
        utc(2025, 9, 5),
        PostingKind.PART_TIME_INTERNSHIP,
        date(2026, 2, 1),
        w.c2,
        source=recorded,
        role_title="Part-time analyst",
    )
    w.pl7 = place(w.s10, utc(2026, 5, 15), summer, date(2026, 7, 1), w.c2, w.p3, w.h1)
    w.pl8 = place(
        w.s11, utc(2024, 6, 1), PostingKind.YEAR_LONG_PLACEMENT, date(2026, 9, 1), w.c3, w.p6
    )
    for placement in (w.pl1, w.pl2, w.pl4, w.pl5, w.pl7, w.pl8):
        placement.source = portal

    def event(actor_user_id, at, action=SIGN_IN):
        # As the sign-in service writes it: the audit line, and a sign-in counted.
        audit = AuditEvent(
            occurred_at=at,
            actor_id=actor_user_id,
            action=action,
            object_type="user",
            object_id=str(actor_user_id),
            summary="Signed in",
            details={},
            origin="web",
        )
        db.session.add(audit)
        if action == SIGN_IN:
            count_sign_in(audit)

    event(w.s1.user_id, utc(2025, 9, 2))
    event(w.s4.user_id, utc(2026, 1, 15))
    event(w.s5.user_id, utc(2024, 9, 1))
    event(w.s5.user_id, utc(2024, 8, 31, 15, 0))
    event(w.s6.user_id, utc(2025, 12, 1))
    event(w.s8.user_id, utc(2025, 10, 1), action="user.sign_in_failed")
    event(w.dean_a1.id, utc(2025, 10, 1))

    def outcome(profile, value, found_via, **kw):
        db.session.add(
            GraduateOutcome(profile_id=profile.id, outcome=value, found_via=found_via, **kw)
        )

    outcome(w.s4, Outcome.CONTINUING_EDUCATION, "graduate survey", institution="HKUST")
    outcome(w.s6, Outcome.NOT_SEEKING, "phone call")
    outcome(w.s7, Outcome.SELF_EMPLOYED, "LinkedIn", employer_name="Ng Studio")
    outcome(w.s11, Outcome.SEEKING, "graduate survey")
    db.session.flush()
    return w
