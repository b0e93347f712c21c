"""What else people do over the years: students sign in to browse, read their
notifications, save postings and searches; companies invite students from the Talent Pool;
placement officers record placements found off the portal and graduates' first
destinations, and ask supervisors to evaluate placements (who answer by the e-mailed link);
and Karen Lau's applications this year, so the first demo student has a timeline to show.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from functools import partial

import sqlalchemy as sa

from foundry import clock
from foundry.applications.models import ApplicationStatus as S
from foundry.applications.services import application_of
from foundry.demo import reference as ref
from foundry.demo.agenda import Agenda, academic_year, at_hong_kong, days, year_start
from foundry.demo.story_applications import Applicant, Market, Story
from foundry.demo.story_postings import Desk, PostingPlan
from foundry.errors import DomainError
from foundry.extensions import db
from foundry.notifications.models import OutboxEmail
from foundry.notifications.services import mark_all_read
from foundry.placements.evaluations import Answers, request_evaluation, submit_evaluation
from foundry.placements.models import EvaluationStage, Outcome, Placement, PlacementCompletion
from foundry.placements.outcomes import OutcomeDetails, record_outcome
from foundry.placements.services import PlacementDetails, confirm_placement, record_placement
from foundry.postings.alerts import save_posting, save_search
from foundry.postings.models import PostingKind as K
from foundry.postings.search import parse_search_params
from foundry.talent_pool.services import invite_to_apply

SAVED_SEARCHES = (
    ("AI internships", {"q": "machine learning", "kind": "summer_internship"}),
    ("Chip design", {"q": "verilog", "theme": "microelectronics"}),
    ("Fintech, 15k and up", {"cluster": "fintech", "pay_min": "15000"}),
    ("Graduate roles for me", {"kind": "graduate_role", "eligible": "1"}),
    ("Remote-friendly", {"mode": "remote"}),
)
FOUND_VIA = ("graduate survey", "graduate survey", "graduate survey", "LinkedIn", "employer")
OUTCOMES = {
    Outcome.EMPLOYED_FULL_TIME: 48,
    Outcome.EMPLOYED_PART_TIME: 5,
    Outcome.SELF_EMPLOYED: 3,
    Outcome.CONTINUING_EDUCATION: 24,
    Outcome.SEEKING: 11,
    Outcome.NOT_SEEKING: 5,
}
SURVEY = "Reported by the student in the placement survey."
INVITATION = "Your projects match what our team works on. We would be glad to see your application."
STRENGTHS = "Picked up our codebase quickly and shipped a feature in the third week."
EVALUATION = Answers(4, 4, 5, 4, STRENGTHS, "Could speak up earlier when blocked.", True)


def browse(agenda: Agenda, market: Market, plans: list[PostingPlan], years: range) -> None:
    """Students sign in now and then in the years they study, reading what they were told;
    this year some save postings, and some save a search."""
    for a in market.applicants:
        rng = random.Random(f"browse:{a.student.email}")
        for year in years:
            if market.stage(a, year) is None or rng.random() < 0.2:
                continue
            for _ in range(rng.randint(1, 4)):
                moment = year_start(year) + timedelta(
                    days=rng.uniform(0, 330), hours=rng.randint(1, 14)
                )
                agenda.at(moment, partial(_visit, a, rng.random() < 0.6))
        if rng.random() < 0.15:
            name, params = rng.choice(SAVED_SEARCHES)
            search = parse_search_params(params)
            agenda.at(
                agenda.until - days(rng.uniform(5, 60)),
                lambda a=a, n=name, q=search: save_search(a.user, n, q, clock.now()),
            )
        if rng.random() < 0.3:
            agenda.at(agenda.until - days(rng.uniform(1, 40)), partial(_save, a, plans, rng))


def _visit(applicant: Applicant, reads: bool) -> None:
    applicant.sign_in()
    if reads:
        mark_all_read(applicant.user)


def _save(applicant: Applicant, plans: list[PostingPlan], rng) -> None:
    open_now = [p.posting for p in plans if p.posting and p.posting.is_open_for_applications()]
    if open_now:
        save_posting(applicant.user, rng.choice(open_now))


def invite_from_pool(
    agenda: Agenda, market: Market, desk: Desk, plans: list[PostingPlan], scripted: Applicant
) -> None:
    """This year, recruiters invite students of the Talent Pool to open postings. The
    `scripted` student's invitation is part of her own story (karens_year): a random one to
    the same posting, on some days' dates, would refuse hers as already made."""
    rng = random.Random("talent-pool")
    pool = [a for a in market.applicants if a.student.talent_pool and a is not scripted]
    for moment in sorted(agenda.until - days(rng.uniform(1, 30)) for _ in range(12)):
        agenda.at(moment, lambda: _invite_from(rng, pool, plans, agenda.until))


