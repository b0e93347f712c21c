"""Language and time-zone selection for Flask-Babel, how dates read in each language,
and the lazy translations the code uses for messages that are translated when shown.

Flask-Babel's `LazyString` declares `__html__` and returns its text unescaped, so Jinja
trusts it as markup: a lazily translated message formatted with user input
(`_l("You cannot sort by %(key)s.", key=...)`) reached the page as live HTML. Ours are
text like any `str`: Jinja escapes them. Import `lazy_gettext` and friends from here, never
from flask_babel (tests/core/test_escaping.py fails if anyone does).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import current_app, has_request_context, request, session
from flask_babel import (
    force_locale,
    get_locale,
    get_translations,
    gettext,
    ngettext,
    pgettext,
    to_user_timezone,
)
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape

SESSION_KEY = "locale"


class LazyText(LazyString):
    """A message translated when it is shown, and escaped like any other text.

    Its translation in each language is kept once made: the catalogues do not change
    while the app runs, and labels are shown hundreds of times a page (a pipeline of 500
    applicants spent a fifth of its time translating the same five status labels)."""

    def __init__(self, func, *args, **kwargs):
        super().__init__(func, *args, **kwargs)
        self._translations: dict[str, str] = {}

    def __str__(self) -> str:
        locale = str(get_locale())
        text = self._translations.get(locale)
        if text is None:
            text = self._translations[locale] = super().__str__()
        return text

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


# --- dates in the reader's language ---------------------------------------------------------
# Every date the portal shows goes through these, never through a hand-written pattern: a
# pattern such as "d MMM y" reads "7 Feb 2027" in English but "7 2月 2027" in Chinese, where
# the natural form is 2027年2月7日. CLDR skeletons let each language order the parts.
# English follows Hong Kong usage (7 Feb 2027, 24-hour clock).
REGIONAL_LOCALES = {"en": "en_HK", "zh_Hant": "zh_Hant_HK"}


def _regional_code() -> str:
    code = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return REGIONAL_LOCALES.get(code, code)


def _local(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        return to_user_timezone(value)
    return value


# Babel finds a skeleton's pattern and formats with it at some 50 µs a call, and a page of
# twenty posting cards formats a hundred dates; the same postings' dates come back on every
# visitor's page, so each (skeleton, moment, time zone, language) is formatted once.
@lru_cache(maxsize=8192)
def _formatted(skeleton: str, value: datetime | date, timezone: str, locale: str) -> str:
    return babel_dates.format_skeleton(skeleton, _local(value), locale=Locale.parse(locale))


def _format(skeleton: str, value: datetime | date) -> str:
    timezone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return _formatted(skeleton, value, timezone, _regional_code())


def format_day(value: datetime | date | None) -> str:
    """7 Feb 2027 · 2027年2月7日 (in Hong Kong time for a moment)."""
    return "" if value is None else _format("yMMMd", value)


def format_day_of_month(value: datetime | date | None) -> str:
    """7 Feb · 2月7日: a day whose year the reader already knows."""
    return "" if value is None else _format("MMMd", value)


def format_month(value: datetime | date | None) -> str:
    """Feb 2027 · 2027年2月."""
    return "" if value is None else _format("yMMM", value)


def format_clock(value: datetime | None) -> str:
    """14:05, in Hong Kong time."""
    return "" if value is None else _format("Hm", value)


@lru_cache(maxsize=8192)
def _number(value: int | float, locale: str) -> str:
    return babel_numbers.format_decimal(value, locale=locale)


def format_number(value) -> str:
    """12,000 · 12,000: Flask-Babel's `numberformat`, each figure formatted once per
    language (pay ranges and counts repeat across pages)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return babel_numbers.format_decimal(value, locale=get_locale())
    return _number(value, str(get_locale()))


def format_moment(value: datetime | None) -> str:
    """7 Feb 2027, 14:05 · 2027年2月7日 14:05: the day and the clock joined as the language
    joins them."""
    if value is None:
        return ""
    return _moment(value, current_app.config["BABEL_DEFAULT_TIMEZONE"], _regional_code())


# The whole moment cached at once: asking for the language three times per moment (the
# joiner, the day, the clock) was most of the cost of a board of 190 cards, each a moment.
@lru_cache(maxsize=8192)
def _moment(value: datetime, timezone: str, locale: str) -> str:
    day = _formatted("yMMMd", value, timezone, locale)
    clock = _formatted("Hm", value, timezone, locale)
    return _moment_joiner(locale).replace("{1}", day).replace("{0}", clock)


@lru_cache(maxsize=16)
def _moment_joiner(locale: str) -> str:
    return str(Locale.parse(locale).datetime_formats["medium"])


def iso_month(value: date | None) -> str:
    """2027-02: the value of an <input type="month">, the same in every language."""
    return f"{value.year:04d}-{value.month:02d}" if value else ""


DATE_FILTERS = {
    "iso_month": iso_month,
    "day": format_day,
    "month": format_month,
    "clock": format_clock,
    "moment": format_moment,
}


# --- translations in templates ---------------------------------------------------------------
# Flask-Babel gives Jinja gettext callables that find the request, the app, the Babel
# extension, the locale and the catalogue again for every message: some 60-100 messages a
# page, about a tenth of a search page's time. Ours read the language from the template's
# own context (`current_locale`, put there by foundry.web's context processor when the
# template is rendered, so force_locale is honoured) and keep each language's catalogue;
# a template rendered without it (a macro imported without context, a card head) asks
# Flask-Babel for the locale as before. Catalogues do not change while the app runs.


def install_template_gettext(app) -> None:
    """Replace Flask-Babel's gettext callables in `app`'s Jinja environment (call after
    babel.init_app)."""
    catalogues: dict[str, object] = {}

    def catalogue(context) -> object:
        locale = context.get("current_locale") or str(get_locale())
        found = catalogues.get(locale)
        if found is None:
            with force_locale(locale):
                found = catalogues[locale] = get_translations()
        return found

    @pass_context
    def template_gettext(context, string):
        return catalogue(context).ugettext(string)

    @pass_context
    def template_ngettext(context, singular, plural, n):
        return catalogue(context).ungettext(singular, plural, n)

    @pass_context
    def template_pgettext(context, message_context, string):
        return catalogue(context).upgettext(message_context, string)

    @pass_context
    def template_npgettext(context, message_context, singular, plural, n):
        return catalogue(context).unpgettext(message_context, singular, plural, n)

    app.jinja_env.install_gettext_callables(
        gettext=template_gettext,
        ngettext=template_ngettext,
        pgettext=template_pgettext,
        npgettext=template_npgettext,
        newstyle=True,
    )
