"""id_url: one URL built, then an id put in place per row, as url_for would build each."""

from __future__ import annotations

from flask import url_for

from foundry.urls import id_url


def test_id_url_builds_what_url_for_builds(app):
    with app.test_request_context():
        applicant = id_url("pipeline.applicant", "application_id")
        for id_ in (1, 7, 918273645, 10**12):
            assert applicant(id_) == url_for("pipeline.applicant", application_id=id_)
        move = id_url("pipeline.move_applicant", "application_id")
        assert move(42) == url_for("pipeline.move_applicant", application_id=42)


def test_id_url_keeps_the_sites_prefix_and_other_values(app):
    with app.test_request_context(environ_overrides={"SCRIPT_NAME": "/portal"}):
        board = id_url("pipeline.board", "posting_id", slug="acme", view="list")
        assert board(5) == url_for("pipeline.board", slug="acme", posting_id=5, view="list")
        assert board(5).startswith("/portal/")
