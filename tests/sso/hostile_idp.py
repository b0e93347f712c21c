"""A small OpenID provider for the tests, served on a free loopback port, that does what a
real IdP does (discovery, JWKS, token, userinfo; PKCE and client secret checked; codes
single use) and can be told to misbehave in the ways an attacker or a broken IdP would.

The browser's visit to the IdP is skipped: `approve(location, claims)` reads the
authorization request our app built and returns the parameters the IdP would send back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import Counter
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

DISCOVERY_PATH = "/.well-known/openid-configuration"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_rsa_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig"}, private=True)


class HostileIdP:
    def __init__(self, client_id: str = "portal-client", client_secret: str = "first-secret"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.signing_key = new_rsa_key("k1")
        self.alg = "RS256"
        self.published_keys = [self.signing_key]
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.hits: Counter[str] = Counter()
        # What to do wrong, set by the tests:
        self.id_token_mode = "normal"  # "none", "hs256_public_key", "unsigned_rs256"
        self.id_token_overrides: dict = {}  # claim -> value (None removes the claim)
        self.id_token_header_overrides: dict = {}
        self.userinfo_overrides: dict = {}
        self.userinfo_only: set[str] = set()  # claims kept out of the ID token
        self.discovery_overrides: dict = {}
        self.broken: dict[str, tuple[int, str, str]] = {}  # path -> (status, body, type)
        self.slow: set[str] = set()  # paths that answer only after `release` is set
        self.release = threading.Event()
        self.token_requests: list[dict] = []
        # When set, /authorize signs this person in at once (for browser walks).
        self.auto_approve_claims: dict | None = None
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- running ----------------------------------------------------------------------

    def start(self) -> HostileIdP:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    # --- what the tests control ----------------------------------------------------------

    def rotate_key(self, *, same_kid: bool) -> None:
        """Sign with a new key from now on; the old one is no longer published."""
        kid = self.signing_key.kid if same_kid else f"k{secrets.token_hex(3)}"
        self.signing_key = new_rsa_key(kid)
        self.published_keys = [self.signing_key]

    def use_ec_key(self) -> None:
        self.signing_key = ECKey.generate_key(
            "P-256", parameters={"kid": "ec1", "use": "sig"}, private=True
        )
        self.alg = "ES256"
        self.published_keys = [self.signing_key]

    def approve(self, location: str, claims: dict) -> dict:
        """Play the user signing in at the IdP: check our authorization request and return
        the callback's query parameters (code, state, iss)."""
        parts = urlsplit(location)
        assert f"{parts.scheme}://{parts.netloc}" == self.issuer, location
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert params["response_type"] == "code"
        assert params["client_id"] == self.client_id
        assert "openid" in params["scope"].split()
        assert params["code_challenge_method"] == "S256"
        assert params["state"] and params["nonce"] and params["code_challenge"]
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "claims": dict(claims),
            "nonce": params["nonce"],
            "challenge": params["code_challenge"],
            "redirect_uri": params["redirect_uri"],
        }
        return {"code": code, "state": params["state"], "iss": self.issuer}

    # --- the endpoints ---------------------------------------------------------------------

    def discovery(self) -> dict:
        doc = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True,
            "scopes_supported": ["openid", "email", "profile"],
        }
        for key, value in self.discovery_overrides.items():
            if value is None:
                doc.pop(key, None)
            else:
                doc[key] = value
        return doc

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        path = request.path
        self.hits[path] += 1
        if path in self.slow:
            self.release.wait(10)
        if path in self.broken:
            status, body, content_type = self.broken[path]
            return Response(body, status=status, content_type=content_type)(environ, start_response)
        handler = {
            DISCOVERY_PATH: self._discovery,
            "/jwks": self._jwks,
            "/token": self._token,
            "/userinfo": self._userinfo,
            "/authorize": self._authorize,
        }.get(path)
        response = handler(request) if handler else _json({"error": "not_found"}, 404)
        return response(environ, start_response)

    def _authorize(self, request: Request) -> Response:
        if self.auto_approve_claims is None:
            return Response("Sign in at the IdP (not in these tests).", status=200)
        params = self.approve(request.url, self.auto_approve_claims)
        target = self.codes[params["code"]]["redirect_uri"] + "?" + urlencode(params)
        return Response(status=302, headers={"Location": target})

    def _discovery(self, request: Request) -> Response:
        return _json(self.discovery())

    def _jwks(self, request: Request) -> Response:
        return _json({"keys": [key.as_dict(private=False) for key in self.published_keys]})

    def _client_authenticated(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[6:]).decode()
            client_id, _sep, secret = decoded.partition(":")
            client_id, secret = unquote(client_id), unquote(secret)
        else:
            client_id = request.form.get("client_id", "")
            secret = request.form.get("client_secret", "")
        return client_id == self.client_id and hmac.compare_digest(
            secret.encode(), self.client_secret.encode()
        )

    def _token(self, request: Request) -> Response:
        self.token_requests.append(dict(request.form))
        if request.method != "POST":
            return _json({"error": "invalid_request"}, 405)
        if not self._client_authenticated(request):
            return _json({"error": "invalid_client"}, 401)
        grant = self.codes.pop(request.form.get("code", ""), None)
        if grant is None or request.form.get("grant_type") != "authorization_code":
            return _json({"error": "invalid_grant", "error_description": "code unknown"}, 400)
        if request.form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant", "error_description": "redirect_uri"}, 400)
        verifier = request.form.get("code_verifier", "")
        if b64url(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = grant["claims"]
        return _json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant["claims"], grant["nonce"]),
            }
        )

    def id_token(self, person: dict, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "exp": now + 300,
            "iat": now,
            "nonce": nonce,
            **{k: v for k, v in person.items() if k not in self.userinfo_only},
        }
        for key, value in self.id_token_overrides.items():
            if value is None:
                claims.pop(key, None)
            else:
                claims[key] = value
        header = {"alg": self.alg, "kid": self.signing_key.kid, **self.id_token_header_overrides}
        if self.id_token_mode == "none":
            return _compact({"alg": "none", "typ": "JWT"}, claims, b"")
        if self.id_token_mode == "hs256_public_key":
            # The classic confusion attack: HMAC keyed with the public key everyone can read.
            public_pem = self.signing_key.as_pem(private=False)
            unsigned = _compact({**header, "alg": "HS256"}, claims, None)
            signature = hmac.new(public_pem, unsigned.encode(), hashlib.sha256).digest()
            return f"{unsigned}.{b64url(signature)}"
        if self.id_token_mode == "unsigned_rs256":
            return _compact(header, claims, b"")
        return jwt.encode(header, claims, self.signing_key, algorithms=[header["alg"]])

    def _userinfo(self, request: Request) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        person = self.access_tokens.get(token)
        if person is None:
            return _json({"error": "invalid_token"}, 401)
        claims = dict(person)
        for key, value in self.userinfo_overrides.items():
            if value is None:
                claims.pop(key, None)
            else:
                claims[key] = value
        return _json(claims)


def _compact(header: dict, claims: dict, signature: bytes | None) -> str:
    head = b64url(json.dumps(header).encode())
    body = b64url(json.dumps(claims).encode())
    if signature is None:
        return f"{head}.{body}"
    return f"{head}.{body}.{b64url(signature)}"


def _json(data: dict, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")
