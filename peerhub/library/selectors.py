"""Reads for the library. Pages, the JSON API and commands all call these."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL

from peerhub.library.facets import CHOICE_FACETS, VOCABULARY_FACETS, YEAR_BUCKETS, SearchParams
from peerhub.library.identifiers import normalise_doi, normalise_pmid, normalise_title, normalise_url
from peerhub.library.models import Resource, Status, Term, Vocabulary
from peerhub.search.selectors import text_match

SEARCH_KIND = "library.resource"
FACET_VALUE_LIMIT = 30  # values listed per facet; the rest are counted as "more"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]
    truncated: int = 0  # how many further values exist beyond those listed


@dataclass
class SearchPage:
    params: SearchParams
    items: list[Resource]
    total: int
    facets: list[Facet]
    query_words: str = ""  # the query restated in words
    errors: dict[str, str] = field(default_factory=dict)
    term_lookup: dict = field(default_factory=dict)  # (vocabulary slug, term slug) -> Term

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.params.per_page))


def published_resources():
    return Resource.objects.filter(status=Status.PUBLISHED)


def vocabularies_with_terms() -> list[Vocabulary]:
    terms = Term.objects.filter(merged_into__isnull=True).order_by("order", "name")
    from django.db.models import Prefetch

    return list(Vocabulary.objects.prefetch_related(Prefetch("terms", queryset=terms)))


def live_terms():
    return Term.objects.filter(merged_into__isnull=True).select_related("vocabulary", "parent")


def term_lookup() -> dict[tuple[str, str], Term]:
    return {(t.vocabulary.slug, t.slug): t for t in live_terms()}


def descendant_ids(term: Term, all_terms: list[Term]) -> set[int]:
    """The term and every term below it, so a filter on 'Mental health' includes 'Depression'."""
    children: dict[int | None, list[Term]] = {}
    for t in all_terms:
        children.setdefault(t.parent_id, []).append(t)
    found, stack = set(), [term]
    while stack:
        current = stack.pop()
        found.add(current.pk)
        stack.extend(children.get(current.pk, []))
    return found


def _apply_term_filters(qs, params: SearchParams, lookup: dict, errors: dict):
    all_terms = list(lookup.values())
    for vocab, slugs in params.terms.items():
        for slug in slugs:
            term = lookup.get((vocab, slug))
            if term is None:
                errors[vocab] = f"There is no {vocab} called “{slug[:40]}”."
                continue
            qs = qs.filter(terms__in=descendant_ids(term, all_terms))
    return qs.distinct() if params.terms else qs


def _apply_field_filters(qs, params: SearchParams):
    field_for = {"type": "resource_type", "quality": "quality", "access": "access"}
    for name, value in params.choices.items():
        qs = qs.filter(**{field_for[name]: value})
    if params.year_from:
        qs = qs.filter(pub_year__gte=params.year_from)
    if params.year_to:
        qs = qs.filter(pub_year__lte=params.year_to)
    return qs


def _id_cast() -> str:
    return "BIGINT" if connection.vendor == "postgresql" else "INTEGER"


def _restrict_to_matches(qs, match):
    sql = f"SELECT CAST(m.object_id AS {_id_cast()}) FROM ({match.sql}) m"
    return qs.filter(id__in=RawSQL(sql, match.params))


def _ranked_page_ids(filtered, match, offset: int, limit: int) -> list[int]:
    """Relevance order: rank only the matches that survive the filters, then take a page."""
    inner_sql, inner_params = filtered.order_by().values("id").query.sql_with_params()
    sql = (
        f"SELECT CAST(m.object_id AS {_id_cast()}) AS id FROM ({match.sql}) m "
        f"WHERE CAST(m.object_id AS {_id_cast()}) IN ({inner_sql}) "
        "ORDER BY m.score DESC, id DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match.params, *inner_params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def _ordered_page_ids(filtered, sort: str, offset: int, limit: int) -> list[int]:
    orderings = {
        "newest": ["-pub_year", "-pub_month", "-published_at", "-id"],
        "checked": ["-last_checked", "-id"],
        "relevance": ["-published_at", "-id"],  # no query: newest additions first
    }
    from django.db.models import F

    order = [F(o[1:]).desc(nulls_last=True) if o.startswith("-") else o for o in orderings[sort]]
    return list(filtered.order_by(*order).values_list("id", flat=True)[offset : offset + limit])


def _page_items(ids: list[int]) -> list[Resource]:
    by_id = Resource.objects.prefetch_related("terms__vocabulary").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _term_facets(filtered, params: SearchParams, lookup: dict) -> list[Facet]:
    through = Resource.terms.through
    rows = (
        through.objects.filter(resource_id__in=filtered.values("id"))
        .values("term_id")
        .annotate(n=Count("resource_id", distinct=True))
    )
    counts = {row["term_id"]: row["n"] for row in rows}
    facets = []
    for vocab in Vocabulary.objects.filter(slug__in=VOCABULARY_FACETS):
        chosen = set(params.terms.get(vocab.slug, []))
        values = [
            FacetValue(t.slug, t.name, counts.get(t.pk, 0), t.slug in chosen)
            for (v, _slug), t in lookup.items()
            if v == vocab.slug and (counts.get(t.pk) or t.slug in chosen)
        ]
        values.sort(key=lambda fv: (not fv.selected, -fv.count, fv.label))
        facets.append(
            Facet(vocab.slug, vocab.name, values[:FACET_VALUE_LIMIT], max(0, len(values) - FACET_VALUE_LIMIT))
        )
    order = {slug: i for i, slug in enumerate(VOCABULARY_FACETS)}
    return sorted(facets, key=lambda f: order[f.name])


def _choice_facets(filtered, params: SearchParams) -> list[Facet]:
    field_for = {"type": "resource_type", "quality": "quality", "access": "access"}
    facets = []
    for name, (label, choices) in CHOICE_FACETS.items():
        rows = filtered.order_by().values(field_for[name]).annotate(n=Count("id"))
        counts = {row[field_for[name]]: row["n"] for row in rows if row[field_for[name]]}
        values = [
            FacetValue(value, choice_label, counts[value], params.choices.get(name) == value)
            for value, choice_label in choices.choices
            if value in counts
        ]
        facets.append(Facet(name, label, values))
    return facets


def _year_facet(filtered, params: SearchParams) -> Facet:
    buckets = {
        f"bucket{i}": Count("id", filter=Q(pub_year__gte=lo or 0, pub_year__lte=hi or 9999))
        for i, (_label, lo, hi) in enumerate(YEAR_BUCKETS)
    }
    counts = filtered.order_by().aggregate(**buckets)
    values = []
    for i, (label, lo, hi) in enumerate(YEAR_BUCKETS):
        selected = (params.year_from, params.year_to) == (lo, hi)
        if counts[f"bucket{i}"] or selected:
            values.append(FacetValue(f"{lo or ''}-{hi or ''}", label, counts[f"bucket{i}"], selected))
    return Facet("year", "Year published", values)


def search_resources(params: SearchParams, errors: dict | None = None) -> SearchPage:
    """Published resources matching the words and filters, one page of them, and facet counts."""
    errors = dict(errors or {})
    lookup = term_lookup()
    qs = _apply_field_filters(published_resources(), params)
    qs = _apply_term_filters(qs, params, lookup, errors)
    match = text_match(SEARCH_KIND, params.q) if params.q else None
    if match:
        qs = _restrict_to_matches(qs, match)
    total = qs.count()
    offset = (params.page - 1) * params.per_page
    if match and params.sort == "relevance":
        ids = _ranked_page_ids(qs, match, offset, params.per_page)
    else:
        ids = _ordered_page_ids(qs, params.sort, offset, params.per_page)
    facets = _choice_facets(qs, params) + [_year_facet(qs, params)] + _term_facets(qs, params, lookup)
    from peerhub.search.query import describe

    return SearchPage(
        params=params,
        items=_page_items(ids),
        total=total,
        facets=facets,
        query_words=describe(match.query) if match else "",
        errors=errors,
        term_lookup=lookup,
    )


@dataclass
class DuplicateCandidate:
    resource: Resource
    reason: str


def find_duplicates(*, doi="", pmid="", url="", title="", exclude_pk=None) -> list[DuplicateCandidate]:
    """Records that are likely the same item: same DOI, PMID or normalised URL, or a
    near-identical title. Looks at every record, published or not, so a pending submission
    is caught too."""
    checks = [
        ("the same DOI", "doi", normalise_doi(doi)),
        ("the same PubMed ID", "pmid", normalise_pmid(pmid)),
        ("the same web address", "url_key", normalise_url(url)),
        ("a near-identical title", "title_key", normalise_title(title)),
    ]
    found: dict[int, DuplicateCandidate] = {}
    for reason, field_name, value in checks:
        if not value:
            continue
        for resource in Resource.objects.filter(**{field_name: value}).exclude(pk=exclude_pk)[:10]:
            found.setdefault(resource.pk, DuplicateCandidate(resource, reason))
    return list(found.values())


def submissions_of(user) -> list[Resource]:
    return list(Resource.objects.filter(submitted_by=user).order_by("-created_at"))


def curator_queue():
    return Resource.objects.filter(status=Status.SUBMITTED).select_related("submitted_by").order_by("created_at")
