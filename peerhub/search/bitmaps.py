"""Per-process bitmaps of the index: which entries are public, which carry each facet key, and
each entry's ranking boost. Facet counts are then intersections of compressed bitmaps instead
of a GROUP BY over every matching row.

Why this stays correct: the search state's token changes in every transaction that writes the
index or the synonyms (a trigger, see migrations 0005). Each search reads the token (one small
query) and a process whose bitmaps belong to another token reloads them. Nothing is cached per
query: only per facet value."""

import threading
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from pyroaring import BitMap

from peerhub.search.models import SearchState, Synonym
from peerhub.search.text import terms


@dataclass
class KindBitmaps:
    public: BitMap
    facets: dict[str, BitMap]
    boosts: np.ndarray  # boost by entry id
    max_boost: float

    def key(self, name: str) -> BitMap:
        return self.facets.get(name, BitMap())

    def any_of(self, names) -> BitMap:
        found = [self.facets[n] for n in names if n in self.facets]
        return BitMap.union(*found) if len(found) > 1 else (found[0] if found else BitMap())

    def keys_with_prefix(self, prefix: str) -> list[str]:
        return [name for name in self.facets if name.startswith(prefix)]


@dataclass
class Snapshot:
    token: str
    kinds: dict[str, KindBitmaps] = field(default_factory=dict)
    synonyms: list[list[tuple[tuple[str, ...], str]]] | None = None
    derived: dict = field(default_factory=dict)

    def memo(self, name: str, build):
        """build() once per token: for data that only changes in transactions that renew it, such
        as the taxonomy (library migration 0003). The value is shared: callers must not change it."""
        if name not in self.derived:
            self.derived[name] = build()
        return self.derived[name]

    def for_kind(self, kind: str) -> KindBitmaps:
        if kind not in self.kinds:
            self.kinds[kind] = _load_kind(kind)
        return self.kinds[kind]

    def synonym_groups(self) -> list[list[tuple[tuple[str, ...], str]]]:
        """Each synonym group as (index terms, text as written) of its phrases."""
        if self.synonyms is None:
            groups = [[(tuple(terms(p)), p) for p in s.phrase_list()] for s in Synonym.objects.all()]
            self.synonyms = [[(t, p) for t, p in group if t] for group in groups]
        return self.synonyms


_lock = threading.Lock()
_snapshots: dict[str, Snapshot] = {}  # by database alias


def current_token() -> str:
    return SearchState.objects.values_list("token", flat=True).first() or ""


def _load_kind(kind: str) -> KindBitmaps:
    keys: dict[str, list[int]] = {}
    public, ids, boosts = [], [], []
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, is_public, boost, facets FROM search_searchentry WHERE kind = %s", [kind])
        for entry_id, is_public, boost, facets in cursor.fetchall():
            ids.append(entry_id)
            boosts.append(boost)
            if is_public:
                public.append(entry_id)
            for name in facets.split():
                keys.setdefault(name, []).append(entry_id)
    boost_by_id = np.ones(max(ids, default=0) + 1, dtype=np.float32)
    boost_by_id[ids] = boosts
    return KindBitmaps(BitMap(public), {k: BitMap(v) for k, v in keys.items()}, boost_by_id,
                       float(max(boosts, default=1.0)))


def snapshot() -> Snapshot:
    """The bitmaps and synonyms for the index as this transaction sees it (one query when they
    are current)."""
    token = current_token()
    with _lock:
        found = _snapshots.get(connection.alias)
        if found is None or found.token != token:
            found = _snapshots[connection.alias] = Snapshot(token)
        return found
