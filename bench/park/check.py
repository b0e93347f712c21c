"""Check the personas against the real app: start gunicorn in the production
configuration on the bench database, sign in as each persona through /sign-in (the park
admin with a TOTP code), read their pages and apply as an applicant-pool student.

    .venv/bin/python -m bench.park.check --scale 10k

Every page must answer 200 with the content it is about. Applying uses one fresh posting
each run (it is no longer fresh afterwards), so the check can be run again.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pyotp
import requests

from bench.park import database_url, personas
from bench.park.database import psycopg_url

ROOT = Path(__file__).resolve().parents[2]
PORT = 8123
BASE = f"http://127.0.0.1:{PORT}"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# Behind the TLS proxy, as production runs (the app redirects plain http to https).
HEADERS = {"X-Forwarded-Proto": "https"}


class Browser:
    """A requests session that keeps the __Host- cookies over the loopback's plain http
    (the proxy would carry them over https)."""

    def __init__(self):
        self.session = requests.Session()

    def _request(
        self, method: str, path: str, extra_headers: dict | None = None, **kwargs
    ) -> requests.Response:
        for cookie in self.session.cookies:
            cookie.secure = False
        return self.session.request(
            method,
            BASE + path,
            headers={**HEADERS, **(extra_headers or {})},
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )

    def get(self, path: str) -> requests.Response:
        return self._request("GET", path)

    def post(self, path: str, data: dict) -> requests.Response:
        # Over https Flask-WTF wants a Referer of this host (WTF_CSRF_SSL_STRICT).
        referer = {"Referer": f"https://127.0.0.1:{PORT}{path}"}
        return self._request("POST", path, data=data, extra_headers=referer)

    def form_token(self, path: str) -> tuple[str, str]:
        page = self.get(path)
        assert page.status_code == 200, f"GET {path}: {page.status_code}"
        return CSRF.search(page.text).group(1), page.text


def sign_in(email: str, totp: bool = False) -> Browser:
    browser = Browser()
    token, _page = browser.form_token("/sign-in")
    answer = browser.post(
        "/sign-in", {"csrf_token": token, "email": email, "password": personas.PASSWORD}
    )
    assert answer.status_code == 303, f"sign-in {email}: {answer.status_code} {answer.text[:3000]}"
    if totp:
        assert answer.headers["Location"].endswith("/sign-in/two-factor"), answer.headers
        for _attempt in range(2):
            token, _page = browser.form_token("/sign-in/two-factor")
            code = pyotp.TOTP(personas.ADMIN_TOTP_SECRET).now()
            answer = browser.post("/sign-in/two-factor", {"csrf_token": token, "code": code})
            if answer.status_code == 303:
                break
            # This step's code was used by an earlier run: codes are accepted once.
            time.sleep(31 - time.time() % 30)
        assert answer.status_code == 303, f"second factor {email}: {answer.status_code}"
    return browser


def page(browser: Browser, who: str, path: str, *expected: str) -> None:
    started = time.perf_counter()
    response = browser.get(path)
    ms = (time.perf_counter() - started) * 1000
    text = html.unescape(response.text)
    missing = [e for e in expected if e.lower() not in text.lower()]
    ok = response.status_code == 200 and not missing and len(text) > 2000
    print(
        f"  {'ok ' if ok else 'BAD'} {who:<12} {path:<55} {response.status_code} "
        f"{len(text) // 1024:>4} KB {ms:6.0f} ms" + (f"  missing {missing}" if missing else "")
    )
    if not ok:
        raise SystemExit(f"{who}: {path} is not right")


def check(url: str) -> None:
    with psycopg.connect(psycopg_url(url)) as conn:
        t = personas.targets(conn)
        [(title,)] = conn.execute("SELECT title FROM postings WHERE id = %s", (t["posting_id"],))
        [(pipeline_title,)] = conn.execute(
            "SELECT title FROM postings WHERE id = %s", (t["pipeline_posting_id"],)
        )
        [(student_name, newest_title)] = conn.execute(
            "SELECT u.display_name, p.title FROM users u JOIN student_profiles s"
            " ON s.user_id = u.id JOIN applications a ON a.profile_id = s.id"
            " JOIN postings p ON p.id = a.posting_id WHERE u.email = %s"
            " ORDER BY a.submitted_at DESC LIMIT 1",
            (personas.STUDENT,),
        )
    print(
        f"targets: posting {t['posting_id']}, pipeline {t['pipeline_company_slug']}/"
        f"{t['pipeline_posting_id']}, faculty {t['faculty_id']}, university "
        f"{t['university_id']}, {len(t['fresh_posting_ids']):,} fresh postings, words "
        f"{t['common_word']} / {t['rare_word']} / {t['chinese_word']}, {t['filters']}"
    )
    _shares(url)
    common = [
        ("/postings?q=python", ["python"]),
        (f"/postings/{t['posting_id']}", [title]),
        ("/postings/feed.atom", ["<entry"]),
    ]
    pipeline = f"/company/{t['pipeline_company_slug']}/postings/{t['pipeline_posting_id']}"
    # Who signs in (second factor or not) and their own pages, with what each must show.
    people = {
        "student": (
            personas.STUDENT,
            False,
            [("/me", [student_name]), ("/me/applications", [newest_title])],
        ),
        "recruiter": (personas.RECRUITER, False, [(f"{pipeline}/pipeline", [pipeline_title])]),
        "dean": (personas.DEAN, False, [("/reports/placements", ["Faculty of Engineering"])]),
        "coordinator": (
            personas.COORDINATOR,
            False,
            [("/reports/placements", ["The Chinese University of Hong Kong"])],
        ),
        "park admin": (
            personas.PARK_ADMIN,
            True,
            [("/admin", []), ("/reports/placements", ["placement"])],
        ),
    }
    for who, (email, totp, pages) in people.items():
        browser = sign_in(email, totp)
        for path, expected in [*common, *pages]:
            page(browser, who, path, *expected)
    page(browser, "park admin", f"/postings?q={t['chinese_word']}", t["chinese_word"])
    page(browser, "park admin", f"/postings?q={t['rare_word']}", t["rare_word"])
    page(browser, "park admin", f"/postings?{t['filters']}")
    _apply(t["fresh_posting_ids"][0])


# The search words of targets() as the app matches them (search_index: a Chinese word is
# the phrase of its character pairs, in its Hong Kong and mainland spellings).
WORD_QUERIES = {
    "common_word": "python",
    "rare_word": "lidar",
    "chinese_word": "(机械 <-> 械人) | (机器 <-> 器人)",
}


def _shares(url: str) -> None:
    """The share of postings, and of open ones, holding each search word."""
    with psycopg.connect(psycopg_url(url)) as conn:
        for name, query in WORD_QUERIES.items():
            every, opened, total, total_open = conn.execute(
                "SELECT count(*) FILTER (WHERE search_vector @@ q),"
                f" count(*) FILTER (WHERE search_vector @@ q AND {personas.OPEN}),"
                f" count(*), count(*) FILTER (WHERE {personas.OPEN})"
                " FROM postings p, to_tsquery('english', %s) AS q",
                (query,),
            ).fetchone()
            print(
                f"  {name:<12} in {every:,} postings ({every / total:.2%}), "
                f"{opened:,} open ones ({opened / total_open:.2%})"
            )


def _apply(posting_id: int) -> None:
    """An applicant-pool student applies to a fresh posting with the CV they have."""
    email = personas.applicant_email(secrets.randbelow(personas.APPLICANT_POOL))
    browser = sign_in(email)
    token, form = browser.form_token(f"/postings/{posting_id}/apply")
    cv_id = re.search(
        r'name="cv_choice"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="cv_choice"', form
    )
    answer = browser.post(
        f"/postings/{posting_id}/apply",
        {
            "csrf_token": token,
            "cv_choice": cv_id.group(1) or cv_id.group(2),
            "cover_letter": "I would like to join your team this summer.",
        },
    )
    ok = answer.status_code == 303 and "/me/applications/" in answer.headers.get("Location", "")
    print(
        f"  {'ok ' if ok else 'BAD'} applicant    POST /postings/{posting_id}/apply "
        f"{answer.status_code} -> {answer.headers.get('Location')}"
    )
    if not ok:
        raise SystemExit("applying failed")
    page(browser, "applicant", urlsplit(answer.headers["Location"]).path, "submitted")


def serve(url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "FOUNDRY_CONFIG": "production",
        "DATABASE_URL": url,
        "REDIS_URL": "redis://127.0.0.1:6379/5",
        "SECRET_KEY": secrets.token_urlsafe(36),
        "FOUNDRY_ENCRYPTION_KEYS": personas.ENCRYPTION_KEY,
        "PUBLIC_BASE_URL": "https://bench.example",
        "MAIL_BACKEND": "console",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "-b",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "/dev/null",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(60):
        try:
            requests.get(BASE + "/", headers=HEADERS, timeout=20)
            return server
        except requests.RequestException:  # not listening yet, or its first answer is slow
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="10k")
    args = parser.parse_args()
    url = database_url(args.scale)
    server = serve(url)
    try:
        check(url)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
    print("PASS")


if __name__ == "__main__":
    sys.exit(main())
