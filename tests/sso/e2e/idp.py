"""The local OpenID providers (tests/oidc_provider/server.mjs) as a process the tests drive:
installed with `npm ci` when needed, started on a free loopback port, restarted with a new
client secret or new signing keys, and given accounts whose claims tests change at will.

Used by tests/sso/e2e (through the Flask test client) and tests/browser/test_sso.py (through
Chromium)."""

from __future__ import annotations

import fcntl
import json
import os
import re
import selectors
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PROVIDER_DIR = Path(__file__).resolve().parents[2] / "oidc_provider"
SERVER = PROVIDER_DIR / "server.mjs"
LOCKFILE = PROVIDER_DIR / "package-lock.json"
INSTALLED_STAMP = PROVIDER_DIR / "node_modules" / ".package-lock.json"
MIN_NODE_MAJOR = 20
START_TIMEOUT_SECONDS = 30
INSTALL_TIMEOUT_SECONDS = 300
# Short lifetimes: a test that waits for one to pass does not wait long.
TEST_TTL = {
    "AuthorizationCode": 30,
    "IdToken": 120,
    "AccessToken": 120,
    "Interaction": 120,
    "Session": 120,
    "Grant": 120,
}


def require_node() -> str:
    """The path of node (20+), or skip the caller; in CI (CI=true) a missing node fails."""
    node, npm = shutil.which("node"), shutil.which("npm")
    problem = None
    if not node or not npm:
        problem = "Node.js and npm are not installed"
    else:
        version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
        match = re.match(r"v(\d+)\.", version.strip())
        if not match or int(match.group(1)) < MIN_NODE_MAJOR:
            problem = f"Node.js {MIN_NODE_MAJOR}+ is needed, found {version.strip() or '?'}"
    if problem is None:
        return node
    message = f"{problem}: the SSO tests run a real OpenID provider (npm oidc-provider)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}. CI must run them: install nodejs and npm.", pytrace=False)
    pytest.skip(f"{message}; apt-get install nodejs npm to run them.")


def _installed() -> bool:
    return INSTALLED_STAMP.is_file() and INSTALLED_STAMP.stat().st_mtime >= LOCKFILE.stat().st_mtime


def ensure_installed() -> None:
    """`npm ci` into tests/oidc_provider unless node_modules matches the lock file. A file
    lock makes pytest-xdist workers wait for the one that installs."""
    if _installed():
        return
    with open(PROVIDER_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _installed():
                return
            result = subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=PROVIDER_DIR,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT_SECONDS,
            )
            if result.returncode != 0:
                pytest.fail(
                    f"npm ci in {PROVIDER_DIR} failed:\n{result.stdout}\n{result.stderr}",
                    pytrace=False,
                )
            INSTALLED_STAMP.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass
class IdpClient:
    """Our client at one university's IdP, served under /<path> of the IdP process."""

    path: str
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    # Claims this IdP sends only from userinfo (never in the ID token).
    userinfo_only: list[str] = field(default_factory=list)

    def as_config(self) -> dict:
        return {
            "code": self.path,
            "name": f"{self.path.upper()} test IdP",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": self.redirect_uris,
            "userinfo_only": self.userinfo_only,
        }


class LocalIdP:
    """One node process serving the IdP of each university in `clients`, on one port.

    The port is kept across restarts, so the issuer URLs (stored in the app's connections)
    stay valid. Accounts live in a JSON file the IdP reads at every sign-in."""

    def __init__(self, workdir: Path, clients: list[IdpClient], accounts: dict | None = None):
        self.node = require_node()
        ensure_installed()
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.clients = {client.path: client for client in clients}
        self.accounts: dict[str, dict] = dict(accounts or {})
        self.kid = "test-key-1"
        self.port = 0
        self.issuers: dict[str, str] = {}
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / "idp.log"
        self._write_accounts()

    # --- the process ---------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.workdir / "config.json"

    @property
    def keys_path(self) -> Path:
        return self.workdir / "keys.json"

    def start(self) -> LocalIdP:
        self.config_path.write_text(
            json.dumps(
                {
                    "host": "127.0.0.1",
                    "port": self.port,
                    "accounts": "accounts.json",
                    "keys": self.keys_path.name,
                    "kid": self.kid,
                    "ttl": TEST_TTL,
                    "universities": [client.as_config() for client in self.clients.values()],
                }
            )
        )
        log = open(self.log_path, "a")  # noqa: SIM115 (the child keeps it; closed on stop)
        self.process = subprocess.Popen(
            [self.node, str(SERVER), "--config", str(self.config_path), "--exit-with-stdin"],
            cwd=PROVIDER_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        log.close()
        self.issuers = self._wait_until_ready()
        self.port = int(next(iter(self.issuers.values())).split(":")[2].split("/")[0])
        return self

    def _wait_until_ready(self) -> dict[str, str]:
        assert self.process is not None and self.process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not selector.select(timeout=deadline - time.monotonic()):
                    break
                line = self.process.stdout.readline()
                if not line:  # the process ended
                    break
                if line.startswith("READY "):
                    return json.loads(line[len("READY ") :])
        self.stop()
        raise RuntimeError(f"the local IdP did not start:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the IdP (tests use this to see the portal cope with an IdP that is down)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe:
                pipe.close()
        self.process = None

    def restart(self, *, new_keys: bool = False, same_kid: bool = True) -> LocalIdP:
        """Start the IdP again on the same port; with `new_keys`, it signs with fresh RSA
        keys, under the same kid unless `same_kid` is False."""
        self.stop()
        if new_keys:
            self.keys_path.unlink(missing_ok=True)
            if not same_kid:
                serial = int(self.kid.rsplit("-", 1)[1]) + 1
                self.kid = f"test-key-{serial}"
        return self.start()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    # --- what tests change -----------------------------------------------------------------

    def issuer(self, path: str) -> str:
        return self.issuers[path]

    def client(self, path: str) -> IdpClient:
        return self.clients[path]

    def rotate_client_secret(self, path: str, new_secret: str) -> None:
        """The IdP now knows our client at `path` by `new_secret` only (restarts it)."""
        self.clients[path].client_secret = new_secret
        self.restart()

    def set_account(self, account_id: str, claims: dict) -> None:
        """Create or replace an account; the IdP reads it at the next sign-in."""
        self.accounts[account_id] = dict(claims)
        self._write_accounts()

    def replace_accounts(self, accounts: dict[str, dict]) -> None:
        self.accounts = dict(accounts)
        self._write_accounts()

    def update_account(self, account_id: str, **changes) -> None:
        self.accounts[account_id].update(changes)
        self._write_accounts()

    def _write_accounts(self) -> None:
        path = self.workdir / "accounts.json"
        partial = path.with_suffix(".json.partial")
        partial.write_text(json.dumps(self.accounts, indent=1))
        os.replace(partial, path)
