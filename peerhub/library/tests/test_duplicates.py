"""Spotting likely duplicates: by identifier, by normalised title and by a very similar title."""

import pytest

from peerhub.library.selectors import curator_queue, find_duplicates
from peerhub.library.tests.curation_helpers import a_published, a_submission

pytestmark = pytest.mark.django_db

TITLE = "Peer support for people living with type 2 diabetes: a systematic review"


def reasons(**kwargs):
    return {(c.resource.pk, c.reason) for c in find_duplicates(**kwargs)}


def test_it_finds_the_same_doi_written_differently():
    original = a_published(doi="10.1000/ABC.123")
    assert reasons(doi="https://doi.org/10.1000/abc.123") == {(original.pk, "the same DOI")}


def test_it_finds_the_same_pmid():
    original = a_published(pmid="31234567")
    assert reasons(pmid="031234567") == {(original.pk, "the same PubMed ID")}


def test_it_finds_the_same_web_address_written_differently():
    original = a_published(url="https://www.example.org/report/")
    assert reasons(url="http://EXAMPLE.org/report#summary") == {(original.pk, "the same web address")}


def test_it_finds_the_same_title_with_different_punctuation_and_case():
    original = a_published(TITLE)
    assert reasons(title="PEER SUPPORT for people living with type-2 diabetes – a systematic review") == {
        (original.pk, "the same title")}


@pytest.mark.parametrize("variant", [
    "Peer support for people living with type 2 diabetes: a systematic reveiw",  # a typo
    "Peer support for people living with type 2 diabetes: systematic review",  # a word dropped
    "The peer support for people living with type 2 diabetes: a systematic review",  # a different opening
])
def test_it_finds_a_very_similar_title(variant):
    original = a_published(TITLE)
    assert reasons(title=variant) == {(original.pk, "a very similar title")}


def test_it_finds_a_similar_title_among_unpublished_submissions_too():
    pending = a_submission(TITLE)
    assert reasons(title=TITLE.replace("review", "reveiw")) == {(pending.pk, "a very similar title")}


def test_it_ignores_titles_that_only_share_words():
    a_published(TITLE)
    a_published("Peer support for people living with dementia: a qualitative study")
    assert reasons(title="Peer support for people living with HIV: a realist evaluation") == set()


def test_it_ignores_short_titles_for_the_similarity_check():
    a_published("Peer support")
    assert reasons(title="Peer supports") == set()


def test_it_leaves_out_the_record_itself():
    original = a_published(TITLE, doi="10.1000/x")
    assert reasons(title=TITLE, doi="10.1000/x", exclude_pk=original.pk) == set()


def test_it_reports_each_record_once_with_the_strongest_reason():
    original = a_published(TITLE, doi="10.1000/x", url="https://example.org/x")
    assert reasons(title=TITLE, doi="10.1000/x", url="https://example.org/x") == {(original.pk, "the same DOI")}


def test_the_queue_flags_only_submissions_that_share_a_key():
    flagged = a_submission("One", doi="10.1000/shared", url="https://example.org/1")
    a_published("Two", doi="10.1000/shared")
    clear = a_submission("Three", url="https://example.org/3")
    flags = {r.pk: r.possible_duplicate for r in curator_queue()}
    assert flags == {flagged.pk: True, clear.pk: False}


def test_it_finds_a_similar_unpublished_title_with_a_different_opening():
    pending = a_submission(TITLE)
    assert reasons(title="The " + TITLE) == {(pending.pk, "a very similar title")}
