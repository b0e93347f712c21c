"""Benchmark of the placement dashboard at park scale, on PostgreSQL.

    .venv/bin/python bench/dashboard.py            # build the data once, then time
    .venv/bin/python bench/dashboard.py --explain  # ... and EXPLAIN ANALYZE the slowest statement
    .venv/bin/python bench/dashboard.py --indexes before  # raw queries with the indexes before 0005
    .venv/bin/python bench/dashboard.py --rebuild  # throw the data away and build it again
    .venv/bin/python bench/dashboard.py --scale 100k  # on a tenth of the data

It builds (or reuses) the park-scale data set of `--scale` (default 1m: about 1,000,000
applications; bench/park, database foundry_bench_<scale> or BENCH_DATABASE_URL). Then it
times foundry.reports.metrics.dashboard() for the personas' dean (their faculty), the
coordinator (their university) and the park admin (everything), each for 2025/26 against
2024/25, as the portal serves it (from the report summaries): warm runs, the median of
--runs runs. Target: under 300 ms each. Beside them, with fewer runs:

- the same dashboards from the raw rows, which must give the very same figures;
- cohort filters (from the summaries) and a custom range (raw rows, as the portal does);
- what following the summaries adds to a write: an application, a sign-in, a student
  changing programme, each flushed and rolled back, as the portal writes it and without
  the summaries (the hooks paused; a sign-in's audit line alone, not counted).

Not part of the test suite (pytest collects tests/ only).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.park import SCALES, database_url, personas  # noqa: E402
from bench.park.database import counts  # noqa: E402
from bench.park.steps import build  # noqa: E402
from bench.report_indexes import log, set_indexes  # noqa: E402
from bench.write_costs import WRITES, time_writes  # noqa: E402
from foundry import create_app  # noqa: E402
from foundry.accounts.models import User  # noqa: E402
from foundry.extensions import db  # noqa: E402
from foundry.policy import report_scope  # noqa: E402
from foundry.reports.filters import ReportFilter  # noqa: E402
from foundry.reports.metrics import dashboard  # noqa: E402
from foundry.universities.models import StudyLevel  # noqa: E402

YEAR = 2025  # the academic year timed (2025/26), against 2024/25
TARGET_MS = 300
# The viewers: the personas' e-mail addresses (bench/park/personas.py).
VIEWER_EMAILS = (
    ("dean", personas.DEAN),
    ("coordinator", personas.COORDINATOR),
    ("park admin", personas.PARK_ADMIN),
)
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


# --- timing the dashboard ---------------------------------------------------------------


class StatementTimer:
    """Times each statement the engine runs (and keeps its SQL and parameters)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[tuple[float, str, object]] = []
        self._started: float = 0.0

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._before)
        sa.event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._before)
        sa.event.remove(self.engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self._started = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(
            ((time.perf_counter() - self._started) * 1000, statement, parameters)
        )


def backend_cpu_ms(pid: int) -> float | None:
    """CPU time (user + system) the PostgreSQL backend `pid` has used, when the server runs
    on this machine (Linux): unlike wall time, it does not grow with other work's load."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def time_dashboard(name: str, user_id: int, period: ReportFilter, runs: int, summaries: bool):
    """Warm runs of one viewer's dashboard; the median and what each statement took."""
    user = db.session.get(User, user_id)
    scope = report_scope(user)
    result = dashboard(period, scope, summaries)  # warm the caches and the statement cache
    db.session.rollback()
    timings: list[float] = []
    cpu: list[float] = []
    per_statement: list[list[float]] = []
    slowest = None
    for _ in range(runs):
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        backend_before, python_before = backend_cpu_ms(pid), time.process_time()
        with StatementTimer(db.engine) as timer:
            started = time.perf_counter()
            result = dashboard(period, scope, summaries)
            timings.append((time.perf_counter() - started) * 1000)
        backend_after = backend_cpu_ms(pid)
        if backend_before is not None and backend_after is not None:
            python_ms = (time.process_time() - python_before) * 1000
            cpu.append(backend_after - backend_before + python_ms)
        db.session.rollback()
        per_statement.append([ms for ms, _sql, _params in timer.statements])
        top = max(timer.statements, key=lambda s: s[0])
        if slowest is None or top[0] > slowest[0]:
            slowest = top
    return {
        "name": name,
        "scope": scope,
        "dashboard": result,
        "median_ms": statistics.median(timings),
        # Mean (the clock ticks every 10 ms): PostgreSQL backend plus Python, parallel
        # workers not included.
        "cpu_ms": statistics.mean(cpu) if cpu else None,
        "min_ms": min(timings),
        "max_ms": max(timings),
        "statements": len(per_statement[0]),
        "statement_ms": [statistics.median(c) for c in zip(*per_statement, strict=True)],
        "slowest": slowest,
    }


def scope_text(scope) -> str:
    if scope.is_everything:
        return "everything"
    universities = ",".join(str(u) for u in sorted(scope.university_ids or []))
    if scope.faculty_ids is None:
        return f"university {universities}"
    return f"faculty {','.join(str(f) for f in sorted(scope.faculty_ids))}"


def explain(statement: str, parameters) -> None:
    with db.engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters
        ).all()
    for (line,) in plan:
        print("   ", line)


