"""What one request of each programme page costs at park scale, in-process: statements,
wall and CPU milliseconds (median of --runs warm requests), and, with --profile, where the
time goes (pyinstrument, `.venv/bin/pip install pyinstrument`).

    BENCH_DATABASE_URL=... .venv/bin/python bench/profile_programmes.py --scale 100k
    .venv/bin/python bench/profile_programmes.py --only fair --profile /tmp/fair.txt
    .venv/bin/python bench/profile_programmes.py --only register --runs 40

The app is the production configuration (wsgi:app's), on the bench database and the
bench's Redis, served by Flask's test client over "https" (the Secure session cookie);
the persona student signs in through the form. "register" registers a fresh applicant of
the pool per run for one session of a programme made for it (deleted at the end), as the
registration burst of bench/run does, one at a time: the cost of the request alone,
without the wait for the session's lock that 64 at once add.

CPU is this process's (Python: routing, ORM, templates); the database's own work is in
the wall time. Other work on the machine inflates the wall time, much less the CPU time.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from datetime import timedelta
from pathlib import Path
from statistics import median

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import park  # noqa: E402
from bench.park import personas  # noqa: E402
from bench.runner import bench_programmes, servers  # noqa: E402
from bench.runner.bench_programmes import SessionPlan  # noqa: E402

HTTPS = "https://localhost"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="100k", choices=list(park.SCALES))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", help="the pages whose name matches (regular expression)")
    parser.add_argument("--profile", type=Path, help="write pyinstrument's text here")
    return parser.parse_args()


class Statements:
    """How many statements the app's engine has run."""

    def __init__(self, engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._one)

    def _one(self, *_args):
        self.count += 1


class Client:
    """The test client as one signed-in user over https."""

    def __init__(self, app, forwarded_for: str = "127.0.0.1"):
        self.http = app.test_client()
        self.headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": forwarded_for}

    def get(self, path):
        return self.http.get(path, base_url=HTTPS, headers=self.headers)

    def post(self, path, data):
        headers = {**self.headers, "Referer": HTTPS + path}
        return self.http.post(path, base_url=HTTPS, data=data, headers=headers)

    def sign_in(self, email: str) -> None:
        token = TOKEN.search(self.get("/sign-in").get_data(as_text=True))[1]
        answer = self.post(
            "/sign-in", {"csrf_token": token, "email": email, "password": personas.PASSWORD}
        )
        if answer.status_code != 303:
            raise RuntimeError(f"{email}: sign-in answered {answer.status_code}")


def timed(counter: Statements, request, runs: int, profile: Path | None, name: str) -> dict:
    request()  # warm: templates compiled, connections open
    walls, cpus, statements = [], [], []
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    for n in range(runs):
        before, wall, cpu = counter.count, time.perf_counter(), time.process_time()
        response = request(n)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        statements.append(counter.count - before)
        if response.status_code not in (200, 303):
            raise RuntimeError(f"{name}: {response.status_code}")
    if profiler:
        profiler.stop()
        with profile.open("a") as out:
            out.write(f"\n===== {name} =====\n")
            # PROFILE_ALL=1: every frame, the libraries' too.
            every = bool(os.environ.get("PROFILE_ALL"))
            out.write(profiler.output_text(unicode=True, color=False, show_all=every))
    return {
        "wall_ms": median(walls),
        "cpu_ms": median(cpus),
        "statements": max(statements),
    }


def main() -> None:
    opts = options()
    url = park.database_url(opts.scale)
    environment = servers.production_environment(url, personas.ENCRYPTION_KEY)
    os.environ.update(environment)
    from foundry import create_app
    from foundry.extensions import db

    app = create_app("production")
    raw = sa.create_engine(url).raw_connection()
    try:
        targets = personas.targets(raw.driver_connection)
    finally:
        raw.close()
    wanted = re.compile(opts.only or ".", re.IGNORECASE)
    if opts.profile:
        opts.profile.write_text("")
    with app.app_context():
        counter = Statements(db.engine)
    student = Client(app)
    student.sign_in(personas.STUDENT)
    pages = {
        "programme list": "/programmes",
        "programme page": f"/programmes/{targets['programme_id']}",
        "career day page": f"/programmes/{targets['career_day_id']}",
        "fair page": f"/programmes/{targets['career_day_id']}/fair",
        "my programmes": "/me/programmes",
    }
    print(
        f"{'page':<18} {'statements':>10} {'wall ms':>8} {'cpu ms':>7}  load {os.getloadavg()[0]}"
    )
    for name, path in pages.items():
        if wanted.search(name):
            figures = timed(
                counter, lambda _n=0, p=path: student.get(p), opts.runs, opts.profile, name
            )
            _print(name, figures)
    if wanted.search("register"):
        _print("register", _register(app, counter, url, opts))


def _register(app, counter: Statements, url: str, opts) -> dict:
    """A fresh applicant of the pool registers for one session, per run."""
    bench_engine = sa.create_engine(url)
    programme = bench_programmes.create(
        bench_engine,
        "profile register",
        [SessionPlan(bench_programmes.utc_now() + timedelta(days=30), 2, opts.runs // 2)],
    )
    session_id = programme.session_ids[0]
    path = f"/programmes/{programme.id}/sessions/{session_id}/register"
    try:
        clients = []
        for n in range(opts.runs + 1):
            client = Client(app, forwarded_for=f"10.78.{n // 250}.{n % 250 + 1}")
            client.sign_in(personas.applicant_email(n))
            page = client.get(f"/programmes/{programme.id}").get_data(as_text=True)
            clients.append((client, TOKEN.search(page)[1]))

        def register(n=opts.runs):
            client, token = clients[n]
            return client.post(path, {"csrf_token": token})

        return timed(counter, register, opts.runs, opts.profile, "register")
    finally:
        bench_programmes.remove(bench_engine, programme)


def _print(name: str, figures: dict) -> None:
    print(
        f"{name:<18} {figures['statements']:>10} {figures['wall_ms']:>8.1f}"
        f" {figures['cpu_ms']:>7.1f}"
    )


if __name__ == "__main__":
    main()
