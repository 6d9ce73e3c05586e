"""Reads for the library. Pages, the JSON API and commands all call these."""

import difflib
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Window, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from peerhub.library.facets import (
    CHOICE_FACETS,
    FIRST_YEAR,
    LAST_YEAR,
    VOCABULARY_FACETS,
    YEAR_BUCKETS,
    SearchParams,
)
from peerhub.library.identifiers import normalise_doi, normalise_pmid, normalise_title, normalise_url
from peerhub.library.models import Resource, Status, Term, Vocabulary
from peerhub.search import bitmaps
from peerhub.search.backends import current_backend
from peerhub.search.query import MAX_QUERY_CHARS, Query, describe
from peerhub.search.selectors import Hits, search, text_match

SEARCH_KIND = "library.resource"
FACET_VALUE_LIMIT = 30  # values listed per facet; the rest are counted as "more"
FIELD_FOR_CHOICE = {"type": "resource_type", "quality": "quality", "access": "access"}
# How each filter reads in "12 resources match …, about Depression, published 2020 onwards".
FILTER_PHRASES = {
    "condition": "about",
    "community": "for",
    "format": "in the format",
    "setting": "in the setting",
    "audience": "for",
    "purpose": "with the purpose",
    "challenge": "in the challenge area",
    "type": "of the type",
    "quality": "with evidence quality",
    "access": "that are",
}


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
class ActiveFilter:
    """One filter in force, as the page restates it. `param` and `value` say what to take out
    of the URL to remove it; the year range uses param "year" and clears both ends."""

    param: str
    value: str
    words: str


@dataclass
class SearchPage:
    params: SearchParams
    items: list[Resource]
    total: int
    facets: list[Facet]
    query_words: str = ""  # the query restated in words
    query: Query | None = None  # the words as searched (synonyms added), for highlighting
    any_word: bool = False  # every word together found too little: these match some of the words
    ranking_bounded: bool = False  # too many matches to rank all: ranked among the newest (see search)
    suggestion: str = ""  # "did you mean"
    errors: dict[str, str] = field(default_factory=dict)
    term_lookup: dict = field(default_factory=dict)  # (vocabulary slug, term slug) -> Term

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.params.per_page))


def published_resources():
    return Resource.objects.filter(status=Status.PUBLISHED)


def vocabularies_with_terms() -> list[Vocabulary]:
    terms = Term.objects.filter(merged_into__isnull=True).order_by("order", "name")
    return list(Vocabulary.objects.prefetch_related(Prefetch("terms", queryset=terms)))


def live_terms():
    return Term.objects.filter(merged_into__isnull=True).select_related("vocabulary", "parent")


def term_lookup(snapshot: bitmaps.Snapshot | None = None) -> dict[tuple[str, str], Term]:
    """(vocabulary slug, term slug) -> live term. Built once per search-state token, which every
    taxonomy write renews (library migration 0003): each search needs the whole taxonomy, and
    building it per request was a sixth of a search's time. Shared: never change what it holds."""
    return (snapshot or bitmaps.snapshot()).memo("library.term_lookup", _build_term_lookup)


def _build_term_lookup() -> dict[tuple[str, str], Term]:
    return {(t.vocabulary.slug, t.slug): t for t in live_terms()}


def _children_map(all_terms: list[Term]) -> dict[int | None, list[Term]]:
    children: dict[int | None, list[Term]] = {}
    for t in all_terms:
        children.setdefault(t.parent_id, []).append(t)
    return children


def descendant_ids(term: Term, all_terms: list[Term], children: dict | None = None) -> set[int]:
    """The term and every term below it, so a filter on 'Mental health' includes 'Depression'."""
    children = children if children is not None else _children_map(all_terms)
    found, stack = set(), [term]
    while stack:
        current = stack.pop()
        if current.pk in found:
            continue  # guards against a cycle a bad edit could create
        found.add(current.pk)
        stack.extend(children.get(current.pk, []))
    return found


def _resources_with_any_term(term_ids):
    # A subquery, not a join: joins would repeat a resource once per matching term and
    # inflate every facet count computed from the filtered set.
    return Resource.terms.through.objects.filter(term_id__in=term_ids).values("resource_id")


