"""Language and time-zone selection for Flask-Babel."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user

SESSION_KEY = "locale"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a CLI command (flask sso set, seed-demo): no visitor
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    if (
        getattr(current_user, "is_authenticated", False)
        and current_user.preferred_locale in languages
    ):
        return current_user.preferred_locale
    # Browsers send zh-HK / zh-TW; Babel spells the catalogue zh_Hant.
    best = request.accept_languages.best_match(["en", "zh-Hant", "zh-HK", "zh-TW", "zh"])
    if best and best.startswith("zh"):
        return "zh_Hant"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
