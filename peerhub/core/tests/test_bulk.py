"""core.bulk writes the very rows bulk_create writes, on SQLite (multi-row INSERT) and on
PostgreSQL (COPY), whether given model instances (insert_new) or plain dicts (insert_rows)."""

import gc

import pytest
from django.db import IntegrityError, connection, transaction

from peerhub.audit.models import AuditEvent
from peerhub.core.bulk import cyclic_gc_paused, insert_new, insert_rows
from peerhub.search.models import SearchEntry, SearchWord

pytestmark = pytest.mark.django_db


def _rows(model, exclude=("id", "at")):  # ids and times differ between two writes of the same rows
    return [{k: v for k, v in row.items() if k not in exclude} for row in model.objects.order_by("pk").values()]


def event_rows(curator):
    return [{"subject_type": "library.resource", "subject_id": str(i), "action": "created",
             "actor_id": curator.pk if i % 2 else None, "actor_label": "x", "note": "n" * i,
             "changes": {"title": [None, f"T{i}"], "authors": [None, ["Smith, J", "Ó Briain, D"]]},
             "snapshot": {"a": [1, None], "quote": 'it said "no"\\n\ttab'}}
            for i in range(7)]


def test_insert_rows_writes_the_rows_bulk_create_writes(curator):
    AuditEvent.objects.bulk_create([AuditEvent(**row) for row in event_rows(curator)], batch_size=3)
    expected = _rows(AuditEvent)
    AuditEvent.objects.all().delete()
    keys = insert_rows(AuditEvent, event_rows(curator), batch_size=3)
    assert _rows(AuditEvent) == expected
    assert keys == list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True))


def test_insert_rows_fills_left_out_fields_with_defaults_and_auto_times():
    keys = insert_rows(SearchEntry, [{"kind": "k", "object_id": "1", "title": "t"}])
    entry = SearchEntry.objects.get(pk=keys[0])
    assert (entry.summary, entry.body, entry.is_public, entry.boost, entry.facets) == ("", "", False, 1.0, "")
    event_keys = insert_rows(AuditEvent, [{"subject_type": "s", "subject_id": "1", "action": "a", "actor_label": "x"}])
    event = AuditEvent.objects.get(pk=event_keys[0])
    assert event.at is not None and (event.changes, event.snapshot) == ({}, {})


def test_insert_rows_passes_values_of_other_types_through_the_field():
    keys = insert_rows(SearchWord, [{"kind": "k", "term": "t", "word": "w", "doc_count": True},
                                    {"kind": "k", "term": "u", "word": "w", "doc_count": "3"}])
    assert list(SearchWord.objects.filter(pk__in=keys).order_by("pk").values_list("doc_count", flat=True)) == [1, 3]


def test_insert_rows_keeps_nothing_when_the_database_refuses_a_row():
    rows = [{"kind": "k", "term": "same", "word": "w", "doc_count": 1}] * 2  # unique (kind, term)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(SearchWord, rows)
    assert not SearchWord.objects.exists()


def test_insert_rows_of_nothing_writes_nothing():
    assert insert_rows(SearchWord, []) == [] and insert_new([]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: SQLite has no COPY")
def test_on_postgresql_keys_come_from_the_tables_own_sequence():
    first = insert_rows(SearchWord, [{"kind": "k", "term": f"t{i}", "word": "w"} for i in range(3)])
    later = SearchWord.objects.create(kind="k", term="later", word="w")
    assert first == sorted(first) and later.pk > max(first)


def test_cyclic_gc_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with cyclic_gc_paused():
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
