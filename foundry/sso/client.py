"""The OpenID Connect relying party: discovery, the authorization request, the code
exchange and the ID token's validation.

Everything an IdP sends is untrusted input. Every failure, whether the IdP is down, slow,
answers HTML or signs with a key we do not hold, becomes one SsoError carrying a message for
the person signing in and a technical detail for the log. No exception of requests, authlib
or joserfc leaves this module.

Discovery documents and key sets are public, so each process keeps them in a small TTL
cache keyed by issuer. When a signature does not verify (or names an unknown key), the key
set is fetched again, at most once per OIDC_REFRESH_COOLDOWN_SECONDS per issuer, so an IdP
can rotate its keys, even under the same kid, without anyone restarting the portal.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app
from flask_babel import lazy_gettext as _l
from joserfc import jws
from joserfc.jwk import KeySet

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
KEY_TYPE_OF_ALGORITHM = {
    **{alg: "RSA" for alg in ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")},
    **{alg: "EC" for alg in ("ES256", "ES384", "ES512", "ES256K")},
    **{alg: "OKP" for alg in ("EdDSA", "Ed25519", "Ed448")},
}
CURVE_OF_ALGORITHM = {
    "ES256": "P-256",
    "ES384": "P-384",
    "ES512": "P-521",
    "ES256K": "secp256k1",
    "Ed25519": "Ed25519",
    "Ed448": "Ed448",
}
# Clock skew tolerated between the IdP and us when reading exp and iat.
LEEWAY_SECONDS = 60
MAX_RESPONSE_BYTES = 512 * 1024
LOOPBACK_HOSTS = frozenset({"localhost"})
# Claims that describe the token itself; userinfo never overrides them.
PROTOCOL_CLAIMS = frozenset(
    {"iss", "sub", "aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash", "c_hash", "auth_time"}
)


class SsoError(Exception):
    """A single sign-on step failed. `message` is shown to the person signing in (it says
    what to do); `detail` goes to the log (what went wrong, technically)."""

    def __init__(self, message: str, detail: str, status: int = 400):
        super().__init__(detail)
        self.message = message
        self.detail = detail
        self.status = status


IDP_UNAVAILABLE = _l(
    "We could not reach your university's sign-in service. Please try again in a few minutes."
)
IDP_MISCONFIGURED = _l(
    "Your university's sign-in service answered in a way we cannot accept, so you were not "
    "signed in. Please try again later; if it keeps happening, tell the park’s talent team."
)
SIGN_IN_NOT_VERIFIED = _l(
    "We could not verify the sign-in response from your university, so you were not signed "
    "in. Please start again."
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


def _timeout() -> float:
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
            timeout=_timeout(),
            allow_redirects=False,
            stream=True,
        )
    except requests.Timeout:
        raise SsoError(
            IDP_UNAVAILABLE, f"{what}: timed out after {_timeout():g} s waiting for {url}"
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


def fetch_key_set(metadata: ProviderMetadata) -> KeySet:
    """The IdP's signing keys, fetched now (for the connection check)."""
    return _key_set(metadata, refresh=True)


