"""Setting up a university's SSO connection, checking it against the IdP, and reading its
secret. Used by the admin pages and by `flask sso`."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from foundry.accounts.email_address import InvalidEmailAddress, email_domain, normalise_email
from foundry.audit.services import record
from foundry.crypto import SecretUnreadable, decrypt, encrypt
from foundry.db import utcnow
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.sso import client, discovery
from foundry.sso.discovery import SsoError
from foundry.sso.models import DEFAULT_SCOPES, SsoConnection
from foundry.universities.models import University, UniversityDomain

# Which claim carries what: the keys configure_connection accepts in `claims`.
REQUIRED_CLAIM_KEYS = ("email", "name", "student_number", "faculty", "affiliation")
OPTIONAL_CLAIM_KEYS = ("staff_role", "study_level", "graduation_year")
CLAIM_KEYS = REQUIRED_CLAIM_KEYS + OPTIONAL_CLAIM_KEYS
CLAIM_NAME = re.compile(r"^[A-Za-z0-9_:./#-]{1,100}$")
SCOPE_TOKEN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,100}$")  # RFC 6749 §3.3
UNIVERSITY_CODE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class CheckStep:
    label: str
    ok: bool
    detail: str


def university_by_code(code: str) -> University | None:
    """The university with this code; None for anything that cannot be a code."""
    if not isinstance(code, str) or not UNIVERSITY_CODE.match(code):
        return None
    return db.session.scalar(sa.select(University).where(University.code == code))


def university_by_email(typed: str | None) -> University | None:
    """The university whose e-mail domain this address has; None for an address we cannot
    read. Typed plainly or not at all: a full-width look-alike finds no university."""
    try:
        domain = email_domain(normalise_email(typed, canonical_only=True))
    except InvalidEmailAddress:
        return None
    return db.session.scalar(
        sa.select(University)
        .join(UniversityDomain, UniversityDomain.university_id == University.id)
        .where(UniversityDomain.domain == domain)
    )


def connection_of(university: University) -> SsoConnection | None:
    return db.session.scalar(
        sa.select(SsoConnection).where(SsoConnection.university_id == university.id)
    )


def client_secret_of(connection: SsoConnection) -> str:
    """The decrypted client secret; an unreadable one is a clear SSO error."""
    try:
        return decrypt(connection.client_secret_encrypted)
    except SecretUnreadable as exc:
        raise SsoError(
            discovery.IDP_MISCONFIGURED,
            f"client secret of {connection.issuer} cannot be decrypted: {exc}",
        ) from None


# --- validation of each field -------------------------------------------------------------


def _issuer(value) -> str:
    issuer = value.strip() if isinstance(value, str) else ""
    if not issuer:
        raise InvalidInput(_("Issuer: enter the IdP's issuer URL."))
    if len(issuer) > 500:
        raise InvalidInput(_("Issuer: at most 500 characters."))
    allow_loopback = current_app.config["OIDC_ALLOW_LOOPBACK_HTTP"]
    problem = discovery.url_problem(issuer, allow_loopback_http=allow_loopback)
    if problem:
        raise InvalidInput(_("Issuer: %(problem)s.", problem=problem))
    if "?" in issuer:
        raise InvalidInput(_("Issuer: must not contain a query (?)."))
    return issuer


def _client_id(value) -> str:
    client_id = value.strip() if isinstance(value, str) else ""
    if not client_id:
        raise InvalidInput(_("Client ID: enter the client ID the IdP gave you."))
    if len(client_id) > 255 or any(ord(c) < 33 or ord(c) == 127 for c in client_id):
        raise InvalidInput(_("Client ID: at most 255 characters, without spaces."))
    return client_id


def _scopes(value) -> str:
    tokens = value.split() if isinstance(value, str) else list(value)
    if not all(isinstance(t, str) and SCOPE_TOKEN.match(t) for t in tokens):
        raise InvalidInput(_("Scopes: separate scope names with spaces; no quotes or backslashes."))
    unique = list(dict.fromkeys(tokens))
    if "openid" not in unique:
        raise InvalidInput(_('Scopes: must include "openid".'))
    scopes = " ".join(unique)
    if len(scopes) > 500:
        raise InvalidInput(_("Scopes: at most 500 characters."))
    return scopes


def _domain(value) -> str:
    domain = value.strip().lower().rstrip(".") if isinstance(value, str) else ""
    labels = domain.split(".")
    if (
        len(domain) > 253
        or len(labels) < 2
        or not all(DOMAIN_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise InvalidInput(
            _("Domains: %(value)s is not a domain name (e.g. ust.hk).", value=repr(str(value)[:80]))
        )
    return domain


def _domains(university: University, values) -> list[str]:
    if isinstance(values, str):
        raise InvalidInput(_("Domains: give a list of domain names."))
    domains = list(dict.fromkeys(_domain(v) for v in values))
    if not domains:
        raise InvalidInput(_("Domains: give at least one e-mail domain of the university."))
    taken = db.session.execute(
        sa.select(UniversityDomain.domain, University.code)
        .join(University, University.id == UniversityDomain.university_id)
        .where(UniversityDomain.domain.in_(domains), University.id != university.id)
        .order_by(UniversityDomain.domain)
    ).all()
    if taken:
        domain, code = taken[0]
        raise InvalidInput(_("Domains: %(domain)s belongs to %(code)s.", domain=domain, code=code))
    return domains


def _claims(values: dict) -> dict[str, str | None]:
    if not isinstance(values, dict):
        raise InvalidInput(_("Claims: give a mapping of claim names."))
    unknown = sorted(set(values) - set(CLAIM_KEYS))
    if unknown:
        raise InvalidInput(_("Claims: unknown setting %(name)s.", name=repr(unknown[0])))
    claims: dict[str, str | None] = {}
    for key, value in values.items():
        name = value.strip() if isinstance(value, str) else value
        label = _("Claim for %(what)s", what=key.replace("_", " "))
        if name in (None, ""):
            if key in REQUIRED_CLAIM_KEYS:
                raise InvalidInput(_("%(label)s: enter the claim's name.", label=label))
            claims[key] = None
            continue
        if not isinstance(name, str) or not CLAIM_NAME.match(name):
            raise InvalidInput(
                _("%(label)s: letters, digits and _ : . / # - only, 100 at most.", label=label)
            )
        claims[key] = name
    return claims


# --- the services ---------------------------------------------------------------------------


def configure_connection(
    university: University,
    *,
    actor,
    issuer: str,
    client_id: str,
    client_secret: str | None = None,
    scopes: str | list[str] | None = None,
    domains: list[str] | None = None,
    claims: dict | None = None,
    enabled: bool | None = None,
) -> SsoConnection:
    """Create or update the university's connection; a blank secret keeps the old one."""
    connection = connection_of(university)
    issuer = _issuer(issuer)
    client_id = _client_id(client_id)
    secret = client_secret.strip() if isinstance(client_secret, str) else None
    if connection is None and not secret:
        raise InvalidInput(_("Client secret: enter the client secret the IdP gave you."))
    if secret is not None and len(secret) > 1000:
        raise InvalidInput(_("Client secret: at most 1000 characters."))
    scope_text = _scopes(scopes) if scopes is not None else None
    domain_list = _domains(university, domains) if domains is not None else None
    claim_names = _claims(claims) if claims is not None else {}
    clash = db.session.scalar(
        sa.select(University.code)
        .join(SsoConnection, SsoConnection.university_id == University.id)
        .where(SsoConnection.issuer == issuer, University.id != university.id)
    )
    if clash:
        raise InvalidInput(_("Issuer: %(code)s already signs in with this issuer.", code=clash))

    created = connection is None
    old_issuer = None if created else connection.issuer
    if created:
        connection = SsoConnection(university_id=university.id, scopes=DEFAULT_SCOPES)
        db.session.add(connection)
    connection.issuer = issuer
    connection.client_id = client_id
    if secret:
        connection.client_secret_encrypted = encrypt(secret)
        connection.secret_updated_at = utcnow()
    if scope_text is not None:
        connection.scopes = scope_text
    if enabled is not None:
        connection.enabled = bool(enabled)
    elif created:
        connection.enabled = True
    for key, name in claim_names.items():
        setattr(connection, f"claim_{key}", name)
    if domain_list is not None:
        _replace_domains(university, domain_list)
    db.session.flush()
    for stale in {old_issuer, issuer} - {None}:
        discovery.forget_provider(stale)
    record(
        actor,
        "sso.configured",
        connection,
        {"via": "created" if created else "changed", "university": university.code},
        university=university.code,
        issuer=issuer,
        client_id=client_id,
        scopes=connection.scopes,
        enabled=connection.enabled,
        secret_changed=bool(secret),
        domains=[d.domain for d in university.domains],
        claims={key: getattr(connection, f"claim_{key}") for key in CLAIM_KEYS},
    )
    return connection


