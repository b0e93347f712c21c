"""The demo's past academic years: applications with the recruiting calendar's rhythm and a
realistic funnel, placements, graduates' first destinations, placements found off the
portal, supervisors' evaluations and sign-ins — so a dean's dashboard tells a story."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import sqlalchemy as sa

from foundry.accounts.models import RoleMembership
from foundry.applications.models import Application, ApplicationStatus
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.demo.agenda import year_start as academic_year_start
from foundry.demo.reference import destinations
from foundry.demo.story_records import FOUND_VIA
from foundry.placements.models import (
    GraduateOutcome,
    Outcome,
    Placement,
    PlacementCompletion,
    PlacementEvaluation,
    PlacementSource,
)
from foundry.postings.models import PostingKind
from foundry.reports.periods import HONG_KONG, day_of
from foundry.reports.periods import academic_year_of as periods_year
from foundry.students.models import StudentProfile
from tests.demo.shared import DEMO_NOW

S = ApplicationStatus
OUTSIDE_EMPLOYERS = {name for name, *_titles in destinations()["employer"]}


def academic_year_of(moment) -> int:
    return periods_year(day_of(moment) if hasattr(moment, "tzinfo") else moment)


def hong_kong_date(moment):
    return day_of(moment)


def is_past_posting(posting) -> bool:
    """Published in one of the two past academic years."""
    current = academic_year_start(academic_year_of(DEMO_NOW))
    return posting.published_at is not None and posting.published_at < current


FULL_TIME_KINDS = (PostingKind.GRADUATE_ROLE, PostingKind.RESEARCH_ASSISTANT)


def _all(db, model):
    return db.session.scalars(sa.select(model)).unique().all()


def _years():
    """The two past academic years and the current one (start years), as of the seed."""
    current = academic_year_of(DEMO_NOW)
    return current - 2, current - 1, current


def _weeks_into_the_year() -> int:
    """How far into the current academic year the seed's today is (the current year's
    activity is kept up to yesterday, so it is thin in early September)."""
    return (DEMO_NOW - academic_year_start(academic_year_of(DEMO_NOW))).days // 7


def _past_applications(db):
    return [a for a in _all(db, Application) if is_past_posting(a.posting)]


def test_two_past_academic_years_and_the_current_one_have_applications(db, summary):
    past, last, current = _years()

    years = Counter(academic_year_of(a.submitted_at) for a in _all(db, Application))

    assert set(years) <= {past, last, current}
    assert years[past] >= 150 and years[last] >= 150
    assert years[last] > years[past]  # the portal grew
    if _weeks_into_the_year() >= 2:
        assert years[current] > 0


def test_placements_were_made_in_both_past_years_on_and_off_the_portal(db, summary):
    past, last, _current = _years()

    placed = Counter((academic_year_of(p.placed_at), p.source) for p in _all(db, Placement))

    for year in (past, last):
        assert placed[(year, PlacementSource.PORTAL)] >= 5
    assert placed[(past, PlacementSource.RECORDED)] + placed[(last, PlacementSource.RECORDED)] > 0
    assert all(p.placed_at < utcnow() for p in _all(db, Placement))


def test_applications_follow_the_recruiting_calendar(db, summary):
    months = Counter(a.submitted_at.astimezone(HONG_KONG).month for a in _past_applications(db))

    autumn = months[10] + months[11] + months[12]
    spring = months[2] + months[3]
    summer = months[6] + months[7] + months[8]
    assert autumn > 3 * summer
    assert spring > 2 * summer
    assert autumn > months[9] + months[1]


def test_the_funnel_converts_like_a_real_job_board(db, summary):
    applications = _past_applications(db)
    reached = [{e.to_status for e in a.events} for a in applications]
    total = len(applications)

    shortlisted = sum(bool(r & {S.SHORTLISTED, S.INTERVIEW, S.OFFER}) for r in reached)
    interviewed = sum(a.interviewed_at is not None for a in applications)
    offered = sum(a.offered_at is not None for a in applications)
    accepted = sum(a.status is S.ACCEPTED for a in applications)
    withdrawn = sum(a.status is S.WITHDRAWN for a in applications)

    assert 0.15 < shortlisted / total < 0.35
    assert 0.07 < interviewed / total < 0.18
    assert 0.025 < offered / total < 0.09
    assert accepted / offered > 0.5  # most offers are accepted
    assert 0.03 < withdrawn / total < 0.2
    # An offer follows an interview in the past years' pipelines.
    assert all(a.interviewed_at is not None for a in applications if a.offered_at is not None)


def test_interviewed_and_offered_dates_are_when_the_history_first_reached_them(db, summary):
    for application in _all(db, Application):
        for status, stored in (
            (S.INTERVIEW, application.interviewed_at),
            (S.OFFER, application.offered_at),
        ):
            times = [e.created_at for e in application.events if e.to_status is status]
            assert stored == (min(times) if times else None), (application.id, status)


def test_some_students_had_several_offers_in_a_year_and_took_one(db, summary):
    offers = defaultdict(list)
    for application in _all(db, Application):
        if application.offered_at is not None:
            offers[(application.profile_id, academic_year_of(application.offered_at))].append(
                application
            )

    several = [group for group in offers.values() if len(group) > 1]
    assert several
    for group in several:
        statuses = Counter(a.status for a in group)
        assert statuses[S.ACCEPTED] <= 1
        assert statuses[S.DECLINED] + statuses[S.WITHDRAWN] + statuses[S.OFFER] >= 1


def test_a_student_has_at_most_one_placement_a_year_on_or_off_the_portal(db, summary):
    per_year = Counter((p.profile_id, academic_year_of(p.placed_at)) for p in _all(db, Placement))

    assert max(per_year.values()) == 1


def test_portal_placements_start_on_acceptance_and_ended_ones_are_completed(db, summary):
    today = hong_kong_date(DEMO_NOW)  # the day the seed decided what had ended
    placements = [p for p in _all(db, Placement) if p.source is PlacementSource.PORTAL]

    for placement in placements:
        application = db.session.get(Application, placement.application_id)
        accepted = [e.created_at for e in application.events if e.to_status is S.ACCEPTED]
        assert placement.placed_at == accepted[0]
        assert placement.kind is application.posting.kind
        if placement.completion is PlacementCompletion.ONGOING:
            assert placement.end_date is None or placement.end_date >= today
        else:
            assert placement.end_date < today
            assert placement.start_date <= placement.completed_on <= placement.end_date
    completed = [p for p in placements if p.completion is PlacementCompletion.COMPLETED]
    assert completed and any(p.end_date is None for p in placements)  # jobs run on


def test_recorded_placements_name_an_employer_outside_the_park(db, summary):
    recorded = [p for p in _all(db, Placement) if p.source is PlacementSource.RECORDED]
    employers = OUTSIDE_EMPLOYERS

    assert recorded
    for placement in recorded:
        assert placement.company_id is None and placement.application_id is None
        assert placement.employer_name in employers and placement.role_title
        assert placement.placed_at <= placement.created_at < utcnow()
        assert placement.kind in (PostingKind.SUMMER_INTERNSHIP, PostingKind.GRADUATE_ROLE)
        profile = db.session.get(StudentProfile, placement.profile_id)
        recorder = db.session.scalars(
            sa.select(RoleMembership.faculty_id).where(
                RoleMembership.user_id == placement.recorded_by_id
            )
        ).all()
        assert profile.faculty_id in recorder


def _destination(db, profile, recorded):
    """The graduate's outcome as the dashboard decides it: the staff record, else a
    placement (a job, or an internship after graduation), else None."""
    if profile.id in recorded:
        return recorded[profile.id].outcome
    july_first = date(profile.graduation_year, 7, 1)
    for placement in _all(db, Placement):
        if placement.profile_id != profile.id:
            continue
        if placement.kind in FULL_TIME_KINDS:
            return Outcome.EMPLOYED_FULL_TIME
        if placement.start_date and placement.start_date >= july_first:
            return Outcome.POSTGRAD_INTERNSHIP
    return None


def test_most_of_the_class_before_last_have_a_known_first_destination(db, summary):
    _past, last, _current = _years()
    class_year = last  # graduated in the summer before last (e.g. 2025 in 2026/27)
    graduates = db.session.scalars(
        sa.select(StudentProfile).where(StudentProfile.graduation_year == class_year)
    ).all()
    recorded = {o.profile_id: o for o in _all(db, GraduateOutcome)}

    outcomes = [_destination(db, profile, recorded) for profile in graduates]

    known = [o for o in outcomes if o is not None]
    assert graduates and 0.6 <= len(known) / len(graduates) <= 0.97
    assert len(set(known)) >= 3
    assert any(profile.id in recorded for profile in graduates)


def test_staff_recorded_outcomes_say_where_and_how_staff_learnt_it(db, summary):
    current = academic_year_of(DEMO_NOW)
    outcomes = _all(db, GraduateOutcome)

    assert outcomes
    for outcome in outcomes:
        assert outcome.profile.graduation_year <= current  # graduates only
        assert outcome.found_via in FOUND_VIA
        assert outcome.recorded_at < utcnow() and outcome.recorded_by_id is not None
        if outcome.outcome is Outcome.CONTINUING_EDUCATION:
            assert outcome.institution
        if outcome.outcome in (Outcome.EMPLOYED_FULL_TIME, Outcome.EMPLOYED_PART_TIME):
            assert outcome.employer_name and outcome.job_title


def test_graduates_who_settled_do_not_apply_this_year(db, summary):
    current = academic_year_of(DEMO_NOW)
    settled = {o.profile_id for o in _all(db, GraduateOutcome) if o.outcome is not Outcome.SEEKING}

    for application in _all(db, Application):
        if academic_year_of(application.submitted_at) != current:
            continue
        profile = application.profile
        if profile.graduation_year <= current:  # graduated: only jobs, only if looking
            assert profile.id not in settled
            assert application.posting.kind is PostingKind.GRADUATE_ROLE


def test_supervisors_evaluated_some_placements_and_one_link_is_waiting(db, summary):
    now = DEMO_NOW  # a link is waiting as the seed left it
    evaluations = _all(db, PlacementEvaluation)

    submitted = [e for e in evaluations if e.submitted_at is not None]
    waiting = [e for e in evaluations if e.submitted_at is None and e.expires_at > now]
    assert submitted and len(waiting) == 1
    for evaluation in evaluations:
        assert len(evaluation.token_hash) == 64
        assert evaluation.supervisor_email == evaluation.placement.supervisor_email
        assert evaluation.requested_at < now and evaluation.requested_by_id is not None
    for evaluation in submitted:
        assert evaluation.requested_at < evaluation.submitted_at < evaluation.expires_at
        assert 1 <= evaluation.rating_overall <= 5 and evaluation.strengths
        assert evaluation.placement.completion is PlacementCompletion.COMPLETED


def test_students_signed_in_in_each_year_and_before_each_past_application(db, summary):
    events = db.session.execute(
        sa.select(AuditEvent.actor_id, AuditEvent.occurred_at).where(
            AuditEvent.action == "user.sign_in"
        )
    ).all()
    sign_ins = defaultdict(list)
    for actor, at in events:
        sign_ins[actor].append(at)

    expected = set(_years()) if _weeks_into_the_year() >= 2 else set(_years()[:2])
    assert {academic_year_of(at) for _actor, at in events} >= expected
    assert all(at < utcnow() for _actor, at in events)
    for application in _past_applications(db):
        before = application.submitted_at - timedelta(hours=1)
        user = application.profile.user_id
        assert any(before <= at < application.submitted_at for at in sign_ins[user])
