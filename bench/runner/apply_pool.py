"""The apply action's requests: every one a new application (an applicant of the pool and
a fresh posting they have not applied to), so that each really writes.

The applicants sign in through the form, then each opens the apply form of a fresh posting:
its CSRF token (valid for every form of that session), the CV it ticks, and the session
cookie that now holds the token. One apply form per fresh posting names its screening
questions. wrk sends the requests from a file, a line each (bench/report.lua); the pairs
are shuffled so that neither one posting nor one student takes a run's writes in a row.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.park import personas
from bench.runner.browser import form_fields
from bench.runner.dataset import DataSet
from bench.runner.sign_in import sign_in_pool

COVER_LETTER = "Written by bench/run: a load test of the apply action."
ANSWER = "An answer written by bench/run."


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

    def write(self, path: Path) -> Path:
        path.write_text("".join(apply.line() + "\n" for apply in self.left))
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


def prepare(base_url: str, data: DataSet, log=print) -> ApplyPool:
    emails = [personas.applicant_email(n) for n in range(personas.APPLICANT_POOL)]
    fresh = list(data.targets["fresh_posting_ids"])
    applied = already_applied(data, emails)
    log(f"signing in {len(emails)} applicants; {len(applied)} of their pairs applied before")
    browsers = sign_in_pool(base_url, emails, personas.PASSWORD)
    questions: dict[int, list[str]] = {}
    pool = ApplyPool()
    for email, browser in zip(emails, browsers, strict=True):
        open_to_them = [posting for posting in fresh if (email, posting) not in applied]
        if not open_to_them:
            continue
        page = browser.get(f"/postings/{open_to_them[0]}/apply")
        if page.status_code != 200:
            raise RuntimeError(f"{email}: the apply form answered {page.status_code}")
        fields = form_fields(page.text, f"/postings/{open_to_them[0]}/apply")
        if fields.get("cv_choice", "new") == "new":
            raise RuntimeError(f"{email} has no CV to apply with")
        questions.setdefault(open_to_them[0], [n for n in fields if n.startswith("answer_")])
        for posting in open_to_them:
            if posting not in questions:
                form = form_fields(browser.get(f"/postings/{posting}/apply").text, "/apply")
                questions[posting] = [name for name in form if name.startswith("answer_")]
            body = {
                "csrf_token": fields["csrf_token"],
                "cv_choice": fields["cv_choice"],
                "cover_letter": COVER_LETTER,
                **{name: ANSWER for name in questions[posting]},
            }
            pool.left.append(
                Apply(posting, browser.cookie_header(), browser.forwarded_for, urlencode(body))
            )
    random.Random(12).shuffle(pool.left)
    log(f"{len(pool.left)} applies ready ({len(fresh)} fresh postings)")
    return pool
