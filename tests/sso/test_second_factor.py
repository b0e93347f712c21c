"""A university's sign-in is only the first factor for someone who needs a second one: a
park admin, or anyone who turned on the authenticator app."""

from __future__ import annotations

import time

import pyotp
import sqlalchemy as sa

from foundry.accounts.models import Role
from foundry.accounts.two_factor import begin_enrolment, confirm_enrolment
from foundry.audit.models import AuditEvent
from foundry.crypto import decrypt
from foundry.sso.models import UserIdentity
from tests.conftest import csrf_from
from tests.factories import MembershipFactory
from tests.sso.conftest import sign_in_through, signed_in_user_id, staff_claims, student_claims


def _forget_the_session(client) -> None:
    with client.session_transaction() as session:
        session.clear()


def _user_of(db, subject: str):
    return db.session.scalar(sa.select(UserIdentity).where(UserIdentity.subject == subject)).user


def test_a_student_with_the_authenticator_app_on_is_asked_for_a_code(client, db, connected, idp):
    sign_in_through(client, idp, student_claims())
    user = _user_of(db, "amy-001")
    begin_enrolment(user)
    totp = pyotp.TOTP(decrypt(user.totp_secret_encrypted))
    confirm_enrolment(user, totp.at(time.time() - 30))  # the step before: now stays unused
    db.session.commit()
    _forget_the_session(client)

    response = sign_in_through(client, idp, student_claims())

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/sign-in/two-factor")
    assert signed_in_user_id(client) is None
    page = client.get("/sign-in/two-factor")
    done = client.post(
        "/sign-in/two-factor", data={"code": totp.now(), "csrf_token": csrf_from(page)}
    )
    assert done.status_code == 303
    assert signed_in_user_id(client) == f"{user.id}:{user.session_version}"
    methods = db.session.scalars(
        sa.select(AuditEvent.details)
        .where(AuditEvent.action == "user.sign_in")
        .order_by(AuditEvent.id)
    ).all()
    assert methods[-1] == {"method": "sso:UA+totp"}


def test_a_park_admin_signing_in_through_a_university_must_set_up_the_app(
    client, db, connected, idp
):
    sign_in_through(client, idp, staff_claims())
    user = _user_of(db, "sam-007")
    MembershipFactory(user=user, role=Role.PARK_ADMIN)
    db.session.commit()
    _forget_the_session(client)

    response = sign_in_through(client, idp, staff_claims())

    assert response.headers["Location"].endswith("/sign-in/two-factor")
    assert signed_in_user_id(client) is None
    setup = client.get("/sign-in/two-factor")
    assert setup.status_code == 302 and setup.headers["Location"].endswith("/setup")
    assert client.get("/admin").status_code == 302  # still not signed in
