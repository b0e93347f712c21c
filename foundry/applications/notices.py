"""Telling the student and the company what happened to an application, each in their own
language, with links to the page where they can act on it."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, url_for
from flask_babel import force_locale

from foundry.accounts.models import User
from foundry.applications.models import Application
from foundry.companies.queries import company_members
from foundry.notifications.services import notify

Text = Callable[[], str]
Attachment = tuple[str, str, bytes]


def student_link(application: Application) -> str:
    return url_for("applications.detail", application_id=application.id)


def company_link(application: Application) -> str:
    return url_for("pipeline.applicant", application_id=application.id)


def tell(
    user: User,
    kind: str,
    title: Text,
    body: Text,
    link: str | None,
    *,
    email: bool = True,
    attachment: Attachment | None = None,
) -> None:
    """Notify `user`, writing `title` and `body` (callables) in the user's own language."""
    locale = user.preferred_locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        notify(
            user,
            kind,
            str(title())[:200],
            str(body())[:2000],
            link,
            email=email,
            attachment=attachment,
        )


def tell_student(application: Application, kind: str, title: Text, body: Text, **kwargs) -> None:
    tell(application.profile.user, kind, title, body, student_link(application), **kwargs)


def tell_company(
    application: Application, kind: str, title: Text, body: Text, *, email: bool = True
) -> None:
    for member in company_members(application.company_id):
        tell(member, kind, title, body, company_link(application), email=email)
