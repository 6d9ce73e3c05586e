"""Which kinds of record the hub indexes, and how each module rebuilds its own entries.

A module registers its kind where it keeps its index in step (its services module), e.g.
`register("library.resource", reindex_all)`. `peerhub rebuild_search_index` imports every
app's services module, so each registration is found, then calls the rebuilders."""

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

REBUILDERS: dict[str, Callable[[], int]] = {}


def register(kind: str, reindex_all: Callable[[], int]) -> None:
    """`reindex_all()` writes an entry for every record of the kind and returns how many."""
    REBUILDERS[kind] = reindex_all


def registered_kinds() -> dict[str, Callable[[], int]]:
    autodiscover_modules("services")
    return dict(REBUILDERS)
