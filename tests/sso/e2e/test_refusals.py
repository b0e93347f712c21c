"""Who may not sign in, even with a valid answer from a real IdP: each refusal is a clear
4xx page, and leaves nobody signed in and no account behind."""

from __future__ import annotations

from foundry.accounts.models import User
from tests.sso.e2e.checks import assert_refused, count

UNVERIFIED = "Your university has not verified your e-mail address"
NOT_THIS_UNIVERSITY = "does not belong to The Hong Kong University of Science and Technology"


def test_an_unverified_email_is_refused(campus, idp, browser):
    idp.update_account("hkust-student", email_verified=False)
    users = count(User)

    response = browser.sign_in("HKUST", "hkust-student")

    assert_refused(response, browser.client, UNVERIFIED, users_before=users)


def test_an_email_outside_the_universitys_domains_is_refused(campus, idp, browser):
    idp.update_account("hkust-student", email="ka.ming.chan@gmail.com")
    users = count(User)

    response = browser.sign_in("HKUST", "hkust-student")

    assert_refused(response, browser.client, NOT_THIS_UNIVERSITY, users_before=users)
    assert "ka.ming.chan@gmail.com" in response.get_data(as_text=True)


def test_a_student_of_hku_cannot_sign_in_through_hkusts_idp(campus, idp, browser):
    """HKUST's IdP vouches for an HKU address: HKUST may only speak for its own domains."""
    idp.set_account("hku-student-at-hkust", idp.accounts["hku-student"])
    users = count(User)

    response = browser.sign_in("HKUST", "hku-student-at-hkust")

    assert_refused(response, browser.client, NOT_THIS_UNIVERSITY, users_before=users)


def test_a_student_of_an_unknown_faculty_is_refused(campus, idp, browser):
    idp.update_account("hkust-student", faculty="School of Humanities")
    users = count(User)

    response = browser.sign_in("HKUST", "hkust-student")

    assert_refused(response, browser.client, "“School of Humanities”", users_before=users)


def test_a_missing_email_is_refused(campus, idp, browser):
    del idp.accounts["hkust-student"]["email"]
    idp.replace_accounts(idp.accounts)
    users = count(User)

    response = browser.sign_in("HKUST", "hkust-student")

    assert_refused(
        response, browser.client, "did not tell us your e-mail address", users_before=users
    )


def test_cancelling_at_the_idp_signs_nobody_in(campus, browser):
    users = count(User)

    callback = browser.cancel_at_idp(browser.start("HKUST"))
    response = browser.return_to_portal(callback)

    assert_refused(response, browser.client, "You cancelled signing in", users_before=users)