def time_page(app, name: str, user_id: int, runs: int) -> dict:
    """The dashboard page as the viewer gets it (the test client: routing, the filter form,
    dashboard(), the charts and the template), after a demo sign-in."""
    client = app.test_client()
    token = CSRF_META.search(client.get("/demo/sign-in").get_data(as_text=True)).group(1)
    signed_in = client.post("/demo/sign-in", data={"user_id": user_id, "csrf_token": token})
    assert signed_in.status_code == 303, signed_in.status_code
    url = f"/reports/placements?year={YEAR}"
    client.get(url)  # warm
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return {"name": name, "median_ms": statistics.median(timings), "kb": len(response.data) / 1024}


# --- the report ---------------------------------------------------------------------------


def _print_viewers(title: str, results: list[dict]) -> None:
    log(f"\n{title}\n")
    header = (
        f"{'viewer':<24} {'scope':<14} {'active':>7} {'applied':>8} {'interv.':>8} "
        f"{'offered':>8} {'placed':>7} {'rate':>6} {'median d':>9} "
        f"{'ms median':>10} {'min':>6} {'max':>6} {'cpu ms':>7} {'stmts':>6}"
    )
    log(header)
    log("-" * len(header))
    for r in results:
        d = r["dashboard"]
        rate = d.placement_rate.value
        log(
            f"{r['name']:<24} {scope_text(r['scope']):<14} {d.active.value:>7,} "
            f"{d.applied.value:>8,} {d.interviewed.value:>8,} {d.offered.value:>8,} "
            f"{d.placed.value:>7,} {(rate or 0) * 100:>5.1f}% "
            f"{d.median_days_to_placement.value or 0:>9.1f} "
            f"{r['median_ms']:>10.1f} {r['min_ms']:>6.1f} {r['max_ms']:>6.1f} "
            f"{r['cpu_ms'] or 0:>7.0f} {r['statements']:>6}"
        )
    log("median ms per statement (stage counts, median days, breakdowns and months):")
    for r in results:
        log(f"  {r['name']:<24} " + "  ".join(f"{ms:6.1f}" for ms in r["statement_ms"]))


def _prepare(scale: str, url: str, indexes: str, rebuild: bool) -> None:
    """The data set built once (bench/park), with the chosen reports' indexes."""
    build(scale, rebuild)
    set_indexes(url, indexes)
    log("\ndata set:")
    for table, count in counts(url).items():
        log(f"  {table:<20} {count:>10,}")
    log(
        "  applications per academic year: "
        + ", ".join(
            f"{int(year)}/{(int(year) + 1) % 100:02d} {count:,}"
            for year, count in db.session.execute(
                sa.text(
                    "SELECT extract(year FROM submitted_at + interval '8 hours' "
                    "- interval '8 months') AS y, count(*) FROM applications "
                    "GROUP BY y ORDER BY y"
                )
            )
        )
    )


