"""The registration burst (issue 13): 64 students press "Register" for the same session
at the same moment, as when a popular session opens, and every one must get a legitimate
answer (a seat or a place on the waitlist: a 303 back to the programme page) with the
95th percentile of their waits at most 150 ms.

Each student is another user of the applicant pool, signed in through the form (from an
address of their own, bench/runner/sign_in.py) with their own session cookie and the CSRF
token of the programme page's register form. A burst is a thread per student, held at a
barrier and released together; the timing of each is its POST's, connection included.
Every burst goes to a fresh session of one programme the step makes (bench_programmes.py):
CAPACITY seats, the rest of the 64 on the waitlist, so both paths of `register` are timed.
After each burst the session's rows are counted: exactly CAPACITY seats, the others
waiting, one sequence number each.
"""

from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from bench.park import personas
from bench.runner import bench_programmes
from bench.runner.bench_programmes import SessionPlan
from bench.runner.browser import Browser, form_fields
from bench.runner.dataset import DataSet
from bench.runner.sign_in import applicant_address, sign_in

NAME = "registration burst"
STUDENTS = 64
CAPACITY = 48  # of STUDENTS: 48 seats, 16 on the waitlist
TARGET_P95_MS = 150


@dataclass
class Registrant:
    browser: Browser
    csrf_token: str


def register_path(programme_id: int, session_id: int) -> str:
    return f"/programmes/{programme_id}/sessions/{session_id}/register"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (`share` of 1) of `values`."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


def _signed_in(base_url: str, n: int, programme_id: int, session_id: int) -> Registrant:
    email = personas.applicant_email(n)
    browser = sign_in(base_url, email, personas.PASSWORD, forwarded_for=applicant_address(n))
    page = browser.get(f"/programmes/{programme_id}")
    if page.status_code != 200:
        raise RuntimeError(f"{email}: the programme page answered {page.status_code}")
    fields = form_fields(page.text, register_path(programme_id, session_id))
    return Registrant(browser, fields["csrf_token"])


def _burst(registrants: list[Registrant], path: str) -> list[dict]:
    """Every registrant's POST at once; each one's milliseconds, status and Location."""
    barrier = threading.Barrier(len(registrants))

    def one(registrant: Registrant) -> dict:
        barrier.wait()
        started = time.perf_counter()
        response = registrant.browser.post(path, {"csrf_token": registrant.csrf_token})
        elapsed = (time.perf_counter() - started) * 1000
        return {
            "ms": elapsed,
            "status": response.status_code,
            "location": response.headers.get("Location", ""),
        }

    with ThreadPoolExecutor(len(registrants)) as threads:
        return list(threads.map(one, registrants))


def _counts(data: DataSet, session_id: int) -> dict:
    with data.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT status, count(*), count(DISTINCT sequence) FROM programme_registrations"
                " WHERE session_id = :id GROUP BY status"
            ),
            {"id": session_id},
        ).all()
    return {
        "registered": sum(n for status, n, _d in rows if status == "registered"),
        "waitlisted": sum(n for status, n, _d in rows if status == "waitlisted"),
        "sequences": sum(d for _s, _n, d in rows),
    }


def run(base_url: str, data: DataSet, bursts: int, log=print) -> dict:
    """`bursts` bursts of STUDENTS registrations, each to a fresh session; the figures."""
    starts = bench_programmes.utc_now() + timedelta(days=30)
    programme = bench_programmes.create(
        data.engine,
        "registration burst",
        [
            SessionPlan(starts + timedelta(days=n), 2, CAPACITY, f"Burst {n + 1}")
            for n in range(bursts)
        ],
    )
    try:
        log(f"  {NAME}: signing in {STUDENTS} students of the applicant pool")
        first = programme.session_ids[0]
        # Four at a time: each sign-in hashes a password on the server's two cores.
        with ThreadPoolExecutor(4) as threads:
            registrants = list(
                threads.map(lambda n: _signed_in(base_url, n, programme.id, first), range(STUDENTS))
            )
        answers, per_burst = [], []
        for number, session_id in enumerate(programme.session_ids, 1):
            burst = _burst(registrants, register_path(programme.id, session_id))
            counts = _counts(data, session_id)
            answers += burst
            per_burst.append(_burst_figures(burst, counts))
            log(_line(number, bursts, per_burst[-1]))
    finally:
        bench_programmes.remove(data.engine, programme)
    return _summary(answers, per_burst)


def _wrong(answer: dict) -> bool:
    return answer["status"] != 303 or "/programmes/" not in answer["location"]


def _burst_figures(burst: list[dict], counts: dict) -> dict:
    times = [answer["ms"] for answer in burst]
    expected = {
        "registered": min(CAPACITY, STUDENTS),
        "waitlisted": max(0, STUDENTS - CAPACITY),
        "sequences": STUDENTS,
    }
    return {
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
        "max_ms": max(times),
        "errors": sum(_wrong(answer) for answer in burst),
        "statuses": sorted({answer["status"] for answer in burst}),
        "rows": counts,
        "rows_as_expected": counts == expected,
        "load_average": round(os.getloadavg()[0], 2),
    }


def _summary(answers: list[dict], per_burst: list[dict]) -> dict:
    times = [answer["ms"] for answer in answers]
    errors = sum(_wrong(answer) for answer in answers)
    wrong_rows = sum(not burst["rows_as_expected"] for burst in per_burst)
    p95 = percentile(times, 0.95)
    return {
        "name": NAME,
        "students": STUDENTS,
        "capacity": CAPACITY,
        "bursts": len(per_burst),
        "requests": len(answers),
        "p50_ms": percentile(times, 0.5),
        "p95_ms": p95,
        "p99_ms": percentile(times, 0.99),
        "max_ms": max(times),
        "errors": errors,
        "bursts_with_wrong_rows": wrong_rows,
        "target_p95_ms": TARGET_P95_MS,
        "load_average": round(os.getloadavg()[0], 2),
        "per_burst": per_burst,
        "met": p95 <= TARGET_P95_MS and errors == 0 and wrong_rows == 0,
    }


def _line(number: int, count: int, burst: dict) -> str:
    rows = burst["rows"]
    return (
        f"  {NAME} {number}/{count}: p50 {burst['p50_ms']:.1f}  p95 {burst['p95_ms']:.1f}"
        f"  max {burst['max_ms']:.1f} ms  errors {burst['errors']}"
        f"  seats {rows['registered']}, waitlist {rows['waitlisted']}"
        f"{'' if burst['rows_as_expected'] else ' (WRONG)'}  load {burst['load_average']}"
    )