def _replace_domains(university: University, domains: list[str]) -> None:
    wanted = set(domains)
    for row in list(university.domains):
        if row.domain not in wanted:
            university.domains.remove(row)
    db.session.flush()  # free a removed domain before adding it back (unique constraint)
    present = {row.domain for row in university.domains}
    for domain in domains:
        if domain not in present:
            university.domains.append(UniversityDomain(domain=domain))


def check_connection(connection: SsoConnection) -> list[CheckStep]:
    """Ask the IdP whether this connection can work, step by step; never raises for the
    IdP's problems (each becomes a failed step)."""
    steps: list[CheckStep] = []
    try:
        discovery.check_transport(connection.issuer, "issuer")
        doc = discovery.get_json(discovery.discovery_url(connection.issuer), "discovery")
    except SsoError as exc:
        steps.append(CheckStep("Discovery document reachable", False, exc.detail))
        steps.append(_secret_step(connection))
        return steps
    steps.append(
        CheckStep("Discovery document reachable", True, discovery.discovery_url(connection.issuer))
    )
    if doc.get("issuer") == connection.issuer:
        steps.append(CheckStep("Issuer matches", True, connection.issuer))
    else:
        steps.append(
            CheckStep(
                "Issuer matches",
                False,
                f"the IdP says {str(doc.get('issuer'))[:200]!r}, configured "
                f"{connection.issuer!r}: set the issuer exactly as the IdP writes it",
            )
        )
    missing = [
        name
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(doc.get(name), str) or not doc.get(name)
    ]
    userinfo = "userinfo endpoint present" if doc.get("userinfo_endpoint") else "no userinfo"
    steps.append(
        CheckStep(
            "Endpoints present",
            not missing,
            f"missing: {', '.join(missing)}"
            if missing
            else f"authorization, token, JWKS; {userinfo}",
        )
    )
    response_types = discovery.string_list(doc.get("response_types_supported")) or ()
    pkce = discovery.string_list(doc.get("code_challenge_methods_supported")) or ()
    flow_problems = []
    if "code" not in response_types:
        flow_problems.append("response type 'code' not supported")
    if "S256" not in pkce:
        flow_problems.append("PKCE S256 not advertised (code_challenge_methods_supported)")
    steps.append(
        CheckStep(
            "Authorization code flow with PKCE (S256)",
            not flow_problems,
            "; ".join(flow_problems) or "supported",
        )
    )
    steps.append(_keys_step(connection, doc))
    steps.append(_secret_step(connection))
    return steps


def _keys_step(connection: SsoConnection, doc: dict) -> CheckStep:
    label = "Signing keys (JWKS) usable"
    try:
        metadata = discovery.parse_metadata(doc.get("issuer"), doc)
        key_set = discovery.fetch_key_set(metadata)
    except SsoError as exc:
        return CheckStep(label, False, exc.detail)
    usable = [
        key
        for alg in metadata.signing_algorithms
        for key in client.candidate_keys(key_set, alg, None)
    ]
    if not usable:
        return CheckStep(label, False, f"no key fits {', '.join(metadata.signing_algorithms)}")
    count = len({key.kid for key in usable})
    return CheckStep(label, True, f"{count} key(s) for {', '.join(metadata.signing_algorithms)}")


def _secret_step(connection: SsoConnection) -> CheckStep:
    label = "Client secret readable"
    try:
        client_secret_of(connection)
    except SsoError as exc:
        return CheckStep(label, False, exc.detail + " (set it again)")
    return CheckStep(label, True, "decrypts with the current ENCRYPTION_KEYS")
