"""Each kind of change moves exactly the figures it should, in the same transaction, and
leaves the summaries exact (the hand-counted data set of tests/reports/dataset.py; "cur" is
2025/26 and "prev" 2024/25, as there)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from foundry.accounts.models import Role
from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.policy import report_scope
from foundry.postings.models import PostingKind
from foundry.reports.filters import ReportFilter
from foundry.reports.metrics import dashboard
from foundry.reports.summaries.models import SignInYear, StudentYear
from foundry.reports.summaries.sign_ins import count_sign_in
from tests import factories as f
from tests.reports.summaries.helpers import both_ways, figures, out_of_step, sign_in


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def summary_view(viewer, year: int = 2025):
    return dashboard(ReportFilter.for_academic_year(year), report_scope(viewer), True)


def kinds(d) -> dict[str, tuple[int, int, int, int]]:
    return {
        r.key: (r.applications, r.placements, r.applications_previous, r.placements_previous)
        for r in d.by_kind
    }


def test_an_application_counts_at_once_in_every_figure_it_belongs_to(known):
    before = summary_view(known.dean_a1)
    # s4 only signed in this year; now they apply to p1 (summer, Alpha Robotics) in March.
    f.ApplicationFactory(profile=known.s4, posting=known.p1, submitted_at=utc(2026, 3, 2))
    db.session.flush()  # not committed: the summaries move in the same transaction

    after = summary_view(known.dean_a1)
    assert (after.applied.value, after.active.value) == (before.applied.value + 1, 5)
    assert kinds(after)["summer_internship"][0] == kinds(before)["summer_internship"][0] + 1
    march = {p.month: p.applications for p in after.trend}["2026-03"]
    assert march == {p.month: p.applications for p in before.trend}["2026-03"] + 1
    assert out_of_step() == {}

    db.session.rollback()
    assert summary_view(known.dean_a1) == before
    assert out_of_step() == {}


def test_reaching_an_interview_and_an_offer_count_in_the_year_they_happen(known):
    # g1 (s9, sent 2026-03-03) reaches an interview and an offer in 2025/26.
    known.g1.interviewed_at = utc(2026, 3, 20)
    db.session.commit()
    assert figures(known.dean_a1)["interviewed"] == (4, 1)
    known.g1.offered_at = utc(2026, 9, 2)  # 2026/27
    db.session.commit()
    assert figures(known.dean_a1)["offered"] == (3, 1)
    assert figures(known.dean_a1, 2026)["offered"] == (1, 3)
    assert out_of_step() == {}


def test_a_placement_moved_to_another_year_leaves_one_and_joins_the_other(known):
    # pl6 is s8's only placement (recorded, 2025-09-05): moved back into 2024/25.
    known.pl6.placed_at = utc(2024, 10, 1)
    known.pl6.kind = PostingKind.GRADUATE_ROLE
    db.session.commit()

    assert figures(known.dean_a1)["placed"] == (3, 2)
    by_kind = kinds(summary_view(known.dean_a1))
    assert by_kind["part_time_internship"][1] == 0  # was s8's part-time placement
    assert by_kind["graduate_role"][3] == 1  # now a graduate role in 2024/25
    assert out_of_step() == {}


def test_a_deleted_placement_no_longer_counts(known):
    db.session.delete(known.pl7)  # s10's only placement, 2026-05-15
    db.session.commit()
    d = summary_view(known.dean_a1)
    assert (d.placed.value, d.placed.previous) == (3, 1)
    # s10 (44 days) is gone from the median: 25 (s2) and 247 (s1) remain.
    assert d.median_days_to_placement.value == 136.0
    assert out_of_step() == {}


def test_a_sign_in_makes_a_student_active(known):
    db.session.add(sign_in(known.s11.user_id, utc(2026, 1, 5)))
    db.session.commit()
    assert figures(known.dean_a1)["active"] == (6, 3)
    # Counted in the user's sign-in row of the year; the student's own rows are not touched.
    row = db.session.get(SignInYear, (known.s11.user_id, 2025))
    assert row.first_signed_in_at == utc(2026, 1, 5)
    assert db.session.get(StudentYear, (known.s11.id, 2025)) is None
    assert out_of_step() == {}


def test_an_earlier_sign_in_counted_after_a_later_one_moves_the_first_time(known):
    to_30_december = date(2026, 12, 30)  # 2026/27 so far against 2025/26 to 30 Dec
    active_before = both_ways(known.dean_a1, 2026, to_30_december)[1].active.previous
    db.session.add(sign_in(known.s11.user_id, utc(2026, 1, 5)))
    db.session.add(sign_in(known.s11.user_id, utc(2025, 12, 24)))  # committed later
    db.session.add(sign_in(known.s11.user_id, utc(2026, 2, 1)))
    db.session.commit()
    row = db.session.get(SignInYear, (known.s11.user_id, 2025))
    assert row.first_signed_in_at == utc(2025, 12, 24)
    # s11 is active in 2025/26 to 30 Dec (from the 24th), as the raw rows say.
    from_summaries, from_raw = both_ways(known.dean_a1, 2026, to_30_december)
    assert from_summaries.active.previous == from_raw.active.previous == active_before + 1
    assert from_summaries == from_raw
    assert out_of_step() == {}


def test_a_student_changing_faculty_takes_their_history_along(known):
    # s9 (A1, pa1) moves to A2 (pa2): their application g1 leaves the dean of A1's figures
    # and joins the placement officer of A2's, and the coordinator's programme rows move.
    coordinator_before = summary_view(known.coordinator_a)
    faculty_id, programme_id = known.fac_a2.id, known.pa2.id
    known.s9.faculty_id, known.s9.programme_id = faculty_id, programme_id
    db.session.commit()

    assert figures(known.dean_a1)["applied"] == (3, 3)
    assert figures(known.officer_a2)["applied"] == (2, 0)
    coordinator = summary_view(known.coordinator_a)
    assert coordinator.applied == coordinator_before.applied  # still in university A

    def programme_apps(d):
        return {r.label: r.applications for r in d.by_programme}

    before, after = programme_apps(coordinator_before), programme_apps(coordinator)
    assert after["BEng Computing"] == before["BEng Computing"] - 1
    assert after["BSc Data Science"] == before["BSc Data Science"] + 1
    assert db.session.get(StudentYear, (known.s9.id, 2025)).faculty_id == faculty_id
    assert out_of_step() == {}


def test_a_posting_changing_kind_and_company_moves_its_applications(known):
    # p6 (Gamma Health, year-long) has g1 (cur) and c3 (2026/27).
    known.p6.kind = PostingKind.SUMMER_INTERNSHIP
    known.p6.company_id = known.c1.id
    db.session.commit()
    d = summary_view(known.dean_a1)
    by_kind = kinds(d)
    assert by_kind["year_long_placement"][0] == 0
    assert by_kind["summer_internship"][0] == 4  # a1, a2, h1 and now g1
    companies = {r.label: r.applications for r in d.top_companies}
    assert companies["Alpha Robotics"] == 3  # a1, c1 and now g1
    assert "Gamma Health" not in companies  # a3 and d1 were last year, g1 moved
    assert out_of_step() == {}


def test_an_application_handed_to_another_student_through_the_relationship(known):
    known.g1.profile = known.s4  # s9's application is s4's now (set on the relationship)
    db.session.commit()
    assert db.session.get(StudentYear, (known.s9.id, 2025)) is None  # nothing else that year
    assert db.session.get(StudentYear, (known.s4.id, 2025)).applications == 1
    assert figures(known.dean_a1)["applied"] == (4, 3)  # s9 out, s4 in
    assert out_of_step() == {}


def test_a_deleted_student_leaves_no_trace(known):
    db.session.delete(known.s10)
    db.session.commit()
    assert figures(known.dean_a1)["applied"] == (3, 3)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(StudentYear).filter_by(profile_id=known.s10.id)
        )
        == 0
    )
    assert out_of_step() == {}


def test_a_profile_made_after_its_user_signed_in_counts_those_sign_ins(db):
    # A student signing in by SSO gives their study details afterwards: the profile is made
    # later than the sign-in.
    faculty = f.FacultyFactory()
    dean = f.staff(Role.DEAN, faculty)
    user = f.UserFactory()
    db.session.add(sign_in(user.id, utc(2025, 10, 1)))
    db.session.commit()
    assert figures(dean)["active"] == (0, 0)

    f.StudentProfileFactory(user=user, faculty=faculty)
    db.session.commit()
    assert figures(dean)["active"] == (1, 0)
    assert out_of_step() == {}


def test_a_sign_in_given_by_its_actor_object_counts_too(known):
    # record() sets actor_id; code that sets the relationship instead is followed as well.
    event = AuditEvent(
        actor=known.s11.user,
        action=SIGN_IN,
        object_type="user",
        occurred_at=utc(2026, 2, 1),
        origin="web",
    )
    db.session.add(event)
    count_sign_in(event)
    db.session.commit()
    assert figures(known.dean_a1)["active"] == (6, 3)
    assert out_of_step() == {}
