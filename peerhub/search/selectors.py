"""Reads from the search index: the one interface every module uses to find records by text.

`search()` is the engine: the text matched once (unranked) into a bitmap, filters and facet
counts as bitmap intersections, and relevance ranking only for the page asked for. Very broad
queries are ranked within a bounded window (see `_ranked_ids`), and the result says so."""

import heapq
import math
from dataclasses import dataclass, field

from django.db import connection
from pyroaring import BitMap

from peerhub.search import bitmaps
from peerhub.search.backends import current_backend
from peerhub.search.models import SearchWord
from peerhub.search.query import Query, parse
from peerhub.search.spelling import suggest
from peerhub.search.synonyms import expand

# Up to this many candidates are ranked by listing them to the engine (where that is fast).
EXPLICIT_LIMIT = 1_000
# Up to this many text matches, every one is ranked; beyond, the newest this many (see _ranked_ids).
RANK_WINDOW = 4_000
WIDEN = 4
FEW_RESULTS = 5  # at most this many results: offer a spelling suggestion


@dataclass
class TextMatch:
    """SQL yielding (object_id, score) for the entries of one kind that match a query."""

    query: Query
    sql: str
    params: list


def text_match(kind: str, text: str, *, public_only: bool = True) -> TextMatch | None:
    """None when the text holds nothing searchable (only stop words or punctuation)."""
    query = parse(text)
    if query.is_empty:
        return None
    sql, params = current_backend().match_sql(kind, query, public_only)
    return TextMatch(query=query, sql=sql, params=params)


@dataclass
class Hits:
    """The outcome of one search: what matched, and how to count and page it."""

    query: Query | None  # None when there are no words: every public entry is a candidate
    candidates: BitMap  # entry ids that match the words and the filters
    index: bitmaps.KindBitmaps
    any_word: bool = False  # every word found too little: results match some of the words
    bounded: bool = False  # too many to rank all: ranked within the newest matches (see _ranked_ids)
    suggestion: str = ""
    page_ids: list[str] = field(default_factory=list)  # object ids, best first

    @property
    def total(self) -> int:
        return len(self.candidates)

    def count(self, keys) -> int:
        """How many candidates carry any of these facet keys."""
        keys = list(keys)
        if len(keys) == 1:
            return self.candidates.intersection_cardinality(self.index.key(keys[0]))
        return self.candidates.intersection_cardinality(self.index.any_of(keys))


def _allowed(index: bitmaps.KindBitmaps, filters) -> BitMap:
    """Public entries passing every filter (each filter: any of its keys)."""
    allowed = index.public
    for keys in filters:
        allowed = allowed & index.any_of(keys)
    return allowed


def _best(rows, candidates: BitMap, index, need: int) -> list[int]:
    """The `need` best candidates by relevance x boost from rows sorted by relevance. Stops as
    soon as no later row could enter, even with the highest boost."""
    heap: list[tuple[float, int]] = []
    for entry_id, score in rows:
        if len(heap) == need and score * index.max_boost < heap[0][0]:
            break
        if entry_id in candidates:
            item = (score * float(index.boosts[entry_id]), -entry_id)
            heapq.heappush(heap, item) if len(heap) < need else heapq.heappushpop(heap, item)
    return [-entry_id for _score, entry_id in sorted(heap, reverse=True)]


def _in_window(query: Query, candidates: BitMap, index, need: int, start: int, weights) -> list[int]:
    """The best among matches with id >= start: first where the words are in the title or
    summary (those outrank body-only matches anyway), then anywhere if that gave too few. Within
    a window always; on the whole match set where the engine's heading vector is much cheaper to
    rank than the whole document (PostgreSQL, see backends)."""
    backend = current_backend()
    heading_first = start > 0 or backend.ranks_heading_first
    rows = backend.ranked(query, min_id=start, title_and_summary=heading_first, weights=weights)
    found = _best(rows, candidates, index, need)
    if len(found) < need and heading_first:
        found = _best(backend.ranked(query, min_id=start, weights=weights), candidates, index, need)
    return found