def _viewers() -> tuple[tuple[str, int], ...]:
    return tuple(
        (name, db.session.scalar(sa.select(User.id).where(User.email == email)))
        for name, email in VIEWER_EMAILS
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), default="1m", help="the data set")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the data")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per viewer")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE each viewer's slowest statement"
    )
    parser.add_argument(
        "--indexes",
        choices=("migrated", "before"),
        default="migrated",
        help="time with the migrations' indexes or with those before 0005 (see INDEXES)",
    )
    args = parser.parse_args()
    url = database_url(args.scale)
    few = max(1, args.runs // 3)
    year = ReportFilter.for_academic_year(YEAR)

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "DEMO_SIGN_IN": True})
    with app.app_context():
        _prepare(args.scale, url, args.indexes, args.rebuild)
        viewers = _viewers()
        (_dean, dean), (_coordinator, coordinator), (_admin, admin) = viewers
        served = [time_dashboard(n, u, year, args.runs, True) for n, u in viewers]
        raw = [time_dashboard(n, u, year, few, False) for n, u in viewers]
        cohorts = [
            time_dashboard(
                "park admin, UG",
                admin,
                ReportFilter.for_academic_year(YEAR, study_level=StudyLevel.UG),
                args.runs,
                True,
            ),
            time_dashboard(
                "coordinator, non-local",
                coordinator,
                ReportFilter.for_academic_year(YEAR, non_local=True),
                args.runs,
                True,
            ),
            time_dashboard(
                "dean, class of 2026",
                dean,
                ReportFilter.for_academic_year(YEAR, graduation_year=2026),
                args.runs,
                True,
            ),
        ]
        # The year so far, as the portal serves the current year: the summaries' year
        # beside the raw rows of the same days a year before. (The bench's data runs past
        # these days, so its figures are not the raw rows' of the cut year: timings only.)
        so_far = [
            time_dashboard(
                f"{n}, to {day:%-d %b}",
                u,
                ReportFilter.for_academic_year(YEAR, today=day),
                args.runs,
                True,
            )
            for day in (date(YEAR, 12, 6), date(YEAR + 1, 8, 20))
            for n, u in viewers
        ]
        autumn = ReportFilter.for_days(date(2025, 9, 1), date(2026, 2, 28))
        ranges = [time_dashboard(n, u, autumn, few, False) for n, u in viewers]
        autumn_label = autumn.label  # formatted in the app's locale: in its context
        writes = time_writes()
    pages = [time_page(app, n, u, args.runs) for n, u in viewers]

    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    log(
        f"\nload average {load} on {os.cpu_count()} CPUs; {args.indexes} indexes; "
        f"target < {TARGET_MS} ms"
    )
    _print_viewers(
        f"dashboard() for {YEAR}/{(YEAR + 1) % 100:02d} against the year before, as served "
        f"(report summaries), {args.runs} warm runs each:",
        served,
    )
    _print_viewers(f"the same from the raw rows, {few} runs each:", raw)
    same = all(s["dashboard"] == r["dashboard"] for s, r in zip(served, raw, strict=True))
    log(f"figures from the summaries and from the raw rows identical: {'yes' if same else 'NO'}")
    _print_viewers(f"cohort filters (report summaries), {args.runs} runs each:", cohorts)
    _print_viewers(
        "the year so far against the same days of the year before (summaries + raw rows "
        f"of those days), {args.runs} runs each:",
        so_far,
    )
    _print_viewers(
        f"custom range {autumn_label} against the range before (raw rows), {few} runs each:",
        ranges,
    )
    log(f"\nthe page /reports/placements?year={YEAR}, whole response, {args.runs} runs each:")
    for page in pages:
        log(f"  {page['name']:<18} {page['median_ms']:6.1f} ms  ({page['kb']:.0f} KB of HTML)")
    log(
        f"\na write and its flush, median of {WRITES} (ms): as the portal writes it / "
        "without the summaries"
    )
    for kind, (following, bare) in writes.items():
        log(f"  {kind:<18} {following:6.1f} / {bare:6.1f}")

    timed = served + cohorts + so_far + pages
    verdict = same and all(r["median_ms"] < TARGET_MS for r in timed)
    if verdict:
        log(
            f"\nPASS: every academic-year dashboard and page under {TARGET_MS} ms, "
            "same figures as raw"
        )
    else:
        log(f"\nFAIL: slower than {TARGET_MS} ms, or figures that differ from the raw rows")

    if args.explain:
        for r in served + ranges:
            ms, statement, parameters = r["slowest"]
            log(f"\nslowest statement for the {r['name']} ({ms:.1f} ms):")
            with app.app_context():
                explain(statement, parameters)
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
