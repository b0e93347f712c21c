"""The second-factor service: enrolment, codes used once, recovery codes, turning off and
resetting."""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import sqlalchemy as sa

from foundry.accounts.models import Role
from foundry.accounts.two_factor import (
    SecondFactorMethod,
    begin_enrolment,
    confirm_enrolment,
    disable_second_factor,
    normalised_code,
    recovery_codes_left,
    regenerate_recovery_codes,
    reset_second_factor,
    verify_second_factor,
)
from foundry.audit.models import AuditEvent
from foundry.crypto import decrypt
from foundry.errors import DomainError, InvalidInput, PermissionDenied
from tests.accounts.two_factor.conftest import PASSWORD, turn_on, with_password, wrong


def _events(db, action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_enrolment_stores_the_key_encrypted_and_waits_for_a_first_code(world, db, clock):
    user = world.recruiter_a
    enrolment = begin_enrolment(user)
    assert re.fullmatch(r"[A-Z2-7]{32}", enrolment.secret)
    assert enrolment.secret not in user.totp_secret_encrypted
    assert decrypt(user.totp_secret_encrypted) == enrolment.secret
    assert not user.has_second_factor
    # Reloading the page shows the same key, not a new one.
    assert begin_enrolment(user).secret == enrolment.secret


def test_provisioning_uri_names_the_issuer_and_the_account_and_the_qr_is_inline_svg(world, clock):
    enrolment = begin_enrolment(world.recruiter_a)
    parts = urlsplit(enrolment.uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert unquote(parts.path) == f"/Talent Foundry:{world.recruiter_a.email}"
    assert parse_qs(parts.query)["issuer"] == ["Talent Foundry"]
    assert parse_qs(parts.query)["secret"] == [enrolment.secret]
    svg = str(enrolment.qr_svg("Scan <me>"))
    assert svg.startswith('<svg role="img"') and "<title>Scan &lt;me&gt;</title>" in svg
    assert "<script" not in svg and "http" not in svg
    assert enrolment.secret_for_typing.replace(" ", "") == enrolment.secret


def test_a_wrong_first_code_does_not_turn_it_on(world, clock):
    user = world.recruiter_a
    begin_enrolment(user)
    with pytest.raises(InvalidInput):
        confirm_enrolment(user, wrong(clock.code(decrypt(user.totp_secret_encrypted))))
    assert not user.has_second_factor
    assert user.totp_recovery_codes is None


def test_confirming_turns_it_on_with_ten_single_use_recovery_codes_kept_as_hashes(world, db, clock):
    user = world.recruiter_a
    factor = turn_on(user, clock, db)
    assert user.has_second_factor and user.totp_last_counter is not None
    assert len(factor.recovery_codes) == 10 == len(set(factor.recovery_codes))
    assert all(
        re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}", c) for c in factor.recovery_codes
    )
    stored = json.loads(user.totp_recovery_codes)
    assert stored == [
        hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in factor.recovery_codes
    ]
    assert not any(c in user.totp_recovery_codes for c in factor.recovery_codes)
    (event,) = _events(db, "user.two_factor_enabled")
    assert factor.secret not in json.dumps(event.details) + event.summary


def test_enrolment_is_refused_when_already_on(world, db, clock):
    turn_on(world.recruiter_a, clock, db)
    with pytest.raises(DomainError):
        begin_enrolment(world.recruiter_a)


def test_the_current_code_works_once(world, db, clock):
    user = world.recruiter_a
    factor = turn_on(user, clock, db)
    code = clock.code(factor.secret)
    assert verify_second_factor(user, code) is SecondFactorMethod.TOTP
    assert verify_second_factor(user, code) is None


def test_the_previous_steps_code_works_once_and_not_after_a_newer_one(world, db, clock):
    user = world.recruiter_a
    factor = turn_on(user, clock, db)
    previous = clock.code(factor.secret, steps_ago=1)
    assert verify_second_factor(user, previous) is SecondFactorMethod.TOTP
    assert verify_second_factor(user, previous) is None
    assert verify_second_factor(user, clock.code(factor.secret)) is SecondFactorMethod.TOTP
    # Within the window, but older than the last code accepted.
    clock.now += 30
    assert verify_second_factor(user, previous) is None


def test_codes_outside_the_window_are_refused(world, db, clock):
    user = world.recruiter_a
    factor = turn_on(user, clock, db)
    assert verify_second_factor(user, clock.code(factor.secret, steps_ago=2)) is None
    assert verify_second_factor(user, clock.code(factor.secret, steps_ago=-2)) is None
    assert verify_second_factor(user, clock.code(factor.secret, steps_ago=-1)) is not None


def test_a_recovery_code_works_once_whatever_its_case_and_spacing(world, db, clock):
    user = world.recruiter_a
    factor = turn_on(user, clock, db)
    code = factor.recovery_codes[3]
    typed = " " + code.upper().replace("-", " ") + " "
    assert verify_second_factor(user, typed) is SecondFactorMethod.RECOVERY_CODE
    assert verify_second_factor(user, code) is None
    assert recovery_codes_left(user) == 9
    (event,) = _events(db, "user.recovery_code_used")
    assert event.details == {"remaining": 9}
    assert verify_second_factor(user, factor.recovery_codes[4]) is SecondFactorMethod.RECOVERY_CODE


def test_codes_are_refused_when_the_factor_is_off(world, db, clock):
    user = world.recruiter_a
    begin_enrolment(user)  # a key waiting for confirmation is not a second factor
    assert verify_second_factor(user, clock.code(decrypt(user.totp_secret_encrypted))) is None


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "1234567",
        "abcdef",
        "12345a",
        "abcd-efgh-j",
        "abcd-efgh-jk1",
        "0000-0000-00",
        "1" * 40,
    ],
)
def test_malformed_codes_are_neither_kind(typed):
    assert normalised_code(typed) is None


