"""Messages are text, escaped wherever they are shown: the lazily translated ones too."""

from __future__ import annotations

import ast
from pathlib import Path

from flask import render_template_string

from foundry.i18n import lazy_gettext, lazy_ngettext, lazy_pgettext

ROOT = Path(__file__).resolve().parents[2]
LAZY_NAMES = {"lazy_gettext", "lazy_pgettext", "lazy_ngettext", "lazy_npgettext", "LazyString"}


def test_lazy_messages_formatted_with_input_are_escaped_in_templates(app):
    with app.test_request_context():
        for message in (
            lazy_gettext("You cannot sort this list by %(key)s.", key="<b>x</b>"),
            lazy_pgettext("application status", "%(x)s", x="<b>x</b>"),
            lazy_ngettext("%(num)d <i>", "%(num)d <i>", 2),
        ):
            html = render_template_string("{{ message }}", message=message)
            assert "<b>" not in html and "<i>" not in html
            assert "&lt;" in html


def test_nobody_takes_flask_babels_trusting_lazy_strings():
    """Flask-Babel's LazyString says it is markup (`__html__` returns it unescaped);
    foundry.i18n gives the same functions returning text."""
    offenders = []
    for path in [*ROOT.joinpath("foundry").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]:
        if path.name == "i18n.py" and path.parent.name == "foundry":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flask_babel"):
                offenders += [f"{path}: {a.name}" for a in node.names if a.name in LAZY_NAMES]
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in LAZY_NAMES
                and isinstance(node.value, ast.Name)
                and node.value.id == "flask_babel"
            ):
                offenders.append(f"{path}: flask_babel.{node.attr}")
    assert not offenders, "import lazy translations from foundry.i18n:\n" + "\n".join(offenders)
