"""Company sign-up and e-mail verification: what is created, the e-mails, the address
that already has an account, university addresses, bad input, and the links."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.accounts.models import AccountToken, Role, TokenPurpose, User
from foundry.accounts.passwords import verify_password
from foundry.audit.models import AuditEvent
from foundry.companies.models import Company, VerificationStatus
from foundry.db import utcnow
from foundry.notifications.models import OutboxEmail
from tests.accounts.factories import PASSWORD, emails_to, link_in, password_user, reload
from tests.conftest import csrf_from, without_csrf_tokens
from tests.factories import UniversityFactory

GOOD = {
    "display_name": "Olivia Owner",
    "email": "Olivia@NewCo.example",
    "password": "a long enough passphrase",
    "confirm": "a long enough passphrase",
    "company_name": "NewCo Robotics Ltd",
    "cluster": "ai_robotics",
    "park_location": "science_park",
    "size": "11-50",
    "website": "https://newco.example",
}


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def sign_up(post_form, **changes):
    return post_form("/sign-up", {**GOOD, **changes})


def test_sign_up_creates_user_company_and_admin_role_and_emails_a_link(client, db, post_form):
    response = sign_up(post_form)
    assert response.status_code == 200
    assert "Check your inbox" in response.get_data(as_text=True)

    user = db.session.scalar(sa.select(User).where(User.email == "olivia@newco.example"))
    assert user.display_name == "Olivia Owner"
    assert user.email_verified_at is None
    assert verify_password(user.password_hash, "a long enough passphrase")
    company = db.session.scalar(sa.select(Company))
    assert (company.name, company.slug, company.website) == (
        "NewCo Robotics Ltd",
        "newco-robotics-ltd",
        "https://newco.example",
    )
    assert company.verification_status is VerificationStatus.UNVERIFIED
    [membership] = user.memberships
    assert (membership.role, membership.company_id) == (Role.COMPANY_ADMIN, company.id)

    [email] = emails_to("olivia@newco.example")
    assert email.subject == "Confirm your e-mail address for Talent Foundry"
    assert "Dear Olivia Owner," in email.body_text
    assert "48 hours" in email.body_text
    assert link_in(email, "/verify-email/")
    assert "a long enough passphrase" not in email.body_text
    token = db.session.scalar(sa.select(AccountToken))
    assert token.purpose is TokenPurpose.VERIFY_EMAIL and token.company_id == company.id
    assert timedelta(hours=47) < token.expires_at - utcnow() <= timedelta(hours=48)
    assert (
        db.session.scalar(
            sa.select(AuditEvent.summary).where(AuditEvent.action == "company.signed_up")
        )
        == "olivia@newco.example signed up NewCo Robotics Ltd"
    )
    assert client.get("/me").status_code == 302  # nobody signed in


def test_a_second_company_with_the_same_name_gets_its_own_slug(client, db, post_form):
    sign_up(post_form)
    sign_up(post_form, email="other@newco.example")
    slugs = db.session.scalars(sa.select(Company.slug).order_by(Company.id)).all()
    assert slugs[0] == "newco-robotics-ltd"
    assert slugs[1].startswith("newco-robotics-ltd-") and len(set(slugs)) == 2


def test_an_address_with_an_account_is_not_revealed_and_its_owner_is_told(client, db, post_form):
    owner = password_user("olivia@newco.example")
    fresh = sign_up(post_form, email="fresh@newco.example").get_data(as_text=True)
    taken = sign_up(post_form).get_data(as_text=True)

    assert "Check your inbox" in taken
    strip = lambda html: html.split('<main id="main"', 1)[1]  # noqa: E731
    assert strip(taken) == strip(fresh)
    assert count(db, Company) == 2  # the owner's company and fresh@'s, nothing for the retry
    [note] = emails_to(owner.email)
    assert note.subject == "Someone tried to sign up to Talent Foundry with your address"
    assert "/sign-in" in note.body_text and "/password/forgot" in note.body_text
    assert verify_password(reload(owner).password_hash, PASSWORD)  # unchanged


def test_a_university_address_is_sent_to_university_sign_in(client, db, post_form):
    UniversityFactory(code="UA", domains=["ua.edu.hk"])
    db.session.commit()
    for address in ("someone@ua.edu.hk", "someone@connect.ua.edu.hk"):
        response = sign_up(post_form, email=address)
        assert response.status_code == 400
        assert "This is a university address" in response.get_data(as_text=True)
    assert count(db, User) == 0 and count(db, Company) == 0 and count(db, OutboxEmail) == 0


def test_an_address_that_only_ends_like_a_university_domain_is_fine(client, db, post_form):
    UniversityFactory(code="UA", domains=["ua.edu.hk"])
    db.session.commit()
    assert sign_up(post_form, email="x@notua.edu.hk").status_code == 200
    assert count(db, User) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"display_name": ""}, "Enter your name."),
        ({"display_name": "x" * 121}, "at most 120 characters"),
        ({"email": ""}, "Enter your e-mail address."),
        ({"email": "olivia.newco.example"}, "Enter an e-mail address such as"),
        ({"email": "o" * 250 + "@x.example"}, "at most 254 characters"),
        ({"password": "short", "confirm": "short"}, "Use at least 12 characters."),
        ({"password": "x" * 129, "confirm": "x" * 129}, "Use at most 128 characters."),
        ({"password": "aaaaaaaaaaaaaaaa", "confirm": "aaaaaaaaaaaaaaaa"}, "more different"),
        ({"password": "olivia-is-great-2025", "confirm": "olivia-is-great-2025"}, "e-mail address"),
        ({"confirm": "another long passphrase"}, "The two passwords are not the same."),
        ({"company_name": ""}, "Enter the company name."),
        ({"company_name": "c" * 161}, "at most 160 characters"),
        ({"cluster": "space_mining"}, "Not a valid choice"),
        ({"park_location": ""}, "Choose where the company is in the park."),
        ({"size": "huge"}, "Not a valid choice"),
        ({"website": "javascript:alert(1)"}, "starting with https://"),
        ({"website": "https://" + "w" * 300 + ".example"}, "at most 300 characters"),
    ],
)
def test_bad_input_writes_nothing_and_says_what_is_wrong(client, db, post_form, changes, message):
    response = sign_up(post_form, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(db, User) == 0 and count(db, Company) == 0 and count(db, OutboxEmail) == 0
    assert "a long enough passphrase" not in response.get_data(as_text=True)


def test_a_forged_csrf_token_writes_nothing(client, db):
    client.get("/sign-up")
    response = client.post("/sign-up", data={**GOOD, "csrf_token": "forged"})
    assert response.status_code == 400
    assert count(db, User) == 0


def test_signed_in_users_are_sent_home_from_sign_up(client, world, login_as):
    login_as(world.recruiter_a)
    assert client.get("/sign-up").status_code == 302


# --- verification ----------------------------------------------------------------------


def verification_link(db, address="olivia@newco.example") -> str:
    return link_in(emails_to(address)[-1], "/verify-email/")


def test_opening_the_link_only_shows_a_button_and_the_post_confirms(client, db, post_form):
    sign_up(post_form)
    link = verification_link(db)

    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm my e-mail address" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    user = db.session.scalar(sa.select(User))
    assert reload(user).email_verified_at is None  # a mail scanner's GET changes nothing

    response = client.post(link, data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
    user = reload(user)
    assert user.email_verified_at is not None
    company = db.session.scalar(sa.select(Company))
    assert company.verification_status is VerificationStatus.PENDING
    assert client.get("/me").status_code == 302  # confirming does not sign in
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"user.email_verified", "company.verification_requested"} <= actions


def test_a_verification_link_works_once(client, db, post_form):
    sign_up(post_form)
    link = verification_link(db)
    token = csrf_from(client.get(link))
    assert client.post(link, data={"csrf_token": token}).status_code == 303
    replay = client.post(link, data={"csrf_token": token})
    assert replay.status_code == 410
    html = replay.get_data(as_text=True)
    assert "expired or has already been used" in html and "Send a new link" in html
    assert client.get(link).status_code == 410


def test_an_expired_or_unknown_verification_link_is_refused(client, db, post_form):
    sign_up(post_form)
    link = verification_link(db)
    db.session.execute(sa.update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(link).status_code == 410
    unknown = client.get("/verify-email/not-a-token")
    assert unknown.status_code == 400
    assert "This link is not valid" in unknown.get_data(as_text=True)
    assert client.get("/verify-email/" + "x" * 300).status_code == 400
    assert reload(db.session.scalar(sa.select(User))).email_verified_at is None


def test_a_verification_post_with_a_forged_csrf_token_changes_nothing(client, db, post_form):
    sign_up(post_form)
    link = verification_link(db)
    client.get(link)
    assert client.post(link, data={"csrf_token": "forged"}).status_code == 400
    assert db.session.scalar(sa.select(User.email_verified_at)) is None


def test_after_confirming_the_owner_can_sign_in_with_the_password(client, db, post_form):
    sign_up(post_form)
    link = verification_link(db)
    client.post(link, data={"csrf_token": csrf_from(client.get(link))})
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "email": "olivia@newco.example",
            "password": "a long enough passphrase",
            "csrf_token": csrf_from(page),
        },
    )
    assert response.status_code == 303
    slug = db.session.scalar(sa.select(Company.slug))
    workspace = client.get(f"/company/{slug}")
    assert workspace.status_code == 200
    assert "NewCo Robotics Ltd" in workspace.get_data(as_text=True)


# --- resending the link ----------------------------------------------------------------


def test_resend_gives_a_new_link_and_the_old_one_stops_working(client, db, post_form):
    sign_up(post_form)
    old = verification_link(db)
    response = post_form("/verify-email/resend", {"email": "OLIVIA@newco.example"})
    assert response.status_code == 200 and "Check your inbox" in response.get_data(as_text=True)
    new = verification_link(db)
    assert new != old
    assert client.get(old).status_code == 410
    client.post(new, data={"csrf_token": csrf_from(client.get(new))})
    assert db.session.scalar(sa.select(Company.verification_status)) is (VerificationStatus.PENDING)


def test_resend_answers_the_same_whoever_asks(client, db, post_form):
    verified = password_user("done@alpha.example")
    sign_up(post_form)
    before = {a: len(emails_to(a)) for a in ("done@alpha.example", "olivia@newco.example")}
    pages = [
        without_csrf_tokens(
            post_form("/verify-email/resend", {"email": address}).get_data(as_text=True)
        )
        for address in ("nobody@nowhere.example", verified.email, "olivia@newco.example")
    ]
    assert pages[0] == pages[1] == pages[2]
    assert len(emails_to(verified.email)) == before["done@alpha.example"]
    assert len(emails_to("olivia@newco.example")) == before["olivia@newco.example"] + 1
    assert emails_to("nobody@nowhere.example") == []


def test_resend_with_bad_input_says_so(client, db, post_form):
    response = post_form("/verify-email/resend", {"email": "nonsense"})
    assert response.status_code == 400
    assert "Enter an e-mail address such as" in response.get_data(as_text=True)
