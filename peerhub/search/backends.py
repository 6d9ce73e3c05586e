"""Engine-specific SQL for the hub's one search index.

Each backend renders a parsed Query into its database's own full-text syntax, built only from
index terms, and runs the three reads the engine needs:

    matched_ids   every entry that matches (unranked: cheap, feeds counts and facets)
    ranked        (entry id, relevance) best first, optionally only among some entries
    match_sql     one ranked statement, for modules that join the matches themselves

Relevance is BM25-style with field weights title > summary > extra (authors) > body."""

from array import array

import numpy as np
from django.db import connection
from pyroaring import BitMap

from peerhub.search.query import Atom, Query

# Field weights: title over summary over authors/organisation over description.
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT, EXTRA_WEIGHT = 10.0, 5.0, 1.0, 2.0
# PostgreSQL's ts_rank weights in {D, C, B, A} order: body, extra, summary, title, same ratios.
POSTGRES_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"
POSTGRES_NORMALISATION = 1  # divide by 1 + log(length), as BM25 discounts long documents


class SQLiteBackend:
    vendor = "sqlite"
    has_idf = True  # FTS5's bm25() weighs each term by its rarity

    @staticmethod
    def _atom(atom: Atom) -> str:
        if atom.prefix:
            return f'"{atom.terms[0]}"*'
        if atom.adjacent:
            return '"' + " ".join(atom.terms) + '"'
        return "(" + " AND ".join(f'"{t}"' for t in atom.terms) + ")"

    def render(self, query: Query, *, title_and_summary: bool = False) -> str:
        groups = ["(" + " OR ".join(self._atom(a) for a in group) + ")" for group in query.groups]
        expression = "(" + " AND ".join(groups) + ")"
        if title_and_summary:
            expression = "{title summary} : " + expression
        if query.excluded:
            expression += " NOT (" + " OR ".join(self._atom(a) for a in query.excluded) + ")"
        return expression

    def match_sql(self, kind: str, query: Query, public_only: bool) -> tuple[str, list]:
        # bm25() is lower-is-better, so negate it; the entry's boost scales gently.
        sql = (
            "SELECT e.object_id AS object_id, "
            f"-bm25(search_fts, {TITLE_WEIGHT}, {SUMMARY_WEIGHT}, {BODY_WEIGHT}, {EXTRA_WEIGHT}) * e.boost AS score "
            "FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid "
            "WHERE search_fts MATCH %s AND e.kind = %s"
        )
        if public_only:
            sql += " AND e.is_public"
        return sql, [self.render(query), kind]

    def matched_ids(self, query: Query) -> BitMap:
        return _id_list("SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH %s", [self.render(query)])

    # FTS5 re-runs the MATCH for each listed rowid, so a list of ids is slower than a range.
    ranks_listed_ids = False

    def ranked(self, query: Query, *, min_id: int = 0, title_and_summary: bool = False, only=None, weights=None):
        """Cursor rows (entry id, relevance) best first, from entries with id >= min_id. FTS5's
        bm25() already weighs each term by its rarity, so `weights` (see PostgresBackend) are not needed."""
        sql = (
            "SELECT rowid, -bm25(search_fts, "
            f"{TITLE_WEIGHT}, {SUMMARY_WEIGHT}, {BODY_WEIGHT}, {EXTRA_WEIGHT}) AS score "
            "FROM search_fts WHERE search_fts MATCH %s AND rowid >= %s ORDER BY score DESC"
        )
        return _rows(sql, [self.render(query, title_and_summary=title_and_summary), min_id])


class PostgresBackend:
    vendor = "postgresql"
    has_idf = False  # ts_rank counts occurrences only: any-word ranking passes idf weights (see ranked)
    ranks_listed_ids = True  # a few listed ids are ranked without touching the other matches

    @staticmethod
    def _atom(atom: Atom, weights: str = "") -> str:
        if atom.prefix:
            return f"'{atom.terms[0]}':*{weights}"
        lexemes = [f"'{t}'{':' + weights if weights else ''}" for t in atom.terms]
        return "(" + (" <-> " if atom.adjacent else " & ").join(lexemes) + ")"

    def render(self, query: Query, *, title_and_summary: bool = False) -> str:
        weights = "AB" if title_and_summary else ""
        groups = ["(" + " | ".join(self._atom(a, weights) for a in group) + ")" for group in query.groups]
        expression = " & ".join(groups)
        if query.excluded:
            expression += " & !(" + " | ".join(self._atom(a) for a in query.excluded) + ")"
        return expression

    def _rank(self, column: str = "e.document") -> str:
        return f"ts_rank('{POSTGRES_WEIGHTS}', {column}, q.query, {POSTGRES_NORMALISATION})"

    def match_sql(self, kind: str, query: Query, public_only: bool) -> tuple[str, list]:
        sql = (
            f"SELECT e.object_id AS object_id, {self._rank()} * e.boost AS score "
            "FROM search_searchentry e, to_tsquery('simple', %s) AS q(query) "
            "WHERE e.document @@ q.query AND e.kind = %s"
        )
        if public_only:
            sql += " AND e.is_public"
        return sql, [self.render(query), kind]

    def matched_ids(self, query: Query) -> BitMap:
        return _id_list("SELECT string_agg(id::text, ',') FROM search_searchentry "
                        "WHERE document @@ to_tsquery('simple', %s)", [self.render(query)])

    def _weighted_rank(self, query: Query, weights) -> tuple[str, list]:
        """Sum over the query's atoms of weight x ts_rank of that atom alone. ts_rank has no notion
        of how rare a word is, so in an any-word search a document full of "symptoms" and "treatment"
        would outrank the one naming the rare condition; weighting each atom by its idf is BM25's remedy."""
        parts, params = [], []
        for atom, weight in zip(query.positive_atoms(), weights, strict=True):
            parts.append(f"%s * ts_rank('{POSTGRES_WEIGHTS}', e.document, to_tsquery('simple', %s), "
                         f"{POSTGRES_NORMALISATION})")
            params += [weight, self._atom(atom)]
        return "(" + " + ".join(parts) + ")", params

    def ranked(self, query: Query, *, min_id: int = 0, title_and_summary: bool = False, only=None, weights=None):
        """Rows (entry id, relevance) best first, from entries with id >= min_id (or only those
        listed in `only`). With `weights` (one per positive atom), relevance weighs each atom by them."""
        rank, params = self._weighted_rank(query, weights) if weights else (self._rank(), [])
        sql = (
            f"SELECT e.id, {rank} AS score FROM search_searchentry e, to_tsquery('simple', %s) AS q(query) "
            "WHERE e.document @@ q.query AND e.id >= %s"
        )
        params += [self.render(query, title_and_summary=title_and_summary), min_id]
        if only is not None:
            sql += " AND e.id = ANY(%s)"
            params.append(list(only))
        return _rows(sql + " ORDER BY score DESC", params)


def _id_list(sql: str, params: list) -> BitMap:
    """Ids the statement aggregates into one comma-separated string. One string parsed by numpy
    costs a tenth of fetching a Python row per id, which matters for queries matching 100,000s."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        text = cursor.fetchone()[0]
    if not text:
        return BitMap()
    return BitMap(array("I", np.fromstring(text, dtype=np.uint32, sep=",").tobytes()))


def _rows(sql: str, params: list):
    """Rows one batch at a time, so a caller that has enough can stop early."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(500):
            yield from batch


def current_backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
