"""Notifications are stored as a message key and raw parameters, and read in the reader's
language: the registry (foundry/messages.py) has words, in English and Chinese, for every
key and every audit action the code writes."""

from __future__ import annotations

import ast
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from foundry.applications.models import ApplicationStatus as S
from foundry.applications.services import move
from foundry.messages import ACTIONS, FORMATTERS, NOTICES, render_notice, render_summary
from foundry.notifications.models import Notification, OutboxEmail
from foundry.postings.models import PostingStatus
from foundry.postings.services import return_to_company
from tests.factories import ApplicationFactory, PostingFactory, profile_of

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)")
# The functions whose second positional argument is a notification's message key.
NOTIFYING = {"notify", "tell_student", "tell_company", "_notify_company", "_ask_student_to_confirm"}
SAMPLES = {
    "application_status": "shortlisted",
    "role": "recruiter",
    "verification": "verified",
    "completion": "completed",
    "outcome": "employed_full_time",
    "stage": "final",
    "datetime": "2027-02-07T02:00:00+00:00",
    "datetimes": ["2027-02-07T02:00:00+00:00", "2027-02-08T06:30:00+00:00"],
    "date": "2027-02-07",
}


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "text" constants, for a key passed by name."""
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }


def _literal_codes(arg: ast.expr, constants: dict[str, str]) -> list[str] | None:
    """The codes an argument can be: a literal, a module constant, or `a if c else b` of
    those. None for anything computed (which the registry test cannot check)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.Name) and arg.id in constants:
        return [constants[arg.id]]
    if isinstance(arg, ast.IfExp):
        body, orelse = _literal_codes(arg.body, constants), _literal_codes(arg.orelse, constants)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _audit_record_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names this module calls the audit record() by: the function itself or an alias of
    it, and the names of the audit services module (for `services.record(...)`)."""
    functions, modules = {"record"}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "foundry.audit.services":
            functions |= {a.asname or a.name for a in node.names if a.name == "record"}
        elif isinstance(node, ast.ImportFrom) and node.module == "foundry.audit":
            modules |= {a.asname or a.name for a in node.names if a.name == "services"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == "foundry.audit.services"}
    return functions, modules - {None}


def _call_kind(call: ast.Call, record_functions: set[str], audit_modules: set[str]) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        if func.id in record_functions:
            return "actions"
        return "notices" if func.id in NOTIFYING else None
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        if func.attr == "record":
            return "actions" if owner in audit_modules else None
        return "notices" if func.attr in NOTIFYING else None
    return None


def written_codes() -> tuple[dict[str, set[str]], list[str]]:
    """Every audit action and notification key the product writes, found at the call sites
    of record() and notify() (and its wrappers); and the call sites whose code is computed."""
    found: dict[str, set[str]] = {"actions": set(), "notices": set()}
    computed = []
    # Codes named once in the registry (foundry.messages.SIGN_IN) count as literals too.
    registry = _module_strings(ast.parse((ROOT / "foundry/messages.py").read_text("utf-8")))
    for path in sorted((ROOT / "foundry").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = registry | _module_strings(tree)
        record_functions, audit_modules = _audit_record_names(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            kind = _call_kind(node, record_functions, audit_modules)
            if kind is None:
                continue
            codes = _literal_codes(node.args[1], constants)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if codes is None:
                # A variable inside a wrapper that passes its caller's key on.
                if not (isinstance(node.args[1], ast.Name) and node.args[1].id == "key"):
                    computed.append(where)
                continue
            found[kind].update(codes)
    return found, computed


def test_every_code_written_anywhere_has_words_in_the_registry_and_no_entry_is_unused():
    found, computed = written_codes()

    assert computed == [], "write audit actions and message keys as literals"
    assert len(found["actions"]) > 60 and len(found["notices"]) > 15  # the collector works
    assert found["actions"] - ACTIONS.keys() == set()
    assert found["notices"] - NOTICES.keys() == set()
    assert ACTIONS.keys() - found["actions"] == set()
    assert NOTICES.keys() - found["notices"] == set()


def _sample_params(*templates) -> dict:
    with force_locale("en"):
        names = {name for t in templates if t is not None for name in PLACEHOLDER.findall(str(t))}
    return {name: 3 for name in names}


def _with_samples(params: dict, kinds: dict) -> dict:
    return {
        name: SAMPLES[kinds[name]] if name in kinds else value for name, value in params.items()
    }


def _rendered_in_both(render) -> tuple[str, str]:
    with force_locale("en"):
        english = render()
    with force_locale("zh_Hant"):
        chinese = render()
    return english, chinese


@pytest.mark.parametrize("key", sorted(NOTICES))
def test_every_notification_reads_in_english_and_in_chinese(app, key):
    notice = NOTICES[key]
    params = _with_samples(_sample_params(notice.title, notice.body), notice.kinds)

    english, chinese = _rendered_in_both(lambda: render_notice(key, params))

    assert english != chinese
    assert all(text.strip() for text in english[:1] + chinese[:1])
    assert not re.search(r"[\u4e00-\u9fff]", "".join(english))
    assert re.search(r"[\u4e00-\u9fff]", chinese[0])


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_audit_action_has_a_label_and_summary_in_english_and_in_chinese(app, action):
    entry = ACTIONS[action]
    templates = entry.summary.values() if isinstance(entry.summary, dict) else [entry.summary]
    for via in (entry.summary or {None: None}) if isinstance(entry.summary, dict) else [None]:
        params = _with_samples(_sample_params(*templates), entry.kinds) | {"via": via}
        english, chinese = _rendered_in_both(
            lambda params=params: (str(entry.label), render_summary(action, params))
        )
        assert english[0] != chinese[0] and re.search(r"[\u4e00-\u9fff]", chinese[0])
        if entry.summary is not None:
            assert english[1] != chinese[1] and re.search(r"[\u4e00-\u9fff]", chinese[1])


def test_every_formatter_turns_a_code_into_words_in_the_readers_language(app):
    for kind, sample in SAMPLES.items():
        english, chinese = _rendered_in_both(
            lambda kind=kind, sample=sample: FORMATTERS[kind](sample)
        )
        assert english and chinese and english != "—", kind
        assert english != sample, kind  # never the raw code or timestamp


# --- read in the reader's language -------------------------------------------------------


def _returned_posting(world, db, title="Robot Arm Intern"):
    posting = PostingFactory(
        company=world.company_a, title=title, status=PostingStatus.PENDING_REVIEW
    )
    db.session.flush()
    return_to_company(world.park_admin, posting, "Add the pay range.")
    db.session.commit()
    return posting


def _set_language(client, code):
    with client.session_transaction() as session:
        session["locale"] = code


def test_a_notification_written_in_english_reads_in_chinese_after_a_switch(
    client, world, login_as, db
):
    world.recruiter_a.preferred_locale = "en"
    _returned_posting(world, db)
    stored = db.session.scalar(
        sa.select(Notification).where(Notification.user_id == world.recruiter_a.id)
    )
    assert stored.title == "Your posting “Robot Arm Intern” needs changes"  # written in English
    assert stored.message_key == "posting.returned"
    assert stored.params == {"title": "Robot Arm Intern", "reason": "Add the pay range."}

    login_as(world.recruiter_a)
    _set_language(client, "zh_Hant")
    html = client.get("/notifications").get_data(as_text=True)

    assert "你的職位「Robot Arm Intern」需要修改" in html
    assert "needs changes" not in html and "returned it" not in html


def test_a_notification_written_in_chinese_reads_in_english_after_a_switch(
    client, world, login_as, db
):
    world.student_a1.preferred_locale = "zh_Hant"
    application = ApplicationFactory(
        posting=PostingFactory(company=world.company_a, title="Drone Intern"),
        profile=profile_of(world.student_a1),
    )
    db.session.flush()
    move(world.recruiter_a, application, S.SHORTLISTED)
    db.session.commit()
    stored = db.session.scalar(
        sa.select(Notification).where(Notification.user_id == world.student_a1.id)
    )
    assert "已入選" in stored.title  # written in the student's Chinese
    assert stored.params["status"] == "shortlisted"  # the code, not the word

    login_as(world.student_a1)
    _set_language(client, "en")
    html = client.get("/notifications").get_data(as_text=True)

    assert "Your application to “Drone Intern”: Shortlisted" in html
    assert "已入選" not in html


def test_the_email_is_written_in_the_recipients_language_not_the_actors(world, db):
    world.recruiter_a.preferred_locale = "zh_Hant"
    world.company_admin_a.preferred_locale = "en"
    with force_locale("en"):  # the park admin acts in English
        _returned_posting(world, db)

    subjects = {row.to_address: row.subject for row in db.session.scalars(sa.select(OutboxEmail))}
    assert subjects[world.recruiter_a.email] == "你的職位「Robot Arm Intern」需要修改"
    assert subjects[world.company_admin_a.email] == "Your posting “Robot Arm Intern” needs changes"


def test_names_and_titles_in_a_notification_are_escaped(client, world, login_as, db):
    _returned_posting(world, db, title="<script>alert(1)</script>")

    login_as(world.recruiter_a)
    for language in ("en", "zh_Hant"):
        _set_language(client, language)
        html = client.get("/notifications").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_notification_from_before_keys_shows_its_stored_words(client, world, login_as, db):
    db.session.add(
        Notification(
            user_id=world.student_a1.id, kind="application.moved", title="Old words", body="Kept"
        )
    )
    db.session.commit()
    login_as(world.student_a1)
    _set_language(client, "zh_Hant")
    html = client.get("/notifications").get_data(as_text=True)
    assert "Old words" in html and "Kept" in html


def test_times_and_dates_in_a_notification_follow_the_readers_language(app):
    when = datetime(2027, 2, 7, 2, 0).astimezone()
    params = {"title": "T", "company": "C", "date": date(2027, 2, 7).isoformat()}
    english, chinese = _rendered_in_both(lambda: render_notice("application.offer", params))
    assert "7 Feb 2027" in english[1]  # Hong Kong English, as every page writes it
    assert "2027年2月7日" in chinese[1]
    times = {"title": "T", "times": [(when + timedelta(hours=h)).isoformat() for h in (0, 1)]}
    english, chinese = _rendered_in_both(
        lambda: render_notice("application.interview_proposed", times)
    )
    assert english[1].count("\n") == chinese[1].count("\n") == 2
