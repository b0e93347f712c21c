"""One wrk run: its command line, and the JSON line bench/report.lua prints at the end."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPORTER = Path(__file__).resolve().parents[1] / "report.lua"
THREADS = 2  # one per core of the machine the targets are set for
# wrk's own default: a response slower than this is a timeout, counted as an error.
TIMEOUT = "2s"
MARK = "BENCH-JSON "


@dataclass
class Load:
    url: str
    headers: dict[str, str]
    connections: int
    seconds: float
    tuples_file: Path | None = None  # POST mode: a request per line (bench/report.lua)


def command(load: Load) -> list[str]:
    threads = min(THREADS, load.connections)
    line = ["wrk", f"-t{threads}", f"-c{load.connections}", f"-d{load.seconds}s"]
    line += ["--timeout", TIMEOUT, "--latency", "-s", str(REPORTER)]
    for name, value in load.headers.items():
        line += ["-H", f"{name}: {value}"]
    line += [load.url, "--"]
    if load.tuples_file is None:
        return line + ["get"]
    return line + ["post", str(load.tuples_file), str(threads)]


def run(load: Load) -> dict:
    """wrk's figures for `load`, with the 1-minute load average right after it."""
    finished = subprocess.run(
        command(load), capture_output=True, text=True, timeout=load.seconds + 60
    )
    for line in finished.stdout.splitlines():
        if line.startswith(MARK):
            figures = json.loads(line.removeprefix(MARK))
            figures["errors"]["total"] = sum(
                count
                for kind, count in figures["errors"].items()
                # wrk's "status" (above 399) are among report.lua's "unexpected".
                if kind != "status"
            )
            figures["load_average"] = round(os.getloadavg()[0], 2)
            return figures
    raise RuntimeError(f"wrk gave no figures ({finished.returncode}): {finished.stderr.strip()}")
