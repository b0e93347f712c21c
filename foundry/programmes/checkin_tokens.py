"""Signed check-in tokens and typed codes.

A token is `<payload>.<signature>`, both base64url without padding. The payload is ASCII,
`TF1.<programme id>.<session id>.<registration id>.<ticket version>.<issued at, Unix s>`,
signed with Ed25519, so the organiser's check-in page verifies it in the browser (WebCrypto)
with the public key it downloaded, without asking the server: about 110 characters, a
small QR code.

The signing key is derived from SECRET_KEY (HKDF-SHA256 with a purpose of its own), so
every app server that shares SECRET_KEY signs alike and tests and development need no
setup. `CHECKIN_SIGNING_KEY` (a 32-byte seed, URL-safe base64) may name another key;
changing either key invalidates the tickets shown so far, and a ticket page simply shows
a new one at its next load.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from foundry.programmes.checkin_models import CODE_ALPHABET, CODE_LENGTH

TOKEN_PREFIX = "TF1"
# Longer than any token we sign: anything longer is refused before decoding it.
TOKEN_MAX = 200
_HKDF_INFO = b"talent-foundry programme check-in tickets v1"


class BadToken(ValueError):
    """The token is not one we signed (malformed, tampered with, or signed by another key)."""


@dataclass(frozen=True)
class TokenClaims:
    programme_id: int
    session_id: int
    registration_id: int
    version: int
    issued_at: int


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_key() -> Ed25519PrivateKey:
    """The app's check-in signing key, made once per app."""
    cached = current_app.extensions.get("checkin_signing_key")
    if cached is None:
        configured = current_app.config.get("CHECKIN_SIGNING_KEY")
        if configured:
            seed = _b64decode(configured.strip())
        else:
            secret = current_app.config["SECRET_KEY"].encode()
            seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
                secret
            )
        cached = Ed25519PrivateKey.from_private_bytes(seed)
        current_app.extensions["checkin_signing_key"] = cached
    return cached


def _public_key() -> Ed25519PublicKey:
    cached = current_app.extensions.get("checkin_public_key")
    if cached is None or current_app.extensions.get("checkin_key_of") is not signing_key():
        cached = signing_key().public_key()
        current_app.extensions["checkin_public_key"] = cached
        current_app.extensions["checkin_key_of"] = signing_key()
    return cached


def public_key_b64() -> str:
    """The raw 32-byte public key, base64url: what the check-in page imports."""
    raw = (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return _b64encode(raw)


def sign(claims: TokenClaims) -> str:
    payload = ".".join(
        str(part)
        for part in (
            TOKEN_PREFIX,
            claims.programme_id,
            claims.session_id,
            claims.registration_id,
            claims.version,
            claims.issued_at,
        )
    ).encode("ascii")
    return f"{_b64encode(payload)}.{_b64encode(signing_key().sign(payload))}"


def verify(token: str) -> TokenClaims:
    """The claims of a token we signed; BadToken for anything else."""
    if not isinstance(token, str) or len(token) > TOKEN_MAX or token.count(".") != 1:
        raise BadToken("malformed")
    encoded_payload, encoded_signature = token.split(".")
    try:
        payload, signature = _b64decode(encoded_payload), _b64decode(encoded_signature)
    except (binascii.Error, ValueError):
        raise BadToken("malformed") from None
    try:
        _public_key().verify(signature, payload)
    except InvalidSignature:
        raise BadToken("signature") from None
    parts = payload.decode("ascii", "replace").split(".")
    if len(parts) != 6 or parts[0] != TOKEN_PREFIX or not all(p.isdigit() for p in parts[1:]):
        raise BadToken("malformed")
    return TokenClaims(*(int(part) for part in parts[1:]))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def looks_like_code(text: str) -> bool:
    return len(text) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in text)


def display_code(code: str) -> str:
    """Grouped for reading aloud: ABC-DEFG."""
    return f"{code[:3]}-{code[3:]}"
