"""What a result was measured on: cores, CPU, memory, kernel, PostgreSQL's version."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import sqlalchemy as sa


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def postgresql_version(engine: sa.Engine) -> str:
    with engine.connect() as connection:
        return connection.execute(sa.text("SHOW server_version")).scalar_one().split()[0]


def describe(engine: sa.Engine) -> str:
    return (
        f"{os.cpu_count()} cores ({_cpu_model()}), {_memory_gib():.0f} GiB, "
        f"Linux {platform.release()}, PostgreSQL {postgresql_version(engine)}, "
        f"Python {platform.python_version()}"
    )
