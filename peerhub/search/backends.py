"""Engine-specific SQL for the hub's one search index.

Each backend renders a parsed Query into its database's own full-text syntax, built only from
index terms, and runs the three reads the engine needs:

    matched_ids   every entry that matches (unranked: cheap, feeds counts and facets)
    ranked        (entry id, relevance) best first, optionally only among some entries
    match_sql     one ranked statement, for modules that join the matches themselves

Relevance is BM25-style with field weights title > summary > extra (authors) > body."""

from array import array

import numpy as np
from django.db import connection, transaction
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
    ranks_heading_first = False  # bm25 over every match of a window is cheap already

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
    ranks_heading_first = True  # the heading vector is in the row; the document's is in TOAST storage

    @staticmethod
    def _atom(atom: Atom, weights: str = "") -> str:
        if atom.prefix:
            return f"'{atom.terms[0]}':*{weights}"
        lexemes = [f"'{t}'{':' + weights if weights else ''}" for t in atom.terms]
        return "(" + (" <-> " if atom.adjacent else " & ").join(lexemes) + ")"

    def render(self, query: Query) -> str:
        groups = ["(" + " | ".join(self._atom(a) for a in group) + ")" for group in query.groups]
        expression = " & ".join(groups)
        if query.excluded:
            expression += " & !(" + " | ".join(self._atom(a) for a in query.excluded) + ")"
        return expression

    def _rank(self, column: str = "m.document") -> str:
        return f"ts_rank('{POSTGRES_WEIGHTS}', {column}, q.query, {POSTGRES_NORMALISATION})"

    @staticmethod
    def _predicate(atom: Atom) -> tuple[str, list]:
        """SQL true for the entries holding the atom. A phrase is looked up as its neighbouring
        pairs (migration 0007), exact through the index alone for two words; a longer phrase
        also checks positions, but only in entries holding every one of its pairs."""
        if not (atom.adjacent and len(atom.terms) > 1):
            return "m.document @@ to_tsquery('simple', %s)", [PostgresBackend._atom(atom)]
        pairs = " & ".join(f"'{a} {b}'" for a, b in zip(atom.terms, atom.terms[1:], strict=False))
        if len(atom.terms) == 2:
            return "m.pairs @@ %s::tsquery", [pairs]
        positions = "m.document @@ to_tsquery('simple', %s)"
        return f"(m.pairs @@ %s::tsquery AND {positions})", [pairs, PostgresBackend._atom(atom)]

    def _any(self, atoms) -> tuple[str, list]:
        found = [self._predicate(a) for a in atoms]
        return "(" + " OR ".join(sql for sql, _ in found) + ")", [p for _, params in found for p in params]

    def where(self, query: Query, *, exclusions: bool = True) -> tuple[str, list]:
        """The query as a condition on search_match m (migration 0008): each group, OR-ed atoms, must hold.
        Without `exclusions`, the -words are left to the caller (see matched_ids)."""
        parts = [self._any(group) for group in query.groups]
        if query.excluded and exclusions:
            sql, params = self._any(query.excluded)
            parts.append((f"NOT {sql}", params))
        return " AND ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]

    def match_sql(self, kind: str, query: Query, public_only: bool) -> tuple[str, list]:
        where, params = self.where(query)
        sql = (
            f"SELECT e.object_id AS object_id, {self._rank()} * e.boost AS score "
            "FROM search_searchentry e JOIN search_match m ON m.id = e.id, to_tsquery('simple', %s) AS q(query) "
            f"WHERE {where} AND e.kind = %s"
        )
        if public_only:
            sql += " AND e.is_public"
        return sql, [self.render(query), *params, kind]

    def matched_ids(self, query: Query) -> BitMap:
        """The -words' matches are subtracted as a second bitmap: a NOT in the statement cannot
        use the index, so it would fetch every candidate's document to look for the word."""
        matched = self._ids(*self.where(query, exclusions=False))
        if query.excluded:
            matched -= self._ids(*self._any(query.excluded))
        return matched

    @staticmethod
    def _ids(where: str, params: list) -> BitMap:
        # int4: entry ids are far below 2**31 (the bitmaps hold 32-bit ids anyway).
        ids = "string_agg(int4send(m.id::int4), ''::bytea)"
        return _id_list(f"SELECT {ids} FROM search_match m WHERE {where}", params, bitmap_scans=True)

    def _weighted_rank(self, query: Query, weights, column: str) -> tuple[str, list]:
        """Sum over the query's atoms of weight x ts_rank of that atom alone. ts_rank has no notion
        of how rare a word is, so in an any-word search a document full of "symptoms" and "treatment"
        would outrank the one naming the rare condition; weighting each atom by its idf is BM25's remedy."""
        parts, params = [], []
        for atom, weight in zip(query.positive_atoms(), weights, strict=True):
            parts.append(f"%s * ts_rank('{POSTGRES_WEIGHTS}', {column}, to_tsquery('simple', %s), "
                         f"{POSTGRES_NORMALISATION})")
            params += [weight, self._atom(atom)]
        return "(" + " + ".join(parts) + ")", params

    @staticmethod
    def _ranking_source(title_and_summary: bool) -> tuple[str, str]:
        """(what to rank, aliased e or m; its vector). The heading vector is in search_searchentry's
        row; the document is in search_match, matched through its index (see where()). A window is
        ranked through the heading's GIN ANDed with the id range: reading the window's rows by id
        instead was measured slower, at 100k and at 1M (README, "Search on PostgreSQL")."""
        return ("search_searchentry e", "e.heading") if title_and_summary else ("search_match m", "m.document")

    def ranked(self, query: Query, *, min_id: int = 0, title_and_summary: bool = False, only=None, weights=None):
        """Rows (entry id, relevance) best first, from entries with id >= min_id (or only those
        listed in `only`). With `weights` (one per positive atom), relevance weighs each atom by them.
        `title_and_summary` matches and ranks on the small heading vector kept in the row (migration 0006).
        Rows holding a -word may come back: callers keep only candidates from matched_ids()."""
        table, column = self._ranking_source(title_and_summary)
        rank, params = self._weighted_rank(query, weights, column) if weights else (self._rank(column), [])
        where, where_params = ("e.heading @@ q.query", []) if title_and_summary else self.where(query, exclusions=False)
        row_id = table[-1] + ".id"
        sql = (
            f"SELECT {row_id}, {rank} AS score FROM {table}, to_tsquery('simple', %s) AS q(query) "
            f"WHERE {where} AND {row_id} >= %s"
        )
        params += [self.render(query), *where_params, min_id]
        if only is not None:
            sql += f" AND {row_id} = ANY(%s)"
            params.append(list(only))
        return _rows(sql + " ORDER BY score DESC", params, bitmap_scans=True)


