"""Configuration classes: development (SQLite in instance/), testing and production.

Production reads every secret from the environment and refuses to start without them.
"""

from __future__ import annotations

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


def _development_secret_key() -> str:
    """A random key kept in instance/ so development sessions survive restarts."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


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

    @classmethod
    def validate(cls, config: dict) -> None:
        """Hook for subclasses: raise ConfigurationError when unsafe."""


class DevelopmentConfig(BaseConfig):
    DEBUG = False
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'foundry.db'}"
    )
    DEMO_SIGN_IN = True

    @classmethod
    def load_secret_key(cls) -> str:
        return os.environ.get("SECRET_KEY") or _development_secret_key()


class TestingConfig(BaseConfig):
    TESTING = True
    SECRET_KEY = "testing-" + secrets.token_hex(16)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    DEMO_SIGN_IN = True
    RATELIMIT_ENABLED = False
    SERVER_NAME = None


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def from_environment(cls) -> dict:
        return {
            "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
            "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", ""),
            "REDIS_URL": os.environ.get("REDIS_URL", ""),
            "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL", ""),
            "DEMO_SIGN_IN": _env_flag("DEMO_SIGN_IN"),
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


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
