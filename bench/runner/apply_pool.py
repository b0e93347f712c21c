"""The apply action's requests: every one a new application (an applicant of the pool and
a fresh posting they have not applied to), so that each really writes.

The applicants sign in through the form, then each opens the apply form of a fresh posting:
its CSRF token (valid for every form of that session), the CV it ticks, and the session
cookie that now holds the token. A posting's screening questions, if it has any, are
answered (their fields are named after the questions' ids). wrk sends the requests from
a file, a line each (bench/report.lua); the pairs are shuffled so that neither one
posting nor one student takes a run's writes in a row.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.park import personas
from bench.runner.browser import Browser, form_fields
from bench.runner.dataset import DataSet
from bench.runner.sign_in import applicant_address, sign_in

COVER_LETTER = "Written by bench/run: a load test of the apply action."
ANSWER = "An answer written by bench/run."
NEW_CV = "new"  # the apply form's choice of uploading a CV (foundry.applications.forms)


@dataclass(frozen=True)
class Apply:
    posting_id: int
    cookie: str
    forwarded_for: str
    body: str

    @property
    def path(self) -> str:
        return f"/postings/{self.posting_id}/apply"

    def line(self) -> str:
        return "\t".join((self.path, self.cookie, self.forwarded_for, self.body))


@dataclass
class ApplyPool:
    """The applies not sent yet; each wrk run takes some, and they are never sent again."""

    left: list[Apply] = field(default_factory=list)

    def write(self, path: Path, limit: int) -> Path:
        """The first `limit` applies not sent yet, a line each, for one wrk run (every
        thread of wrk reads the whole file: it should hold a run's worth, not 200,000)."""
        path.write_text("".join(apply.line() + "\n" for apply in self.left[:limit]))
        return path

    def take_used(self, used_by_thread: list[int]) -> None:
        """Forget the lines wrk's threads took: thread i took lines i, i + n, i + 2n..."""
        threads = len(used_by_thread)
        taken = {
            thread + threads * k for thread, used in enumerate(used_by_thread) for k in range(used)
        }
        self.left = [apply for index, apply in enumerate(self.left) if index not in taken]

    def pop(self) -> Apply:
        return self.left.pop()


def already_applied(data: DataSet, emails: list[str]) -> set[tuple[str, int]]:
    """(e-mail, posting) pairs of the pool's applications to the fresh postings (a bench
    run before this one applied already)."""
    with data.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT users.email, applications.posting_id FROM applications"
            " JOIN student_profiles ON student_profiles.id = applications.profile_id"
            " JOIN users ON users.id = student_profiles.user_id"
            " WHERE applications.posting_id = ANY(%(postings)s) AND users.email = ANY(%(emails)s)",
            {"postings": list(data.targets["fresh_posting_ids"]), "emails": emails},
        ).all()
    return {(email, posting_id) for email, posting_id in rows}


def question_fields(data: DataSet) -> dict[int, list[str]]:
    """The answer fields of each fresh posting's form (apply_form_for: answer_<question id>)."""
    with data.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT posting_id, id FROM screening_questions WHERE posting_id = ANY(%(ids)s)",
            {"ids": list(data.targets["fresh_posting_ids"])},
        ).all()
    fields: dict[int, list[str]] = {}
    for posting_id, question_id in rows:
        fields.setdefault(posting_id, []).append(f"answer_{question_id}")
    return fields


def signed_in_applicant(base_url: str, n: int, first_posting: int) -> tuple[Browser, dict]:
    """Applicant n signed in, and the fields of an apply form of theirs (CSRF token, CV)."""
    email = personas.applicant_email(n)
    browser = sign_in(base_url, email, personas.PASSWORD, forwarded_for=applicant_address(n))
    path = f"/postings/{first_posting}/apply"
    page = browser.get(path)
    if page.status_code != 200:
        raise RuntimeError(f"{email}: {path} answered {page.status_code}")
    fields = form_fields(page.text, path)
    if fields.get("cv_choice", NEW_CV) == NEW_CV:
        raise RuntimeError(f"{email} has no CV to apply with")
    return browser, fields


def prepare(base_url: str, data: DataSet, log=print) -> ApplyPool:
    emails = [personas.applicant_email(n) for n in range(personas.APPLICANT_POOL)]
    fresh = list(data.targets["fresh_posting_ids"])
    applied = already_applied(data, emails)
    questions = question_fields(data)
    open_to = {email: [p for p in fresh if (email, p) not in applied] for email in emails}
    pool_numbers = [n for n, email in enumerate(emails) if open_to[email]]
    log(f"signing in {len(pool_numbers)} applicants; {len(applied)} of their pairs applied before")
    # Four at a time: each sign-in hashes a password, on the server's two cores.
    with ThreadPoolExecutor(4) as threads:
        signed_in = threads.map(
            lambda n: signed_in_applicant(base_url, n, open_to[emails[n]][0]), pool_numbers
        )
        pool = ApplyPool()
        for n, (browser, fields) in zip(pool_numbers, signed_in, strict=True):
            for posting in open_to[emails[n]]:
                body = {
                    "csrf_token": fields["csrf_token"],
                    "cv_choice": fields["cv_choice"],
                    "cover_letter": COVER_LETTER,
                    **{name: ANSWER for name in questions.get(posting, [])},
                }
                pool.left.append(
                    Apply(posting, browser.cookie_header(), browser.forwarded_for, urlencode(body))
                )
    random.Random(12).shuffle(pool.left)
    log(f"{len(pool.left)} applies ready ({len(fresh)} fresh postings)")
    return pool
