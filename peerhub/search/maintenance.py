"""PostgreSQL's GIN indexes during a large import.

A GIN index normally takes each new entry's terms straight into its tree, term by term: for an
import of thousands of records (a few million terms over the three indexes) that was most of the
server's time. GIN's own bulk path ("fast update") first appends new terms to a pending list and
later merges the list into the tree in sorted order, far faster. The list is capped by
gin_pending_list_limit (4 MB by default), so a large import kept merging as it went. For a large
index write, prepare_bulk_index raises the cap for that transaction only, and after commit a
background job merges the list (VACUUM would too).

The index stays exact and in step with the records throughout: searches read the pending list
with the tree, in the same transaction and after it; they are a little slower until the merge."""

from django.db import connection, transaction

BULK_ENTRIES = 200  # from this many new entries in one write, the list takes them all
PENDING_LIST_KB = 1024 * 1024  # 1 GB: more than any single import's terms
GIN_INDEXES = ("search_match_document_gin", "search_match_pairs_gin", "search_searchentry_heading_gin")


def prepare_bulk_index(entries: int) -> None:
    """Before writing `entries` new search entries in the current transaction. An import writes
    in batches: the raised limit itself marks a transaction already prepared, so the merge is
    queued once."""
    if connection.vendor != "postgresql" or entries < BULK_ENTRIES:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting::int = %s FROM pg_settings WHERE name = 'gin_pending_list_limit'",
                       [PENDING_LIST_KB])  # setting is in kB, without a unit
        if cursor.fetchone()[0]:
            return
        cursor.execute(f"SET LOCAL gin_pending_list_limit = {PENDING_LIST_KB}")
    transaction.on_commit(_enqueue_merge)


def _enqueue_merge() -> None:
    from peerhub.search.tasks import merge_pending_index_entries

    merge_pending_index_entries.enqueue()


def merge_pending_index_entries() -> int:
    """Merge every pending list into its index now; the number of list pages merged."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(gin_clean_pending_list(c.oid::regclass)), 0) FROM pg_class c "
                       "WHERE c.relname = ANY(%s) AND c.relkind = 'i'", [list(GIN_INDEXES)])
        return int(cursor.fetchone()[0])
