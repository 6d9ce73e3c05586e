"""The engine behind every module's search: spelling variants, synonyms, any-word fallback,
"did you mean", facet bitmaps kept in step inside the write transaction (runs on both databases)."""

import pytest
from django.db import transaction

from peerhub.search.selectors import search
from peerhub.search.services import index_document, remove_document, save_synonym

KIND = "test.doc"
pytestmark = pytest.mark.django_db(transaction=False)


def ids(text, **kwargs):
    return search(KIND, text, **kwargs).page_ids


@pytest.fixture
def docs(db):
    index_document(KIND, 1, title="Changing behaviour in organisations", is_public=True, facets=("type:toolkit",))
    index_document(KIND, 2, title="COPD breathing groups", is_public=True, facets=("type:report",))
    index_document(KIND, 3, title="Living with chronic obstructive pulmonary disease", is_public=True,
                   facets=("type:toolkit",))
    index_document(KIND, 4, title="Paediatric anaemia care", is_public=True, facets=("type:report",))


def test_it_treats_british_and_american_spellings_alike(docs):
    assert ids("behavior organization") == ["1"]
    assert ids("pediatric anemia") == ["4"]


def test_it_expands_curated_synonyms_both_ways(docs):
    assert set(ids("COPD")) == {"2", "3"}
    assert set(ids("chronic obstructive pulmonary disease")) == {"2", "3"}


def test_a_new_synonym_applies_to_the_next_search(docs):
    assert ids("kids") == []
    save_synonym("kids\npaediatric")
    assert ids("kids") == ["4"]


def test_it_falls_back_to_any_word_when_all_words_find_too_little(docs):
    hits = search(KIND, "breathing groups in winter weather")
    assert hits.any_word and hits.page_ids == ["2"]


def test_it_suggests_a_spelling_from_the_catalogue_when_results_are_few(docs):
    assert search(KIND, "breathng").suggestion == "breathing"
    assert search(KIND, "breathing").suggestion == ""


def test_it_filters_and_counts_facets_from_bitmaps(docs):
    hits = search(KIND, "copd", filters=[["type:toolkit"]])
    assert hits.page_ids == ["3"] and hits.total == 1
    assert search(KIND, "copd").count(["type:report"]) == 1


def test_it_sees_writes_of_the_same_transaction_and_forgets_them_after_a_rollback(docs):
    assert search(KIND, "").count(["type:toolkit"]) == 2
    with pytest.raises(RuntimeError), transaction.atomic():
        index_document(KIND, 5, title="Walking toolkit", is_public=True, facets=("type:toolkit",))
        remove_document(KIND, 1)
        assert search(KIND, "").count(["type:toolkit"]) == 2
        assert ids("walking") == ["5"] and ids("behaviour") == []
        raise RuntimeError
    assert ids("walking") == [] and ids("behaviour") == ["1"]


def test_a_drafts_words_are_never_suggested(db):
    index_document(KIND, 1, title="Secretive draft", is_public=False)
    assert search(KIND, "secretiv").suggestion == ""


@pytest.fixture
def common_and_rare(db):
    # "support" is in every entry, "sarcoidosis" in one: a question naming both must put that one first.
    for n in range(1, 6):
        index_document(KIND, n, title="Support groups and support lines", body="support " * n, is_public=True)
    index_document(KIND, 9, title="Living with sarcoidosis", body="peer support", is_public=True)


def test_an_any_word_search_puts_the_entry_with_the_rarest_word_first(common_and_rare):
    hits = search(KIND, "sarcoidosis support where can my mother find it")
    assert hits.any_word and hits.page_ids[0] == "9"


def test_idf_weights_a_rare_word_above_a_common_one_and_a_prefix_as_the_most_common(common_and_rare):
    from peerhub.search import bitmaps
    from peerhub.search.query import parse
    from peerhub.search.selectors import idf_weights

    rare, common, prefix = idf_weights(KIND, parse("sarcoidosis support grou*"), bitmaps.snapshot().for_kind(KIND))
    assert rare > common > 0 and prefix == common


@pytest.fixture
def phrases(db):
    index_document(KIND, 1, title="Peer support groups", summary="Online mental health", is_public=True)
    index_document(KIND, 2, title="Support for peer workers", body="groups online", is_public=True)
    index_document(KIND, 3, title="Mental health peer support groups for young people", is_public=True)


def test_it_matches_a_two_word_phrase_only_in_that_order(phrases):
    assert set(ids('"peer support"')) == {"1", "3"}


def test_it_matches_a_longer_phrase_only_where_every_word_follows_the_last(phrases):
    assert ids('"health peer support groups"') == ["3"]
    assert ids('"peer support groups online"') == []


def test_a_phrase_does_not_run_from_one_field_into_the_next(phrases):
    # "groups" ends the title and "online" starts the summary of 1: not next to each other.
    assert ids('"groups online"') == ["2"]


def test_it_leaves_out_results_holding_an_excluded_word_or_phrase(phrases):
    assert set(ids("peer -online")) == {"3"}
    assert set(ids('support -"mental health"')) == {"2"}
    assert search(KIND, "peer -online").total == 1


@pytest.fixture
def many_matches(db):
    """Twelve entries holding "walking": the heading-first ones in titles, the rest in the body only."""
    for n in range(1, 13):
        in_title = n % 3 != 0
        index_document(KIND, n, title=f"Walking group {n}" if in_title else f"Group {n}",
                       body="Weekly walking and talking." if not in_title else "", is_public=True,
                       facets=("type:toolkit" if n % 2 else "type:report",))


def test_a_broad_query_is_ranked_within_the_newest_matches_and_says_so_with_exact_counts(many_matches, monkeypatch):
    monkeypatch.setattr("peerhub.search.selectors.RANK_WINDOW", 4)
    monkeypatch.setattr("peerhub.search.selectors.EXPLICIT_LIMIT", 0)
    hits = search(KIND, "walking", limit=2)
    assert hits.bounded and hits.total == 12 and hits.count(["type:toolkit"]) == 6
    # The newest four matches are entries 9-12; 10 and 11 hold the word in their title.
    assert set(hits.page_ids) == {"10", "11"}


def test_a_bounded_window_widens_until_the_filters_leave_enough(many_matches, monkeypatch):
    monkeypatch.setattr("peerhub.search.selectors.RANK_WINDOW", 2)
    monkeypatch.setattr("peerhub.search.selectors.EXPLICIT_LIMIT", 0)
    hits = search(KIND, "walking", filters=[["type:report"]], limit=3)
    assert hits.total == 6 and len(hits.page_ids) == 3
    assert all(int(i) % 2 == 0 for i in hits.page_ids)
