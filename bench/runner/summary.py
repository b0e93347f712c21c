"""From the rounds' raw figures to the report: each page's throughput as the median of its
ratio to `list` in the same round, its median latencies, its errors, and the verdict
against the page's target; as a Markdown table and as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from statistics import median

from bench.runner.endpoints import Endpoint


def summarise(endpoint: Endpoint, rounds: list[dict[str, dict]]) -> dict:
    page = endpoint.page
    row = {
        "name": endpoint.name,
        "role": endpoint.role,
        "target": page.target if page else None,
        "target_p95_ms": page.target_p95_ms if page else None,
    }
    timed = [round_ for round_ in rounds if "broken" not in round_[endpoint.name]]
    if len(timed) < len(rounds):
        # A round whose one-client check failed is not timed: say so, even if others were.
        row["broken"] = next(r[endpoint.name]["broken"] for r in rounds if r not in timed)
    if not timed:
        row["met"] = False
        return row
    runs = [round_[endpoint.name] for round_ in timed]
    ratios = [run["rps"] / round_["list"]["rps"] for run, round_ in zip(runs, timed, strict=True)]
    row |= {
        "rps": median(run["rps"] for run in runs),
        "ratio_to_list": median(ratios),
        "p50_ms": median(run["p50_ms"] for run in runs),
        "p95_ms": median(run["p95_ms"] for run in runs),
        "p99_ms": median(run["p99_ms"] for run in runs),
        "errors": sum(run["errors"]["total"] for run in runs),
        "timeouts": sum(run["errors"]["timeout"] for run in runs),
        "load_average": median(run["load_average"] for run in runs),
    }
    row["met"] = False if "broken" in row else verdict(row)
    return row


def verdict(row: dict) -> bool | None:
    """True or False against the page's target (None when it has none); errors fail."""
    checks = []
    if row["target"] is not None:
        checks.append(row["ratio_to_list"] >= row["target"])
    if row["target_p95_ms"] is not None:
        checks.append(row["p95_ms"] <= row["target_p95_ms"])
    if not checks:
        return None if row["errors"] == 0 else False
    return all(checks) and row["errors"] == 0


def stress_row(endpoint: Endpoint, run: dict) -> dict:
    if "broken" in run:
        return {"name": endpoint.name, "broken": run["broken"], "met": False}
    return {
        "name": endpoint.name,
        "rps": run["rps"],
        "p95_ms": run["p95_ms"],
        "p99_ms": run["p99_ms"],
        "errors": run["errors"]["total"],
        "timeouts": run["errors"]["timeout"],
        "met": run["errors"]["total"] == 0,
    }


def _target_text(row: dict) -> str:
    parts = []
    if row["target"] is not None:
        parts.append(f"≥ {row['target']:.2f}")
    if row["target_p95_ms"] is not None:
        parts.append(f"p95 ≤ {row['target_p95_ms']:.0f} ms")
    return ", ".join(parts) or "–"


def _verdict_text(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "–"}[met]


def markdown(meta: dict, rows: list[dict], stress: list[dict] | None) -> str:
    lines = [
        f"`{meta['command']}` — {meta['date']}, data set {meta['scale']}, "
        f"{meta['rounds']} rounds × {meta['duration_s']} s per endpoint, "
        f"{meta['connections']} connections, wrk {meta['wrk_threads']} threads; gunicorn "
        f"{meta['workers']} sync workers × {meta['threads']} thread for the app and the baseline.",
        "",
        f"Machine: {meta['machine']}.",
    ]
    if not rows:  # --only chose the write steps alone
        return "\n".join(lines) + "\n"
    lines += [
        "",
        "| page | as | req/s | × list | target | p50 ms | p95 ms | p99 ms | errors | load | |",
        "|---|---|--:|--:|---|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        if "rps" not in row:
            lines.append(f"| {row['name']} | {row['role']} | broken: {row['broken']} |")
            continue
        lines.append(
            f"| {row['name']} | {row['role']} | {row['rps']:.0f} | {row['ratio_to_list']:.2f} "
            f"| {_target_text(row)} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
            f"| {row['p99_ms']:.1f} | {row['errors']} | {row['load_average']:.1f} "
            f"| {_verdict_text(row['met'])} |"
        )
    lines += [
        "",
        "× list: the page's requests per second over the baseline's `list` in the same round, "
        "median of the rounds; latencies are medians of the rounds; load: the 1-minute load "
        "average after each run (median).",
    ]
    if stress:
        lines += [
            "",
            f"Stress, {meta['stress_connections']} connections (every endpoint once):",
            "",
            "| page | req/s | p95 ms | p99 ms | errors | of which timeouts | |",
            "|---|--:|--:|--:|--:|--:|---|",
        ]
        for row in stress:
            if "broken" in row:
                lines.append(f"| {row['name']} | broken: {row['broken']} |")
                continue
            lines.append(
                f"| {row['name']} | {row['rps']:.0f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} "
                f"| {row['errors']} | {row['timeouts']} | {_verdict_text(row['met'])} |"
            )
    return "\n".join(lines) + "\n"


def writes_markdown(writes: dict) -> str:
    """The programme write steps of issue 13 (registration burst, check-in sync)."""
    lines = []
    burst = writes.get("registration")
    if burst:
        lines += [
            "",
            f"Registration burst: {burst['students']} signed-in students register for one "
            f"session at the same moment ({burst['capacity']} seats, the rest on the "
            f"waitlist), {burst['bursts']} bursts, each to a fresh session:",
            "",
            "| requests | p50 ms | p95 ms | p99 ms | max ms | errors | wrong counts | target | "
            "load | |",
            "|--:|--:|--:|--:|--:|--:|--:|---|--:|---|",
            f"| {burst['requests']} | {burst['p50_ms']:.1f} | {burst['p95_ms']:.1f} "
            f"| {burst['p99_ms']:.1f} | {burst['max_ms']:.1f} | {burst['errors']} "
            f"| {burst['bursts_with_wrong_rows']} | p95 ≤ {burst['target_p95_ms']} ms, no error "
            f"| {burst['load_average']:.1f} | {_verdict_text(burst['met'])} |",
        ]
    sync = writes.get("check_in")
    if sync:
        batches = ", ".join(f"{b['ms']:.0f}" for b in sync["batches"])
        lines += [
            "",
            f"Check-in sync: {sync['scans']:,} queued scans (signed QR tokens) posted as the "
            f"organiser's offline page posts them, {len(sync['batches'])} batches of "
            f"{sync['batch']} one after the other:",
            "",
            "| seconds | batches, ms | checked in | attendances | errors | target | load | |",
            "|--:|---|--:|--:|--:|---|--:|---|",
            f"| {sync['seconds']:.2f} | {batches} | {sync['checked_in']} | {sync['attendances']} "
            f"| {sync['errors']} | < {sync['target_seconds']:.0f} s, all recorded "
            f"| {sync['load_average']:.1f} | {_verdict_text(sync['met'])} |",
        ]
    return "\n".join(lines) + ("\n" if lines else "")


def write(out: Path, stamp: str, document: dict, table: str) -> tuple[Path, Path]:
    """bench/results/<stamp>.json (everything) and latest.md (the table)."""
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"{stamp}.json"
    json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    latest = out / "latest.md"
    latest.write_text(table)
    return json_path, latest
