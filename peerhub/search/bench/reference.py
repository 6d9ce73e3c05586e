"""What the hub's search is compared with in the same run:

tantivy   a dedicated search engine (Rust), indexing exactly the hub's analysed terms and facet
          keys, answering the same query with BM25 (same field weights) and a terms aggregation
          for the facet counts.
baseline  the straightforward single SQL statement: full-text match, bm25 / ts_rank ranking of
          every match, top 20 taken before joining titles, GROUP BY facet counts over the
          matched set."""

import shutil
from pathlib import Path

import tantivy
from django.db import connection

from peerhub.library.facets import SearchParams
from peerhub.library.selectors import _apply_field_filters, _apply_term_filters, published_resources
from peerhub.library.services import SEARCH_KIND
from peerhub.search.backends import (
    BODY_WEIGHT,
    EXTRA_WEIGHT,
    SUMMARY_WEIGHT,
    TITLE_WEIGHT,
    PostgresBackend,
    current_backend,
)
from peerhub.search.query import Atom, Query
from peerhub.search.synonyms import expand

FIELDS = ("title", "summary", "body", "extra")
BOOSTS = {"title": TITLE_WEIGHT, "summary": SUMMARY_WEIGHT, "body": BODY_WEIGHT, "extra": EXTRA_WEIGHT}


# tantivy --------------------------------------------------------------------------------------

def _schema():
    builder = tantivy.SchemaBuilder()
    for name in FIELDS:
        builder.add_text_field(name, stored=False)  # the default tokenizer: the terms are analysed already
    builder.add_text_field("facets", stored=False, tokenizer_name="raw", fast=True)
    builder.add_integer_field("eid", stored=True, indexed=True, fast=True)
    return builder.build()


def build_tantivy(path: Path) -> tantivy.Index:
    """Index every entry of the current database (reused when already built for it)."""
    if path.exists() and (path / "meta.json").exists():
        return tantivy.Index(_schema(), path=str(path))
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    index = tantivy.Index(_schema(), path=str(path))
    writer = index.writer(heap_size=400_000_000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, title, summary, body, extra, facets FROM search_searchentry WHERE kind = %s",
                       [SEARCH_KIND])
        while rows := cursor.fetchmany(5000):
            for eid, *texts, facets in rows:
                doc = tantivy.Document(eid=eid, **dict(zip(FIELDS, texts, strict=True)))
                for key in facets.split():
                    doc.add_text("facets", key)
                writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def _tantivy_atom(atom: Atom) -> str:
    if atom.prefix:  # tantivy's parser takes a prefix only as a regular expression on named fields
        return "(" + " OR ".join(f"{name}:/{atom.terms[0]}.*/" for name in FIELDS) + ")"
    if atom.adjacent and len(atom.terms) > 1:
        return '"' + " ".join(atom.terms) + '"'
    return "(" + " AND ".join(atom.terms) + ")"


def tantivy_text(query: Query) -> str:
    groups = ["(" + " OR ".join(_tantivy_atom(a) for a in group) + ")" for group in query.groups]
    text = " AND ".join(groups)
    return text + "".join(f" -{_tantivy_atom(a)}" for a in query.excluded)


def tantivy_search(index: tantivy.Index, query: Query, filters: list[list[str]]) -> tuple[int, list[int], dict]:
    """(total, top 20 entry ids, facet key counts) for the query and filters."""
    text_query = index.parse_query(tantivy_text(query), list(FIELDS), field_boosts=BOOSTS,
                                   conjunction_by_default=True, allow_regexes=True)
    musts = [(tantivy.Occur.Must, text_query)]
    for keys in filters:
        any_key = [(tantivy.Occur.Should, tantivy.Query.term_query(index.schema, "facets", k)) for k in keys]
        musts.append((tantivy.Occur.Must, tantivy.Query.boolean_query(any_key)))
    combined = tantivy.Query.boolean_query(musts)
    searcher = index.searcher()
    result = searcher.search(combined, 20, count=True)
    ids = [searcher.doc(address)["eid"][0] for _score, address in result.hits]
    facets = searcher.aggregate(combined, {"f": {"terms": {"field": "facets", "size": 400}}})
    counts = {b["key"]: b["doc_count"] for b in facets["f"]["buckets"]}
    return result.count, ids, counts


# The straightforward single statement ----------------------------------------------------------

def _matched_sql(query: Query) -> tuple[str, list]:
    """(entry id, score) of every public library match."""
    backend = current_backend()
    if isinstance(backend, PostgresBackend):
        return ("SELECT e.id AS eid, e.object_id, ts_rank('{0.1, 0.2, 0.5, 1.0}', m.document, q.query, 1) * e.boost "
                "AS score FROM search_searchentry e JOIN search_match m ON m.id = e.id, "
                "to_tsquery('simple', %s) q(query) "
                "WHERE m.document @@ q.query AND e.kind = %s AND e.is_public", [backend.render(query), SEARCH_KIND])
    return ("SELECT e.id AS eid, e.object_id, -bm25(search_fts, 10.0, 5.0, 1.0, 2.0) * e.boost AS score "
            "FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid "
            "WHERE search_fts MATCH %s AND e.kind = %s AND e.is_public", [backend.render(query), SEARCH_KIND])


def baseline_sql(query: Query, params: SearchParams, lookup: dict) -> tuple[str, list]:
    matched, matched_params = _matched_sql(query)
    filtered = _apply_term_filters(_apply_field_filters(published_resources(), params), params, lookup, {})
    filter_sql, filter_params = filtered.order_by().values("id").query.sql_with_params()
    cast = "BIGINT" if connection.vendor == "postgresql" else "INTEGER"
    sql = f"""
    WITH m AS ({matched}),
    f AS (SELECT CAST(m.object_id AS {cast}) AS rid, m.score FROM m
          WHERE CAST(m.object_id AS {cast}) IN ({filter_sql})),
    top AS (SELECT rid, score FROM f ORDER BY score DESC LIMIT 20)
    SELECT 'hit', CAST(r.id AS TEXT), r.title FROM top JOIN library_resource r ON r.id = top.rid
    UNION ALL SELECT 'type', r.resource_type, CAST(COUNT(*) AS TEXT) FROM f JOIN library_resource r ON r.id = f.rid
        GROUP BY r.resource_type
    UNION ALL SELECT 'quality', r.quality, CAST(COUNT(*) AS TEXT) FROM f JOIN library_resource r ON r.id = f.rid
        GROUP BY r.quality
    UNION ALL SELECT 'access', r.access, CAST(COUNT(*) AS TEXT) FROM f JOIN library_resource r ON r.id = f.rid
        GROUP BY r.access
    UNION ALL SELECT 'year', CAST(r.pub_year AS TEXT), CAST(COUNT(*) AS TEXT) FROM f
        JOIN library_resource r ON r.id = f.rid GROUP BY r.pub_year
    UNION ALL SELECT 'term', CAST(t.term_id AS TEXT), CAST(COUNT(*) AS TEXT) FROM f
        JOIN library_resource_terms t ON t.resource_id = f.rid GROUP BY t.term_id
    UNION ALL SELECT 'total', NULL, CAST(COUNT(*) AS TEXT) FROM f
    """
    return sql, [*matched_params, *filter_params]


def baseline_search(query: Query, params: SearchParams, lookup: dict) -> int:
    """Runs the statement; returns the total it counted."""
    sql, sql_params = baseline_sql(query, params, lookup)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    return next((int(row[2]) for row in rows if row[0] == "total"), 0)


def expanded(query: Query, groups) -> Query:
    """The query as the hub runs it (synonyms added), so all three answer the same question."""
    return expand(query, groups)
