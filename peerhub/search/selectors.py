"""Reads from the search index: the one interface every module uses to find records by text."""

from dataclasses import dataclass

from peerhub.search.backends import current_backend
from peerhub.search.query import Query, parse


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
