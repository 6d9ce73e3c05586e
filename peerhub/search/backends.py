"""Engine-specific SQL for the hub's one search index.

Each backend renders a parsed Query into its database's own full-text syntax, built only
from word tokens, and returns SQL that yields (object_id, score) for matching entries with
a higher score meaning more relevant."""

from django.db import connection

from peerhub.search.query import Atom, Query

# Field weights: title over summary over authors/organisation over description.
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT, EXTRA_WEIGHT = 10.0, 5.0, 1.0, 2.0


class SQLiteBackend:
    @staticmethod
    def _atom(atom: Atom) -> str:
        text = '"' + " ".join(atom.words) + '"'
        return text + "*" if atom.prefix else text

    def render(self, query: Query) -> str:
        groups = ["(" + " OR ".join(self._atom(a) for a in group) + ")" for group in query.groups]
        expression = " AND ".join(groups)
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


class PostgresBackend:
    @staticmethod
    def _atom(atom: Atom) -> str:
        lexemes = [f"'{w}'" for w in atom.words]
        if atom.prefix:
            lexemes[-1] += ":*"
        return "(" + " <-> ".join(lexemes) + ")"

    def render(self, query: Query) -> str:
        groups = ["(" + " | ".join(self._atom(a) for a in group) + ")" for group in query.groups]
        expression = " & ".join(groups)
        if query.excluded:
            expression += " & !(" + " | ".join(self._atom(a) for a in query.excluded) + ")"
        return expression

    def match_sql(self, kind: str, query: Query, public_only: bool) -> tuple[str, list]:
        sql = (
            "SELECT e.object_id AS object_id, ts_rank_cd(e.document, q.query, 1) * e.boost AS score "
            "FROM search_searchentry e, to_tsquery('english', %s) AS q(query) "
            "WHERE e.document @@ q.query AND e.kind = %s"
        )
        if public_only:
            sql += " AND e.is_public"
        return sql, [self.render(query), kind]


def current_backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