def _apply_term_filters(qs, params: SearchParams, lookup: dict, errors: dict):
    all_terms = list(lookup.values())
    children = _children_map(all_terms)
    for vocab, slugs in params.terms.items():
        for slug in slugs:
            term = lookup.get((vocab, slug))
            if term is None:
                errors[vocab] = f"There is no {vocab} called “{slug[:40]}”. Remove it and try again."
                continue
            qs = qs.filter(id__in=_resources_with_any_term(descendant_ids(term, all_terms, children)))
    return qs


def _apply_field_filters(qs, params: SearchParams):
    for name, value in params.choices.items():
        qs = qs.filter(**{FIELD_FOR_CHOICE[name]: value})
    if params.year_from:
        qs = qs.filter(pub_year__gte=params.year_from)
    if params.year_to:
        qs = qs.filter(pub_year__lte=params.year_to)
    return qs


def _id_cast() -> str:
    return "BIGINT" if connection.vendor == "postgresql" else "INTEGER"


def _restrict_to_matches(qs, query):
    """Resources matching the query as the engine ran it (synonyms, any-word fallback)."""
    sql, params = current_backend().match_sql(SEARCH_KIND, query, True)
    return qs.filter(id__in=RawSQL(f"SELECT CAST(m.object_id AS {_id_cast()}) FROM ({sql}) m", params))


def _ordered_page_ids(filtered, sort: str, offset: int, limit: int) -> list[int]:
    orderings = {
        "newest": ["-pub_year", "-pub_month", "-pub_day", "-published_at", "-id"],
        "checked": ["-last_checked", "-id"],
        "relevance": ["-published_at", "-id"],  # no query: newest additions first
    }
    order = [F(o[1:]).desc(nulls_last=True) if o.startswith("-") else o for o in orderings[sort]]
    return list(filtered.order_by(*order).values_list("id", flat=True)[offset : offset + limit])


def _page_items(ids: list[int], lookup: dict) -> list[Resource]:
    """The page's resources in order, each with its live terms taken from the taxonomy already in
    memory (`lookup`): two queries and no Term built per row, where prefetching `terms__vocabulary`
    took three and was the largest part of a search request."""
    by_id = Resource.objects.in_bulk(ids)
    live = {t.pk: t for t in lookup.values()}
    tagged: dict[int, list[Term]] = {pk: [] for pk in by_id}
    tagging = Resource.terms.through.objects.filter(resource_id__in=list(by_id)).order_by("pk")
    for resource_id, term_id in tagging.values_list("resource_id", "term_id"):
        if term_id in live:
            tagged[resource_id].append(live[term_id])
    for resource in by_id.values():
        _attach_prefetched_terms(resource, tagged[resource.pk])
    return [by_id[i] for i in ids if i in by_id]


def _attach_prefetched_terms(resource: Resource, terms: list[Term]) -> None:
    """What Django's own prefetch_related stores for `resource.terms.all()` (see
    QuerySet.prefetch_one_level): a queryset whose results are already known. Merged terms are left
    out, as every reader of a resource's terms leaves them out (visible_terms)."""
    cached = resource.terms.all()
    cached._result_cache, cached._prefetch_done = terms, True
    resource._prefetched_objects_cache = {"terms": cached}


# Facet keys: what library.services.search_facets writes into the index for each resource.

def _merged_into_map(snapshot: bitmaps.Snapshot) -> dict[int, list[int]]:
    """Live term -> terms merged into it. A merge retags resources without reindexing them, so
    their index entries may still name the old term: counting both keeps filters exact."""
    return snapshot.memo("library.merged_into", _build_merged_into_map)


def _build_merged_into_map() -> dict[int, list[int]]:
    merged: dict[int, list[int]] = {}
    for pk, target in Term.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into"):
        merged.setdefault(target, []).append(pk)
    return merged


def _term_keys(term_ids, merged: dict) -> list[str]:
    return [f"term:{pk}" for tid in term_ids for pk in (tid, *merged.get(tid, ()))]


