"""The Traditional Chinese (Hong Kong) catalogue translates every marked string.

When a test here fails after you marked a new string, refresh the catalogue, translate
the new entries in translations/zh_Hant/LC_MESSAGES/messages.po and compile it:

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 \
        --ignore-dirs '.*' \
        -o translations/messages.pot --no-location --sort-output .
    .venv/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
    .venv/bin/pybabel compile -d translations -f

(`--ignore-dirs '.*'`: Babel skips folders starting with "_" by default, e.g. templates/_macros.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from foundry.extensions import babel
from tests.conftest import csrf_from

ROOT = Path(__file__).resolve().parents[1]
LC_MESSAGES = ROOT / "translations" / "zh_Hant" / "LC_MESSAGES"
PO, MO = LC_MESSAGES / "messages.po", LC_MESSAGES / "messages.mo"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")


def _not_hidden(dirname: str) -> bool:
    return not os.path.basename(dirname).startswith(".")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Catalog:
    """The strings marked in the code, extracted as `pybabel extract` does, via a .pot file."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    pot = Catalog(project="Talent Foundry")
    found = extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=_not_hidden
    )
    for filename, lineno, message, comments, context in found:
        pot.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    path = tmp_path_factory.mktemp("i18n") / "messages.pot"
    with open(path, "wb") as out:
        write_po(out, pot)
    with open(path, "rb") as pot_file:
        return read_po(pot_file)


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with open(PO, "rb") as po:
        return read_po(po, locale="zh_Hant")


def _forms(string) -> tuple[str, ...]:
    return tuple(string) if isinstance(string, list | tuple) else (string,)


def test_extraction_finds_the_marked_strings(no_db, template):
    assert len(template) > 100
    assert "Sign in" in template and "Verified" in template  # templates/_macros too


def test_every_marked_string_has_a_translation(no_db, template, catalogue):
    missing = []
    for message in template:
        if not message.id:
            continue
        entry = catalogue.get(message.id, message.context)
        if entry is None or entry.fuzzy or not all(_forms(entry.string)):
            missing.append(_forms(message.id)[0])
    assert not missing, f"{len(missing)} string(s) need a zh_Hant translation in {PO}:\n" + (
        "\n".join(f"  {msgid!r}" for msgid in missing)
    )


def test_translations_keep_the_placeholders(no_db, catalogue):
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        expected = set(PLACEHOLDER.findall(_forms(message.id)[-1]))
        for form in _forms(message.string):
            if form and set(PLACEHOLDER.findall(form)) != expected:
                wrong.append(f"  {_forms(message.id)[0]!r} -> {form!r}")
    assert not wrong, "Translations whose placeholders differ from the source:\n" + (
        "\n".join(wrong)
    )


def _compile_if_stale() -> None:
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return
    with open(PO, "rb") as po:
        compiled = read_po(po, locale="zh_Hant")
    with open(MO, "wb") as mo:
        write_mo(mo, compiled)
    babel.domain_instance.cache.clear()  # drop a catalogue loaded before the .mo existed


def test_landing_page_renders_in_traditional_chinese(client, catalogue):
    _compile_if_stale()
    page = client.get("/")
    response = client.post("/language", data={"language": "zh_Hant", "csrf_token": csrf_from(page)})
    assert response.status_code == 303
    html = client.get("/").get_data(as_text=True)
    assert 'lang="zh-Hant-HK"' in html
    assert catalogue["Sign in"].string in html
    assert ">Sign in<" not in html
