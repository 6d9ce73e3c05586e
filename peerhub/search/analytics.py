"""Search analytics for curators, read from the daily counts (no personal data is kept)."""

from dataclasses import dataclass

from django.db.models import Sum

from peerhub.search.models import QueryDay

TOP = 50


@dataclass
class QueryFigure:
    query: str
    searches: int
    empty_searches: int


def _figures(rows) -> list[QueryFigure]:
    return [QueryFigure(r["query"], r["total"], r["empty"]) for r in rows]


def query_report(kind: str, since) -> dict[str, list[QueryFigure]]:
    """The most frequent queries and the queries that found nothing, since a day."""
    days = QueryDay.objects.filter(kind=kind, day__gte=since).values("query")
    totals = days.annotate(total=Sum("searches"), empty=Sum("empty_searches"))
    return {
        "frequent": _figures(totals.order_by("-total", "query")[:TOP]),
        "no_results": _figures(totals.filter(empty__gt=0).order_by("-empty", "query")[:TOP]),
    }
