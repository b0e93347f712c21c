"""Talent Foundry: the app factory reads like a table of contents.

Every domain's blueprint is in the one list below (BLUEPRINTS); who may do what is in
foundry/policy.py; a domain's records, services, routes and words are in its package
(foundry/<domain>/models.py, services.py, routes.py, labels.py)."""

from __future__ import annotations

import logging
import os

from flask import Flask
from sqlalchemy.engine import make_url

from config import CONFIGS, ConfigurationError, ProductionConfig
from foundry import models  # noqa: F401  (every model registered before use)
from foundry.accounts.routes import bp as accounts_bp
from foundry.accounts.session import configure_login
from foundry.accounts.two_factor_routes import bp as two_factor_bp
from foundry.admin.routes import bp as admin_bp
from foundry.admin.sso_routes import bp as admin_universities_bp
from foundry.applications.pipeline_routes import bp as pipeline_bp
from foundry.applications.routes import bp as applications_bp
from foundry.cli import register_cli
from foundry.collaborations.attachment_routes import bp as collaboration_attachments_bp
from foundry.collaborations.manage_routes import bp as collaboration_manage_bp
from foundry.collaborations.portfolio_routes import bp as collaboration_portfolios_bp
from foundry.collaborations.proposal_routes import bp as collaboration_proposals_bp
from foundry.collaborations.routes import bp as collaborations_bp
from foundry.companies.members_routes import bp as company_members_bp
from foundry.companies.routes import bp as companies_bp
from foundry.core.routes import bp as core_bp
from foundry.errors import register_error_handlers
from foundry.extensions import babel, csrf, limiter, migrate
from foundry.extensions import db as database  # `db` here would hide the module foundry.db
from foundry.i18n import install_template_gettext, select_locale, select_timezone
from foundry.notifications.routes import bp as notifications_bp
from foundry.placements.evaluation_routes import bp as placement_evaluations_bp
from foundry.placements.routes import bp as placements_bp
from foundry.postings.approval_routes import bp as posting_approvals_bp
from foundry.postings.desk_routes import bp as posting_desk_bp
from foundry.postings.moderation_routes import bp as posting_moderation_bp
from foundry.postings.routes import bp as postings_bp
from foundry.postings.saved_routes import bp as saved_postings_bp
from foundry.postings.search_index import alembic_include_object
from foundry.programmes.calendar_routes import bp as programme_calendars_bp
from foundry.programmes.certificate_routes import bp as programme_certificates_bp
from foundry.programmes.checkin_routes import bp as programme_checkin_bp
from foundry.programmes.checkin_student_routes import bp as programme_tickets_bp
from foundry.programmes.fair_company_routes import bp as company_fairs_bp
from foundry.programmes.fair_routes import bp as fairs_bp
from foundry.programmes.feedback_routes import bp as programme_feedback_bp
from foundry.programmes.funnel_routes import bp as programme_funnel_bp
from foundry.programmes.organiser_routes import bp as programme_organise_bp
from foundry.programmes.routes import bp as programmes_bp
from foundry.reports import cache as dashboard_cache
from foundry.reports.routes import bp as reports_bp
from foundry.reports.summaries.tracking import follow_changes
from foundry.security import register_security
from foundry.sso.routes import bp as sso_bp
from foundry.students.routes import bp as students_bp
from foundry.talent_pool.routes import bp as talent_pool_bp
from foundry.unit_of_work import register_unit_of_work
from foundry.universities.routes import bp as universities_bp
from foundry.universities.staff_routes import bp as university_staff_bp
from foundry.web import register_upload_limits, template_globals

# Every blueprint of the product, by domain: one per routes module, none nested. A
# blueprint's name is the first part of its endpoints (url_for("postings.search")).
BLUEPRINTS = (
    core_bp,
    accounts_bp,
    two_factor_bp,
    students_bp,
    companies_bp,
    company_members_bp,
    universities_bp,
    university_staff_bp,
    admin_bp,
    admin_universities_bp,
    postings_bp,
    saved_postings_bp,
    posting_desk_bp,
    posting_moderation_bp,
    posting_approvals_bp,
    applications_bp,
    pipeline_bp,
    notifications_bp,
    placements_bp,
    placement_evaluations_bp,
    talent_pool_bp,
    reports_bp,
    collaborations_bp,
    collaboration_manage_bp,
    collaboration_proposals_bp,
    collaboration_attachments_bp,
    collaboration_portfolios_bp,
    sso_bp,
    programmes_bp,
    programme_calendars_bp,
    programme_organise_bp,
    programme_funnel_bp,
    programme_checkin_bp,
    programme_tickets_bp,
    programme_feedback_bp,
    programme_certificates_bp,
    fairs_bp,
    company_fairs_bp,
)


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the app for `config_name` (development, testing, production)."""
    config_name = config_name or os.environ.get("FOUNDRY_CONFIG", "development")
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    configure(app, config_name, overrides or {})
    register_extensions(app)
    register_blueprints(app)
    template_globals(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def configure(app: Flask, config_name: str, overrides: dict) -> None:
    if config_name not in CONFIGS:
        raise ConfigurationError(f"unknown configuration {config_name!r}")
    config_cls = CONFIGS[config_name]
    app.config.from_object(config_cls)
    app.config["CONFIG_NAME"] = config_name
    if config_cls is ProductionConfig:
        app.config.update(ProductionConfig.from_environment())
    elif hasattr(config_cls, "load_secret_key"):
        app.config["SECRET_KEY"] = config_cls.load_secret_key()
        app.config["ENCRYPTION_KEYS"] = config_cls.load_encryption_keys()
    app.config.update(overrides)
    config_cls.validate(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if config_name == "production":
        logging.basicConfig(level=logging.INFO)


def register_extensions(app: Flask) -> None:
    database.init_app(app)
    follow_changes(database.session)
    dashboard_cache.init_app(app, database.session)
    # Batch mode lets later migrations alter SQLite tables (it has no ALTER COLUMN).
    migrate.init_app(
        app,
        database,
        directory=os.path.join(app.root_path, "..", "migrations"),
        render_as_batch=True,
        include_object=alembic_include_object(
            make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
        ),
    )
    register_upload_limits(app)  # before CSRF protection, which reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    configure_login(app)
    register_security(app, production=app.config["CONFIG_NAME"] == "production")
    register_unit_of_work(app)  # last: it runs first of the after-request functions


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
