"""The suggestion and curation forms: each bad input gets its own clear message."""

import datetime

import pytest

from peerhub.library.forms import CurateForm, MergeForm, SubmissionForm, TermForm, isbn_is_valid
from peerhub.library.taxonomy import vocabulary_tree, vocabulary_trees
from peerhub.library.tests.curation_helpers import submit_form_data, term

pytestmark = pytest.mark.django_db


def submission(needs_email=False, **changes) -> SubmissionForm:
    form = SubmissionForm(submit_form_data(**changes), vocabularies=vocabulary_trees(["condition"]),
                          needs_email=needs_email)
    form.is_valid()
    return form


def test_a_complete_suggestion_is_valid_and_tidied():
    form = submission(title="  Walking   together ", authors="Smith J\n\n  Patel   R \n", doi="doi:10.1000/ABC.1",
                      pmid="PMID: 00123", isbn="978-0-19-852663-6", terms_condition=[term("anxiety").pk])
    assert form.errors == {}
    data = form.resource_data()
    assert data["title"] == "Walking together"
    assert data["authors"] == ["Smith J", "Patel R"]
    assert (data["doi"], data["pmid"], data["isbn"]) == ("10.1000/abc.1", "123", "9780198526636")
    assert data["pub_year"] == 2023 and data["pub_month"] == 5
    assert form.term_ids() == [term("anxiety").pk]
    assert "note" not in data and "email" not in data


def test_it_requires_an_email_from_a_visitor():
    assert submission(needs_email=True).errors["email"] == ["Enter your email address, so we can tell you our decision"]


def test_it_rejects_a_malformed_email():
    form = submission(needs_email=True, email="nobody")
    assert "Enter an email address in the right format" in form.errors["email"][0]


@pytest.mark.parametrize("year", ["1899", "3000"])
def test_it_rejects_a_year_out_of_range(year):
    next_year = datetime.date.today().year + 1
    assert submission(pub_year=year).errors["pub_year"] == [f"Enter a year between 1900 and next year ({next_year})"]


def test_it_rejects_a_year_that_is_not_a_number():
    assert submission(pub_year="twenty").errors["pub_year"] == ["Enter the year as a number, like 2021"]


def test_it_rejects_a_month_without_a_year():
    assert submission(pub_year="", pub_month="4").errors["pub_year"] == ["Enter the year as well as the month"]


def test_it_rejects_a_doi_that_does_not_start_with_10():
    assert "Enter a DOI that looks like 10.1136/bmj.m1234" in submission(doi="bmj.m1234").errors["doi"][0]


def test_it_rejects_a_pmid_with_letters():
    assert submission(pmid="12a45").errors["pmid"] == ["A PubMed ID (PMID) is made of digits only, like 31234567"]


def test_it_rejects_an_isbn_with_a_wrong_check_digit():
    assert "Check the digits" in submission(isbn="978-0-19-852663-5").errors["isbn"][0]


@pytest.mark.parametrize(("isbn", "valid"), [("0198526636", True), ("080442957X", True), ("0198526637", False),
                                             ("9780198526636", True), ("12345", False)])
def test_it_checks_isbn_check_digits(isbn, valid):
    assert isbn_is_valid(isbn) is valid


def test_it_needs_some_way_to_find_the_resource():
    form = submission(url="", doi="", pmid="", isbn="")
    assert form.errors["url"] == ["Enter a link, DOI, PubMed ID or ISBN, so the curators can find the resource"]
    assert submission(url="", doi="10.1000/x").errors == {}


def test_it_rejects_a_term_from_outside_the_list():
    form = submission(terms_condition=[term("men", "community").pk])
    assert "Choose from the condition list" in form.errors["terms_condition"][0]


def test_it_rejects_too_many_or_too_long_author_names():
    assert "List up to 200 authors" in submission(authors="\n".join(["A"] * 201)).errors["authors"][0]
    assert "Each author must be 200 characters or fewer" in submission(authors="x" * 201).errors["authors"][0]


def test_it_marks_invalid_fields_for_assistive_technology():
    form = submission(title="")
    assert form.fields["title"].widget.attrs["aria-invalid"] == "true"
    assert "nhsuk-input--error" in form.fields["title"].widget.attrs["class"]
    assert form.fields["pub_year"].widget.attrs["class"].startswith("nhsuk-input ")


def curate(**data) -> CurateForm:
    form = CurateForm({"title": "A title", "resource_type": "report", **data}, vocabularies=vocabulary_trees())
    form.is_valid()
    return form


def test_the_curate_form_accepts_appraisal_and_freshness():
    form = curate(quality="low", study_design="qualitative", last_checked="01/02/2025", review_due="2026-02-01")
    assert form.errors == {}
    assert form.resource_data()["last_checked"] == datetime.date(2025, 2, 1)
    assert form.resource_data()["quality"] == "low"


def test_the_curate_form_rejects_an_impossible_date():
    assert curate(pub_day="30", pub_month="2", pub_year="2024").errors["pub_day"] == [
        "February does not have 30 days. Enter a real date."]
    assert curate(pub_day="3").errors["pub_day"] == ["Choose the month as well as the day"]


def test_the_curate_form_rejects_a_review_date_before_the_check():
    form = curate(last_checked="2025-05-01", review_due="2025-04-01")
    assert form.errors["review_due"] == ["The review due date must be after the date it was last checked"]


def test_the_curate_form_rejects_an_unreal_date():
    assert curate(last_checked="2025-13-45").errors["last_checked"] == [
        "Enter date last checked as a real date, like 27/03/2025"]


def test_the_curate_form_rejects_an_unknown_quality():
    assert curate(quality="excellent").errors["quality"] == ["Choose a quality rating from the list"]


def test_the_term_form_offers_parents_indented():
    form = TermForm(tree=vocabulary_tree(term("anxiety").vocabulary))
    labels = dict(form.fields["parent"].choices)
    assert labels[term("anxiety").pk] == "– Anxiety"
    assert labels[term("mental-health").pk] == "Mental health"


def test_the_merge_form_does_not_offer_the_term_itself():
    source = term("anxiety")
    form = MergeForm({"target": source.pk}, tree=vocabulary_tree(source.vocabulary), source=source)
    assert not form.is_valid()
    assert form.errors["target"] == ["Choose a term from the list"]
