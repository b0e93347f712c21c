"""Helpers shared by the views: access checks, safe redirects, sorting, pagination, and
what every template can use."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

import sqlalchemy as sa
from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from foundry import policy
from foundry.accounts.labels import ROLE_LABELS
from foundry.applications.models import ApplicationStatus
from foundry.errors import DomainError, InvalidInput, SignInRequired
from foundry.i18n import DATE_FILTERS, format_number
from foundry.i18n import lazy_gettext as _l
from foundry.messages import action_label, audit_summary, object_label
from foundry.postings.markdown import render_markdown
from foundry.taxonomy import CLUSTER_LABELS, LANGUAGE_LABELS, PARK_LOCATION_LABELS, THEME_LABELS
from foundry.unit_of_work import commit_refusal, discard
from foundry.urls import safe_next_url


def require(action: str, obj=None) -> None:
    """Ask the policy; anonymous visitors are sent to sign in, others get a 403 page."""
    if policy.can(current_user, action, obj):
        return
    if not current_user.is_authenticated:
        raise SignInRequired()
    policy.authorize(current_user, action, obj)


# --- uploads above the whole-request ceiling (MAX_CONTENT_LENGTH) -------------------------

UPLOAD_LIMIT_ATTRIBUTE = "upload_limit_bytes"
# Room for the form's other fields and the multipart framing around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def accepts_uploads_up_to(limit_bytes: int):
    """Mark a view that takes a file larger than MAX_CONTENT_LENGTH (put it right under the
    route decorator). The rest of the portal keeps the smaller ceiling."""

    def mark(view):
        setattr(view, UPLOAD_LIMIT_ATTRIBUTE, limit_bytes)
        return view

    return mark


def register_upload_limits(app: Flask) -> None:
    """Raise the request's ceiling for a marked view before anything reads the form: call
    it before CSRF protection is set up, whose before-request hook parses the body."""

    @app.before_request
    def fit_upload_limit() -> None:
        view = app.view_functions.get(request.endpoint or "")
        limit = getattr(view, UPLOAD_LIMIT_ATTRIBUTE, None)
        if limit:
            request.max_content_length = limit + FORM_OVERHEAD_BYTES
            g.upload_limit_bytes = limit  # what a 413 page names


def pdf_response(content: bytes, filename: str) -> Response:
    """A stored PDF, shown inline, never sniffed as anything else and never cached."""
    safe_name = "".join(c for c in filename if c.isalnum() or c in "._- ") or "cv.pdf"
    return Response(
        content,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{safe_name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def ascii_filename(filename: str, fallback: str) -> str:
    """The name as old clients can read it: accents dropped, other scripts left out; when
    nothing of the name is left (合作協議.pdf), `fallback` with the same extension."""
    simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    simple = "".join(c for c in simple if c.isalnum() or c in "._-() ").strip()
    stem, dot, extension = simple.rpartition(".")
    if not dot:
        return simple or fallback
    if not stem.strip(" ._-()"):
        return f"{fallback}.{extension}" if extension else fallback
    return f"{stem.strip()}.{extension}"


def attachment_response(content: bytes, filename: str, mimetype: str, fallback: str) -> Response:
    """A stored file to save, never shown inline nor sniffed as anything else, never
    cached. Its name is given in ASCII (`filename`) and in UTF-8 (`filename*`, RFC 6266),
    which browsers prefer: a Chinese name arrives as it was uploaded."""
    response = send_file(
        io.BytesIO(content), mimetype=mimetype, max_age=0, conditional=False, etag=False
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_filename(filename, fallback)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# The field a confirmation page adds to the form it posts again.
CONFIRMED_FIELD = "confirmed"


def confirm_or_ask(question: str, *, action: str, cancel_url: str, detail: str = "") -> None:
    """Go on if this POST was confirmed; otherwise answer it with a page that asks.

    For actions that cannot be undone (delete, remove, revoke, close). The page is a form
    that posts the same fields to the same URL, plus `confirmed=yes`: no JavaScript
    needed. Call it after loading the object and checking access, before changing
    anything. `question` and `detail` are plain text (escaped when shown)."""
    if request.form.get(CONFIRMED_FIELD) == "yes":
        return
    carried = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in (CONFIRMED_FIELD, "csrf_token")
    ]
    page = render_template(
        "core/confirm.html",
        question=question,
        detail=detail,
        action=action,
        cancel_url=safe_next_url(cancel_url, url_for("core.home")),
        carried=carried,
        target=request.full_path.rstrip("?"),
    )
    abort(make_response(page, 200))


@contextmanager
def on_refusal(
    page: Callable,
    *,
    catching: type[Exception] | tuple[type[Exception], ...] = DomainError,
    field=None,
    keep: bool = False,
) -> Iterator[None]:
    """Around the service call of a form's view: when the service refuses (raises a
    DomainError, or what `catching` names), the request is answered with `page(error)`,
    the form again with the message, instead of going on.

    The request's work is rolled back first, so the page shows what is stored; with
    `keep=True` it is committed instead (a failed attempt that counts towards a lockout).
    `field`, when given, shows the message under that form field."""
    try:
        yield
    except catching as error:
        if keep:
            commit_refusal()
        else:
            discard()
        if field is not None:
            field.errors = [*field.errors, error.message]
        abort(make_response(page(error)))


@dataclass(frozen=True)
class Sorting:
    key: str
    descending: bool

    @property
    def param(self) -> str:
        return ("-" if self.descending else "") + self.key


def sorting_from_request(allowed: dict, default: str) -> Sorting:
    """Read ?sort=name or ?sort=-name, refusing keys that are not in `allowed`."""
    raw = request.args.get("sort", default)
    key = raw.removeprefix("-")
    if key not in allowed:
        raise InvalidInput(_l("You cannot sort this list by %(key)s.", key=key[:40]))
    return Sorting(key=key, descending=raw.startswith("-"))


def apply_sorting(
    stmt: sa.Select, sorting: Sorting, allowed: dict, tiebreak, nulls_last: frozenset = frozenset()
) -> sa.Select:
    """Order by the chosen key, then `tiebreak`. Keys named in `nulls_last` put rows without
    a value last in both directions (the engines disagree: SQLite puts NULL first going up,
    PostgreSQL last), e.g. programmes with no session ahead after the soonest."""
    column = allowed[sorting.key]
    order = column.desc() if sorting.descending else column.asc()
    if sorting.key in nulls_last:
        return stmt.order_by(column.is_(None), order, tiebreak)
    return stmt.order_by(order, tiebreak)


def page_from_request() -> int:
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        raise InvalidInput(_l("The page number must be a whole number.")) from None
    if page < 1 or page > 100_000:
        raise InvalidInput(_l("The page number is out of range."))
    return page


def url_with(**changes) -> str:
    """The current URL with some query parameters replaced (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def form_error_messages(form) -> list[str]:
    """Every error of a form as "Label: message", including those of nested fields."""
    messages: list[str] = []
    for field in form:
        label = field.label.text
        for error in field.errors:
            if isinstance(error, dict):  # an entry of a FieldList of FormFields
                for nested in error.values():
                    messages.extend(f"{label}: {m}" for m in nested)
            elif isinstance(error, list | tuple):
                messages.extend(f"{label}: {m}" for m in error)
            else:
                messages.append(f"{label}: {error}")
    return messages


def own_errors(field) -> list[str]:
    """A field's own messages, without those of its nested entries."""
    return [str(e) for e in field.errors if not isinstance(e, dict | list | tuple)]


def navigation_for(user) -> list[tuple[str, str]]:
    """The areas of the portal this user may open (policy.navigation_areas), as (url, label)."""
    find_roles = (url_for("postings.search"), _l("Find roles"))
    companies = (url_for("companies.directory"), _l("Companies"))
    programmes = (url_for("programmes.index"), _l("Programmes"))
    if not user.is_authenticated:
        return [find_roles, programmes, companies]
    areas = policy.navigation_areas(user)
    approval_queues = sum(area.kind == "approvals" for area in areas)
    items: list[tuple[str, str]] = []
    for area in areas:
        items += _area_links(area, find_roles, approval_queues)
    if find_roles not in items:
        items.append(find_roles)
    # Programmes are for everyone, beside the roles; but a student who also works in a
    # company or faculty already fills one row at 1280 px (tests/browser/test_layout.py):
    # for them the link is in the footer (base.html) of every page.
    crowded = any(a.kind == "student" for a in areas) and len(areas) > 1
    if not crowded:
        items.insert(items.index(find_roles) + 1, programmes)
    return items


def _area_links(area: policy.Area, find_roles, approval_queues: int) -> list[tuple[str, str]]:
    """The navigation link(s) of one area."""
    match area.kind:
        case "student":
            # Short labels: the whole bar is the student's own, and a student who also runs
            # a company must still get one row at 1280 px (tests/browser/test_layout.py).
            return [
                (url_for("students.home"), _l("Dashboard")),
                find_roles,
                (url_for("applications.mine"), _l("Applications")),
                (url_for("placements.mine"), _l("Placements")),
                (url_for("students.edit_profile"), _l("Profile")),
            ]
        case "faculty":
            url = url_for("universities.faculty_home", faculty_id=area.obj.id)
            return [(url, area.obj.name(str(get_locale())))]
        case "university":
            url = url_for("universities.university_home", university_id=area.obj.id)
            return [(url, area.obj.code)]
        case "reports":
            return [(url_for("reports.dashboard"), _l("Placements"))]
        case "approvals":
            url = url_for("posting_approvals.queue", university_id=area.obj.id)
            if approval_queues == 1:
                return [(url, _l("Approvals"))]
            return [(url, f"{area.obj.code} · {_l('Approvals')}")]
        case "company":
            # The company's workspace leads to its postings, pipelines and the Talent Pool.
            return [(url_for("companies.home", slug=area.obj.slug), area.obj.name)]
        case "admin":
            return [(url_for("admin.home"), _l("Park admin"))]
    raise ValueError(f"no link for area {area.kind!r}")


def active_url(items: list[tuple[str, str]], path: str) -> str | None:
    """The navigation item the page belongs to: the longest URL that prefixes the path."""
    matches = [
        url for url, _label in items if path == url or path.startswith(url.rstrip("/") + "/")
    ]
    return max(matches, key=len, default=None)


def template_globals(app: Flask) -> None:
    @app.context_processor
    def inject():
        navigation = navigation_for(current_user)
        return {
            "can": lambda action, obj=None: policy.can(current_user, action, obj),
            "navigation": navigation,
            "active_nav": active_url(navigation, request.path),
            "csrf_token": generate_csrf,
            "current_locale": str(get_locale()),
            "languages": current_app.config["LANGUAGES"],
            "demo_sign_in_enabled": current_app.config.get("DEMO_SIGN_IN", False),
            "url_with": url_with,
            "form_error_messages": form_error_messages,
            "own_errors": own_errors,
            "ROLE_LABELS": ROLE_LABELS,
            "ApplicationStatus": ApplicationStatus,
            "CLUSTER_LABELS": CLUSTER_LABELS,
            "PARK_LOCATION_LABELS": PARK_LOCATION_LABELS,
            "THEME_LABELS": THEME_LABELS,
            "LANGUAGE_LABELS": LANGUAGE_LABELS,
            # Audit lines in the reader's language, from their code and parameters.
            "action_label": action_label,
            "audit_summary": audit_summary,
            "object_label": object_label,
        }

    @app.template_filter("summary")
    def summary(text, limit: int = 160) -> str:
        """Plain text on one line, cut at a word before `limit` characters (meta tags)."""
        flat = " ".join(str(text).split()).strip(" ·")
        if len(flat) <= limit:
            return flat
        return flat[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:·") + "…"

    for name, date_filter in DATE_FILTERS.items():
        app.add_template_filter(date_filter, name)
    app.add_template_filter(format_number, "numberformat")  # Flask-Babel's, cached
    # A posting's Markdown, sanitised (the desk's previews and the moderation page).
    app.add_template_filter(render_markdown, "markdown")

    @app.template_test("web_link")
    def web_link(url) -> bool:
        """Only http(s) links are rendered as links (older rows may hold anything)."""
        return isinstance(url, str) and url.lower().startswith(("http://", "https://"))

    @app.template_filter("width_class")
    def width_class(percent) -> str:
        """A bar's length as a class, tf-w-0 to tf-w-100: the Content-Security-Policy
        allows no style attribute. Anything above zero shows at least 1%."""
        value = float(percent or 0)
        return f"tf-w-{0 if value <= 0 else min(100, max(1, round(value)))}"

    @app.template_filter("localname")
    def localname(obj) -> str:
        return obj.name(str(get_locale())) if obj is not None else ""