# --- the authorization request ----------------------------------------------------------------


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def authorization_request(
    metadata: ProviderMetadata, *, client_id: str, scopes: str, redirect_uri: str
) -> AuthorizationRequest:
    """The URL that sends the browser to the IdP, with fresh state, nonce and PKCE."""
    state = secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24)
    code_verifier = secrets.token_urlsafe(48)
    session = OAuth2Session(
        client_id=client_id,
        scope=scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    try:
        url, _state = session.create_authorization_url(
            metadata.authorization_endpoint,
            state=state,
            code_verifier=code_verifier,
            nonce=nonce,
        )
    except Exception as exc:
        raise SsoError(IDP_MISCONFIGURED, f"authorization URL: {exc!r}") from None
    finally:
        session.close()
    return AuthorizationRequest(url=url, state=state, nonce=nonce, code_verifier=code_verifier)


# --- the code exchange -----------------------------------------------------------------------


def _form_encoded(value: str) -> str:
    # RFC 6749 §2.3.1: the client id and secret are form-encoded before HTTP Basic.
    return quote(value, safe="")


def _client_secret_basic(client, method, uri, headers, body):
    credentials = f"{_form_encoded(client.client_id)}:{_form_encoded(client.client_secret)}"
    headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    return uri, headers, body


def exchange_code(
    metadata: ProviderMetadata,
    *,
    client_id: str,
    client_secret: str,
    code: str,
    code_verifier: str,
    redirect_uri: str,
) -> dict:
    """Trade the authorization code for tokens at the token endpoint."""
    session = OAuth2Session(
        client_id=client_id,
        client_secret=client_secret,
        token_endpoint_auth_method=metadata.token_endpoint_auth_method,
        redirect_uri=redirect_uri,
    )
    session.register_client_auth_method(("client_secret_basic", _client_secret_basic))
    try:
        token = session.fetch_token(
            metadata.token_endpoint,
            grant_type="authorization_code",
            code=code,
            code_verifier=code_verifier,
            timeout=_timeout(),
            allow_redirects=False,
        )
    except requests.Timeout:
        raise SsoError(IDP_UNAVAILABLE, "token endpoint: timed out") from None
    except requests.ConnectionError as exc:
        raise SsoError(IDP_UNAVAILABLE, f"token endpoint: request failed: {exc!r}") from None
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        raise SsoError(IDP_MISCONFIGURED, f"token endpoint: HTTP {status}") from None
    except Exception as exc:
        # authlib's OAuthError carries the IdP's error code (e.g. invalid_grant when the
        # code was used already or belongs to another client); it holds no secrets.
        error = getattr(exc, "error", None)
        description = getattr(exc, "description", None)
        if error:
            detail = f"token endpoint refused the code: {str(error)[:60]!r}"
            if description:
                detail += f" ({str(description)[:200]!r})"
            raise SsoError(SIGN_IN_NOT_VERIFIED, detail) from None
        raise SsoError(IDP_MISCONFIGURED, f"token endpoint: {type(exc).__name__}") from None
    finally:
        session.close()
    token = dict(token)
    if not isinstance(token.get("id_token"), str):
        raise SsoError(IDP_MISCONFIGURED, "token response has no id_token")
    token_type = str(token.get("token_type", "")).lower()
    if token.get("access_token") and token_type != "bearer":
        raise SsoError(IDP_MISCONFIGURED, f"token response: token_type {token_type[:20]!r}")
    return token


# --- the ID token ----------------------------------------------------------------------------


def _b64json(segment: str, what: str) -> dict:
    try:
        padded = segment + "=" * (-len(segment) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except Exception:
        raise SsoError(SIGN_IN_NOT_VERIFIED, f"ID token {what} is not base64url JSON") from None
    if not isinstance(data, dict):
        raise SsoError(SIGN_IN_NOT_VERIFIED, f"ID token {what} is not a JSON object")
    return data


def candidate_keys(key_set: KeySet, alg: str, kid: str | None) -> list:
    wanted_type = KEY_TYPE_OF_ALGORITHM[alg]
    wanted_curve = CURVE_OF_ALGORITHM.get(alg)
    candidates = []
    for key in key_set:
        if kid is not None and key.kid != kid:
            continue
        if key.key_type != wanted_type:
            continue
        if key.get("alg") not in (None, alg):
            continue
        if wanted_curve and key.get("crv") not in (None, wanted_curve):
            continue
        candidates.append(key)
    return candidates


def _signature_verifies(id_token: str, keys: list, alg: str) -> bool:
    registry = jws.JWSRegistry(algorithms=[alg], strict_check_header=False)
    for key in keys:
        try:
            jws.deserialize_compact(id_token, key, algorithms=[alg], registry=registry)
            return True
        except Exception:  # BadSignatureError, a key unfit for the algorithm...
            continue
    return False


def verify_signature(metadata: ProviderMetadata, id_token: str) -> dict:
    """The ID token's claims, once its signature verifies against the IdP's keys."""
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        raise SsoError(SIGN_IN_NOT_VERIFIED, "ID token is not a compact JWS")
    header_segment, payload_segment, signature_segment = id_token.split(".")
    header = _b64json(header_segment, "header")
    alg = header.get("alg")
    if alg not in metadata.signing_algorithms:
        raise SsoError(
            SIGN_IN_NOT_VERIFIED,
            f"ID token alg {str(alg)[:20]!r} not allowed (allowed: "
            f"{', '.join(metadata.signing_algorithms)})",
        )
    if not signature_segment:
        raise SsoError(SIGN_IN_NOT_VERIFIED, "ID token has an empty signature")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise SsoError(SIGN_IN_NOT_VERIFIED, "ID token kid is not a string")
    verified = _signature_verifies(id_token, candidate_keys(_key_set(metadata), alg, kid), alg)
    if not verified:
        # The IdP may have rotated its keys: fetch them again, within the cooldown.
        cooldown = current_app.config["OIDC_REFRESH_COOLDOWN_SECONDS"]
        if _cache.may_force_refresh(metadata.issuer, cooldown):
            fresh = _key_set(metadata, refresh=True)
            verified = _signature_verifies(id_token, candidate_keys(fresh, alg, kid), alg)
        if not verified:
            raise SsoError(
                SIGN_IN_NOT_VERIFIED,
                f"ID token signature does not verify (alg {alg}, kid {str(kid)[:60]!r})",
            )
    return _b64json(payload_segment, "payload")


def _number(claims: dict, name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SsoError(SIGN_IN_NOT_VERIFIED, f"ID token {name} is missing or not a number")
    return float(value)


def check_id_token_claims(
    claims: dict, *, issuer: str, client_id: str, nonce: str, now: float | None = None
) -> None:
    """OpenID Connect Core §3.1.3.7: who issued it, for whom, when, and for which request."""
    now = time.time() if now is None else now
    if claims.get("iss") != issuer:
        raise SsoError(
            SIGN_IN_NOT_VERIFIED,
            f"ID token iss {str(claims.get('iss'))[:200]!r} is not {issuer!r}",
        )
    subject = claims.get("sub")
    if (
        not isinstance(subject, str)
        or not subject
        or len(subject) > 255
        or not subject.isprintable()
    ):
        raise SsoError(SIGN_IN_NOT_VERIFIED, "ID token sub is missing or invalid")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or client_id not in audiences:
        raise SsoError(SIGN_IN_NOT_VERIFIED, f"ID token aud {str(audience)[:200]!r} is not us")
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != client_id:
        raise SsoError(SIGN_IN_NOT_VERIFIED, f"ID token azp {str(azp)[:200]!r} is not us")
    expires = _number(claims, "exp")
    if expires + LEEWAY_SECONDS <= now:
        raise SsoError(SIGN_IN_NOT_VERIFIED, f"ID token expired {int(now - expires)} s ago")
    issued = _number(claims, "iat")
    if issued - LEEWAY_SECONDS > now:
        raise SsoError(SIGN_IN_NOT_VERIFIED, f"ID token issued {int(issued - now)} s in future")
    if "nbf" in claims and _number(claims, "nbf") - LEEWAY_SECONDS > now:
        raise SsoError(SIGN_IN_NOT_VERIFIED, "ID token not valid yet (nbf)")
    sent = claims.get("nonce")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), nonce.encode()):
        raise SsoError(SIGN_IN_NOT_VERIFIED, "ID token nonce does not match the request's")


def fetch_userinfo(metadata: ProviderMetadata, access_token: str, subject: str) -> dict:
    """The userinfo claims, accepted only when they are about the same subject."""
    if not metadata.userinfo_endpoint:
        raise SsoError(IDP_MISCONFIGURED, "claims missing and the IdP has no userinfo endpoint")
    claims = get_json(
        metadata.userinfo_endpoint, "userinfo", headers={"Authorization": f"Bearer {access_token}"}
    )
    if claims.get("sub") != subject:
        raise SsoError(
            SIGN_IN_NOT_VERIFIED, "userinfo sub differs from the ID token's sub; ignored"
        )
    return claims


def complete_sign_in(
    metadata: ProviderMetadata,
    *,
    client_id: str,
    client_secret: str,
    code: str,
    code_verifier: str,
    redirect_uri: str,
    nonce: str,
    wanted_claims: list[str],
) -> dict:
    """Exchange the code and return the validated claims about the person.

    When the ID token lacks one of `wanted_claims` (or email_verified), userinfo is asked
    with the access token; its answer only fills what the ID token did not say, and is used
    only when its subject is the ID token's."""
    token = exchange_code(
        metadata,
        client_id=client_id,
        client_secret=client_secret,
        code=code,
        code_verifier=code_verifier,
        redirect_uri=redirect_uri,
    )
    claims = verify_signature(metadata, token["id_token"])
    check_id_token_claims(claims, issuer=metadata.issuer, client_id=client_id, nonce=nonce)
    missing = [name for name in [*wanted_claims, "email_verified"] if name not in claims]
    if missing and metadata.userinfo_endpoint and isinstance(token.get("access_token"), str):
        userinfo = fetch_userinfo(metadata, token["access_token"], claims["sub"])
        for name, value in userinfo.items():
            if name not in PROTOCOL_CLAIMS and name not in claims:
                claims[name] = value
    return claims