def test_a_park_admin_cannot_turn_it_off(world, db, clock):
    admin = with_password(world.park_admin)
    factor = turn_on(admin, clock, db)
    with pytest.raises(PermissionDenied):
        disable_second_factor(admin, password=PASSWORD, code=clock.code(factor.secret))
    assert admin.has_second_factor


def test_turning_off_needs_the_password_or_a_code(world, db, clock):
    user = with_password(world.recruiter_a)
    factor = turn_on(user, clock, db)
    with pytest.raises(InvalidInput):
        disable_second_factor(user, password="not my password at all", code=None)
    with pytest.raises(InvalidInput):
        disable_second_factor(user, password=None, code=None)
    assert user.has_second_factor and user.failed_sign_ins == 2
    disable_second_factor(user, password=None, code=clock.code(factor.secret))
    assert not user.has_second_factor
    assert user.totp_secret_encrypted is None and user.totp_recovery_codes is None
    assert _events(db, "user.two_factor_disabled")


def test_turning_off_with_the_password(world, db, clock):
    user = with_password(world.recruiter_a)
    turn_on(user, clock, db)
    disable_second_factor(user, password=PASSWORD, code=None)
    assert not user.has_second_factor


def test_new_recovery_codes_replace_the_old_ones(world, db, clock):
    user = with_password(world.recruiter_a)
    factor = turn_on(user, clock, db)
    with pytest.raises(InvalidInput):
        regenerate_recovery_codes(user, password="wrong password here", code=None)
    new_codes = regenerate_recovery_codes(user, password=PASSWORD, code=None)
    assert set(new_codes).isdisjoint(factor.recovery_codes)
    assert verify_second_factor(user, factor.recovery_codes[0]) is None
    assert verify_second_factor(user, new_codes[0]) is SecondFactorMethod.RECOVERY_CODE
    assert _events(db, "user.recovery_codes_regenerated")


def test_a_park_admin_resets_another_users_factor_and_signs_them_out(world, db, clock):
    user = world.recruiter_a
    turn_on(user, clock, db)
    version = user.session_version
    reset_second_factor(user, world.park_admin)
    assert not user.has_second_factor and user.totp_secret_encrypted is None
    assert user.session_version == version + 1
    (event,) = _events(db, "user.two_factor_reset")
    assert event.actor_id == world.park_admin.id and event.object_id == str(user.id)


@pytest.mark.parametrize("actor", ["company_admin_a", "coordinator_a", "recruiter_b"])
def test_only_the_park_team_resets_a_second_factor(world, db, clock, actor):
    turn_on(world.recruiter_a, clock, db)
    with pytest.raises(PermissionDenied):
        reset_second_factor(world.recruiter_a, getattr(world, actor))
    assert world.recruiter_a.has_second_factor


def test_a_park_admin_cannot_reset_their_own_factor(world, db, clock):
    admin = world.park_admin
    turn_on(admin, clock, db)
    with pytest.raises(PermissionDenied):
        reset_second_factor(admin, admin)
    assert admin.has_second_factor


def test_enrolment_for_everyone_including_students(world, db, clock):
    factor = turn_on(world.student_a1, clock, db)
    assert world.student_a1.has_second_factor
    assert verify_second_factor(world.student_a1, clock.code(factor.secret)) is not None
    assert world.student_a1.has_role(Role.STUDENT)


def test_a_code_another_server_accepted_meanwhile_is_refused(world, db, clock):
    from foundry.accounts.models import User

    user = world.recruiter_a
    factor = turn_on(user, clock, db)
    stale = user.totp_last_counter  # what this request read before the other one won
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(User).where(User.id == user.id).values(totp_last_counter=int(clock.now) // 30)
        )
    assert user.totp_last_counter == stale
    assert verify_second_factor(user, clock.code(factor.secret)) is None


def test_a_recovery_code_another_server_used_meanwhile_is_refused(world, db, clock):
    from foundry.accounts.models import User

    user = world.recruiter_a
    factor = turn_on(user, clock, db)
    hashes = json.loads(user.totp_recovery_codes)
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(totp_recovery_codes=json.dumps(hashes[1:]))
        )
    assert verify_second_factor(user, factor.recovery_codes[0]) is None
