"""OpenID Connect discovery: talking to an IdP over HTTP, reading its discovery document
and its signing keys, and caching both per process.

Everything an IdP sends is untrusted input. Every failure, whether the IdP is down, slow,
answers HTML or sends a document we cannot accept, becomes one SsoError carrying a message
for the person signing in and a technical detail for the log. No exception of requests or
joserfc leaves this module.

Discovery documents and key sets are public, so each process keeps them in a small TTL
cache keyed by issuer. When a signature does not verify (or names an unknown key), the key
set is fetched again, at most once per OIDC_REFRESH_COOLDOWN_SECONDS per issuer, so an IdP
can rotate its keys, even under the same kid, without anyone restarting the portal.
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import current_app
from joserfc.jwk import KeySet

from foundry.i18n import lazy_gettext as _l

# Only asymmetric algorithms: a shared-secret (HS*) token could be forged by anyone who
# holds the key used to check it, and "none" is no signature at all.
ASYMMETRIC_ALGORITHMS = frozenset(
    {
        "RS256",
        "RS384",
        "RS512",
        "PS256",
        "PS384",
        "PS512",
        "ES256",
        "ES384",
        "ES512",
        "ES256K",
        "EdDSA",
        "Ed25519",
        "Ed448",
    }
)
MAX_RESPONSE_BYTES = 512 * 1024
LOOPBACK_HOSTS = frozenset({"localhost"})


class SsoError(Exception):
    """A single sign-on step failed. `message` is shown to the person signing in (it says
    what to do); `detail` goes to the log (what went wrong, technically). `retry` says
    whether starting again can help (None: only after a 400)."""

    def __init__(self, message: str, detail: str, status: int = 400, retry: bool | None = None):
        super().__init__(detail)
        self.message = message
        self.detail = detail
        self.status = status
        self.retry = retry


IDP_UNAVAILABLE = _l(
    "We could not reach your university's sign-in service. Please try again in a few minutes."
)
IDP_MISCONFIGURED = _l(
    "Your university's sign-in service answered in a way we cannot accept, so you were not "
    "signed in. Please try again later; if it keeps happening, tell the park’s talent team."
)

# --- transport ----------------------------------------------------------------------------


def _is_loopback(hostname: str) -> bool:
    if hostname.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def url_problem(url: str, *, allow_loopback_http: bool) -> str | None:
    """Why `url` may not be used to talk to an IdP, or None when it may: https only, or
    plain http on the loopback interface when allowed (a local IdP for development)."""
    if not isinstance(url, str) or not url or url != url.strip():
        return "it is not a URL"
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError:
        return "it is not a valid URL"
    if not hostname:
        return "it has no host name"
    if parts.username or parts.password:
        return "it must not contain a user name or password"
    if parts.fragment:
        return "it must not contain a #fragment"
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and _is_loopback(hostname):
        if allow_loopback_http:
            return None
        return "plain http is not allowed here; use https"
    return "it must start with https://"


def check_transport(url: Any, what: str) -> str:
    problem = url_problem(url, allow_loopback_http=current_app.config["OIDC_ALLOW_LOOPBACK_HTTP"])
    if problem:
        raise SsoError(IDP_MISCONFIGURED, f"{what} {url!r} refused: {problem}")
    return url


def http_timeout() -> float:
    return float(current_app.config["OIDC_HTTP_TIMEOUT"])


def _read_json(response: requests.Response, what: str) -> dict:
    """The JSON object in `response`, read up to MAX_RESPONSE_BYTES."""
    try:
        body = response.raw.read(MAX_RESPONSE_BYTES + 1, decode_content=True)
    except Exception as exc:  # a connection dropped mid-body, a read timeout...
        raise SsoError(IDP_UNAVAILABLE, f"{what}: reading the response failed: {exc!r}") from None
    finally:
        response.close()
    if len(body) > MAX_RESPONSE_BYTES:
        raise SsoError(IDP_MISCONFIGURED, f"{what}: response larger than {MAX_RESPONSE_BYTES} B")
    if response.status_code != 200:
        raise SsoError(
            IDP_UNAVAILABLE if response.status_code >= 500 else IDP_MISCONFIGURED,
            f"{what}: HTTP {response.status_code}",
        )
    try:
        data = json.loads(body)
    except ValueError:
        content_type = response.headers.get("Content-Type", "?")
        raise SsoError(
            IDP_MISCONFIGURED, f"{what}: response is not JSON (Content-Type {content_type})"
        ) from None
    if not isinstance(data, dict):
        raise SsoError(IDP_MISCONFIGURED, f"{what}: response is not a JSON object")
    return data


def get_json(url: str, what: str, headers: dict | None = None) -> dict:
    try:
        response = requests.get(
            url,
            headers={"Accept": "application/json", **(headers or {})},
            timeout=http_timeout(),
            allow_redirects=False,
            stream=True,
        )
    except requests.Timeout:
        raise SsoError(
            IDP_UNAVAILABLE, f"{what}: timed out after {http_timeout():g} s waiting for {url}"
        ) from None
    except requests.ConnectionError:
        raise SsoError(
            IDP_UNAVAILABLE,
            f"{what}: could not connect to {url} (refused, unknown host or unreachable)",
        ) from None
    except Exception as exc:
        raise SsoError(IDP_UNAVAILABLE, f"{what}: request failed ({url}): {exc!r}") from None
    return _read_json(response, what)


# --- discovery and keys, cached per process ------------------------------------------------


@dataclass(frozen=True)
class ProviderMetadata:
    """What the IdP's discovery document says, checked."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    signing_algorithms: tuple[str, ...]
    token_endpoint_auth_method: str
    response_types: tuple[str, ...]
    code_challenge_methods: tuple[str, ...] | None
    iss_parameter_supported: bool
    raw: dict = field(repr=False, compare=False)


