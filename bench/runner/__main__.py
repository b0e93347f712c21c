"""bench/run: the portal under load against the bare stack in the same run (issue 12).

    bench/run                          # 1m data set, 3 rounds × 10 s per endpoint, 16 connections
    bench/run --scale 10k --rounds 3 --duration 5
    bench/run --stress                 # ... and every endpoint once at 64 connections
    bench/run --growth                 # one client's latency at 10k, 100k and 1m
    bench/run --only 'search|apply'    # a subset of bench/pages.py
    bench/run --only 'registration|check-in'   # the programme write steps alone (issue 13)

Writes <out>/<timestamp>.json (every figure) and <out>/latest.md (the table).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import park
from bench.pages import selected
from bench.runner import (
    bench_programmes,
    checkin_sync,
    dataset,
    growth,
    machine,
    portal,
    registration_burst,
    rounds,
    servers,
    summary,
    wrk,
)
from bench.runner.endpoints import baseline_endpoints
from bench.runner.rounds import STRESS_CONNECTIONS

DEFAULT_OUT = servers.ROOT / "bench" / "results"


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=dataset.SCALES, default="1m")
    parser.add_argument(
        "--programmes-at",
        choices=dataset.SCALES,
        help="a data set whose programmes are sized as at this scale (bench.park --programmes-at)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint per round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--stress", action="store_true", help=f"add a pass at {STRESS_CONNECTIONS}")
    parser.add_argument("--growth", action="store_true", help="latency at 10k, 100k and 1m")
    parser.add_argument(
        "--growth-scales", default=",".join(dataset.SCALES), help="the scales of --growth"
    )
    parser.add_argument("--only", metavar="REGEX", help="the pages whose name matches")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(message, flush=True)


def answered_303(endpoints, raw: list[dict], stress_raw: dict) -> int:
    """The applies that answered 303 (a new application): wrk's and the checks' (one
    before each load)."""
    runs = [
        run
        for endpoint in endpoints
        if endpoint.pool is not None
        for run in [*(round_[endpoint.name] for round_ in raw), stress_raw.get(endpoint.name)]
        if run and "broken" not in run
    ]
    return sum(run["requests"] - run["errors"]["unexpected"] + 1 for run in runs)


def selected_steps(pattern: str | None) -> list[str]:
    """The write steps of issue 13 whose name matches `pattern` (all without one)."""
    names = [registration_burst.NAME, checkin_sync.NAME]
    if not pattern:
        return names
    wanted = re.compile(pattern, re.IGNORECASE)
    return [name for name in names if wanted.search(name)]


def programme_writes(opts, steps: list[str], running: dict, data, log) -> dict:
    """The registration burst and the check-in sync, each on programmes of its own made
    for it and deleted after it (bench_programmes.py)."""
    base_url = running["app"].base_url
    removed = bench_programmes.remove_leftovers(data.engine)
    if removed:
        log(f"removed {removed} programme(s) a stopped run had left")
    figures = {}
    if registration_burst.NAME in steps:
        figures["registration"] = registration_burst.run(base_url, data, max(1, opts.rounds), log)
    if checkin_sync.NAME in steps:
        organiser = portal.sign_in_persona("recruiter", base_url, data)
        secret_key = running["app"].environment["SECRET_KEY"]
        figures["check_in"] = checkin_sync.run(base_url, data, organiser, secret_key, log)
    return figures


def main(argv: list[str] | None = None) -> int:
    opts = options(argv)
    command = "bench/run " + shlex.join(sys.argv[1:] if argv is None else argv)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    pages = selected(opts.only)
    steps = selected_steps(opts.only)
    if opts.growth:
        return growth.run(opts, pages, command, stamp, log)
    data = dataset.prepare(opts.scale, log, opts.programmes_at)
    fresh = list(data.targets["fresh_posting_ids"])
    applications_on_fresh = "SELECT count(*) FROM applications WHERE posting_id = ANY(:ids)"
    with portal.served(data, opts.out / "logs") as running:
        endpoints = portal.endpoints(pages, running["app"].base_url, data, log)
        baseline = baseline_endpoints(running["baseline"].base_url)
        written_before = data.count(applications_on_fresh, ids=fresh)
        raw, stress_raw = [], {}
        if endpoints:
            log(f"{opts.rounds} rounds, {opts.duration} s per endpoint, {opts.connections} conn.")
            raw = rounds.rounds(
                baseline, endpoints, opts.rounds, opts.connections, opts.duration, log
            )
        if opts.stress and endpoints:
            stress_raw = rounds.stress([*baseline.values(), *endpoints], opts.duration, log)
        written = data.count(applications_on_fresh, ids=fresh) - written_before
        writes = programme_writes(opts, steps, running, data, log)
        workers = servers.worker_count(running["app"])
    everything = [baseline["list"], baseline["hello"], *endpoints] if endpoints else []
    rows = [summary.summarise(endpoint, raw) for endpoint in everything]
    stress_rows = [summary.stress_row(e, stress_raw[e.name]) for e in everything if stress_raw]
    meta = {
        "command": command,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "scale": park.marker_scale(opts.scale, opts.programmes_at),
        "database": data.url.rsplit("/", 1)[-1],
        "rounds": opts.rounds,
        "duration_s": opts.duration,
        "connections": opts.connections,
        "stress_connections": STRESS_CONNECTIONS,
        "wrk_threads": wrk.THREADS,
        "workers": workers,
        "threads": int(os.environ.get("GUNICORN_THREADS", "1")),
        "machine": machine.describe(data.engine),
        "applications_written": written,
        "applies_answered_303": answered_303(endpoints, raw, stress_raw),
        "targets": {k: v for k, v in data.targets.items() if k != "fresh_posting_ids"},
    }
    table = summary.markdown(meta, rows, stress_rows) + summary.writes_markdown(writes)
    document = {"meta": meta, "summary": rows, "stress": stress_rows, "rounds": raw}
    document["programme_writes"] = writes
    document["stress_raw"] = stress_raw
    json_path, latest = summary.write(opts.out, stamp, document, table)
    log("\n" + table)
    log(
        f"applications written by the apply runs: {written}; answered 303 as wrk and the checks"
        f" counted: {meta['applies_answered_303']} (requests still in flight when wrk stops"
        " are written but not counted)"
    )
    log(f"written: {json_path} and {latest}")
    missed = [row["name"] for row in rows if row["met"] is False]
    missed += [row["name"] + " (stress)" for row in stress_rows if row["met"] is False]
    missed += [step["name"] for step in writes.values() if not step["met"]]
    if missed:
        log("missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
