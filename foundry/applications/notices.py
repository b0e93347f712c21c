"""Telling the student and the company what happened to an application, with links to the
page where they can act on it. Each notice is a key of foundry/messages.py and its raw
parameters, so everyone reads it in their own language (and is e-mailed in it)."""

from __future__ import annotations

from flask import url_for

from foundry.applications.models import Application
from foundry.companies.queries import company_members
from foundry.notifications.services import notify

Attachment = tuple[str, str, bytes]


def student_link(application: Application) -> str:
    return url_for("applications.detail", application_id=application.id)


def company_link(application: Application) -> str:
    return url_for("pipeline.applicant", application_id=application.id)


def tell_student(
    application: Application,
    key: str,
    *,
    email: bool = True,
    attachment: Attachment | None = None,
    **params,
) -> None:
    notify(
        application.profile.user,
        key,
        student_link(application),
        email=email,
        attachment=attachment,
        **params,
    )


def tell_company(application: Application, key: str, *, email: bool = True, **params) -> None:
    for member in company_members(application.company_id):
        notify(member, key, company_link(application), email=email, **params)