@dataclass
class _CacheEntry:
    value: Any
    expires_at: float


class _ProviderCache:
    """Discovery documents and key sets by issuer, plus when each issuer's keys were last
    refetched because a signature failed (to hold the cooldown)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.discovery: dict[str, _CacheEntry] = {}
        self.jwks: dict[str, _CacheEntry] = {}
        self.forced_refresh_at: dict[str, float] = {}

    def get(self, table: dict[str, _CacheEntry], key: str) -> Any:
        with self.lock:
            entry = table.get(key)
            if entry is None or entry.expires_at <= time.monotonic():
                return None
            return entry.value

    def put(self, table: dict[str, _CacheEntry], key: str, value: Any, ttl: float) -> None:
        with self.lock:
            table[key] = _CacheEntry(value, time.monotonic() + ttl)

    def may_force_refresh(self, issuer: str, cooldown: float) -> bool:
        """True (and the time noted) when the keys of `issuer` may be refetched now."""
        with self.lock:
            now = time.monotonic()
            last = self.forced_refresh_at.get(issuer)
            if last is not None and now - last < cooldown:
                return False
            self.forced_refresh_at[issuer] = now
            return True

    def forget(self, issuer: str) -> None:
        with self.lock:
            self.discovery.pop(issuer, None)
            self.jwks.pop(issuer, None)
            self.forced_refresh_at.pop(issuer, None)

    def clear(self) -> None:
        with self.lock:
            self.discovery.clear()
            self.jwks.clear()
            self.forced_refresh_at.clear()


_cache = _ProviderCache()


def forget_provider(issuer: str) -> None:
    """Drop what this process cached about `issuer` (after its connection changed)."""
    _cache.forget(issuer)


def cached_provider_metadata(issuer: str) -> ProviderMetadata | None:
    """What this process has cached about `issuer`, without asking the IdP."""
    return _cache.get(_cache.discovery, issuer)


def clear_provider_cache() -> None:
    _cache.clear()


def string_list(value: Any) -> tuple[str, ...] | None:
    """A JSON list of strings as a tuple; None when absent, () when it is anything else."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return ()
    return tuple(value)


def _token_endpoint_auth_method(supported: tuple[str, ...] | None) -> str:
    # The default of OpenID Connect Discovery is client_secret_basic.
    if supported is None or "client_secret_basic" in supported:
        return "client_secret_basic"
    if "client_secret_post" in supported:
        return "client_secret_post"
    raise SsoError(
        IDP_MISCONFIGURED,
        f"token endpoint supports neither client_secret_basic nor client_secret_post: "
        f"{list(supported)}",
    )


