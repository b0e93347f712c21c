"""bench/run --growth: the same pages at 10k, 100k and 1m applications, each timed by one
client (no queueing: the latency is the page's own), to show whether it grows with the
data. A page whose p95 at the largest scale is over twice its p95 at the smallest is
marked "grows"; the baseline's `list` is timed too, as the floor at each scale."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bench.runner import dataset, machine, portal
from bench.runner.endpoints import baseline_endpoints
from bench.runner.rounds import measure

GROWS = 2.0  # p95 at the largest scale over p95 at the smallest


def run(opts, pages, command: str, stamp: str, log) -> int:
    scales = [scale.strip() for scale in opts.growth_scales.split(",") if scale.strip()]
    figures: dict[str, dict[str, dict]] = {}  # page -> scale -> wrk's figures
    description = ""
    for scale in scales:
        data = dataset.prepare(scale, log)
        description = description or machine.describe(data.engine)
        with portal.served(data, opts.out / "logs") as running:
            endpoints = [
                baseline_endpoints(running["baseline"].base_url)["list"],
                *portal.endpoints(pages, running["app"].base_url, data, log),
            ]
            for endpoint in endpoints:
                result = measure(endpoint, connections=1, seconds=opts.duration)
                figures.setdefault(endpoint.name, {})[scale] = result
                if "broken" in result:
                    log(f"  {scale:>5} {endpoint.name:<34} BROKEN: {result['broken']}")
                    continue
                log(
                    f"  {scale:>5} {endpoint.name:<34} p50 {result['p50_ms']:>7.1f}"
                    f"  p95 {result['p95_ms']:>7.1f} ms  errors {result['errors']['total']}"
                )
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    table = markdown(figures, scales, command, date, description, opts.duration)
    opts.out.mkdir(parents=True, exist_ok=True)
    document = {"command": command, "date": date, "machine": description, "figures": figures}
    json_path = opts.out / f"growth-{stamp}.json"
    json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    (opts.out / "latest-growth.md").write_text(table)
    log("\n" + table)
    log(f"written: {json_path} and {opts.out / 'latest-growth.md'}")
    return 0


def markdown(figures, scales, command, date, description, seconds) -> str:
    first, last = scales[0], scales[-1]
    header = " | ".join(f"{scale} p50 | {scale} p95" for scale in scales)
    lines = [
        f"`{command}` — {date}; one client, {seconds} s per page and scale. "
        f"Machine: {description}.",
        "",
        f"| page | {header} | p95 {last} ÷ {first} | |",
        "|---|" + "--:|--:|" * len(scales) + "--:|---|",
    ]
    for name, by_scale in figures.items():
        timed = {scale: run for scale, run in by_scale.items() if "broken" not in run}
        cells = " | ".join(
            f"{timed[s]['p50_ms']:.1f} | {timed[s]['p95_ms']:.1f}" if s in timed else "broken | –"
            for s in scales
        )
        if first in timed and last in timed:
            growth = timed[last]["p95_ms"] / timed[first]["p95_ms"]
            ratio, mark = f"{growth:.2f}", "grows" if growth > GROWS else "flat"
        else:
            ratio, mark = "–", "broken"
        errors = sum(run["errors"]["total"] for run in timed.values())
        if errors:
            mark += f", {errors} errors"
        lines.append(f"| {name} | {cells} | {ratio} | {mark} |")
    lines += ["", "Latencies in milliseconds (wrk, one connection)."]
    return "\n".join(lines) + "\n"
