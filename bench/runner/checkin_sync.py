"""Check-in sync (issue 13): 1,000 scans queued by the organiser's offline page, posted as
static/js/checkin.js posts them, in under 5 s end to end, and every one recorded.

The step makes a session happening now (its check-in window is around the real clock)
with 1,000 registered students, organised by the recruiter persona's company, whose
recruiter is the organiser at the door. As the page does, the recruiter loads the check-in
page (its CSRF token, in the csrf-token meta tag) and the attendee list it keeps offline
(`/check-in/data`, which gives every seat its ticket). Each student's QR token is the one
their ticket page shows: the same claims signed by foundry.programmes.checkin_tokens with
the server's own key (derived from the SECRET_KEY the run gave the server). The queue is
what the page queues for a scanned QR code: a scan id, the device's client id, the scan's
time and the token; the page sends it in batches of BATCH, one after the other, with the
token in X-CSRFToken. Timed: from the first batch sent to the last answer read. Then the
session's attendances are counted: 1,000.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, timedelta

import sqlalchemy as sa
from flask import Flask

from bench.runner import bench_programmes
from bench.runner.bench_programmes import SessionPlan
from bench.runner.browser import Browser
from bench.runner.dataset import DataSet
from foundry.programmes import checkin_tokens

NAME = "check-in sync"
SCANS = 1_000
BATCH = 200  # static/js/checkin.js: var BATCH = 200
TARGET_SECONDS = 5.0
CSRF_META = 'name="csrf-token" content="'


def _company_id(data: DataSet) -> int:
    return data.count(
        "SELECT id FROM companies WHERE slug = :slug", slug=data.targets["pipeline_company_slug"]
    )


def _students(data: DataSet) -> list[int]:
    with data.engine.connect() as connection:
        return list(
            connection.execute(
                sa.text("SELECT id FROM student_profiles ORDER BY id LIMIT :n"), {"n": SCANS}
            ).scalars()
        )


def signed_tokens(secret_key: str, programme_id: int, session_id: int, people: list) -> list:
    """Each attendee's QR token, as their ticket page signs it with the server's key."""
    app = Flask("bench-check-in-tokens")
    app.config["SECRET_KEY"] = secret_key
    issued = int(time.time())
    with app.app_context():
        return [
            checkin_tokens.sign(
                checkin_tokens.TokenClaims(
                    programme_id, session_id, person["id"], person["version"], issued
                )
            )
            for person in people
        ]


def _queue(tokens: list[str]) -> list[dict]:
    """What the page queues for each scanned code, scanned over the last ten minutes."""
    client_id = str(uuid.uuid4())
    now = bench_programmes.utc_now().replace(tzinfo=UTC)
    step = timedelta(minutes=10) / max(1, len(tokens))
    return [
        {
            "scan_id": str(uuid.uuid4()),
            "client_id": client_id,
            "scanned_at": (now - timedelta(minutes=10) + step * n)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "token": token,
        }
        for n, token in enumerate(tokens)
    ]


def _csrf_token(html: str) -> str:
    start = html.index(CSRF_META) + len(CSRF_META)
    return html[start : html.index('"', start)]


def run(base_url: str, data: DataSet, organiser: Browser, secret_key: str, log=print) -> dict:
    now = bench_programmes.utc_now()
    programme = bench_programmes.create(
        data.engine,
        "check-in sync",
        [SessionPlan(now - timedelta(minutes=30), 3, SCANS, "Door")],
        organiser_company_id=_company_id(data),
    )
    try:
        session_id = programme.session_ids[0]
        bench_programmes.register_students(data.engine, session_id, _students(data))
        page_path = f"/programmes/sessions/{session_id}/check-in"
        started = time.perf_counter()
        page = organiser.get(page_path)
        page_ms = (time.perf_counter() - started) * 1000
        if page.status_code != 200:
            raise RuntimeError(f"{NAME}: {page_path} answered {page.status_code}")
        started = time.perf_counter()
        listed = organiser.get(page_path + "/data")
        data_ms = (time.perf_counter() - started) * 1000
        people = listed.json()["attendees"]
        tokens = signed_tokens(secret_key, programme.id, session_id, people)
        queue = _queue(tokens)
        headers = {
            **organiser.headers(),
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": _csrf_token(page.text),
            "Referer": f"https://{organiser.host}{page_path}",
        }
        results, batches = [], []
        started = time.perf_counter()
        for first in range(0, len(queue), BATCH):
            sent = time.perf_counter()
            answer = organiser.http.post(
                base_url + page_path + "/sync",
                json={"scans": queue[first : first + BATCH]},
                headers=headers,
                allow_redirects=False,
            )
            batches.append(
                {"status": answer.status_code, "ms": (time.perf_counter() - sent) * 1000}
            )
            if answer.status_code == 200:
                results += answer.json()["results"]
        seconds = time.perf_counter() - started
        attended = data.count(
            "SELECT count(*) FROM programme_attendances WHERE session_id = :id", id=session_id
        )
    finally:
        bench_programmes.remove(data.engine, programme)
    figures = _figures(len(queue), results, batches, seconds, attended)
    figures |= {"page_ms": round(page_ms, 1), "data_ms": round(data_ms, 1)}
    log(_line(figures))
    return figures


def _figures(scans: int, results: list, batches: list, seconds: float, attended: int) -> dict:
    checked_in = sum(1 for r in results if r.get("ok") and r.get("status") == "checked_in")
    errors = scans - checked_in + sum(1 for b in batches if b["status"] != 200)
    return {
        "name": NAME,
        "scans": scans,
        "batch": BATCH,
        "batches": batches,
        "seconds": round(seconds, 3),
        "slowest_batch_ms": round(max(b["ms"] for b in batches), 1),
        "checked_in": checked_in,
        "attendances": attended,
        "errors": errors,
        "target_seconds": TARGET_SECONDS,
        "load_average": round(os.getloadavg()[0], 2),
        "met": seconds < TARGET_SECONDS and errors == 0 and attended == scans,
    }


def _line(figures: dict) -> str:
    return (
        f"  {NAME}: {figures['scans']} scans in {len(figures['batches'])} batches,"
        f" {figures['seconds']:.2f} s (slowest batch {figures['slowest_batch_ms']:.0f} ms),"
        f" {figures['checked_in']} checked in, {figures['attendances']} attendances,"
        f" errors {figures['errors']}  load {figures['load_average']}"
    )
