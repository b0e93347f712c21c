"""The audit log reads in the park admin's language: a label for every action and its
particulars rendered from the stored parameters, never a raw action code, user text
escaped, and the same number of statements whatever the page holds."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from foundry.applications.models import ApplicationStatus as S
from foundry.applications.services import move
from foundry.audit.models import AuditEvent
from foundry.audit.services import record
from foundry.companies.models import VerificationStatus
from foundry.companies.services import set_verification
from foundry.messages import SIGN_IN
from foundry.postings.models import PostingStatus
from foundry.postings.services import return_to_company
from foundry.reports.summaries.sign_ins import count_sign_in
from tests.factories import ApplicationFactory, PostingFactory, profile_of
from tests.statements import recorded_statements

# An action code such as application.interview_chosen; e-mail domains (after "@") aside.
RAW_CODE = re.compile(r"(?<![@\w.])[a-z_]+\.[a-z_]+(?![\w.@])")


def visible_text(page: str) -> str:
    """What a reader sees: the body's text, without tags, attributes or scripts."""
    body = page[page.index("<body") :]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", body))


def _some_history(world, db, name="Ada Lovelace"):
    world.student_a1.display_name = name
    application = ApplicationFactory(
        posting=PostingFactory(company=world.company_a, title="Drone Intern"),
        profile=profile_of(world.student_a1),
    )
    posting = PostingFactory(company=world.company_a, status=PostingStatus.PENDING_REVIEW)
    db.session.flush()
    move(world.recruiter_a, application, S.SHORTLISTED)
    record(world.student_a1, "application.interview_chosen", application)
    return_to_company(world.park_admin, posting, "Add the pay range.")
    set_verification(world.park_admin, world.company_unverified, VerificationStatus.VERIFIED)
    # As the sign-in service writes it: the audit line, and the sign-in counted.
    count_sign_in(record(world.park_admin, SIGN_IN, world.park_admin, method="password"))
    db.session.commit()


def _audit_log(client, language: str) -> str:
    with client.session_transaction() as session:
        session["locale"] = language
    response = client.get("/admin/audit")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["zh_Hant", "en"])
def test_the_audit_log_shows_no_raw_action_codes(client, world, login_as, db, language):
    _some_history(world, db)
    login_as(world.park_admin)

    text = visible_text(_audit_log(client, language))

    assert RAW_CODE.findall(text) == []
    assert "Ada Lovelace" in text


def test_the_audit_log_in_chinese_labels_and_explains_each_action(client, world, login_as, db):
    _some_history(world, db)
    login_as(world.park_admin)

    page = _audit_log(client, "zh_Hant")
    text = visible_text(page)

    assert "申請狀態已變更" in text and "由「已提交」改為「已入選」" in text
    assert "已選定面試時間" in text
    assert "Gamma Unverified：未認證 → 已認證" in text
    assert "Moved from" not in text and "Picked an interview time" not in text
    # The code stays at hand for an admin who hovers, and the filter lists labels.
    assert 'title="application.interview_chosen"' in page
    assert '<option value="application.moved" >申請狀態已變更</option>' in page


def test_user_input_in_the_audit_log_is_escaped(client, world, login_as, db):
    _some_history(world, db, name="<script>alert(1)</script>")
    login_as(world.park_admin)

    for language in ("zh_Hant", "en"):
        page = _audit_log(client, language)
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_event_from_before_parameters_keeps_its_stored_summary(client, world, login_as, db):
    db.session.add(
        AuditEvent(
            actor_id=world.park_admin.id,
            action="posting.published",
            object_type="postings",
            object_id="7",
            summary="Published “An old posting”",
            details={},
            origin="web",
        )
    )
    db.session.commit()
    login_as(world.park_admin)

    text = visible_text(_audit_log(client, "zh_Hant"))

    assert "職位已發佈" in text  # the label, from the code every row has
    assert "Published “An old posting”" in text


def test_recording_an_action_without_words_in_the_registry_is_refused(world, db):
    with pytest.raises(ValueError, match="no entry"):
        record(world.park_admin, "posting.teleported", world.company_a)
    with pytest.raises(TypeError):
        record(world.park_admin, "posting.closed", world.company_a, "Closed it")


def test_the_audit_log_runs_the_same_number_of_statements_for_any_number_of_events(
    client, world, login_as, db
):
    def statements_for_log() -> int:
        db.session.commit()
        with recorded_statements() as statements:
            _audit_log(client, "zh_Hant")
        return len(statements)

    login_as(world.park_admin)
    record(world.park_admin, "company.updated", world.company_a, {"company": "Alpha"})
    db.session.commit()
    statements_for_log()  # warm up: first request loads the session's user and such
    few = statements_for_log()
    _some_history(world, db)
    for n in range(30):
        record(world.recruiter_b, "cv.uploaded", world.company_b, {"title": f"CV {n}"})
    db.session.commit()
    assert statements_for_log() == few
