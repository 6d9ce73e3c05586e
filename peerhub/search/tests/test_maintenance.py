"""A large index write on PostgreSQL gathers its GIN entries in the pending list for that
transaction only, stays exact throughout, and has them merged into the indexes after commit."""

import pytest
from django.db import connection, transaction

from peerhub.search import maintenance
from peerhub.search.models import SearchEntry
from peerhub.search.selectors import text_match
from peerhub.search.services import index_document, index_new_documents

KIND = "test.bulk"
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: GIN indexes")


def pending_list_limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW gin_pending_list_limit")
        return cursor.fetchone()[0]


def matching_ids(text: str) -> set[str]:
    match = text_match(KIND, text)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT object_id FROM ({match.sql}) m", match.params)
        return {row[0] for row in cursor.fetchall()}


def documents(count: int, start: int = 0) -> list[dict]:
    return [{"object_id": i, "title": f"Walking group number {i}", "body": "peer support outdoors" if i % 2 else
             "befriending by telephone", "is_public": True} for i in range(start, start + count)]


@postgres_only
@pytest.mark.django_db(transaction=True)  # a real transaction: SET LOCAL ends with it, on_commit runs
def test_a_large_write_raises_the_pending_list_limit_for_its_transaction_only(monkeypatch):
    merges = []
    monkeypatch.setattr(maintenance, "_enqueue_merge", lambda: merges.append(pending_list_limit()))
    before = pending_list_limit()
    with transaction.atomic():
        index_new_documents(KIND, documents(maintenance.BULK_ENTRIES))
        assert pending_list_limit() == "1GB" and not merges
        index_new_documents(KIND, documents(maintenance.BULK_ENTRIES, start=1000))  # an import's next batch
    assert pending_list_limit() == before
    assert merges == [before]  # the merge was queued once, after commit


@postgres_only
@pytest.mark.django_db
def test_a_small_write_leaves_the_limit_and_queues_nothing(django_capture_on_commit_callbacks):
    before = pending_list_limit()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        index_new_documents(KIND, documents(maintenance.BULK_ENTRIES - 1))
        assert pending_list_limit() == before
    assert not callbacks


@postgres_only
@pytest.mark.django_db
def test_searches_are_exact_before_and_after_the_merge(django_capture_on_commit_callbacks):
    index_document(KIND, "old", title="Walking football", is_public=True)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            index_new_documents(KIND, documents(300))
            walking = matching_ids("walking")
            phrase = matching_ids('"peer support"')
    assert walking == {"old", *(str(i) for i in range(300))}
    assert phrase == {str(i) for i in range(1, 300, 2)}
    assert matching_ids("walking") == walking and matching_ids('"peer support"') == phrase  # after the merge ran
    assert maintenance.merge_pending_index_entries() == 0  # nothing was left pending


@postgres_only
@pytest.mark.django_db
def test_bulk_entries_get_the_match_rows_one_by_one_writes_get():
    index_new_documents(KIND, documents(250))
    for d in documents(5, start=1000):
        index_document(KIND, d["object_id"], title=d["title"], body=d["body"], is_public=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT e.object_id,"
                       " m.document::text = search_document(e.title, e.summary, e.extra, e.body)::text,"
                       " m.pairs::text = search_pairs(e.title, e.summary, e.extra, e.body)::text"
                       " FROM search_searchentry e JOIN search_match m ON m.id = e.id WHERE e.kind = %s", [KIND])
        rows = cursor.fetchall()
    assert len(rows) == 255 == SearchEntry.objects.filter(kind=KIND).count()
    assert all(same_document and same_pairs for _id, same_document, same_pairs in rows)


WINDOW_PAIRS = """SELECT coalesce(array_agg(a || ' ' || b), '{}') FROM (
    SELECT t AS a, lead(t) OVER (ORDER BY n) AS b
    FROM unnest(string_to_array(%s, ' ')) WITH ORDINALITY AS u(t, n)
) AS neighbours WHERE b IS NOT NULL AND a <> '' AND b <> ''"""


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("terms", ["", "a", "a b", "a  b c", " a b ", "peer support peer support group", None])
def test_term_pairs_are_those_the_window_function_gave(terms):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_term_pairs(%s)", [terms])
        zipped = cursor.fetchone()[0]
        cursor.execute(WINDOW_PAIRS, [terms])
        assert zipped == cursor.fetchone()[0]


@pytest.mark.django_db
def test_on_sqlite_nothing_is_pending(django_capture_on_commit_callbacks):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with django_capture_on_commit_callbacks() as callbacks:
        maintenance.prepare_bulk_index(10_000)
    assert not callbacks and maintenance.merge_pending_index_entries() == 0


@pytest.mark.django_db
def test_a_bulk_index_write_gives_the_search_state_a_new_token():
    """Facet bitmaps are kept per token: a COPY must fire the token trigger as an INSERT does."""
    from peerhub.search.bitmaps import current_token

    before = current_token()
    index_new_documents(KIND, documents(maintenance.BULK_ENTRIES + 1))
    assert current_token() != before
