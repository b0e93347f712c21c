"""What each page of bench/pages.py costs inside one process: CPU milliseconds a request
and SQL statements a request, the portal in its production configuration on a bench data
set, requests made through the WSGI app (no gunicorn, no network, no wrk).

On a machine shared with other work, throughput moves with the load; the CPU time this
process spends per request and the statements it sends move far less, so they are what
to compare before and after a change (issue 12: "record what each fix bought").

    .venv/bin/python bench/profile_pages.py --scale 100k                  # every page
    .venv/bin/python bench/profile_pages.py --only 'search|posting' -n 100
    .venv/bin/python bench/profile_pages.py --only dashboard --profile /tmp/profiles

`--profile DIR` writes a pyinstrument profile per page (text, HTML) of the timed requests
(pip install pyinstrument). The baseline's `list` is timed the same way (its app in this
process) as the yardstick. The apply action is timed with the applicant pool's first
students, each applying once to a fresh posting; its writes are rolled back afterwards
only in the sense that the postings it used are left out of later runs (as bench/run).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import pages as bench_pages  # noqa: E402
from bench.park import database_url, personas  # noqa: E402
from bench.runner import servers  # noqa: E402
from bench.runner.apply_pool import COVER_LETTER  # noqa: E402
from bench.runner.browser import form_fields  # noqa: E402

# Flask-WTF checks the Referer of a form posted over https (WTF_CSRF_SSL_STRICT).
HTTPS = {
    "HTTP_X_FORWARDED_PROTO": "https",
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_REFERER": "https://localhost/",
}
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def production_app(url: str):
    os.environ.update(servers.production_environment(url, personas.ENCRYPTION_KEY))
    from foundry import create_app

    return create_app("production")


class HttpsClient(FlaskClient):
    """Requests as the TLS proxy forwards them: the __Host- cookie is Secure, and the
    test client's cookie jar keeps it only for https URLs."""

    def open(self, *args, **kwargs):
        if args and isinstance(args[0], str):
            kwargs.setdefault("base_url", "https://localhost")
        return super().open(*args, **kwargs)


def https_client(app) -> FlaskClient:
    app.test_client_class = HttpsClient
    client = app.test_client()
    client.environ_base.update(HTTPS)
    return client


def signed_in_client(app, email: str, engine, forwarded_for: str = "127.0.0.1"):
    client = https_client(app)
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    token = CSRF_FIELD.search(client.get("/sign-in").get_data(as_text=True)).group(1)
    response = client.post(
        "/sign-in", data={"email": email, "password": personas.PASSWORD, "csrf_token": token}
    )
    if response.status_code != 303:
        raise RuntimeError(f"{email}: sign-in answered {response.status_code}")
    if "/two-factor" in response.headers["Location"]:
        import pyotp

        from bench.runner.sign_in import wait_for_unused_step

        wait_for_unused_step(engine, email)
        page = client.get("/sign-in/two-factor").get_data(as_text=True)
        token = CSRF_FIELD.search(page).group(1)
        response = client.post(
            "/sign-in/two-factor",
            data={"code": pyotp.TOTP(personas.ADMIN_TOTP_SECRET).now(), "csrf_token": token},
        )
        if response.status_code != 303:
            raise RuntimeError(f"{email}: second factor answered {response.status_code}")
    return client


class StatementCounter:
    def __init__(self, engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        self.count += 1


def timed(label: str, call, runs: int, profile_dir: Path | None, counter=None):
    for _ in range(3):  # warm: templates compiled, caches filled
        call(0)
    profiler = None
    if profile_dir is not None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    before_statements = counter.count if counter else 0
    cpu, wall = [], []
    for i in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        call(i + 1)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    statements = (counter.count - before_statements) / runs if counter else 0
    if profiler is not None:
        profiler.stop()
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        profile_dir.mkdir(parents=True, exist_ok=True)
        (profile_dir / f"{slug}.txt").write_text(profiler.output_text(unicode=True, show_all=False))
        (profile_dir / f"{slug}.html").write_text(profiler.output_html())
    return statistics.median(cpu), statistics.median(wall), statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--only", help="pages whose name matches this expression")
    parser.add_argument("-n", "--runs", type=int, default=60)
    parser.add_argument("--profile", type=Path, help="a directory for pyinstrument profiles")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL") or database_url(args.scale)
    servers.empty_redis()
    app = production_app(url)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        targets = personas.targets(connection)
    from foundry.extensions import db

    with app.app_context():
        app_engine = db.engine
    counter = StatementCounter(app_engine)

    os.environ["DATABASE_URL"] = url
    from bench.baseline import app as baseline_app
    from bench.baseline import engine as baseline_engine

    baseline = baseline_app.test_client()
    baseline_counter = StatementCounter(baseline_engine)
    rows = []
    cpu, wall, statements = timed(
        "list", lambda i: baseline.get("/list"), args.runs, args.profile, baseline_counter
    )
    rows.append(("list (baseline)", cpu, wall, statements))

    clients = {}
    emails = {
        "student": personas.STUDENT,
        "recruiter": personas.RECRUITER,
        "dean": personas.DEAN,
        "coordinator": personas.COORDINATOR,
        "park_admin": personas.PARK_ADMIN,
    }
    for page in bench_pages.selected(args.only):
        if page.role == "applicant":
            rows.append((page.name, *time_apply(app, engine, targets, args, counter)))
            continue
        if page.role is None:
            client = https_client(app)
        else:
            if page.role not in clients:
                clients[page.role] = signed_in_client(app, emails[page.role], engine)
            client = clients[page.role]
        path = bench_pages.fill(page.path, targets)
        check = client.get(path)
        text = check.get_data(as_text=True)
        if check.status_code != 200 or not re.search(bench_pages.fill(page.expect, targets), text):
            raise RuntimeError(f"{page.name}: {check.status_code}, expected content missing")

        def get(_i, client=client, path=path):
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        rows.append((page.name, *timed(page.name, get, args.runs, args.profile, counter)))

    print(f"\n{args.runs} requests a page, in-process, scale {args.scale}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'page':32} {'cpu ms':>8} {'wall ms':>8} {'statements':>10}")
    for name, cpu, wall, statements in rows:
        print(f"{name:32} {cpu:8.1f} {wall:8.1f} {statements:10.1f}")


def time_apply(app, engine, targets, args, counter):
    """Each of the first applicants applies once to a posting none has applied to yet."""
    fresh = list(targets["fresh_posting_ids"])
    runs = min(args.runs, len(fresh) - 3, personas.APPLICANT_POOL)
    pairs = []
    for n in range(runs + 3):
        client = signed_in_client(
            app,
            personas.applicant_email(n),
            engine,
            forwarded_for=f"10.78.{n // 250}.{n % 250 + 1}",
        )
        path = f"/postings/{fresh[n]}/apply"
        fields = form_fields(client.get(path).get_data(as_text=True), path)
        body = {"csrf_token": fields["csrf_token"], "cv_choice": fields["cv_choice"]}
        pairs.append((client, path, {**body, "cover_letter": COVER_LETTER}))

    def apply(i):
        client, path, body = pairs[i]
        response = client.post(path, data=body)
        assert response.status_code in (302, 303), response.status_code

    state = {"i": 0}

    def next_apply(_i):
        apply(state["i"])
        state["i"] += 1

    return timed("apply", next_apply, runs, args.profile, counter)


if __name__ == "__main__":
    main()