# Make PostgreSQL read matches through the GIN indexes (and the id range, for a window), never row
# by row. For a word in a third of the catalogue its estimate favours a sequential or primary-key
# scan, which tests every row and fetches each document's vector from TOAST storage: several
# times slower than the bitmap of index matches (see README, "Search on PostgreSQL"). The bitmap
# of a word in most of a 1M catalogue needs a few MB: within the default 4 MB work_mem it turns
# "lossy" (whole pages, each row then rechecked by reading its vector), which took 2.5 s instead
# of 0.13 s. SET LOCAL lasts until the transaction ends: just this statement in autocommit, and
# neither setting ever changes results.
BITMAP_SCANS = "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL work_mem = '64MB'"


def _execute(cursor, sql: str, params: list, bitmap_scans: bool) -> None:
    if not bitmap_scans:
        cursor.execute(sql, params)
        return
    with transaction.atomic(savepoint=False):
        cursor.execute(BITMAP_SCANS)
        cursor.execute(sql, params)


def _id_list(sql: str, params: list, *, bitmap_scans: bool = False) -> BitMap:
    """Ids the statement aggregates into one value: a comma-separated string, or (PostgreSQL) the
    ids' 4-byte big-endian binary forms joined. One value decoded by numpy costs a tenth of
    fetching a Python row per id, which matters for queries matching 100,000s; binary saves the
    server printing and numpy parsing each number."""
    with connection.cursor() as cursor:
        _execute(cursor, sql, params, bitmap_scans)
        value = cursor.fetchone()[0]
    if not value:
        return BitMap()
    if isinstance(value, str):
        ids = np.fromstring(value, dtype=np.uint32, sep=",")
    else:
        ids = np.frombuffer(value, dtype=">u4").astype(np.uint32)
    return BitMap(array("I", ids.tobytes()))


def _rows(sql: str, params: list, *, bitmap_scans: bool = False):
    """Rows one batch at a time, so a caller that has enough can stop early."""
    with connection.cursor() as cursor:
        _execute(cursor, sql, params, bitmap_scans)
        while batch := cursor.fetchmany(500):
            yield from batch


def current_backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
