"""Finding postings: the search page, a posting's public page (with schema.org JSON-LD)
and the Atom feed of the newest postings. Saved postings and searches: saved_routes.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from foundry import policy
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.eligibility.rules import application_blockers
from foundry.errors import InvalidInput, NotFound
from foundry.extensions import db
from foundry.i18n import format_moment
from foundry.postings import page_cache, search_results
from foundry.postings.alerts import save_search as save_search_service
from foundry.postings.cards import card_head, save_action
from foundry.postings.labels import (
    KIND_LABELS,
    PAY_PERIOD_LABELS,
    POSTING_STATUS_LABELS,
    WORK_MODE_LABELS,
)
from foundry.postings.loading import posting_for_page
from foundry.postings.markdown import render_markdown, without_leading_heading
from foundry.postings.models import Posting, PostingKind, PostingStatus, WorkMode
from foundry.postings.saved_routes import (
    CARD_LABELS,
    SaveSearchForm,
    card_context,
    viewer_profile,
)
from foundry.postings.search import (
    SORT_LABELS,
    SearchParams,
    parse_search_params,
)
from foundry.postings.search_index import MAX_CHINESE_PAIRS, MAX_SEARCH_WORDS
from foundry.reports import cache
from foundry.students.labels import STUDY_LEVEL_LABELS
from foundry.taxonomy import ParkLocation
from foundry.urls import external_url
from foundry.web import on_refusal, page_from_request, require

bp = Blueprint("postings", __name__)
# Posting cards (search, saved postings) place their head through it: postings/cards.py.
bp.add_app_template_global(card_head)
bp.add_app_template_global(save_action)

PER_PAGE = 20
FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
EMPLOYMENT_TYPES = {
    PostingKind.SUMMER_INTERNSHIP: "INTERN",
    PostingKind.PART_TIME_INTERNSHIP: "PART_TIME",
    PostingKind.YEAR_LONG_PLACEMENT: "INTERN",
    PostingKind.GRADUATE_ROLE: "FULL_TIME",
    PostingKind.RESEARCH_ASSISTANT: "TEMPORARY",
}


def render_search(params: SearchParams, save_form, status: int = 200):
    """The search page for `params`, with the "save this search" form given."""
    profile = viewer_profile()

    def render_cards(found) -> str:
        return render_template(
            "postings/_search_results.html",
            params=params,
            page=found,
            labels=CARD_LABELS,
            # Every form's token is put in per request (page_cache.py).
            csrf_token=lambda: cache.FORM_TOKEN,
            # A student's search lists only postings their university approved (search.py).
            **card_context(profile, found.items, saved_ids=set(), approved=True),
        )

    results = search_results.results(
        params,
        current_user,
        profile,
        request.query_string.decode("latin-1"),
        str(get_locale()),
        utcnow(),
        page=page_from_request(),
        per_page=PER_PAGE,
        render=render_cards,
    )
    return render_template(
        "postings/search.html",
        params=params,
        results=results,
        is_student=profile is not None,
        save_form=save_form,
        search_args=params.to_args(),
        KIND_LABELS=KIND_LABELS,
        WORK_MODE_LABELS=WORK_MODE_LABELS,
        SORT_LABELS=SORT_LABELS,
        max_search_words=MAX_SEARCH_WORDS,
        max_chinese_pairs=MAX_CHINESE_PAIRS,
    ), status


@bp.route("/postings", methods=["GET", "POST"])
def search():
    """The search page; a POST (from "Save this search") saves the search in its URL."""
    params = parse_search_params(request.args)
    if request.method == "POST":
        return _save_search(params)
    return render_search(params, SaveSearchForm(formdata=None))


def _save_search(params: SearchParams):
    require("area.student")
    form = SaveSearchForm()
    if not form.validate_on_submit():
        return render_search(params, form, 400)
    with on_refusal(
        lambda _refusal: render_search(params, form, 400), catching=InvalidInput, field=form.name
    ):
        saved = save_search_service(current_user, form.name.data, params, utcnow())
    flash(
        _("Search saved as “%(name)s”. We will tell you of new postings.", name=saved.name),
        "success",
    )
    return redirect(url_for("postings.search", **params.to_args()), 303)


@bp.get("/postings/<int:posting_id>")
def view(posting_id: int):
    profile = viewer_profile()
    # The row and its company decide who may see it; its lists are read only to render the
    # body, which for a published posting is kept in the shared cache (page_cache.py).
    posting, is_saved = posting_for_page(posting_id, profile, current_user)
    # Drafts and closed postings are not found, rather than forbidden, for those who may
    # not see them: their existence is not public either.
    if posting is None or not policy.can(current_user, "posting.view", posting):
        raise NotFound(_("There is no published posting with this number."))
    description = without_leading_heading(
        render_markdown(posting.description), _("About the role"), "About the role"
    )
    if posting.status is not PostingStatus.PUBLISHED:  # its company's and the park's eyes
        body = _posting_body(posting, profile, description, is_saved)
    else:
        body = page_cache.posting_body(
            posting,
            current_user,
            profile,
            str(get_locale()),
            utcnow(),
            is_saved=is_saved,
            may_view_company=policy.can(current_user, "company.view", posting.company),
            render=lambda: _posting_body(posting, profile, description, None),
        )
    return render_template(
        "postings/view.html",
        posting=posting,
        description=description,
        body=body,
        KIND_LABELS=KIND_LABELS,
    )


def _posting_body(posting: Posting, profile, description: Markup, is_saved: bool | None) -> Markup:
    """The page's body with the viewer's saved mark and token; with `is_saved` None, with
    both save forms and the token's marker, to be kept for a cohort (page_cache.py)."""
    reasons = application_blockers(profile, posting) if profile else []
    requirements = without_leading_heading(
        render_markdown(posting.requirements), _("What you need"), "What you need"
    )
    published = posting.status is PostingStatus.PUBLISHED
    marked = {} if is_saved is not None else {"csrf_token": lambda: cache.FORM_TOKEN}
    return Markup(  # noqa: S704 (an autoescaped template's output)
        render_template(
            "postings/_posting_body.html",
            posting=posting,
            description=description,
            requirements=requirements,
            reasons=reasons,
            is_student=profile is not None,
            is_saved=is_saved,
            is_open=posting.is_open_for_applications(),
            can_apply_here="applications.apply" in current_app.view_functions,
            json_ld=job_posting_json_ld(posting, description + requirements) if published else None,
            KIND_LABELS=KIND_LABELS,
            WORK_MODE_LABELS=WORK_MODE_LABELS,
            PAY_PERIOD_LABELS=PAY_PERIOD_LABELS,
            POSTING_STATUS_LABELS=POSTING_STATUS_LABELS,
            STUDY_LEVEL_LABELS=STUDY_LEVEL_LABELS,
            **marked,
        )
    )