def _year_keys(year_from: int | None, year_to: int | None) -> list[str]:
    return [f"year:{y}" for y in range(year_from or FIRST_YEAR, (year_to or LAST_YEAR) + 1)]


def _filter_keys(params: SearchParams, lookup: dict, merged: dict, errors: dict) -> list[list[str]]:
    """Each filter as facet keys (any of them will do); the filters all apply."""
    all_terms = list(lookup.values())
    children = _children_map(all_terms)
    filters = []
    for vocab, slugs in params.terms.items():
        for slug in slugs:
            term = lookup.get((vocab, slug))
            if term is None:
                errors[vocab] = f"There is no {vocab} called “{slug[:40]}”. Remove it and try again."
                continue
            filters.append(_term_keys(descendant_ids(term, all_terms, children), merged))
    filters += [[f"{name}:{value}"] for name, value in params.choices.items()]
    if params.year_from or params.year_to:
        filters.append(_year_keys(params.year_from, params.year_to))
    return filters


def _term_counts(hits: Hits, lookup: dict, merged: dict) -> dict[int, int]:
    """Resources per term, where a parent term counts every resource tagged with it or any term
    below it (so the count is what clicking it would give): bitmap intersections, no query."""
    all_terms = list(lookup.values())
    children = _children_map(all_terms)
    return {t.pk: hits.count(_term_keys(descendant_ids(t, all_terms, children) if t.pk in children else [t.pk],
                                        merged))
            for t in all_terms}


def _vocabulary_facet(vocab: Vocabulary, params: SearchParams, lookup: dict, counts: dict) -> Facet:
    chosen = set(params.terms.get(vocab.slug, []))
    values = [
        FacetValue(t.slug, t.name, counts.get(t.pk, 0), t.slug in chosen)
        for (v, _slug), t in lookup.items()
        if v == vocab.slug and (counts.get(t.pk) or t.slug in chosen)
    ]
    values.sort(key=lambda fv: (not fv.selected, -fv.count, fv.label))
    return Facet(vocab.slug, vocab.name, values[:FACET_VALUE_LIMIT], max(0, len(values) - FACET_VALUE_LIMIT))


def _term_facets(hits: Hits, params: SearchParams, lookup: dict, merged: dict) -> list[Facet]:
    counts = _term_counts(hits, lookup, merged)
    vocabularies = {t.vocabulary.slug: t.vocabulary for t in lookup.values()}
    return [
        _vocabulary_facet(vocabularies[slug], params, lookup, counts)
        for slug in VOCABULARY_FACETS
        if slug in vocabularies
    ]


def _choice_facets(hits: Hits, params: SearchParams) -> list[Facet]:
    facets = []
    for name, (label, choices) in CHOICE_FACETS.items():
        counts = {value: hits.count([f"{name}:{value}"]) for value in choices.values}
        values = [
            FacetValue(value, choice_label, counts[value], params.choices.get(name) == value)
            for value, choice_label in choices.choices
            if counts[value] or params.choices.get(name) == value
        ]
        facets.append(Facet(name, label, values))
    return facets


def _year_facet(hits: Hits, params: SearchParams) -> Facet:
    values = []
    years = [int(key[5:]) for key in hits.index.keys_with_prefix("year:")]
    for label, lo, hi in YEAR_BUCKETS:
        count = hits.count(f"year:{y}" for y in years if (lo or FIRST_YEAR) <= y <= (hi or LAST_YEAR))
        selected = (params.year_from, params.year_to) == (lo, hi)
        if count or selected:
            values.append(FacetValue(f"{lo or ''}-{hi or ''}", label, count, selected))
    return Facet("year", "Year published", values)


def _query_errors(params: SearchParams, hits: Hits, errors: dict) -> None:
    if len(params.q) > MAX_QUERY_CHARS:
        errors["q"] = f"Your search was too long. Only the first {MAX_QUERY_CHARS} characters were used."
    elif params.q and hits.query is None:
        errors["q"] = "Your search has no words we can look for. Try words like “peer mentoring”."


