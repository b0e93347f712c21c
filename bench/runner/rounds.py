"""Loading the endpoints: rounds in which the baseline's `list` and `hello` and every page
take turns, so that each page is compared with `list` measured minutes (not an hour)
apart, under the same neighbours on a shared machine; and the stress pass at 64
connections."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.runner import wrk
from bench.runner.endpoints import CheckFailed, Endpoint

STRESS_CONNECTIONS = 64
# More applies a second than a 2-core machine could write: a run is given this many a second.
MAX_APPLIES_PER_SECOND = 500


def measure(endpoint: Endpoint, connections: int, seconds: float) -> dict:
    """Check the endpoint with one client, then load it with wrk; wrk's figures, or
    {"broken": why} when the check fails (the run goes on with the other endpoints)."""
    try:
        endpoint.check()
    except CheckFailed as failure:
        return {"broken": str(failure)}
    load = wrk.Load(endpoint.url, endpoint.headers, connections, seconds)
    if endpoint.pool is None:
        return wrk.run(load)
    with tempfile.TemporaryDirectory(prefix="bench-apply-") as folder:
        limit = int(MAX_APPLIES_PER_SECOND * seconds) + connections
        load.tuples_file = endpoint.pool.write(Path(folder) / "applies.tsv", limit)
        figures = wrk.run(load)
    endpoint.pool.take_used(figures["used"])
    if len(endpoint.pool.left) < connections:
        raise RuntimeError("the apply pool ran out: more fresh postings are needed")
    return figures


def rounds(
    baseline: dict[str, Endpoint],
    pages: list[Endpoint],
    count: int,
    connections: int,
    seconds: float,
    log=print,
) -> list[dict[str, dict]]:
    """`count` rounds; in each, `list` first (the yardstick), then `hello`, then the pages.
    Returns each round's figures by endpoint name."""
    results = []
    for number in range(1, count + 1):
        figures: dict[str, dict] = {}
        for endpoint in [baseline["list"], baseline["hello"], *pages]:
            figures[endpoint.name] = measure(endpoint, connections, seconds)
            log(_line(f"round {number}/{count}", endpoint, figures[endpoint.name]))
            if "broken" in figures["list"]:
                raise RuntimeError("the baseline's list is broken: " + figures["list"]["broken"])
        results.append(figures)
    return results


def stress(endpoints: list[Endpoint], seconds: float, log=print) -> dict[str, dict]:
    """Every endpoint once at 64 connections: any error or timeout is a failure."""
    figures = {}
    for endpoint in endpoints:
        figures[endpoint.name] = measure(endpoint, STRESS_CONNECTIONS, seconds)
        log(_line(f"stress at {STRESS_CONNECTIONS}", endpoint, figures[endpoint.name]))
    return figures


def _line(stage: str, endpoint: Endpoint, figures: dict) -> str:
    if "broken" in figures:
        return f"  {stage:<14} {endpoint.name:<34} BROKEN, not timed: {figures['broken']}"
    return (
        f"  {stage:<14} {endpoint.name:<34} {figures['rps']:>8.1f} req/s"
        f"  p50 {figures['p50_ms']:>7.1f}  p95 {figures['p95_ms']:>7.1f} ms"
        f"  errors {figures['errors']['total']}  load {figures['load_average']}"
        + (f"  wrong statuses {figures['wrong_statuses']}" if figures["wrong_statuses"] else "")
    )
