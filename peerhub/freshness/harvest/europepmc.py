"""Europe PMC's REST search. Results come as JSON or XML, in the "lite" shape (authorString,
journalTitle, pubType) or the "core" shape (authorList, journalInfo, abstractText, pubTypeList),
or as Dublin Core XML (`format=dc`: one rdf:Description per record in the dc: and dcterms:
vocabularies). Every format is turned into the JSON page's shape first, so one reader builds the
records. Pages follow cursorMark until the next cursor stops changing."""

import re
from urllib.parse import parse_qs
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException, ElementTree

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
    """JSON by default; "xml" reads the same results from Europe PMC's XML, "dc" from its Dublin
    Core XML (a saved search's `result_format`)."""
    read_page = PAGE_READERS.get(result_format)
    if read_page is None:
        raise HarvestError(f"Europe PMC has no result format “{result_format}” (use one of {', '.join(PAGE_READERS)})")
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


def read_dc(response) -> dict:
    return page_from_dc(_checked(response).content)


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


def parse_xml(content: bytes, what: str = "XML") -> Element:
    """defusedxml: no entity expansion, no DTDs, no external references. Malformed or refused
    XML is a HarvestError that says which, never an exception the run does not expect."""
    try:
        return ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise HarvestError(f"Europe PMC's {what} could not be read ({error})") from error
    except DefusedXmlException as error:
        raise HarvestError(f"Europe PMC's {what} was refused: it declares entities or a DTD ({error})") from error


def page_from_xml(content: bytes) -> dict:
    """A page of XML results in the shape of the JSON page, so one reader serves both."""
    page = element_to_value(parse_xml(content))
    if not isinstance(page, dict):
        raise HarvestError("Europe PMC's XML held no search results")
    page["resultList"] = {"result": as_list(dig(page, "resultList", "result"))}
    return page


# The Dublin Core format ------------------------------------------------------------------------

DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
ARTICLE_RE = re.compile(r"europepmc\.org/(?:abstract|article)/([A-Za-z]+)/([^/?#\s]+)")
PMCID_RE = re.compile(r"\b(PMC\d+)\b")
DOI_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
CITED_PMID_RE = re.compile(r"PMID:\s*(\d+)")


def page_from_dc(content: bytes) -> dict:
    """A page of Dublin Core results in the shape of the JSON page: the wrapper (hitCount,
    nextCursorMark) is plain XML, each record one rdf:Description inside rdf:RDF."""
    root = parse_xml(content, "Dublin Core XML")
    if root.tag != "responseWrapper" or root.find("hitCount") is None:
        raise HarvestError(f"Europe PMC's Dublin Core XML held no search results (it is a <{root.tag}>, "
                           "not a <responseWrapper> with a <hitCount>)")
    return {"hitCount": root.findtext("hitCount"), "nextCursorMark": root.findtext("nextCursorMark"),
            "resultList": {"result": [result_from_dc(d) for d in root.iter(f"{RDF}Description")]}}


def _texts(description: Element, tag: str) -> list[str]:
    return [text for text in ((element.text or "").strip() for element in description.findall(tag)) if text]


def _first(description: Element, tag: str) -> str:
    return next(iter(_texts(description, tag)), "")


def _citations(description: Element) -> tuple[str, dict]:
    """dcterms:bibliographicCitation comes twice: as text ("… PubMed PMID:39709208; PubMed Central
    PMCID: PMC12124214.") and as an OpenURL query (rft.jtitle, rft.stitle, rft.volume…)."""
    text, openurl = "", {}
    for citation in _texts(description, f"{DCTERMS}bibliographicCitation"):
        if "ctx_ver=" in citation:
            openurl = openurl or {key: values[0] for key, values in parse_qs(citation.lstrip("&")).items()}
        else:
            text = text or citation
    return text, openurl


def _dc_identifiers(description: Element, citation: str) -> dict:
    """rdf:about and dc:identifier give the record's address (source and id) and its DOI;
    dcterms:isVersionOf its PMC full text. The citation text backs up a missing PMID or PMCID."""
    found: dict = {}
    links = [description.get(f"{RDF}about", ""), *_texts(description, f"{DC}identifier"),
             *_texts(description, f"{DCTERMS}isVersionOf")]
    for link in links:
        if doi := DOI_RE.match(link):
            found.setdefault("doi", doi.group(1))
        elif article := ARTICLE_RE.search(link):
            found.setdefault("source", article.group(1).upper())
            found.setdefault("id", article.group(2))
        elif pmcid := PMCID_RE.search(link):
            found.setdefault("pmcid", pmcid.group(1))
    if found.get("source") == "MED":
        found["pmid"] = found["id"]
    elif cited := CITED_PMID_RE.search(citation):
        found["pmid"] = cited.group(1)
    if "pmcid" not in found and (cited := PMCID_RE.search(citation)):
        found["pmcid"] = cited.group(1)
    return found


def result_from_dc(description: Element) -> dict:
    """One rdf:Description as the JSON "core" result: dc:creator is the author list ("Surname,
    Initials"), dcterms:created the issue's date and dc:date the first publication date,
    dcterms:abstract the abstract (escaped HTML, cleaned like the other formats'), dc:subject the
    keywords, and dc:description the publication types: Europe PMC puts "Review; Journal Article"
    there, not the abstract. The journal is the OpenURL's rft.jtitle, else dc:source or rft.stitle."""
    citation, openurl = _citations(description)
    identifiers = _dc_identifiers(description, citation)
    full_text = [f"https://europepmc.org/articles/{identifiers['pmcid']}"] if identifiers.get("pmcid") else []
    return {
        **identifiers,
        "title": _first(description, f"{DC}title"),
        "authorList": {"author": [{"fullName": name} for name in _texts(description, f"{DC}creator")]},
        "journalInfo": {"journal": {"title": openurl.get("rft.jtitle", "")},
                        "printPublicationDate": _first(description, f"{DCTERMS}created")},
        "journalTitle": _first(description, f"{DC}source") or openurl.get("rft.stitle", ""),
        "firstPublicationDate": _first(description, f"{DC}date"),
        "abstractText": _first(description, f"{DCTERMS}abstract"),
        "pubType": "; ".join(_texts(description, f"{DC}description")),
        "keywordList": {"keyword": _texts(description, f"{DC}subject")},
        "fullTextUrlList": {"fullTextUrl": [{"url": url} for url in full_text]},
    }


PAGE_READERS = {"json": read_json, "xml": read_xml, "dc": read_dc}
