"""Templates translate from each language's catalogue, kept once per process
(foundry.i18n.install_template_gettext): every page is in its own reader's language,
whatever the request before it was in, and force_locale (e-mails, notifications in the
recipient's language) is honoured."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

from tests.conftest import csrf_from

MESSAGES = "{{ _('Sign in') }}|{{ ngettext('%(num)d posting', '%(num)d postings', 3) }}"


def test_each_language_its_own_messages_in_turn(app):
    for _ in range(2):  # the second round reads the kept catalogues
        with app.test_request_context("/"):
            assert render_template_string(MESSAGES) == "Sign in|3 postings"
            with force_locale("zh_Hant"):
                assert render_template_string(MESSAGES) == "登入|3個職位"
            assert render_template_string(MESSAGES) == "Sign in|3 postings"


def test_a_template_rendered_without_the_context_processor_follows_the_locale(app):
    with app.test_request_context("/"), force_locale("zh_Hant"):
        template = app.jinja_env.from_string(MESSAGES)
        assert template.render() == "登入|3個職位"


def test_two_visitors_in_two_languages_each_get_their_own(app, world):
    chinese, english = app.test_client(), app.test_client()
    page = chinese.get("/")
    chinese.post(
        "/language", data={"language": "zh_Hant", "next": "/", "csrf_token": csrf_from(page)}
    )
    for _ in range(2):
        assert "跳至主要內容" in chinese.get("/").get_data(as_text=True)
        html = english.get("/").get_data(as_text=True)
        assert "Skip to main content" in html
        assert "跳至主要內容" not in html