def parse_metadata(issuer: str, doc: dict) -> ProviderMetadata:
    """Check a discovery document for `issuer` and keep what the client needs."""
    if doc.get("issuer") != issuer:
        raise SsoError(
            IDP_MISCONFIGURED,
            f"discovery issuer {str(doc.get('issuer'))[:200]!r} differs from the configured "
            f"issuer {issuer!r}",
        )
    endpoints = {}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = doc.get(name)
        if not isinstance(value, str) or not value:
            raise SsoError(IDP_MISCONFIGURED, f"discovery document has no {name}")
        endpoints[name] = check_transport(value, name)
    userinfo = doc.get("userinfo_endpoint")
    if userinfo is not None:
        if not isinstance(userinfo, str):
            raise SsoError(IDP_MISCONFIGURED, "discovery userinfo_endpoint is not a string")
        check_transport(userinfo, "userinfo_endpoint")
    advertised = string_list(doc.get("id_token_signing_alg_values_supported"))
    # RS256 is the algorithm every OpenID provider must support.
    offered = ("RS256",) if advertised is None else advertised
    algorithms = tuple(a for a in offered if a in ASYMMETRIC_ALGORITHMS)
    if not algorithms:
        raise SsoError(
            IDP_MISCONFIGURED,
            f"no asymmetric ID token signing algorithm offered: {list(offered)[:10]}",
        )
    response_types = string_list(doc.get("response_types_supported")) or ()
    return ProviderMetadata(
        issuer=issuer,
        authorization_endpoint=endpoints["authorization_endpoint"],
        token_endpoint=endpoints["token_endpoint"],
        jwks_uri=endpoints["jwks_uri"],
        userinfo_endpoint=userinfo,
        signing_algorithms=algorithms,
        token_endpoint_auth_method=_token_endpoint_auth_method(
            string_list(doc.get("token_endpoint_auth_methods_supported"))
        ),
        response_types=response_types,
        code_challenge_methods=string_list(doc.get("code_challenge_methods_supported")),
        iss_parameter_supported=doc.get("authorization_response_iss_parameter_supported") is True,
        raw=doc,
    )


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def provider_metadata(issuer: str, *, use_cache: bool = True) -> ProviderMetadata:
    """The checked discovery document of `issuer` (cached for OIDC_CACHE_SECONDS)."""
    check_transport(issuer, "issuer")
    if use_cache:
        cached = _cache.get(_cache.discovery, issuer)
        if cached is not None:
            return cached
    metadata = parse_metadata(issuer, get_json(discovery_url(issuer), "discovery"))
    _cache.put(_cache.discovery, issuer, metadata, current_app.config["OIDC_CACHE_SECONDS"])
    return metadata


def parse_key_set(data: dict) -> KeySet:
    """The signing keys of a JWKS document; symmetric and encryption keys are dropped."""
    keys = data.get("keys")
    if not isinstance(keys, list):
        raise SsoError(IDP_MISCONFIGURED, "JWKS has no keys list")
    usable = [
        k
        for k in keys
        if isinstance(k, dict)
        and k.get("kty") in {"RSA", "EC", "OKP"}
        and k.get("use") in (None, "sig")
        and "d" not in k  # a published private key is a broken IdP; do not use it
    ]
    if not usable:
        raise SsoError(IDP_MISCONFIGURED, "JWKS has no usable signing key")
    try:
        return KeySet.import_key_set({"keys": usable})
    except Exception as exc:
        raise SsoError(IDP_MISCONFIGURED, f"JWKS cannot be read: {exc!r}") from None


def _key_set(metadata: ProviderMetadata, *, refresh: bool = False) -> KeySet:
    if not refresh:
        cached = _cache.get(_cache.jwks, metadata.issuer)
        if cached is not None and cached[0] == metadata.jwks_uri:
            return cached[1]
    key_set = parse_key_set(get_json(metadata.jwks_uri, "JWKS"))
    _cache.put(
        _cache.jwks,
        metadata.issuer,
        (metadata.jwks_uri, key_set),
        current_app.config["OIDC_CACHE_SECONDS"],
    )
    return key_set


def signing_keys(metadata: ProviderMetadata) -> KeySet:
    """The IdP's signing keys (cached for OIDC_CACHE_SECONDS)."""
    return _key_set(metadata)


def refreshed_signing_keys(metadata: ProviderMetadata) -> KeySet | None:
    """The IdP's signing keys fetched again because a signature did not verify (the IdP may
    have rotated them), or None while OIDC_REFRESH_COOLDOWN_SECONDS has not passed since the
    last such fetch for this issuer."""
    cooldown = current_app.config["OIDC_REFRESH_COOLDOWN_SECONDS"]
    if not _cache.may_force_refresh(metadata.issuer, cooldown):
        return None
    return _key_set(metadata, refresh=True)


def fetch_key_set(metadata: ProviderMetadata) -> KeySet:
    """The IdP's signing keys, fetched now (for the connection check)."""
    return _key_set(metadata, refresh=True)
