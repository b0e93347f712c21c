"""Language and time-zone selection for Flask-Babel, and the lazy translations the code
uses for messages that are translated when shown.

Flask-Babel's `LazyString` declares `__html__` and returns its text unescaped, so Jinja
trusts it as markup: a lazily translated message formatted with user input
(`_l("You cannot sort by %(key)s.", key=...)`) reached the page as live HTML. Ours are
text like any `str`: Jinja escapes them. Import `lazy_gettext` and friends from here, never
from flask_babel (tests/core/test_escaping.py fails if anyone does).
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import gettext, ngettext, pgettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

SESSION_KEY = "locale"


class LazyText(LazyString):
    """A message translated when it is shown, and escaped like any other text."""

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(string: str, **variables) -> LazyText:
    return LazyText(gettext, string, **variables)


def lazy_pgettext(context: str, string: str, **variables) -> LazyText:
    return LazyText(pgettext, context, string, **variables)


def lazy_ngettext(singular: str, plural: str, num: int, **variables) -> LazyText:
    return LazyText(ngettext, singular, plural, num, **variables)


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
