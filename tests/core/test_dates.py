"""Dates read as each language writes them (7 Feb 2027 · 2027年2月7日), in Hong Kong time,
and no template or module formats a date with a hand-written pattern."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from foundry.i18n import DATE_FILTERS

ROOT = Path(__file__).resolve().parents[2]
# 2027-02-07 06:05 UTC is 14:05 in Hong Kong.
MOMENT = datetime(2027, 2, 7, 6, 5, tzinfo=UTC)
LATE_MOMENT = datetime(2027, 2, 7, 17, 30, tzinfo=UTC)  # already 8 February in Hong Kong

EXPECTED = {
    "en": {
        "day": "7 Feb 2027",
        "month": "Feb 2027",
        "clock": "14:05",
        "moment": "7 Feb 2027, 14:05",
        "iso_month": "2027-02",
    },
    "zh_Hant": {
        "day": "2027年2月7日",
        "month": "2027年2月",
        "clock": "14:05",
        "moment": "2027年2月7日 14:05",
        "iso_month": "2027-02",
    },
}


@pytest.mark.parametrize("locale", sorted(EXPECTED))
@pytest.mark.parametrize("name", sorted(DATE_FILTERS))
def test_each_date_filter_renders_in_the_languages_natural_form(app, locale, name):
    with app.test_request_context(), force_locale(locale):
        rendered = app.jinja_env.from_string(f"{{{{ value | {name} }}}}").render(value=MOMENT)
    assert rendered == EXPECTED[locale][name]


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_a_plain_date_is_not_shifted_and_a_moment_is_read_in_hong_kong(app, locale):
    with app.test_request_context(), force_locale(locale):
        env = app.jinja_env
        assert (
            env.from_string("{{ d | day }}").render(d=date(2027, 2, 7)) == (EXPECTED[locale]["day"])
        )
        late = env.from_string("{{ d | day }}").render(d=LATE_MOMENT)
        assert late == ("8 Feb 2027" if locale == "en" else "2027年2月8日")
        assert env.from_string("{{ d | day }}").render(d=None) == ""


def test_no_chinese_date_reads_day_month_year(app):
    with app.test_request_context(), force_locale("zh_Hant"):
        for name, date_filter in DATE_FILTERS.items():
            assert not re.search(r"\d+ \d+月 \d{4}", date_filter(MOMENT)), name


HAND_FORMATTED_IN_TEMPLATES = re.compile(
    r"strftime\(|\|\s*(?:datetimeformat|dateformat|timeformat)\b|format_(?:date|datetime)\("
)


def test_no_template_formats_a_date_by_hand():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HAND_FORMATTED_IN_TEMPLATES.search(line)
    ]
    assert not offenders, "use | day, | month, | clock or | moment:\n" + "\n".join(offenders)


# A CLDR pattern for readers ("yyyy-MM-dd HH:mm", "d MMM y") as a literal anywhere, or a
# strftime month or weekday name (also in an f-string's format spec: f"{day:%b}").
HAND_FORMATTED_IN_CODE = re.compile(
    r"[\"'][^\"'\n]*(?:yyyy|MMM|\bdd\b|HH:mm)[^\"'\n]*[\"']"
    r"|%[bBaA]\b"
)
# path -> why its hand-made format reads naturally in both languages
ALLOWED = {
    "foundry/reports/charts.py": "the trend's month ticks: Oct (English) or 10月 (Chinese)",
    "foundry/reports/exports.py": "Excel number formats of date cells: ISO in every language",
}


def test_no_module_formats_a_date_for_people_by_hand():
    """Machine formats (ISO, RFC 3339, SQL) are fine; patterns meant for readers are not."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "foundry").rglob("*.py"))
        if path.name != "i18n.py" and str(path.relative_to(ROOT)) not in ALLOWED
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HAND_FORMATTED_IN_CODE.search(line)
    ]
    assert not offenders, "use foundry.i18n's format_day / format_moment:\n" + "\n".join(offenders)


def test_cached_formats_follow_the_readers_language(app):
    """Dates and figures are formatted once per language (foundry.i18n caches them): the
    same value read in one language, then the other, then the first again, reads right."""
    env = app.jinja_env
    template = env.from_string("{{ d | moment }} · {{ n | numberformat }}")
    readings = []
    for locale in ("en", "zh_Hant", "en", "zh_Hant"):
        with app.test_request_context(), force_locale(locale):
            readings.append(template.render(d=MOMENT, n=12500))
    assert readings == [
        "7 Feb 2027, 14:05 · 12,500",
        "2027年2月7日 14:05 · 12,500",
        "7 Feb 2027, 14:05 · 12,500",
        "2027年2月7日 14:05 · 12,500",
    ]