def _invite_from(rng, pool: list[Applicant], plans: list[PostingPlan], today) -> None:
    # Postings still open today, so the invitation leads somewhere.
    open_now = [
        p
        for p in plans
        if p.posting and p.posting.is_open_for_applications() and p.deadline > today
    ]
    for _ in range(10):
        plan, applicant = rng.choice(open_now), rng.choice(pool)
        if application_of(applicant.profile, plan.posting):
            continue  # they found it on their own
        try:
            _invite(plan, applicant.profile)
        except DomainError:  # not eligible for it, or invited to it already
            continue
        return


def _invite(plan: PostingPlan, profile) -> None:
    invite_to_apply(plan.writer, plan.company, profile, plan.posting, INVITATION)


def karens_year(agenda: Agenda, market: Market, karen: Applicant, plans: list[PostingPlan]) -> None:
    """Karen applies to six roles a month ago; by today they have gone their ways, and a
    recruiter invites her from the Talent Pool to a seventh."""
    then = agenda.until - days(30)
    fitting = [
        p
        for p in plans
        if p.fate == "published"
        and p.published < then - days(2)
        and p.deadline > then + days(10)
        and not p.data.levels
        and p.company.slug != ref.FOUNDER_COMPANY
        and not p.data.university_ids
    ]
    review, shortlist, reject = S.UNDER_REVIEW, S.SHORTLISTED, S.REJECTED
    paths = ((), (review,), (review, shortlist), (review, reject), (shortlist,), ())
    stories = [
        _scripted(agenda, market, karen, plan, i, then + timedelta(hours=i), _moves(path))
        for i, (plan, path) in enumerate(zip(fitting, paths, strict=False))
    ]
    agenda.at(then + days(5), lambda: stories[2].interview(force=True))
    agenda.at(then + days(6), lambda: stories[4].interview(force=True))
    # An offer she has still to answer (the answer-by date is a week away).
    agenda.at(agenda.until - days(2), lambda: stories[2].decide(force=True))
    agenda.at(then + days(8), stories[5].withdraw)
    open_today = [p for p in fitting[len(paths) :] if p.deadline > agenda.until]
    if open_today:
        agenda.at(agenda.until - days(2), lambda: _invite(open_today[0], karen.profile))


def first_faculty_placement(agenda: Agenda, market: Market, plans: list[PostingPlan]) -> None:
    """Last year a student of the first faculty (whose dean heads the demo sign-in) found a
    role on the portal: applied, was shortlisted, interviewed, offered and accepted."""
    last = agenda.current_year - 1
    first = min(a.officer.memberships[0].faculty_id for a in market.applicants)
    pairs = [
        (a, p)
        for a in market.applicants[1:]
        if a.officer.memberships[0].faculty_id == first
        for p in plans
        if p.fate == "published"
        and academic_year(p.published) == last
        and p.published < year_start(agenda.current_year) - days(60)
        and not (p.data.university_ids or p.data.levels or p.hku_declines)
        and market.suits(a, p.data.kind, last)
        and (p.data.open_to_non_local or not a.student.non_local)
    ]
    if pairs:
        applicant, plan = pairs[0]
        offer = [(4, partial(Story.interview, force=True)), (16, partial(Story.decide, force=True))]
        steps = _moves((S.UNDER_REVIEW, S.SHORTLISTED)) + offer + [(18, Story.answer)]
        when = plan.published + days(2)
        _scripted(agenda, market, applicant, plan, "first-faculty", when, steps)


def _moves(path: tuple[S, ...]) -> list:
    """The company moves the application to each status of `path`, a day apart from day 2."""
    return [
        (day, lambda s, t=target: s.company_moves(s.application.status, t))
        for day, target in enumerate(path, start=2)
    ]


