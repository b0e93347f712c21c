"""Configuration classes: development (SQLite in instance/), testing and production.

Production reads every secret from the environment and refuses to start without them.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# Values that have been published as examples somewhere; never accept them as a real key.
KNOWN_DEFAULT_SECRET_KEYS = frozenset(
    {"", "dev", "secret", "changeme", "change-me", "development", "please-change-me"}
)
MIN_SECRET_KEY_LENGTH = 32


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete; the app must not start."""


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None


MAIL_BACKENDS = frozenset({"smtp", "console"})
DEFAULT_MAIL_FROM = "Talent Foundry <no-reply@talentfoundry.hk>"


def _mail_from_environment(backend: str, port: int, use_tls: bool) -> dict:
    """MAIL_* settings from the environment, with the given defaults."""
    return {
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", backend).strip().lower(),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "").strip(),
        "MAIL_PORT": _env_int("MAIL_PORT", port),
        "MAIL_USE_TLS": _env_flag("MAIL_USE_TLS", use_tls),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_CA_FILE": os.environ.get("MAIL_CA_FILE") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM") or DEFAULT_MAIL_FROM,
        "MAIL_MAX_ATTEMPTS": _env_int("MAIL_MAX_ATTEMPTS", BaseConfig.MAIL_MAX_ATTEMPTS),
    }


def _validate_mail(config: dict) -> None:
    backend = config.get("MAIL_BACKEND")
    if backend not in MAIL_BACKENDS:
        raise ConfigurationError(
            f"MAIL_BACKEND must be one of {', '.join(sorted(MAIL_BACKENDS))}, not {backend!r}."
        )
    if config.get("MAIL_MAX_ATTEMPTS", 0) < 1:
        raise ConfigurationError("MAIL_MAX_ATTEMPTS must be at least 1.")
    if backend == "smtp" and not config.get("MAIL_SERVER"):
        raise ConfigurationError("MAIL_SERVER is not set (needed by MAIL_BACKEND=smtp).")
    if config.get("MAIL_USERNAME") and not config.get("MAIL_PASSWORD"):
        raise ConfigurationError("MAIL_USERNAME is set but MAIL_PASSWORD is not.")


def _development_secret_key() -> str:
    """A random key kept in instance/ so development sessions survive restarts."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _development_encryption_keys() -> list[str]:
    """A Fernet key kept in instance/ so encrypted SSO secrets survive restarts."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    key_file = INSTANCE_DIR / "encryption_key"
    if not key_file.exists():
        key_file.write_text(_fernet_key())
    return [key_file.read_text().strip()]


def _encryption_keys_from(value: str | None) -> list[str]:
    """FOUNDRY_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first (it encrypts;
    the others still decrypt, so a key can be rotated without losing stored secrets)."""
    return [key.strip() for key in (value or "").split(",") if key.strip()]


def _validate_encryption_keys(config: dict) -> None:
    keys = config.get("ENCRYPTION_KEYS") or []
    if not keys:
        raise ConfigurationError(
            "FOUNDRY_ENCRYPTION_KEYS is not set: it encrypts universities' SSO client "
            'secrets and second-factor keys. Make one with: python -c "import base64, '
            'secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"'
        )
    for key in keys:
        try:
            raw = base64.urlsafe_b64decode(key.encode())
        except (ValueError, binascii.Error):
            raw = b""
        if len(raw) != 32:
            raise ConfigurationError(
                "Each key in FOUNDRY_ENCRYPTION_KEYS must be 32 bytes in URL-safe base64 "
                "(a Fernet key)."
            )


