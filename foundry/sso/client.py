"""The OpenID Connect relying party: the authorization request, the code exchange and the
ID token's validation. Talking HTTP to the IdP, its discovery document and its keys (and
their per-process cache) live in foundry.sso.discovery.

Everything an IdP sends is untrusted input. Every failure becomes one SsoError carrying a
message for the person signing in and a technical detail for the log. No exception of
requests, authlib or joserfc leaves this module.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import quote

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jws
from joserfc.jwk import KeySet

from foundry.i18n import lazy_gettext as _l
from foundry.sso.discovery import (
    IDP_MISCONFIGURED,
    IDP_UNAVAILABLE,
    ProviderMetadata,
    SsoError,
    get_json,
    http_timeout,
    refreshed_signing_keys,
    signing_keys,
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
# Claims that describe the token itself; userinfo never overrides them.
PROTOCOL_CLAIMS = frozenset(
    {"iss", "sub", "aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash", "c_hash", "auth_time"}
)


SIGN_IN_NOT_VERIFIED = _l(
    "We could not verify the sign-in response from your university, so you were not signed "
    "in. Please start again."
)


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
            timeout=http_timeout(),
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
    keys = candidate_keys(signing_keys(metadata), alg, kid)
    verified = _signature_verifies(id_token, keys, alg)
    if not verified:
        # The IdP may have rotated its keys: fetch them again, within the cooldown.
        fresh = refreshed_signing_keys(metadata)
        if fresh is not None:
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
