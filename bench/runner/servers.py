"""The two servers of a run: the real app (wsgi:app, production configuration) and the
bare Flask baseline (bench.baseline:app), both under gunicorn with the same settings
(bench/runner/gunicorn_settings.py: gunicorn.conf.py without its access log), on
loopback, against the same database.

Both run side by side for the whole run and wrk loads one at a time: a sync gunicorn
worker waiting on accept() costs no CPU, and starting a server per round would add its
warm-up (imports, first connections, template compiling) to whichever ran first.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "bench" / "runner" / "gunicorn_settings.py"
# A Redis database of the bench's own (rate limits), emptied before each run.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
# Only links in e-mails and the feed are built on it; nothing connects to it.
PUBLIC_BASE_URL = "https://talentfoundry.bench.invalid"
# Five workers import the app at once: on a shared 2-core machine under load that took
# over a minute.
STARTUP_SECONDS = 180


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path
    environment: dict[str, str] = field(default_factory=dict)  # what the run gave it

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful stop: the master ends its workers
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def production_environment(database_url: str, encryption_key: str) -> dict[str, str]:
    """What config.ProductionConfig requires, for a run on loopback."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "FOUNDRY_ENCRYPTION_KEYS": encryption_key,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        # Production's default is SMTP; nothing here may try to reach a mail server.
        "MAIL_BACKEND": "console",
    }


def empty_redis() -> None:
    redis.Redis.from_url(REDIS_URL).flushdb()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(name: str, wsgi_app: str, environment: dict[str, str], log_dir: Path) -> Server:
    """gunicorn serving `wsgi_app` on a free loopback port, once it answers /healthz."""
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    env = {
        **os.environ,
        **environment,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", str(SETTINGS), wsgi_app]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(name, port, process, log_path, environment)
    try:
        wait_until_healthy(server)
    except BaseException:
        server.stop()  # never leave a server behind (Ctrl-C while waiting too)
        raise
    return server


def wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} stopped at start; see {server.log_path}")
        try:
            if requests.get(server.base_url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or its workers are still importing the app
        time.sleep(0.3)
    raise RuntimeError(f"{server.name} did not answer /healthz in time; see {server.log_path}")


def worker_count(server: Server) -> int:
    """How many workers the server's master runs (its child processes)."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    return len(children.read_text().split()) if children.exists() else 0