class BaseConfig:
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Whole-request ceiling; the CV form itself allows 5 MB and says so.
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    CV_MAX_BYTES = 5 * 1024 * 1024
    CV_MAX_PER_STUDENT = 5
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Hong_Kong"
    LANGUAGES = {"en": "English", "zh_Hant": "繁體中文"}
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    WTF_CSRF_TIME_LIMIT = None
    DEMO_SIGN_IN = False
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PAGE_SIZE = 25
    # Encrypts SSO client secrets and TOTP keys at rest (Fernet keys, newest first).
    ENCRYPTION_KEYS: list[str] = []
    # Sessions: signed out after this many idle minutes, and after this many hours at most.
    IDLE_TIMEOUT_MINUTES = 30
    SESSION_MAX_HOURS = 12
    # Password sign-in: a per-address rate limit (Flask-Limiter) and an account lockout
    # kept in the database, so it holds whatever the IP and on every app server.
    SIGN_IN_RATE_LIMIT = "20 per minute"
    SIGN_IN_LOCKOUT_ATTEMPTS = 5
    SIGN_IN_LOCKOUT_MINUTES = 15
    PASSWORD_MIN_LENGTH = 12
    EMAIL_VERIFICATION_HOURS = 48
    PASSWORD_RESET_MINUTES = 60
    INVITATION_DAYS = 14
    # OpenID Connect: discovery and keys are cached this long, and fetched again at most
    # once per cooldown when a signature does not verify (the IdP may have rotated keys).
    OIDC_CACHE_SECONDS = 3600
    OIDC_REFRESH_COOLDOWN_SECONDS = 30
    OIDC_HTTP_TIMEOUT = 5
    # A plain-http issuer is allowed only on the loopback interface (the local IdP).
    OIDC_ALLOW_LOOPBACK_HTTP = True
    # Where the portal is reached: every absolute link (e-mails, the Atom feed, JSON-LD)
    # is built on it, never on a Host header the client chose.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    # X-Forwarded-* headers are believed only from these proxies (comma-separated
    # addresses or networks; "none" or empty: from nobody), PROXY_HOPS of them in a row.
    TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "")
    PROXY_HOPS = _env_int("PROXY_HOPS", 1)

    # E-mail leaves through the outbox table; `flask send-email` delivers it. Backends:
    # "smtp" (a real server, production) or "console" (written to the log, nothing sent).
    MAIL_BACKEND = "console"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_CA_FILE: str | None = None  # a private CA that signed the relay's certificate
    MAIL_FROM = DEFAULT_MAIL_FROM
    MAIL_MAX_ATTEMPTS = 6  # then the e-mail is marked failed
    MAIL_TIMEOUT = 15  # seconds per SMTP operation

    @classmethod
    def validate(cls, config: dict) -> None:
        """Raise ConfigurationError when unsafe; subclasses add their own checks."""
        _validate_mail(config)


class DevelopmentConfig(BaseConfig):
    DEBUG = False
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'foundry.db'}"
    )
    DEMO_SIGN_IN = True
    # E-mails are written to the log by `flask send-email`; set MAIL_BACKEND=smtp (and
    # MAIL_SERVER, MAIL_PORT) to try a local catcher such as Mailpit instead.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console").strip().lower()
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 1025)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    @classmethod
    def load_secret_key(cls) -> str:
        return os.environ.get("SECRET_KEY") or _development_secret_key()

    @classmethod
    def load_encryption_keys(cls) -> list[str]:
        return (
            _encryption_keys_from(os.environ.get("FOUNDRY_ENCRYPTION_KEYS"))
            or _development_encryption_keys()
        )


class TestingConfig(BaseConfig):
    TESTING = True
    SECRET_KEY = "testing-" + secrets.token_hex(16)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    DEMO_SIGN_IN = True
    RATELIMIT_ENABLED = False
    SERVER_NAME = None
    PUBLIC_BASE_URL = "http://localhost"  # the test client's host
    ENCRYPTION_KEYS = [_fernet_key()]
    OIDC_REFRESH_COOLDOWN_SECONDS = 0
    # Nothing sends e-mail during a request, so queued e-mails stay in the outbox table
    # for tests to read. A test that runs the sender gets the console backend unless it
    # points MAIL_* at its own SMTP server (tests/notifications starts one).
    MAIL_BACKEND = "console"


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for this host, on path /.
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    OIDC_ALLOW_LOOPBACK_HTTP = False

    @classmethod
    def from_environment(cls) -> dict:
        return {
            "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
            "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", ""),
            "REDIS_URL": os.environ.get("REDIS_URL", ""),
            "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL", ""),
            "DEMO_SIGN_IN": _env_flag("DEMO_SIGN_IN"),
            "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
            # The proxy in front runs on the same host unless told otherwise.
            "TRUSTED_PROXIES": os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1"),
            "ENCRYPTION_KEYS": _encryption_keys_from(os.environ.get("FOUNDRY_ENCRYPTION_KEYS")),
            **_mail_from_environment(backend="smtp", port=587, use_tls=True),
        }

    @classmethod
    def validate(cls, config: dict) -> None:
        key = config.get("SECRET_KEY") or ""
        if key.strip().lower() in KNOWN_DEFAULT_SECRET_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigurationError(
                "SECRET_KEY is missing, a known default or shorter than "
                f"{MIN_SECRET_KEY_LENGTH} characters; set a long random value."
            )
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            raise ConfigurationError("DATABASE_URL is not set.")
        if not config.get("REDIS_URL"):
            raise ConfigurationError("REDIS_URL is not set.")
        if config.get("DEMO_SIGN_IN"):
            raise ConfigurationError("Demo sign-in cannot be enabled in production.")
        if not (config.get("PUBLIC_BASE_URL") or "").startswith(("https://", "http://")):
            raise ConfigurationError(
                "PUBLIC_BASE_URL is not set (e.g. https://talentfoundry.hkstp.org): links in "
                "e-mails must not take their host from a request."
            )
        _validate_encryption_keys(config)
        super().validate(config)
        if config.get("MAIL_USERNAME") and not config.get("MAIL_USE_TLS"):
            raise ConfigurationError(
                "MAIL_USERNAME is set without MAIL_USE_TLS: the mail password would travel "
                "unencrypted."
            )


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