def _scripted(agenda: Agenda, market: Market, applicant, plan, seed, when, steps) -> Story:
    """A story whose moves are given: the student applies at `when`, and each step runs so
    many days later (if the application was made)."""
    story = Story(market, applicant, plan, random.Random(seed), scripted=True)
    story.start(when)
    for day, step in steps:
        agenda.at(when + days(day), lambda step=step: story.application and step(story))
    return story


# --- the faculties' records ------------------------------------------------------------------


def faculty_records(agenda: Agenda, market: Market, years: range) -> None:
    """Officers record placements off the portal, first destinations, and evaluations."""
    employers = ref.destinations()["employer"]
    study = ref.destinations()["study"]
    for a in market.applicants:
        rng = random.Random(f"records:{a.student.email}")
        for year in years:
            if market.stage(a, year) in ("studying", "final") and rng.random() < 0.06:
                day = (year_start(year) + days(rng.randint(150, 250))).date()
                at = at_hong_kong(day + days(rng.randint(3, 20)), 11)
                employer = rng.choice(employers)
                agenda.at(at, partial(_record_placement, a, year, day, employer))
        graduated = a.student.graduation_year
        if graduated in years or graduated == years.stop:
            at = at_hong_kong(date(graduated, 11, rng.randint(1, 28)), 15)
            agenda.at(at, partial(_record_outcome, a, rng, employers, study))


def _record_placement(a: Applicant, year: int, agreed: date, employer) -> None:
    if year in a.placed_years:
        return
    a.placed_years.add(year)
    name, graduate_title, intern_title = employer
    if year == a.student.graduation_year - 1:  # a graduate role, starting after the summer
        kind, title, start, end = K.GRADUATE_ROLE, graduate_title, date(year + 1, 8, 1), None
    else:
        start = date(year + 1, 6, 10)
        kind, title, end = K.SUMMER_INTERNSHIP, intern_title, start + timedelta(weeks=10)
    details = PlacementDetails(None, name, title, kind, agreed, start, end, None, None, SURVEY)
    placement = record_placement(a.officer, a.profile, details)
    confirm_placement(a.user, placement)


def _record_outcome(a: Applicant, rng, employers, study) -> None:
    if rng.random() < 0.12 or academic_year() in a.applied_years:
        return
    outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
    a.settled = outcome is not Outcome.SEEKING
    employer = rng.choice(employers)
    employed = outcome not in (Outcome.CONTINUING_EDUCATION, Outcome.SEEKING, Outcome.NOT_SEEKING)
    details = OutcomeDetails(
        outcome,
        None,
        employer[0] if employed else None,
        employer[1],
        " ".join(rng.choice(study)[:2]),
        rng.choice(FOUND_VIA),
        None,
    )
    record_outcome(a.officer, a.profile, details)


def evaluations(agenda: Agenda, market: Market) -> None:
    """Officers ask supervisors of completed placements for a final evaluation; the
    supervisor answers by the link in the e-mail. The latest request is still waiting."""
    officers = {a.profile.id: a.officer for a in market.applicants}
    completed = db.session.scalars(
        sa.select(Placement)
        .where(Placement.completion == PlacementCompletion.COMPLETED)
        .order_by(Placement.completed_on, Placement.id)
    ).all()
    asked = [(at_hong_kong(p.completed_on + days(6), 10), p) for p in completed[::3]]
    asked = [(at, p) for at, p in asked if at + days(4) < agenda.until]
    if asked:  # the latest request was sent two days ago and waits for its answer
        asked[-1] = (agenda.until - days(2), asked[-1][1])
    for index, (at, p) in enumerate(asked):  # all but the latest are answered
        agenda.at(at, partial(_evaluate, p, officers[p.profile_id], index < len(asked) - 1))


def _evaluate(placement: Placement, officer, answered: bool) -> None:
    supervisor = f"supervisor.{placement.id}@{placement.company.slug}.example.hk"
    stage = EvaluationStage.FINAL
    evaluation = request_evaluation(officer, placement, stage, "Alex Supervisor", supervisor)
    if answered:
        email = db.session.scalars(
            sa.select(OutboxEmail.body_text)
            .where(OutboxEmail.to_address == evaluation.supervisor_email)
            .order_by(OutboxEmail.id.desc())
        ).first()
        raw = re.search(r"/evaluations/([\w-]+)", email).group(1)
        with clock.frozen_at(clock.now() + days(3)):
            submit_evaluation(evaluation, raw, EVALUATION)
