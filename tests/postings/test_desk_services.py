"""The posting lifecycle services: the rules a posting must meet, each status change, and
that nothing is stored half-way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput
from foundry.postings.content import hong_kong_today
from foundry.postings.models import (
    PayPeriod,
    Posting,
    PostingKind,
    PostingStatus,
    WorkMode,
)
from foundry.postings.services import (
    PostingData,
    PostingInputError,
    ScreeningQuestionData,
    archive_posting,
    build_search_text,
    close_posting,
    create_posting,
    submit_for_review,
    update_posting,
    withdraw_submission,
)
from foundry.students.models import Skill
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel
from tests.postings.desk_helpers import posting_in


def _data(**overrides) -> PostingData:
    fields = {
        "title": "Embedded systems intern",
        "kind": PostingKind.SUMMER_INTERNSHIP,
        "work_mode": WorkMode.ON_SITE,
        "deadline": utcnow() + timedelta(days=20),
        "description": "Write **firmware** for sensors.",
        "requirements": "C, Verilog",
        "location": "InnoCentre",
        "start_date": hong_kong_today() + timedelta(days=40),
        "duration_weeks": 12,
        "pay_min_hkd": 10000,
        "pay_max_hkd": 14000,
        "pay_period": PayPeriod.MONTH,
        "openings": 3,
        "skills": ["C", " Verilog ", "c"],
        "themes": [Theme.MICROELECTRONICS],
        "levels": [StudyLevel.UG, StudyLevel.PG],
        "questions": [ScreeningQuestionData("Which MCU have you used?", True)],
    }
    fields.update(overrides)
    return PostingData(**fields)


def _actions(db, posting) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == "postings", AuditEvent.object_id == str(posting.id))
            .order_by(AuditEvent.id)
        )
    )


def test_create_posting_saves_a_draft_with_every_field(world, db):
    posting = create_posting(world.recruiter_a, world.company_a, _data())
    db.session.commit()
    db.session.expire_all()
    saved = db.session.get(Posting, posting.id)
    assert saved.status is PostingStatus.DRAFT
    assert saved.company_id == world.company_a.id
    assert saved.created_by_id == world.recruiter_a.id
    assert [s.name for s in saved.skills] == ["c", "verilog"]
    assert saved.theme_values == [Theme.MICROELECTRONICS]
    assert set(saved.level_values) == {StudyLevel.UG, StudyLevel.PG}
    assert [(q.position, q.prompt, q.required) for q in saved.questions] == [
        (1, "Which MCU have you used?", True)
    ]
    assert saved.submitted_at is None and saved.published_at is None
    assert _actions(db, saved) == ["posting.created"]


def test_skills_reuse_the_skill_table(world, db):
    db.session.add(Skill(name="verilog"))
    db.session.flush()
    create_posting(world.recruiter_a, world.company_a, _data())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Skill)) == 2


def test_search_text_holds_plain_title_description_requirements_skills_and_company(world):
    posting = create_posting(
        world.recruiter_a,
        world.company_a,
        _data(description="Build **robots** & <script>x()</script> [docs](https://x.org)"),
    )
    text = posting.search_text
    assert text == build_search_text(posting)
    for word in ("Embedded systems intern", "Build robots &", "docs", "C, Verilog", "verilog"):
        assert word in text
    assert "Alpha Robotics" in text
    assert "**" not in text and "<" not in text and "https://x.org" not in text


def test_search_text_follows_every_save(world, db):
    posting = create_posting(world.recruiter_a, world.company_a, _data())
    update_posting(world.recruiter_a, posting, _data(title="Chip design intern", skills=["vhdl"]))
    assert "Chip design intern" in posting.search_text and "vhdl" in posting.search_text
    assert "Embedded systems intern" not in posting.search_text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter a title"),
        ({"title": "x" * 161}, "title", "160 characters"),
        ({"deadline": utcnow() - timedelta(minutes=1)}, "deadline", "deadline has passed"),
        (
            {"start_date": date.today() - timedelta(days=2)},
            "start_date",
            "start date is in the past",
        ),
        ({"pay_min_hkd": 20000, "pay_max_hkd": 15000}, "pay_max_hkd", "minimum pay is above"),
        ({"pay_min_hkd": -5}, "pay_min_hkd", "negative"),
        (
            {"graduation_year_from": 2029, "graduation_year_to": 2027},
            "graduation_year_to",
            "first graduation year is after the last",
        ),
        ({"openings": 0}, "openings", "at least one opening"),
        ({"duration_weeks": 300}, "duration_weeks", "between 1 and 260"),
        (
            {"questions": [ScreeningQuestionData(f"Q{n}") for n in range(6)]},
            "questions",
            "at most 5",
        ),
        ({"skills": ["x" * 51]}, "skills", "at most 50 characters"),
    ],
)
def test_bad_posting_data_is_refused_with_a_clear_message(world, db, overrides, field, message):
    with pytest.raises(PostingInputError) as refused:
        create_posting(world.recruiter_a, world.company_a, _data(**overrides))
    assert refused.value.field == field
    assert message in refused.value.message
    assert refused.value.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 0


def test_every_broken_rule_is_reported(world, db):
    with pytest.raises(PostingInputError) as refused:
        create_posting(
            world.recruiter_a,
            world.company_a,
            _data(title="", pay_min_hkd=5, pay_max_hkd=1, openings=0),
        )
    assert [field for field, _message in refused.value.problems] == [
        "title",
        "pay_max_hkd",
        "openings",
    ]


def test_faculties_must_belong_to_the_chosen_universities(world, db):
    with pytest.raises(PostingInputError, match="faculties of the universities you chose"):
        create_posting(
            world.recruiter_a,
            world.company_a,
            _data(university_ids=[world.uni_a.id], faculty_ids=[world.fac_b1.id]),
        )


def test_unknown_universities_are_refused(world, db):
    with pytest.raises(PostingInputError, match="universities from the list"):
        create_posting(world.recruiter_a, world.company_a, _data(university_ids=[999_999]))


def test_a_refused_update_leaves_the_draft_unchanged(world, db):
    posting = create_posting(world.recruiter_a, world.company_a, _data())
    db.session.commit()
    with pytest.raises(InvalidInput):
        update_posting(
            world.recruiter_a,
            posting,
            _data(title="Changed", skills=["rust"], pay_min_hkd=9, pay_max_hkd=1),
        )
    db.session.rollback()
    saved = db.session.get(Posting, posting.id)
    assert saved.title == "Embedded systems intern"
    assert [s.name for s in saved.skills] == ["c", "verilog"]
    assert db.session.scalar(sa.select(Skill).where(Skill.name == "rust")) is None


def test_update_rewrites_questions_levels_and_themes(world, db):
    posting = create_posting(world.recruiter_a, world.company_a, _data())
    questions = [ScreeningQuestionData("First?"), ScreeningQuestionData("Second?", False)]
    update_posting(
        world.recruiter_a,
        posting,
        _data(questions=questions, levels=[StudyLevel.PHD], themes=[]),
    )
    db.session.commit()
    db.session.expire_all()
    saved = db.session.get(Posting, posting.id)
    assert [(q.prompt, q.required) for q in saved.questions] == [
        ("First?", True),
        ("Second?", False),
    ]
    assert saved.level_values == [StudyLevel.PHD] and saved.theme_values == []
    assert _actions(db, saved) == ["posting.created", "posting.updated"]


@pytest.mark.parametrize(
    "status", [PostingStatus.PENDING_REVIEW, PostingStatus.PUBLISHED, PostingStatus.CLOSED]
)
def test_only_drafts_can_be_edited(world, db, status):
    posting = posting_in(world.company_a, status, title="Frozen")
    with pytest.raises(DomainError) as refused:
        update_posting(world.recruiter_a, posting, _data(title="Changed"))
    assert refused.value.status_code == 409
    assert posting.title == "Frozen"


def test_submit_withdraw_close_and_archive_follow_the_lifecycle(world, db):
    posting = create_posting(world.recruiter_a, world.company_a, _data())
    submit_for_review(world.recruiter_a, posting)
    assert posting.status is PostingStatus.PENDING_REVIEW and posting.submitted_at is not None
    withdraw_submission(world.recruiter_a, posting)
    assert posting.status is PostingStatus.DRAFT and posting.submitted_at is None
    posting.status, posting.published_at = PostingStatus.PUBLISHED, utcnow()
    close_posting(world.recruiter_a, posting)
    assert posting.status is PostingStatus.CLOSED and posting.closed_at is not None
    archive_posting(world.recruiter_a, posting)
    assert posting.status is PostingStatus.ARCHIVED
    db.session.commit()
    assert _actions(db, posting) == [
        "posting.created",
        "posting.submitted",
        "posting.withdrawn",
        "posting.closed",
        "posting.archived",
    ]


@pytest.mark.parametrize(
    ("service", "status", "message"),
    [
        (submit_for_review, PostingStatus.PUBLISHED, "Only a draft can be submitted"),
        (withdraw_submission, PostingStatus.DRAFT, "Only a posting waiting for review"),
        (close_posting, PostingStatus.DRAFT, "Only a published posting can be closed"),
        (archive_posting, PostingStatus.PUBLISHED, "Only a closed posting can be archived"),
    ],
)
def test_illegal_status_changes_are_refused(world, db, service, status, message):
    posting = posting_in(world.company_a, status)
    with pytest.raises(DomainError, match=message):
        service(world.recruiter_a, posting)
    assert posting.status is status


def test_a_draft_whose_deadline_passed_cannot_be_submitted(world, db):
    posting = posting_in(world.company_a, deadline=utcnow() - timedelta(hours=1))
    with pytest.raises(DomainError, match="deadline of this posting has passed"):
        submit_for_review(world.recruiter_a, posting)
    assert posting.status is PostingStatus.DRAFT
