"""Writes to the search index. Modules call these inside their own write transaction, so the
index never disagrees with the records it describes."""

from peerhub.search.models import SearchEntry
from peerhub.search.text import normalise_text


def index_document(kind: str, object_id, *, title: str, summary: str = "", body: str = "", extra: str = "",
                   is_public: bool, boost: float = 1.0) -> None:
    SearchEntry.objects.update_or_create(
        kind=kind,
        object_id=str(object_id),
        defaults={
            "title": normalise_text(title),
            "summary": normalise_text(summary),
            "body": normalise_text(body),
            "extra": normalise_text(extra),
            "is_public": is_public,
            "boost": boost,
        },
    )


def remove_document(kind: str, object_id) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=str(object_id)).delete()


def remove_kind(kind: str) -> int:
    deleted, _ = SearchEntry.objects.filter(kind=kind).delete()
    return deleted
