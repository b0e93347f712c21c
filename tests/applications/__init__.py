"""Tests of applying, following applications, and the recruiter's pipeline.

Helpers shared by these tests live here."""

from __future__ import annotations

import io

import sqlalchemy as sa

from foundry.applications.models import ApplicationStatus
from foundry.demo.pdf import minimal_pdf
from foundry.extensions import db
from tests.factories import ApplicationFactory, CVFactory, PostingFactory, profile_of


def posting_of(company, **fields):
    return PostingFactory(company=company, **fields)


def application_of(user, posting, status=ApplicationStatus.SUBMITTED, **fields):
    return ApplicationFactory(posting=posting, profile=profile_of(user), status=status, **fields)


def cv_of(user, title="My CV", lines=("Curriculum vitae",)):
    return CVFactory(profile=profile_of(user), title=title, content=minimal_pdf(list(lines)))


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def upload(content: bytes, filename: str = "cv.pdf"):
    return (io.BytesIO(content), filename)