def idf_weights(kind: str, query: Query, index) -> list[float]:
    """BM25's idf of each positive atom, from the public vocabulary's document counts. A phrase or
    synonym of several words counts as its most common word; a prefix, which may reach common
    words, as the most common atom of the query."""
    public = len(index.public)
    counts = dict(SearchWord.objects.filter(kind=kind, term__in={t for a in query.positive_atoms() for t in a.terms})
                  .values_list("term", "doc_count"))

    def idf(found: int) -> float:
        return math.log(1 + (public - found + 0.5) / (found + 0.5))

    plain = [idf(max(counts.get(t, 0) for t in atom.terms)) for atom in query.positive_atoms() if not atom.prefix]
    floor = min(plain, default=1.0)
    return [floor if atom.prefix else idf(max(counts.get(t, 0) for t in atom.terms))
            for atom in query.positive_atoms()]


def _ranked_ids(query: Query, matched: BitMap, candidates: BitMap, index, need: int,
                weights=None) -> tuple[list[int], bool]:
    """The `need` best candidates, and whether ranking was bounded. The engine's cost is per
    text match ranked (filters are applied after), so a broad query is ranked within its newest
    RANK_WINDOW matches, widened while that holds fewer than `need` candidates."""
    backend = current_backend()
    if backend.ranks_listed_ids and len(candidates) <= EXPLICIT_LIMIT:
        return _best(backend.ranked(query, only=candidates, weights=weights), candidates, index, need), False
    window = RANK_WINDOW
    while True:
        start = matched[len(matched) - window] if len(matched) > window else 0
        found = _in_window(query, candidates, index, need, start, weights)
        if len(found) >= need or start == 0:
            return found, start > 0
        window *= WIDEN


def object_ids(entry_ids: list[int]) -> list[str]:
    if not entry_ids:
        return []
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(entry_ids))
        cursor.execute(f"SELECT id, object_id FROM search_searchentry WHERE id IN ({placeholders})", entry_ids)
        by_id = dict(cursor.fetchall())
    return [by_id[i] for i in entry_ids if i in by_id]


def _match(hits: Hits, allowed: BitMap, page_size: int) -> BitMap:
    """Match the words; when every word finds less than a page, match any of them. Returns
    every text match (before filters)."""
    matched = current_backend().matched_ids(hits.query)
    hits.candidates = matched & allowed
    if len(hits.candidates) < page_size and len(hits.query.groups) > 1:
        hits.query, hits.any_word = hits.query.any_word(), True
        matched = current_backend().matched_ids(hits.query)
        hits.candidates = matched & allowed
    return matched


def search(kind: str, text: str, *, filters=(), offset: int = 0, limit: int = 20, rank: bool = True,
           snapshot: bitmaps.Snapshot | None = None) -> Hits:
    """Public entries of a kind matching the text and filters (lists of facet keys, each list
    an OR, all lists ANDed). With `rank`, also the page [offset, offset + limit) by relevance.
    A caller that already holds this request's `snapshot` passes it, saving a query."""
    snapshot = snapshot or bitmaps.snapshot()
    index = snapshot.for_kind(kind)
    allowed = _allowed(index, filters)
    query = parse(text)
    if query.is_empty:
        return Hits(None, allowed, index)
    hits = Hits(expand(query, snapshot.synonym_groups()), allowed, index)
    matched = _match(hits, allowed, limit)
    if rank and hits.candidates and offset < hits.total:
        # Any-word results hinge on which words matched, so rarer words must count for more (see
        # PostgresBackend._weighted_rank); when every word matched, plain relevance is enough.
        weights = idf_weights(kind, hits.query, index) if hits.any_word and not current_backend().has_idf else None
        ids, hits.bounded = _ranked_ids(hits.query, matched, hits.candidates, index, offset + limit, weights)
        hits.page_ids = object_ids(ids[offset:])
    if hits.total <= FEW_RESULTS:
        hits.suggestion = suggest(kind, query)
    return hits
