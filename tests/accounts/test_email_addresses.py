"""E-mail addresses have one canonical form wherever they come in: sign-up, invitation,
password sign-in, password reset, single sign-on (claims and the university look-up).
Another spelling of an address (upper case, full-width letters, a Unicode domain) is the
same address; a look-alike (letters of another alphabet) is refused with a clear message
and nothing is written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.accounts.email_address import InvalidEmailAddress, normalise_email
from foundry.accounts.limits import typed_email
from foundry.accounts.models import AccountToken, Role, RoleMembership, User
from foundry.companies.models import Company
from foundry.notifications.models import OutboxEmail
from foundry.sso.models import UserIdentity
from tests.accounts.factories import PASSWORD, password_user
from tests.conftest import csrf_from
from tests.factories import UniversityFactory
from tests.sso.conftest import signed_in_user_id

MIXED = "different alphabets that look alike"

# --- the function ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, canonical",
    [
        ("  Bob@Example.COM ", "bob@example.com"),
        ("ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "alice@example.com"),  # full-width, @ and dot too
        ("u@connect.ｕst.hk", "u@connect.ust.hk"),
        ("Rita@Bücher.Example", "rita@xn--bcher-kva.example"),
        ("rita@XN--BCHER-KVA.example", "rita@xn--bcher-kva.example"),
        ("иван@example.com", "иван@example.com"),  # one alphabet: fine
        ("陳大文@例子.香港", "陳大文@xn--fsqu00a.xn--j6w193g"),
        ("tanaka太郎@example.jp", "tanaka太郎@example.jp"),  # Latin with Han is usual
        ("Δήμητρα@example.gr", "δήμητρα@example.gr"),
    ],
)
def test_spellings_of_an_address_have_one_canonical_form(app, raw, canonical):
    assert normalise_email(raw) == canonical
    assert normalise_email(canonical) == canonical  # and it is a fixed point


@pytest.mark.parametrize(
    "raw, message",
    [
        ("\u0430lice@example.com", MIXED),  # Cyrillic а among Latin letters
        ("alice@ex\u0430mple.com", MIXED),  # ... in the domain
        ("alice@xn--exmple-4nf.com", MIXED),  # ... the same domain in its ASCII form
        ("paypa\u04cf@example.com", MIXED),  # Cyrillic palochka for an l
        ("\u0130nfo@example.com", MIXED),  # dotted capital I: an i with a stray dot
        ("\u0430\u0441\u0435@example.com", "Cyrillic or Greek letters that all look like"),
        ("\u03bf\u03bf@example.com", "Cyrillic or Greek letters that all look like"),
        ("a\u200b@example.com", "Enter an e-mail address such as"),  # zero-width space
        ("a@b", "Enter an e-mail address such as"),
        ('"a b"@example.com', "Enter an e-mail address such as"),
        ("", "Enter an e-mail address such as"),
        (None, "Enter an e-mail address such as"),
        ("a" * 64 + "@" + ("b" * 60 + ".") * 4 + "hk", "Enter an e-mail address"),
    ],
)
def test_look_alikes_and_non_addresses_are_refused_with_a_reason(app, raw, message):
    with pytest.raises(InvalidEmailAddress) as refused:
        normalise_email(raw)
    assert message in refused.value.message
    assert refused.value.status_code == 400


def test_canonical_only_refuses_what_needed_more_than_lower_case(app):
    assert normalise_email("Amy@UA.edu.hk", canonical_only=True) == "amy@ua.edu.hk"
    for raw in ("amy@ｕa.edu.hk", "amy@bücher.example"):
        with pytest.raises(InvalidEmailAddress, match="plain letters"):
            normalise_email(raw, canonical_only=True)


def test_the_models_refuse_an_address_not_in_canonical_form(db):
    """The guard for the whole class: a new way in that forgets normalise_email fails."""
    for raw in ("Rita@example.com", "rita@ｅxample.com", "rita@bücher.example"):
        with pytest.raises(ValueError, match="canonical"):
            User(email=raw, display_name="R")
        with pytest.raises(ValueError, match="canonical"):
            AccountToken(email=raw)
        with pytest.raises(ValueError, match="canonical"):
            UserIdentity(email=raw)


def test_spellings_of_one_address_share_one_rate_limit_budget(app):
    keys = set()
    for typed in ("rita@example.com", "RITA@example.com", "ｒｉｔａ@example.com"):
        with app.test_request_context("/sign-in", method="POST", data={"email": typed}):
            keys.add(typed_email())
    assert keys == {"email:rita@example.com"}


# --- every way in --------------------------------------------------------------------------


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def written(db) -> tuple[int, ...]:
    """What any way in could write: people, companies, links, e-mails, roles, identities."""
    return tuple(
        count(db, model)
        for model in (User, Company, AccountToken, OutboxEmail, RoleMembership, UserIdentity)
    )


def _post(client, page_url, url, data):
    page = client.get(page_url)
    return client.post(url, data={"csrf_token": csrf_from(page), **data})


def sign_up(client, world, address):
    return _post(
        client,
        "/sign-up",
        "/sign-up",
        {
            "display_name": "Olivia Owner",
            "email": address,
            "password": "a long enough passphrase",
            "confirm": "a long enough passphrase",
            "company_name": "NewCo Robotics Ltd",
            "cluster": "ai_robotics",
            "park_location": "science_park",
            "size": "11-50",
        },
    )


def invite(client, world, address):
    return _post(
        client,
        "/company/alpha/members",
        "/company/alpha/members/invite",
        {"email": address, "role": "recruiter"},
    )


def sign_in(client, world, address):
    return _post(client, "/sign-in", "/sign-in", {"email": address, "password": PASSWORD})


def forgot_password(client, world, address):
    return _post(client, "/password/forgot", "/password/forgot", {"email": address})


def resend_verification(client, world, address):
    return _post(client, "/verify-email/resend", "/verify-email/resend", {"email": address})


FORMS = [sign_up, invite, sign_in, forgot_password, resend_verification]


@pytest.mark.parametrize("way_in", FORMS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "address",
    ["rit\u0430@xn--bcher-kva.example", "rita@b\u00fcch\u0435r.example", "\u0430\u0441\u0435@x.hk"],
    ids=["cyrillic-a-in-local-part", "cyrillic-e-in-domain", "whole-cyrillic-look-alike"],
)
def test_a_look_alike_is_refused_at_every_form_and_nothing_is_written(
    client, world, db, way_in, address
):
    password_user("rita@xn--bcher-kva.example", company=world.company_a)
    if way_in is invite:  # sent by Alpha's company admin; the other forms are public
        _demo_sign_in(client, world.company_admin_a)
    before = written(db)
    response = way_in(client, world, address)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "alphabets that look alike" in page or "all look like Latin" in page
    assert written(db) == before
    assert signed_in_user_id(client) in (None, _signed_in_id(world.company_admin_a))


def _demo_sign_in(client, user):
    page = client.get("/demo/sign-in")
    client.post("/demo/sign-in", data={"user_id": user.id, "csrf_token": csrf_from(page)})


def _signed_in_id(user) -> str:
    return f"{user.id}:{user.session_version}"


SPELLINGS = ["RITA@XN--BCHER-KVA.EXAMPLE", "ｒｉｔａ@xn--bcher-kva.example", "Rita@Bücher.example"]
SPELLING_IDS = ["upper-case", "full-width", "unicode-domain"]


@pytest.mark.parametrize("address", SPELLINGS, ids=SPELLING_IDS)
def test_sign_up_with_another_spelling_makes_no_second_account(client, world, db, address):
    rita = password_user("rita@xn--bcher-kva.example", company=world.company_a)
    users, companies = count(db, User), count(db, Company)
    response = sign_up(client, world, address)
    assert response.status_code == 200 and "Check your inbox" in response.get_data(as_text=True)
    assert (count(db, User), count(db, Company)) == (users, companies)
    (note,) = db.session.scalars(sa.select(OutboxEmail)).all()
    assert note.to_address == rita.email  # its owner is told someone tried


@pytest.mark.parametrize("address", SPELLINGS, ids=SPELLING_IDS)
def test_inviting_another_spelling_of_a_member_is_refused(client, world, db, address):
    password_user("rita@xn--bcher-kva.example", company=world.company_a)
    _demo_sign_in(client, world.company_admin_a)
    response = invite(client, world, address)
    assert response.status_code == 409
    assert "rita@xn--bcher-kva.example is already a member" in response.get_data(as_text=True)
    assert count(db, AccountToken) == 0


@pytest.mark.parametrize("address", SPELLINGS, ids=SPELLING_IDS)
def test_password_sign_in_with_another_spelling_finds_the_account(client, world, db, address):
    rita = password_user("rita@xn--bcher-kva.example", company=world.company_a)
    response = sign_in(client, world, address)
    assert response.status_code == 303
    assert signed_in_user_id(client) == _signed_in_id(rita)


@pytest.mark.parametrize("address", SPELLINGS, ids=SPELLING_IDS)
def test_reset_with_another_spelling_mails_the_account(client, world, db, address):
    rita = password_user("rita@xn--bcher-kva.example", company=world.company_a)
    response = forgot_password(client, world, address)
    assert response.status_code == 200
    (mail,) = db.session.scalars(sa.select(OutboxEmail)).all()
    assert mail.to_address == rita.email and "/password/reset/" in mail.body_text


def test_an_idn_domain_is_stored_in_its_ascii_form(client, world, db):
    assert sign_up(client, world, "Olivia@Bücher.example").status_code == 200
    user = db.session.scalar(sa.select(User).where(User.display_name == "Olivia Owner"))
    assert user.email == "olivia@xn--bcher-kva.example"
    _demo_sign_in(client, world.company_admin_a)
    assert invite(client, world, "Nora@Bücher.example").status_code == 303
    assert db.session.scalar(
        sa.select(AccountToken.email).where(AccountToken.company_id == world.company_a.id)
    ) == ("nora@xn--bcher-kva.example")


# --- university addresses ----------------------------------------------------------------


@pytest.fixture
def hkust(db):
    university = UniversityFactory(code="HKUST", domains=["ust.hk", "connect.ust.hk"])
    db.session.commit()
    return university


@pytest.mark.parametrize(
    "address", ["u@connect.ｕst.hk", "U@CONNECT.UST.HK", "u@ｃｏｎｎｅｃｔ．ｕｓｔ．ｈｋ"]
)
def test_a_full_width_university_address_is_refused_at_company_sign_up(
    client, world, hkust, db, address
):
    before = written(db)
    response = sign_up(client, world, address)
    assert response.status_code == 400
    assert "This is a university address" in response.get_data(as_text=True)
    assert written(db) == before


def test_a_full_width_address_finds_no_university_to_sign_in_with(client, hkust):
    response = _post(client, "/sign-in", "/sign-in/university", {"email": "u@connect.ｕst.hk"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/sign-in")
    assert "We do not know that university" in client.get("/sign-in").get_data(as_text=True)
    # Typed plainly, in any case, the address finds HKUST (which has no sign-on yet).
    _post(client, "/sign-in", "/sign-in/university", {"email": "U@Connect.UST.HK"})
    assert "has not switched on single sign-on" in client.get("/sign-in").get_data(as_text=True)


def test_membership_checks_compare_canonical_addresses(db, world):
    """Membership checks compare canonical addresses too."""
    from foundry.companies.members import is_member

    password_user("rita@xn--bcher-kva.example", company=world.company_a, role=Role.RECRUITER)
    assert is_member(world.company_a, "RITA@Bücher.example")
    assert not is_member(world.company_b, "RITA@Bücher.example")
