"""OpenAlex's /works search, paged by cursor. OpenAlex does not ship abstracts as text (for
licensing reasons) but as an inverted index, word -> positions, which is turned back into text."""

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
from peerhub.library.importers.build import RawRecord, build_record, guarded
from peerhub.library.importers.dates import pick_date
from peerhub.library.importers.names import surname_first
from peerhub.library.importers.records import Position

FORMAT = "openalex"
WORKS_URL = "https://api.openalex.org/works"
MAX_PER_PAGE = 200  # OpenAlex's ceiling
# OpenAlex's work types, as the importer's kinds.
OPENALEX_KINDS = {
    "article": "article", "preprint": "article", "letter": "article", "editorial": "article",
    "review": "article", "book": "book", "book-chapter": "chapter", "report": "report",
    "dissertation": "thesis", "dataset": "dataset", "standard": "policy",
}


def rebuild_abstract(inverted_index) -> str:
    """{"Peer": [0], "support": [1, 5]} -> "Peer support … support"; words in position order."""
    if not isinstance(inverted_index, dict):
        return ""
    placed = [(position, word) for word, positions in inverted_index.items() for position in as_list(positions)
              if isinstance(position, int)]
    return " ".join(word for _, word in sorted(placed))


def search_params(request: Request, cursor: str) -> dict:
    params = {"search": request.query, "per-page": min(request.limit, MAX_PER_PAGE), "cursor": cursor}
    if request.since:
        # Only works first published since the last run: OpenAlex's free filters have no "added on".
        params["filter"] = f"from_publication_date:{request.since.isoformat()}"
    if settings.HARVEST_CONTACT_EMAIL:
        params["mailto"] = settings.HARVEST_CONTACT_EMAIL  # OpenAlex's "polite pool"
    return params


def harvest(client, request: Request) -> HarvestResult:
    result, cursor = HarvestResult(), "*"
    while True:
        page = read_json(client.get(WORKS_URL, params=search_params(request, cursor)))
        result.requests += 1
        result.hits = int(dig(page, "meta", "count", default=0) or 0)
        items = as_list(page.get("results"))
        full = take(result, records_of(items, request, start=result.seen + 1), request.limit)
        next_cursor = dig(page, "meta", "next_cursor")
        if full or not items or not next_cursor:
            return result
        cursor = next_cursor


def read_json(response) -> dict:
    if response.status_code != 200:
        raise HarvestError(f"OpenAlex answered {response.status_code}: {response.text[:200]}")
    try:
        return response.json()
    except ValueError as error:
        raise HarvestError("OpenAlex's answer was not the JSON it promised") from error


def records_of(items: list, request: Request, start: int):
    for index, item in enumerate(items, start=start):
        position = request.position(index)
        yield guarded(position, record_from_work, item, position)


def _identifier(url) -> str:
    """OpenAlex gives identifiers as URLs: https://doi.org/10.1/x, https://pubmed.ncbi.nlm.nih.gov/123."""
    return str(url or "").rstrip("/").rsplit("/", 1)[-1] if "pubmed" in str(url or "") else str(url or "")


def raw_record(work: dict, position: Position) -> RawRecord:
    source = dig(work, "primary_location", "source", default={}) or {}
    work_type = str(work.get("type") or "")
    return RawRecord(
        position=position, source_format=FORMAT,
        title=str(work.get("title") or work.get("display_name") or ""),
        authors=[surname_first(str(dig(a, "author", "display_name", default="")), given_first=True)
                 for a in as_list(work.get("authorships")) if dig(a, "author", "display_name")],
        journal=str(source.get("display_name") or ""),
        organisation=str(source.get("host_organization_name") or ""),
        date=pick_date(work.get("publication_year"), work.get("publication_date")),
        doi=str(work.get("doi") or ""), pmid=_identifier(dig(work, "ids", "pmid")),
        urls=[str(work.get("doi") or ""), str(dig(work, "primary_location", "landing_page_url", default="") or "")],
        abstract=with_section_breaks(rebuild_abstract(work.get("abstract_inverted_index"))),
        keywords=[str(k.get("display_name")) for k in as_list(work.get("keywords")) if isinstance(k, dict)],
        kind=OPENALEX_KINDS.get(work_type), raw_type=work_type,
        publication_types=["review"] if work_type == "review" else [],
    )


def record_from_work(work: dict, position: Position):
    if not isinstance(work, dict):
        raise TypeError("the work is not an object")
    return build_record(raw_record(work, position))
