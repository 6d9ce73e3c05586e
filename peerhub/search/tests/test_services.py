"""Search analytics recording: one row per kind, day and normalised query text with two counts,
and nothing that could identify the person searching."""

import datetime

import pytest
from django.urls import reverse

from peerhub.library.services import SEARCH_KIND
from peerhub.search.models import QueryDay
from peerhub.search.services import normalise_query, record_search

DAY = datetime.date(2026, 3, 1)


def test_query_text_is_normalised_to_lower_case_words_without_accents_or_punctuation():
    assert normalise_query("  Peer   SUPPORT! for Café-goers ") == "peer support for cafe goers"


def test_the_same_words_differently_written_count_as_one_query(db):
    record_search(SEARCH_KIND, "Peer support", 4, DAY)
    record_search(SEARCH_KIND, "peer   SUPPORT!", 0, DAY)
    row = QueryDay.objects.get()
    assert (row.query, row.searches, row.empty_searches) == ("peer support", 2, 1)


def test_each_day_has_its_own_count(db):
    record_search(SEARCH_KIND, "walking", 1, DAY)
    record_search(SEARCH_KIND, "walking", 1, DAY + datetime.timedelta(days=1))
    assert list(QueryDay.objects.order_by("day").values_list("day", "searches")) == [
        (DAY, 1), (DAY + datetime.timedelta(days=1), 1)]


def test_punctuation_only_is_not_recorded(db):
    record_search(SEARCH_KIND, "?!  …", 0, DAY)
    assert not QueryDay.objects.exists()


def test_a_very_long_query_is_cut_to_the_column(db):
    record_search(SEARCH_KIND, "word " * 100, 0, DAY)
    assert len(QueryDay.objects.get().query) == 200


def test_the_analytics_table_has_no_column_for_personal_data():
    columns = {f.column for f in QueryDay._meta.concrete_fields}
    assert columns == {"id", "kind", "day", "query", "searches", "empty_searches"}


@pytest.mark.django_db
def test_a_signed_in_search_stores_only_the_words_and_the_days_counts(client_for, contributor):
    client = client_for(contributor)
    client.get(reverse("library:search"), {"q": "Loneliness  IN Later Life"}, REMOTE_ADDR="203.0.113.9",
               HTTP_USER_AGENT="Agent/1.0")
    stored = list(QueryDay.objects.values())
    assert len(stored) == 1
    row = stored[0]
    assert row["query"] == "loneliness in later life" and row["searches"] == 1 and row["empty_searches"] == 1
    values = " ".join(str(v) for v in row.values())
    for personal in ("203.0.113.9", "contributor", "example.org", "Agent"):
        assert personal not in values


@pytest.mark.django_db
def test_turning_to_page_two_does_not_count_the_search_again(client):
    client.get(reverse("library:search"), {"q": "peer"})
    client.get(reverse("library:search"), {"q": "peer", "page": "2"})
    assert QueryDay.objects.get().searches == 1


def _vocabulary(kind):
    from peerhub.search.models import SearchWord

    return set(SearchWord.objects.filter(kind=kind).values_list("term", "word", "doc_count"))


def _batches():
    return [[{"object_id": f"{b}-{i}", "title": f"Walking group {b}", "body": "Peer support behaviour" if i % 2 else
              "peer behavior", "is_public": i % 3 != 0} for i in range(6)] for b in range(3)]


def test_vocabulary_counted_once_gives_the_vocabulary_batch_by_batch_counting_gives(db):
    from peerhub.search.services import index_document, index_new_documents, vocabulary_counted_once

    for batch in _batches():
        index_new_documents("each", batch)
    index_document("each", "x", title="Walking football", is_public=True)
    with vocabulary_counted_once():
        for batch in _batches():
            index_new_documents("once", batch)
        assert _vocabulary("once") == set()  # nothing written before the block ends
        index_document("once", "x", title="Walking football", is_public=True)
    assert _vocabulary("once") == _vocabulary("each") != set()


def test_vocabulary_counted_once_writes_nothing_when_the_block_fails(db):
    from peerhub.search.services import index_new_documents, vocabulary_counted_once

    with pytest.raises(RuntimeError), vocabulary_counted_once():
        index_new_documents("failed", _batches()[0])
        raise RuntimeError("the import failed")
    assert _vocabulary("failed") == set()
    index_new_documents("after", _batches()[0])  # and counting is immediate again after the block
    assert _vocabulary("after") != set()
