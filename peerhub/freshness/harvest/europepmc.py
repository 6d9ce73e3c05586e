"""Europe PMC's REST search. Results come as JSON or XML, in the "lite" shape (authorString,
journalTitle, pubType) or the "core" shape (authorList, journalInfo, abstractText, pubTypeList);
both read the same here. Pages follow cursorMark until the next cursor stops changing."""

from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from peerhub.freshness.harvest.base import HarvestError, HarvestResult, Request, as_list, dig, take, with_section_breaks
from peerhub.library.importers.build import RawRecord, build_record, guarded
from peerhub.library.importers.dates import pick_date
from peerhub.library.importers.names import surname_first
from peerhub.library.importers.records import Position

FORMAT = "europepmc"
SEARCH_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest/search"
MAX_PAGE_SIZE = 1000  # Europe PMC's own ceiling


def search_params(request: Request, cursor: str, result_format: str) -> dict:
    query = request.query
    if request.since:
        # FIRST_IDATE is the day Europe PMC first indexed the record: only what is new since the last run.
        query = f"({query}) AND FIRST_IDATE:[{request.since.isoformat()} TO 3000-01-01]"
    return {"query": query, "resultType": "core", "format": result_format, "cursorMark": cursor,
            "pageSize": min(request.limit, MAX_PAGE_SIZE)}


def harvest(client, request: Request, result_format: str = "json") -> HarvestResult:
    """JSON by default; "xml" reads the same results from Europe PMC's XML."""
    read_page = PAGE_READERS[result_format]
    result, cursor = HarvestResult(), "*"
    while True:
        page = read_page(client.get(SEARCH_URL, params=search_params(request, cursor, result_format)))
        result.requests += 1
        result.hits = int(page.get("hitCount") or 0)
        full = take(result, records_of_page(page, request, start=result.seen + 1), request.limit)
        next_cursor = page.get("nextCursorMark")
        if full or not as_list(dig(page, "resultList", "result")) or not next_cursor or next_cursor == cursor:
            return result
        cursor = next_cursor


def records_of_page(page: dict, request: Request, start: int):
    items = as_list(dig(page, "resultList", "result"))
    for index, item in enumerate(items, start=start):
        position = request.position(index)
        yield guarded(position, record_from_result, item, position)


def _checked(response):
    if response.status_code != 200:
        raise HarvestError(f"Europe PMC answered {response.status_code}: {response.text[:200]}")
    return response


def read_json(response) -> dict:
    try:
        return _checked(response).json()
    except ValueError as error:
        raise HarvestError("Europe PMC's answer was not the JSON it promised") from error


def read_xml(response) -> dict:
    return page_from_xml(_checked(response).content)


# Reading one result ----------------------------------------------------------------------------

def _authors(item: dict) -> list[str]:
    people = as_list(dig(item, "authorList", "author"))
    if people:
        return [_author(p) for p in people if isinstance(p, dict)]
    names = str(item.get("authorString") or "").rstrip(".")
    return [surname_first(name) for name in names.split(", ") if name.strip()]


def _author(person: dict) -> str:
    if person.get("collectiveName"):
        return str(person["collectiveName"])
    if person.get("lastName"):
        given = person.get("firstName") or person.get("initials") or ""
        return f"{person['lastName']}, {given}".rstrip(", ")
    return surname_first(str(person.get("fullName", "")))


def _journal(item: dict) -> str:
    return str(dig(item, "journalInfo", "journal", "title", default="") or item.get("journalTitle") or "")


def _publication_types(item: dict) -> list[str]:
    listed = as_list(dig(item, "pubTypeList", "pubType"))
    if listed:
        return [str(t) for t in listed]
    return [t.strip() for t in str(item.get("pubType") or "").split(";") if t.strip()]


def _urls(item: dict) -> list[str]:
    doi = item.get("doi")
    full_text = [u.get("url", "") for u in as_list(dig(item, "fullTextUrlList", "fullTextUrl")) if isinstance(u, dict)]
    landing = f"https://europepmc.org/article/{item.get('source', 'MED')}/{item.get('id')}" if item.get("id") else ""
    return [f"https://doi.org/{doi}" if doi else "", *full_text, landing]


def raw_record(item: dict, position: Position) -> RawRecord:
    publication_types = _publication_types(item)
    journal_date = dig(item, "journalInfo", "printPublicationDate")
    return RawRecord(
        position=position, source_format=FORMAT,
        title=str(item.get("title") or ""),
        authors=_authors(item),
        journal=_journal(item),
        date=pick_date(item.get("pubYear"), journal_date, item.get("firstPublicationDate")),
        doi=str(item.get("doi") or ""), pmid=str(item.get("pmid") or ""),
        urls=_urls(item),
        abstract=with_section_breaks(str(item.get("abstractText") or "")),
        keywords=[str(k) for k in as_list(dig(item, "keywordList", "keyword"))],
        kind="article", raw_type="; ".join(publication_types), publication_types=publication_types,
    )


def record_from_result(item: dict, position: Position):
    if not isinstance(item, dict):
        raise TypeError("the search result is not an object")
    return build_record(raw_record(item, position))


# The XML format --------------------------------------------------------------------------------

def element_to_value(element: Element):
    """An element as JSON would give it: text for a leaf; otherwise a dict whose repeated
    children (several <author>, several <pubType>) become lists."""
    children = list(element)
    if not children:
        return (element.text or "").strip()
    value: dict = {}
    for child in children:
        converted = element_to_value(child)
        if child.tag in value:
            value[child.tag] = [*as_list(value[child.tag]), converted]
        else:
            value[child.tag] = converted
    return value


def page_from_xml(content: bytes) -> dict:
    """A page of XML results in the shape of the JSON page, so one reader serves both."""
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise HarvestError(f"Europe PMC's XML could not be read ({error})") from error
    page = element_to_value(root)
    if not isinstance(page, dict):
        raise HarvestError("Europe PMC's XML held no search results")
    page["resultList"] = {"result": as_list(dig(page, "resultList", "result"))}
    return page


PAGE_READERS = {"json": read_json, "xml": read_xml}
