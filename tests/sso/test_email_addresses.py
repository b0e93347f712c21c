"""Single sign-on claims take e-mail addresses in canonical form only: an identity
provider that sends full-width letters or look-alikes is refused, never folded onto a
domain (u@connect.ｕst.hk is not HKUST's connect.ust.hk); case does not matter, and an
address that belongs to an account makes no second account."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.accounts.models import AccountToken, RoleMembership, User
from foundry.sso.models import UserIdentity
from tests.sso.conftest import connect, sign_in_through, signed_in_user_id, student_claims


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def written(db) -> tuple[int, ...]:
    return tuple(count(db, m) for m in (User, UserIdentity, RoleMembership, AccountToken))


@pytest.fixture
def idp_world(world, idp, db):
    connect(world.uni_a, idp)
    db.session.commit()
    return world


@pytest.mark.parametrize(
    "claimed",
    [
        "amy@ｕa.edu.hk",  # full-width u: must not be folded onto ua.edu.hk
        "\u0430my@ua.edu.hk",  # Cyrillic а
        "amy@u\u0430.edu.hk",
        "amy@xn--u-7sb.edu.hk",  # the same look-alike in ASCII form
        "ａｍｙ@ua.edu.hk",
    ],
)
def test_an_sso_claim_with_a_look_alike_address_is_refused(client, idp_world, idp, db, claimed):
    before = written(db)
    response = sign_in_through(client, idp, student_claims(email=claimed))
    assert response.status_code == 403
    assert "an e-mail address we cannot use" in response.get_data(as_text=True)
    assert written(db) == before and signed_in_user_id(client) is None


def test_an_sso_claim_in_upper_case_is_the_same_account(app, client, idp_world, idp, db):
    sign_in_through(client, idp, student_claims())
    users = count(db, User)
    again = app.test_client()
    response = sign_in_through(again, idp, student_claims(email="AMY@UA.EDU.HK"))
    assert response.status_code == 303
    assert count(db, User) == users
    identity = db.session.scalar(sa.select(UserIdentity))
    assert identity.email == identity.user.email == "amy@ua.edu.hk"


def test_an_sso_claim_of_another_subject_for_an_existing_address_makes_no_second_account(
    app, client, idp_world, idp, db
):
    sign_in_through(client, idp, student_claims())
    before = written(db)
    other = app.test_client()
    response = sign_in_through(other, idp, student_claims(sub="mallory", email="Amy@UA.edu.hk"))
    assert response.status_code == 409
    assert written(db) == before and signed_in_user_id(other) is None