def _page_error(params: SearchParams, total: int, errors: dict) -> None:
    last = max(1, -(-total // params.per_page))
    if params.page > last:
        errors["page"] = f"There is no page {params.page}. The results fill {last} page{'s' if last > 1 else ''}."


def _find(params: SearchParams, lookup: dict, merged: dict, errors: dict, snapshot) -> Hits:
    offset = (params.page - 1) * params.per_page
    return search(SEARCH_KIND, params.q, filters=_filter_keys(params, lookup, merged, errors), offset=offset,
                  limit=params.per_page, rank=params.sort == "relevance", snapshot=snapshot)


def _sorted_page_ids(params: SearchParams, hits: Hits, lookup: dict) -> list[int]:
    """A page in date order: the database sorts the resources passing the filters and words."""
    qs = _apply_term_filters(_apply_field_filters(published_resources(), params), params, lookup, {})
    if hits.query is not None:
        qs = _restrict_to_matches(qs, hits.query)
    return _ordered_page_ids(qs, params.sort, (params.page - 1) * params.per_page, params.per_page)


def search_resources(params: SearchParams, errors: dict | None = None) -> SearchPage:
    """Published resources matching the words and filters, one page of them, and facet counts."""
    errors = dict(errors or {})
    snapshot = bitmaps.snapshot()
    lookup, merged = term_lookup(snapshot), _merged_into_map(snapshot)
    hits = _find(params, lookup, merged, errors, snapshot)
    _query_errors(params, hits, errors)
    _page_error(params, hits.total, errors)
    if hits.query is not None and params.sort == "relevance":
        ids = [int(i) for i in hits.page_ids]
    else:
        ids = _sorted_page_ids(params, hits, lookup)
    facets = _choice_facets(hits, params) + [_year_facet(hits, params)] + _term_facets(hits, params, lookup, merged)
    return SearchPage(
        params=params, items=_page_items(ids, lookup), total=hits.total, facets=facets,
        query_words=describe(hits.query) if hits.query else "", errors=errors, term_lookup=lookup,
        query=hits.query, any_word=hits.any_word, ranking_bounded=hits.bounded, suggestion=hits.suggestion,
    )


def _year_words(year_from: int | None, year_to: int | None) -> str:
    if year_from and year_to:
        return f"published in {year_from}" if year_from == year_to else f"published {year_from} to {year_to}"
    return f"published {year_from} onwards" if year_from else f"published {year_to} or earlier"


def active_filters(params: SearchParams, lookup: dict) -> list[ActiveFilter]:
    """The filters in force, in facet order, each in words. Unknown term slugs are left out:
    they are reported as errors instead."""
    found = [
        ActiveFilter(vocab, slug, f"{FILTER_PHRASES[vocab]} {lookup[(vocab, slug)].name}")
        for vocab in VOCABULARY_FACETS
        for slug in params.terms.get(vocab, [])
        if (vocab, slug) in lookup
    ]
    for name, value in params.choices.items():
        label = dict(CHOICE_FACETS[name][1].choices)[value]
        found.append(ActiveFilter(name, value, f"{FILTER_PHRASES[name]} {label}"))
    if params.year_from or params.year_to:
        found.append(ActiveFilter("year", "", _year_words(params.year_from, params.year_to)))
    return found


def params_without(params: SearchParams, active: ActiveFilter) -> SearchParams:
    """The same search with one filter taken away (and back on page 1)."""
    terms = {vocab: [s for s in slugs if (vocab, s) != (active.param, active.value)]
             for vocab, slugs in params.terms.items()}
    choices = {name: value for name, value in params.choices.items() if name != active.param}
    years = (None, None) if active.param == "year" else (params.year_from, params.year_to)
    return replace(params, terms={v: s for v, s in terms.items() if s}, choices=choices,
                   year_from=years[0], year_to=years[1], page=1)


def count_resources(params: SearchParams, lookup: dict | None = None) -> int:
    snapshot = bitmaps.snapshot()
    lookup = lookup if lookup is not None else term_lookup(snapshot)
    filters = _filter_keys(params, lookup, _merged_into_map(snapshot), {})
    hits = search(SEARCH_KIND, params.q, filters=filters, rank=False, snapshot=snapshot)
    return hits.total


def relaxed_counts(params: SearchParams, lookup: dict) -> list[tuple[ActiveFilter, int]]:
    """For a search with no results: how many there would be without each filter, and without
    the words. Suggests what to relax; one count query per filter."""
    found = [(active, count_resources(params_without(params, active), lookup))
             for active in active_filters(params, lookup)]
    if params.q and params.has_filters:
        found.append((ActiveFilter("q", "", f"matching “{params.q[:80]}”"),
                      count_resources(replace(params, q="", page=1), lookup)))
    return found


def with_terms(resource: Resource) -> Resource:
    """The resource with its terms and their vocabularies loaded in two queries."""
    prefetch_related_objects([resource], "terms__vocabulary")
    return resource


def visible_terms(resource: Resource) -> list[Term]:
    """The resource's terms in taxonomy order, leaving out merged ones (hidden everywhere).
    Sorted in Python so prefetched `terms__vocabulary` is reused without a query."""
    terms = [t for t in resource.terms.all() if t.merged_into_id is None]
    return sorted(terms, key=lambda t: (t.vocabulary.order, t.vocabulary.name, t.order, t.name))


def resource_terms(resource: Resource) -> list[tuple[Vocabulary, list[Term]]]:
    grouped: dict[int, tuple[Vocabulary, list[Term]]] = {}
    for term in visible_terms(resource):
        grouped.setdefault(term.vocabulary_id, (term.vocabulary, []))[1].append(term)
    return list(grouped.values())


@dataclass
class DuplicateCandidate:
    resource: Resource
    reason: str


FUZZY_TITLE_RATIO = 0.9  # difflib ratio: 0.9 lets a word or two differ in a typical title
FUZZY_CANDIDATES = 20  # how many cheaply found records are compared closely
TITLE_PREFIX_CHARS = 15


def find_duplicates(*, doi="", pmid="", url="", title="", exclude_pk=None) -> list[DuplicateCandidate]:
    """Records that are likely the same item: same DOI, PMID or normalised URL, the same
    normalised title, or a very similar one. Looks at every record, published or not, so a
    pending submission is caught too."""
    title_key = normalise_title(title)
    checks = [
        ("the same DOI", "doi", normalise_doi(doi)),
        ("the same PubMed ID", "pmid", normalise_pmid(pmid)),
        ("the same web address", "url_key", normalise_url(url)),
        ("the same title", "title_key", title_key),
    ]
    found: dict[int, DuplicateCandidate] = {}
    for reason, field_name, value in checks:
        if not value:
            continue
        for resource in Resource.objects.filter(**{field_name: value}).exclude(pk=exclude_pk)[:10]:
            found.setdefault(resource.pk, DuplicateCandidate(resource, reason))
    for resource in _similar_titles(title_key, exclude_pk):
        found.setdefault(resource.pk, DuplicateCandidate(resource, "a very similar title"))
    return list(found.values())


def _similar_titles(title_key: str, exclude_pk=None) -> list[Resource]:
    """Titles that differ only a little (a typo, a word added). Compared closely with difflib,
    but only against a few candidates found cheaply: the same opening characters, or the best
    text-search matches for the title's words."""
    if len(title_key) < TITLE_PREFIX_CHARS:
        return []  # too short to judge: "Peer support" is like many titles
    prefix_ids = Resource.objects.filter(title_key__startswith=title_key[:TITLE_PREFIX_CHARS]).values_list(
        "id", flat=True)[:FUZZY_CANDIDATES]
    ids = {*prefix_ids, *_title_word_matches(title_key)}
    candidates = Resource.objects.filter(pk__in=ids).exclude(pk=exclude_pk)
    return [r for r in candidates if _titles_alike(title_key, r.title_key)]


def _title_word_matches(title_key: str) -> list[int]:
    match = text_match(SEARCH_KIND, " OR ".join(title_key.split()), public_only=False)
    if match is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT m.object_id FROM ({match.sql}) m ORDER BY m.score DESC LIMIT %s",
                       [*match.params, FUZZY_CANDIDATES])
        return [int(row[0]) for row in cursor.fetchall()]


def _titles_alike(a: str, b: str) -> bool:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= FUZZY_TITLE_RATIO and matcher.ratio() >= FUZZY_TITLE_RATIO


def submissions_of(user) -> list[Resource]:
    return list(Resource.objects.filter(submitted_by=user).order_by("-created_at"))


def _has_possible_duplicate() -> Exists:
    """True when another record shares an identifier or the normalised title: one subquery, so
    the flag costs nothing per row."""
    same = Q()
    for field_name in ("doi", "pmid", "url_key", "title_key"):
        same |= Q(**{field_name: OuterRef(field_name)}) & ~Q(**{field_name: ""})
    return Exists(Resource.objects.filter(same).exclude(pk=OuterRef("pk")))


def curator_queue():
    """Submissions waiting for review, oldest first, each flagged if it may be a duplicate."""
    return (
        Resource.objects.filter(status=Status.SUBMITTED)
        .select_related("submitted_by")
        .annotate(possible_duplicate=_has_possible_duplicate())
        .order_by("created_at", "pk")
    )


def recently_decided(status: str, limit: int = 20) -> list[Resource]:
    """The latest records curators rejected or unpublished, newest change first."""
    return list(Resource.objects.filter(status=status).select_related("submitted_by").order_by("-updated_at")[:limit])


def submission_note(resource: Resource) -> str:
    """The note the submitter left for curators (kept on the "submitted" audit event)."""
    from peerhub.audit.models import AuditEvent

    events = AuditEvent.objects.filter(subject_type="library.resource", subject_id=str(resource.pk), action="submitted")
    return events.values_list("note", flat=True).first() or ""


def published_resources_with_any_term(term_ids, limit: int = 5) -> list[Resource]:
    """Published resources tagged with any of these terms (or a narrower one), newest first.
    Other modules use it to show related evidence, e.g. the directory beside a listing."""
    all_terms = list(live_terms())
    children = _children_map(all_terms)
    wanted = set()
    for term in (t for t in all_terms if t.pk in set(term_ids)):
        wanted |= descendant_ids(term, all_terms, children)
    if not wanted:
        return []
    qs = published_resources().filter(id__in=_resources_with_any_term(wanted))
    return list(qs.order_by(F("pub_year").desc(nulls_last=True), "-id")[:limit])


def published_resources_for_term_sets(term_sets: dict, limit: int = 3) -> dict:
    """published_resources_with_any_term for several sets of terms at once ({key: term ids} ->
    {key: resources}), in three queries however many sets: the directory's results page shows
    related evidence beside every listing. Only each term's newest `limit` resources are read
    (a window per term), which always holds every set's newest `limit`."""
    all_terms = list(live_terms())
    children, by_pk = _children_map(all_terms), {t.pk: t for t in all_terms}
    wanted = {key: set().union(*(descendant_ids(by_pk[pk], all_terms, children) for pk in ids if pk in by_pk))
              for key, ids in term_sets.items()}
    every = set().union(*wanted.values()) if wanted else set()
    newest = [F("resource__pub_year").desc(nulls_last=True), F("resource_id").desc()]
    links = (Resource.terms.through.objects.filter(term_id__in=every, resource__status=Status.PUBLISHED)
             .annotate(place=Window(RowNumber(), partition_by=F("term_id"), order_by=newest))
             .filter(place__lte=limit).values_list("term_id", "resource_id")) if every else []
    by_term: dict[int, set[int]] = {}
    for term_id, resource_id in links:
        by_term.setdefault(term_id, set()).add(resource_id)
    ids = set().union(*by_term.values()) if by_term else set()
    resources = list(published_resources().filter(id__in=ids).order_by(F("pub_year").desc(nulls_last=True), "-id"))
    found = {}
    for key, terms in wanted.items():
        mine = set().union(*(by_term.get(t, set()) for t in terms))
        found[key] = [r for r in resources if r.pk in mine][:limit]
    return found
