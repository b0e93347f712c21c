"""Eligibility is written once (foundry/eligibility) for postings and programmes: both forms
carry exactly its fields, both data classes its attributes, and bad eligibility is refused
with the same message at the same field through both forms and both services."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from foundry.db import utcnow
from foundry.eligibility.content import Eligibility
from foundry.eligibility.forms import EligibilityFields
from foundry.errors import InvalidInput
from foundry.postings.forms import PostingForm
from foundry.postings.models import Posting, PostingKind, WorkMode
from foundry.postings.services import PostingData, create_posting
from foundry.programmes.content import ProgrammeData
from foundry.programmes.models import Programme
from foundry.programmes.organiser_forms import ProgrammeForm
from foundry.programmes.services import create_programme
from tests.postings.desk_helpers import form_payload
from tests.programmes.factories import count, programme_data
from tests.programmes.organise_helpers import programme_form

FORMS = [PostingForm, ProgrammeForm]
FIELDS = EligibilityFields.FIELD_NAMES


# --- one definition ------------------------------------------------------------------------


def test_the_mixin_names_exactly_the_fields_it_declares():
    declared = [n for n, v in vars(EligibilityFields).items() if isinstance(v, UnboundField)]
    assert sorted(declared) == sorted(FIELDS)


def test_the_eligibility_data_has_an_attribute_per_field():
    assert [f.name for f in dataclasses.fields(Eligibility)] == list(FIELDS)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_each_form_takes_every_eligibility_field_from_the_mixin(form_class):
    assert issubclass(form_class, EligibilityFields)
    for name in FIELDS:
        assert getattr(form_class, name) is getattr(EligibilityFields, name), (
            f"{form_class.__name__} redefines {name}: change foundry/eligibility/forms.py instead"
        )


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_each_form_lists_its_fields_once_in_its_pages_order(app, form_class):
    """The error summary lists the fields in this order: the six where the page shows them."""
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        listed = [field.name for field in form]
        assert sorted(listed) == sorted(form.data)
    after = listed.index(form_class.eligibility_follows) + 1
    assert listed[after : after + len(FIELDS)] == list(FIELDS)


@pytest.mark.parametrize("data_class", [PostingData, ProgrammeData], ids=lambda c: c.__name__)
def test_each_domains_data_takes_the_eligibility_attributes_from_eligibility(data_class):
    assert issubclass(data_class, Eligibility)
    own = set(vars(data_class).get("__annotations__", {}))
    assert not own & set(FIELDS), f"{data_class.__name__} redeclares an eligibility attribute"


def _bound(form_class, app, world, formdata: MultiDict):
    """The form's eligibility fields' errors, what they read (None when refused) and the
    help under the study levels."""
    with app.test_request_context():
        form = form_class(formdata=formdata, meta={"csrf": False})
        form.set_choices([world.uni_a, world.uni_b], "en")
        form.validate()
        errors = {name: [str(e) for e in form[name].errors] for name in FIELDS}
        read = None if any(errors.values()) else form.eligibility()
        return errors, read, str(form.levels.description)


@pytest.mark.parametrize(
    "typed",
    [
        {"graduation_year_from": "1999"},
        {"graduation_year_to": "2101"},
        {"graduation_year_from": "soon"},
        {"levels": "postdoc"},
        {"university_ids": "999999"},
    ],
)
def test_both_forms_read_and_refuse_the_eligibility_fields_alike(app, world, typed):
    formdata = MultiDict(typed)
    posting_errors, _, reach = _bound(PostingForm, app, world, formdata)
    programme_errors, _, welcome = _bound(ProgrammeForm, app, world, formdata)
    assert posting_errors == programme_errors
    assert any(posting_errors.values())
    # The only difference: each page's own words for "leave it unticked for everyone".
    assert "reach" in reach and "welcome" in welcome


def test_both_forms_read_the_same_eligibility_from_the_same_post(app, world):
    formdata = MultiDict(
        [
            ("university_ids", str(world.uni_a.id)),
            ("faculty_ids", str(world.fac_a1.id)),
            ("levels", "ug"),
            ("levels", "pg"),
            ("graduation_year_from", "2026"),
            ("graduation_year_to", "2028"),
        ]
    )
    _, from_posting, _ = _bound(PostingForm, app, world, formdata)
    _, from_programme, _ = _bound(ProgrammeForm, app, world, formdata)
    assert from_posting == from_programme
    assert from_posting.university_ids == [world.uni_a.id]
    assert from_posting.open_to_non_local is False  # an unticked box posts nothing


# --- the same refusal through both forms ---------------------------------------------------

REVERSED = "The first graduation year is after the last. Swap them or correct one."
OUT_OF_RANGE = "Enter a year between 2000 and 2100."
UNCHOSEN = "Choose faculties of the universities you chose, or no university limit."


def _bad_input(world) -> list[tuple[dict, str, str]]:
    return [
        (
            {"graduation_year_from": "2030", "graduation_year_to": "2026"},
            "graduation_year_to",
            REVERSED,
        ),
        ({"graduation_year_from": "1999"}, "graduation_year_from", OUT_OF_RANGE),
        ({"graduation_year_to": "1999"}, "graduation_year_to", OUT_OF_RANGE),
        (
            {"university_ids": [str(world.uni_a.id)], "faculty_ids": [str(world.fac_b1.id)]},
            "faculty_ids",
            UNCHOSEN,
        ),
    ]


PAGES = {
    "posting": ("/company/alpha/postings/new", form_payload, Posting),
    "programme": ("/company/alpha/programmes/new", programme_form, Programme),
}


@pytest.mark.parametrize("case", range(4), ids=["reversed", "1999", "to-1999", "unchosen"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_bad_eligibility_is_refused_at_its_field_on_both_forms_and_nothing_is_written(
    world, login_as, post_form, page, case
):
    url, payload, model = PAGES[page]
    typed, field, message = _bad_input(world)[case]
    login_as(world.recruiter_a)
    response = post_form(url, payload(**typed))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    error = html.split(f'id="{field}-error"', 1)[1].split("</div>", 1)[0]
    assert message in error
    assert "Please correct the following" in html
    assert count(model) == 0


# --- the same refusal through both services ------------------------------------------------


def _posting_data(**eligibility) -> PostingData:
    return PostingData(
        title="Embedded systems intern",
        kind=PostingKind.SUMMER_INTERNSHIP,
        work_mode=WorkMode.ON_SITE,
        deadline=utcnow() + timedelta(days=20),
        **eligibility,
    )


def _services(world):
    return {
        "posting": lambda **e: create_posting(
            world.recruiter_a, world.company_a, _posting_data(**e)
        ),
        "programme": lambda **e: create_programme(world.park_admin, None, programme_data(**e)),
    }


@pytest.mark.parametrize(
    ("eligibility", "field", "message"),
    [
        (
            {"graduation_year_from": 2030, "graduation_year_to": 2026},
            "graduation_year_to",
            REVERSED,
        ),
        ({"graduation_year_from": 1999}, "graduation_year_from", "between 2000 and 2100"),
        ({"graduation_year_to": 2101}, "graduation_year_to", "between 2000 and 2100"),
    ],
)
@pytest.mark.parametrize("domain", ["posting", "programme"])
def test_both_services_refuse_bad_years_at_the_same_field(
    world, domain, eligibility, field, message
):
    with pytest.raises(InvalidInput) as refused:
        _services(world)[domain](**eligibility)
    assert refused.value.field == field and message in refused.value.message
    assert count(Posting) == 0 and count(Programme) == 0


@pytest.mark.parametrize("domain", ["posting", "programme"])
def test_both_services_refuse_a_faculty_of_an_unchosen_university(world, domain):
    with pytest.raises(InvalidInput) as refused:
        _services(world)[domain](university_ids=[world.uni_a.id], faculty_ids=[world.fac_b1.id])
    assert refused.value.field == "faculty_ids" and refused.value.message == UNCHOSEN
    assert count(Posting) == 0 and count(Programme) == 0
