"""Resources, search pages and the taxonomy as JSON-ready dicts.

One shape for the JSON twins of the pages and for the API, so both describe a record the same
way. Missing scalars are null (never ""), missing lists are []."""

from django.urls import reverse

from peerhub.library.exports import citation
from peerhub.library.models import QUALITY_MEANINGS, Access, Quality, Resource, ResourceType, Status, StudyDesign, Term
from peerhub.library.selectors import SearchPage, live_terms, visible_terms, vocabularies_with_terms


def _choice(value: str, choices) -> dict | None:
    """{"value", "label"} for a choice field, or None when it is empty."""
    if not value:
        return None
    return {"value": value, "label": str(choices(value).label)}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _or_none(value: str) -> str | None:
    return value or None


def publication_date(resource: Resource) -> str | None:
    """The partial date as precise as it is known: "2021", "2021-05" or "2021-05-03"."""
    if not resource.pub_year:
        return None
    parts = [f"{resource.pub_year:04d}"]
    if resource.pub_month:
        parts.append(f"{resource.pub_month:02d}")
        if resource.pub_day:
            parts.append(f"{resource.pub_day:02d}")
    return "-".join(parts)


def terms_by_vocabulary(resource: Resource) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for term in visible_terms(resource):
        grouped.setdefault(term.vocabulary.slug, []).append({"slug": term.slug, "name": term.name})
    return grouped


def quality_dict(quality: str) -> dict | None:
    found = _choice(quality, Quality)
    if found:
        found["meaning"] = QUALITY_MEANINGS[Quality(quality)]
    return found


def resource_summary(resource: Resource) -> dict:
    return {
        "id": resource.pk,
        "url": resource.get_absolute_url(),
        "title": resource.title,
        "summary": _or_none(resource.summary),
        "resource_type": _choice(resource.resource_type, ResourceType),
        "authors": list(resource.authors or []),
        "organisation": _or_none(resource.organisation),
        "year": resource.pub_year,
        "publication_date": publication_date(resource),
        "access": _choice(resource.access, Access),
        "quality": quality_dict(resource.quality),
        "is_example": resource.is_example,
        "last_checked": _iso(resource.last_checked),
        "terms": terms_by_vocabulary(resource),
    }


def export_paths(resource: Resource) -> dict[str, str]:
    return {
        "ris": reverse("library:export_ris", args=[resource.pk]),
        "bibtex": reverse("library:export_bibtex", args=[resource.pk]),
    }


def resource_detail(resource: Resource) -> dict:
    return {
        **resource_summary(resource),
        "description": _or_none(resource.description),
        "link": _or_none(resource.url),
        "doi": _or_none(resource.doi),
        "pmid": _or_none(resource.pmid),
        "isbn": _or_none(resource.isbn),
        "licence": _or_none(resource.licence),
        "study_design": _choice(resource.study_design, StudyDesign),
        "appraisal_rationale": _or_none(resource.appraisal_rationale),
        "review_due": _iso(resource.review_due),
        "published_at": _iso(resource.published_at),
        "status": _choice(resource.status, Status),
        "citation": citation(resource),
        "exports": export_paths(resource),
    }


def filters_dict(page: SearchPage) -> dict:
    """The filters in force, keyed by URL parameter: term facets as lists, the rest as values."""
    params = page.params
    filters: dict = {vocab: list(slugs) for vocab, slugs in params.terms.items()}
    filters.update(params.choices)
    if params.year_from:
        filters["year_from"] = params.year_from
    if params.year_to:
        filters["year_to"] = params.year_to
    return filters


def facet_dict(facet) -> dict:
    return {
        "name": facet.name,
        "label": facet.label,
        "truncated": facet.truncated,
        "values": [
            {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in facet.values
        ],
    }


def search_page_dict(page: SearchPage) -> dict:
    params = page.params
    return {
        "query": params.q,
        "query_words": _or_none(page.query_words),
        "filters": filters_dict(page),
        "sort": params.sort,
        "page": params.page,
        "per_page": params.per_page,
        "total": page.total,
        "page_count": page.page_count,
        "results": [resource_summary(r) for r in page.items],
        "facets": [facet_dict(f) for f in page.facets],
        "errors": dict(page.errors),
    }


def _term_tree(terms: list[Term], parent_id: int | None) -> list[dict]:
    return [
        {"slug": t.slug, "name": t.name, "description": _or_none(t.description), "children": _term_tree(terms, t.pk)}
        for t in terms
        if t.parent_id == parent_id
    ]


def taxonomy_dict() -> list[dict]:
    """Every vocabulary with its live terms as a tree. A term whose parent was merged away is
    shown at the top level, so no live term disappears from the tree."""
    live_ids = set(live_terms().values_list("pk", flat=True))
    result = []
    for vocab in vocabularies_with_terms():
        terms = list(vocab.terms.all())
        for term in terms:
            if term.parent_id not in live_ids:
                term.parent_id = None
        result.append({"slug": vocab.slug, "name": vocab.name, "question": _or_none(vocab.question),
                       "terms": _term_tree(terms, None)})
    return result
