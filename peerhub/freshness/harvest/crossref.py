"""Crossref's REST API. A query of words searches /works, paging with Crossref's deep-paging
cursor; a query of DOIs only fetches each DOI's CSL-JSON (following Crossref's redirects, and
reporting a DOI Crossref does not know as a problem rather than failing the run). Both shapes
are CSL-like, so both are read by the CSL-JSON importer once Crossref's type names are mapped."""

import re
from urllib.parse import quote

from django.conf import settings

from peerhub.freshness.harvest.base import (
    HarvestError,
    HarvestResult,
    Request,
    as_list,
    dig,
    take,
    with_section_breaks,
)
from peerhub.library.importers import csl_json
from peerhub.library.importers.build import build_record, guarded
from peerhub.library.importers.records import Position, Problem

FORMAT = "crossref"
API = "https://api.crossref.org"
MAX_ROWS = 1000  # Crossref's ceiling per page
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
CSL_TRANSFORM = "transform/application/vnd.citationstyles.csl+json"
# Crossref's own work types, as the CSL types the CSL-JSON importer knows.
CROSSREF_TO_CSL = {
    "journal-article": "article-journal", "proceedings-article": "paper-conference",
    "book-chapter": "chapter", "book-section": "chapter", "book-part": "chapter",
    "book": "book", "edited-book": "book", "monograph": "book", "reference-book": "book",
    "report": "report", "report-component": "report", "dissertation": "thesis",
    "dataset": "dataset", "posted-content": "article", "peer-review": "review",
    "standard": "standard", "reference-entry": "entry", "component": "document", "other": "document",
}


def doi_list(query: str) -> list[str]:
    """The DOIs, when the query is nothing but DOIs (separated by spaces, commas or new lines)."""
    words = [w.strip() for w in re.split(r"[\s,;]+", query) if w.strip()]
    words = [re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", w, flags=re.I) for w in words]
    return words if words and all(DOI_RE.match(w) for w in words) else []


def harvest(client, request: Request) -> HarvestResult:
    dois = doi_list(request.query)
    return harvest_dois(client, request, dois) if dois else harvest_search(client, request)


def _polite(params: dict) -> dict:
    # With a mailto, Crossref serves us from its "polite" pool.
    contact = settings.HARVEST_CONTACT_EMAIL
    return {**params, "mailto": contact} if contact else params


def search_params(request: Request, cursor: str) -> dict:
    params = {"query": request.query, "rows": min(request.limit, MAX_ROWS), "cursor": cursor}
    if request.since:
        params["filter"] = f"from-index-date:{request.since.isoformat()}"
    return _polite(params)


def harvest_search(client, request: Request) -> HarvestResult:
    result, cursor = HarvestResult(), "*"
    while True:
        message = dig(read_json(client.get(f"{API}/works", params=search_params(request, cursor))), "message")
        result.requests += 1
        result.hits = int(dig(message, "total-results", default=0) or 0)
        items = as_list(dig(message, "items"))
        full = take(result, records_of(items, request, start=result.seen + 1), request.limit)
        next_cursor = dig(message, "next-cursor")
        if full or not items or not next_cursor:
            return result
        cursor = next_cursor


def harvest_dois(client, request: Request, dois: list[str]) -> HarvestResult:
    result = HarvestResult(hits=len(dois))
    for index, doi in enumerate(dois[: request.limit], start=1):
        response = client.get(f"{API}/works/{quote(doi, safe='/')}/{CSL_TRANSFORM}", params=_polite({}),
                              headers={"Accept": "application/vnd.citationstyles.csl+json"})
        result.requests += 1
        position = request.position(index)
        if response.status_code == 404:
            result.add(Problem(position, f"Crossref has no record of the DOI {doi}"))
            continue
        result.add(guarded(position, record_from_item, read_json(response), position))
    return result


def read_json(response) -> dict:
    if response.status_code != 200:
        raise HarvestError(f"Crossref answered {response.status_code}: {response.text[:200]}")
    try:
        return response.json()
    except ValueError as error:
        raise HarvestError("Crossref's answer was not the JSON it promised") from error


def records_of(items: list, request: Request, start: int):
    for index, item in enumerate(items, start=start):
        position = request.position(index)
        yield guarded(position, record_from_item, item, position)


def record_from_item(item: dict, position: Position):
    if not isinstance(item, dict):
        raise TypeError("the work is not an object")
    item = {**item, "type": CROSSREF_TO_CSL.get(item.get("type", ""), item.get("type", ""))}
    raw = csl_json.raw_record(item, position)
    raw.source_format = FORMAT
    raw.urls = [item.get("URL") or "", dig(item, "resource", "primary", "URL", default="")]
    raw.abstract = with_section_breaks(raw.abstract)
    return build_record(raw)