@bp.get("/postings/feed.atom")
def feed():
    postings = db.session.scalars(
        sa.select(Posting)
        .where(Posting.status == PostingStatus.PUBLISHED, Posting.deadline > utcnow())
        .options(sa.orm.joinedload(Posting.company), sa.orm.lazyload("*"))
        .order_by(Posting.published_at.desc(), Posting.id.desc())
        .limit(FEED_SIZE)
    ).all()
    return Response(atom_feed(postings), mimetype="application/atom+xml")


# --- machine-readable forms of postings --------------------------------------------------


def job_posting_json_ld(posting: Posting, description_html: Markup) -> dict:
    """A schema.org JobPosting for search engines; the template dumps it with |tojson."""
    company: Company = posting.company
    organisation = {
        "@type": "Organization",
        "name": company.name,
        "url": external_url("companies.profile", slug=company.slug),
    }
    if company.website:
        organisation["sameAs"] = company.website
    data: dict = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": str(description_html),
        "datePosted": _iso(posting.published_at or posting.created_at),
        "validThrough": _iso(posting.deadline),
        "employmentType": EMPLOYMENT_TYPES[posting.kind],
        "url": external_url("postings.view", posting_id=posting.id),
        "hiringOrganization": organisation,
        "identifier": {"@type": "PropertyValue", "name": company.name, "value": str(posting.id)},
        "totalJobOpenings": posting.openings,
    }
    if posting.work_mode is WorkMode.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "HK"}
    else:
        in_shenzhen = company.park_location is ParkLocation.SHENZHEN_BRANCH
        data["jobLocation"] = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": posting.location or company.name,
                "addressLocality": "Shenzhen" if in_shenzhen else "Hong Kong",
                "addressCountry": "CN" if in_shenzhen else "HK",
            },
        }
    if posting.pay_min_hkd is not None or posting.pay_max_hkd is not None:
        value: dict = {"@type": "QuantitativeValue", "unitText": posting.pay_period.name}
        if posting.pay_min_hkd is not None:
            value["minValue"] = posting.pay_min_hkd
        if posting.pay_max_hkd is not None:
            value["maxValue"] = posting.pay_max_hkd
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "HKD", "value": value}
    if posting.start_date:
        data["jobStartDate"] = posting.start_date.isoformat()
    return data


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(postings: list[Posting]) -> bytes:
    """An Atom 1.0 document of `postings`, built as XML elements (never by pasting text)."""
    self_url = external_url("postings.feed")
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "en"})
    ET.SubElement(root, "id").text = self_url
    ET.SubElement(root, "title").text = _("Talent Foundry: new postings")
    ET.SubElement(root, "subtitle").text = _(
        "Internships and graduate roles at science park companies, newest first."
    )
    newest = max((p.updated_at for p in postings), default=None) or utcnow()
    ET.SubElement(root, "updated").text = _iso(newest)
    ET.SubElement(root, "link", rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(
        root,
        "link",
        rel="alternate",
        type="text/html",
        href=external_url("postings.search", sort="newest"),
    )
    ET.SubElement(ET.SubElement(root, "author"), "name").text = "Talent Foundry"
    for posting in postings:
        url = external_url("postings.view", posting_id=posting.id)
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "id").text = url
        ET.SubElement(entry, "title").text = posting.title
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
        ET.SubElement(entry, "published").text = _iso(posting.published_at)
        ET.SubElement(entry, "updated").text = _iso(max(posting.updated_at, posting.published_at))
        ET.SubElement(ET.SubElement(entry, "author"), "name").text = posting.company.name
        ET.SubElement(
            entry, "category", term=posting.kind.value, label=str(KIND_LABELS[posting.kind])
        )
        ET.SubElement(entry, "summary", type="text").text = _feed_summary(posting)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _feed_summary(posting: Posting) -> str:
    text = render_markdown(posting.description).striptags()
    if len(text) > 400:
        text = text[:400].rsplit(" ", 1)[0] + "…"
    heading = _(
        "%(company)s · %(kind)s · apply by %(deadline)s HKT",
        company=posting.company.name,
        kind=KIND_LABELS[posting.kind],
        deadline=format_moment(posting.deadline),
    )
    return f"{heading}\n\n{text}"
