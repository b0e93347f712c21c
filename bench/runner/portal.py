"""The portal as a run serves it: its servers started on a data set, its personas signed
in, and its pages turned into endpoints for wrk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.pages import Page
from bench.park import personas
from bench.runner import apply_pool, servers
from bench.runner.dataset import DataSet
from bench.runner.endpoints import Endpoint, apply_endpoint, page_endpoint
from bench.runner.sign_in import sign_in, sign_in_with_code

PERSONA_EMAILS = {
    "student": personas.STUDENT,
    "recruiter": personas.RECRUITER,
    "dean": personas.DEAN,
    "coordinator": personas.COORDINATOR,
    "park_admin": personas.PARK_ADMIN,
}


@contextmanager
def served(data: DataSet, log_dir: Path, baseline: bool = True) -> Iterator[dict]:
    """{"app": Server, "baseline": Server} on `data`, stopped on the way out."""
    servers.empty_redis()  # no rate-limit count left from a run before
    environment = servers.production_environment(data.url, personas.ENCRYPTION_KEY)
    with ExitStack() as stack:
        running = {"app": servers.start("app", "wsgi:app", environment, log_dir)}
        stack.callback(running["app"].stop)
        if baseline:
            running["baseline"] = servers.start(
                "baseline", "bench.baseline:app", {"DATABASE_URL": data.url}, log_dir
            )
            stack.callback(running["baseline"].stop)
        yield running


def sign_in_persona(role: str, base_url: str, data: DataSet):
    email = PERSONA_EMAILS[role]
    if role == "park_admin":  # park admins must use a second factor
        return sign_in_with_code(
            base_url, email, personas.PASSWORD, personas.ADMIN_TOTP_SECRET, data.engine
        )
    return sign_in(base_url, email, personas.PASSWORD)


def endpoints(pages: tuple[Page, ...], base_url: str, data: DataSet, log=print) -> list[Endpoint]:
    """An endpoint per page, each persona signed in once (the pool only when apply is run)."""
    browsers = {}
    for role in sorted({page.role for page in pages} & PERSONA_EMAILS.keys()):
        log(f"signing in the {role.replace('_', ' ')} ({PERSONA_EMAILS[role]})")
        browsers[role] = sign_in_persona(role, base_url, data)
    result = []
    for page in pages:
        if page.role == "applicant":
            pool = apply_pool.prepare(base_url, data, log)
            result.append(apply_endpoint(page, base_url, pool))
        else:
            browser = browsers.get(page.role) if page.role else None
            result.append(page_endpoint(page, base_url, browser, data.targets))
    return result
