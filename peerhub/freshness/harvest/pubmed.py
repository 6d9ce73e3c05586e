"""PubMed through NCBI's E-utilities: esearch finds the matching PMIDs and keeps them on NCBI's
history server (WebEnv + query_key); efetch then reads the records as PubMed XML, a page at a
time by retstart. An esearch answer without a history (older servers, or a plain id search) is
read from its own id list instead."""

from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from django.conf import settings

from peerhub.freshness.harvest.base import HarvestError, HarvestResult, Request
from peerhub.library.importers.build import RawRecord, build_record, guarded
from peerhub.library.importers.dates import PubDate, checked, month_from_text, parse_date
from peerhub.library.importers.records import Position, Problem

FORMAT = "pubmed"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
ESEARCH_URL = f"{EUTILS}/esearch.fcgi"
EFETCH_URL = f"{EUTILS}/efetch.fcgi"
PAGE_SIZE = 200  # efetch serves up to 10,000, but smaller pages keep each answer quick to parse
MIN_INTERVAL_SECONDS = 0.34  # NCBI allows three requests a second without an API key


def _common() -> dict:
    # NCBI asks tools to name themselves and give a contact address.
    params = {"db": "pubmed", "tool": "peerhub"}
    if settings.HARVEST_CONTACT_EMAIL:
        params["email"] = settings.HARVEST_CONTACT_EMAIL
    return params


def esearch_params(request: Request) -> dict:
    params = {**_common(), "term": request.query, "usehistory": "y", "retmax": min(request.limit, PAGE_SIZE)}
    if request.since:
        # The Entrez date: the day PubMed added the record, so a run finds only what is new.
        params.update(datetype="edat", mindate=request.since.strftime("%Y/%m/%d"), maxdate="3000/01/01")
    return params


def parse_xml(content: bytes, what: str) -> Element:
    try:
        return ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise HarvestError(f"PubMed's {what} answer could not be read ({error})") from error


def fetch_xml(client, url: str, params: dict, what: str) -> Element:
    response = client.get(url, params=params)
    if response.status_code != 200:
        raise HarvestError(f"PubMed's {what} answered {response.status_code}: {response.text[:200]}")
    root = parse_xml(response.content, what)
    if root.tag == "eSearchResult" and root.findtext("ERROR"):
        raise HarvestError(f"PubMed could not run the search: {root.findtext('ERROR')}")
    return root


def harvest(client, request: Request) -> HarvestResult:
    result = HarvestResult()
    found = fetch_xml(client, ESEARCH_URL, esearch_params(request), "esearch")
    result.requests += 1
    result.hits = int(found.findtext("Count") or 0)
    result.notes += [f"PubMed did not recognise “{p.text}”" for p in found.iter("PhraseNotFound")]
    wanted = min(result.hits, request.limit)
    pages = _history_pages(found, wanted) if found.findtext("WebEnv") else _id_pages(found, wanted)
    for params in pages:
        articles = fetch_xml(client, EFETCH_URL, {**_common(), **params, "retmode": "xml"}, "efetch")
        result.requests += 1
        for record in records_of(articles, request, start=result.seen + 1):
            if result.seen < request.limit:
                result.add(record)
    return result


def _history_pages(found: Element, wanted: int):
    history = {"WebEnv": found.findtext("WebEnv"), "query_key": found.findtext("QueryKey")}
    for retstart in range(0, wanted, PAGE_SIZE):
        yield {**history, "retstart": retstart, "retmax": min(PAGE_SIZE, wanted - retstart)}


def _id_pages(found: Element, wanted: int):
    ids = [node.text for node in found.iter("Id") if node.text][:wanted]
    for start in range(0, len(ids), PAGE_SIZE):
        yield {"id": ",".join(ids[start:start + PAGE_SIZE])}


def records_of(articles: Element, request: Request, start: int):
    for index, node in enumerate(list(articles), start=start):
        position = request.position(index)
        if node.tag != "PubmedArticle":
            yield Problem(position, f"PubMed sent a {node.tag} record, which is not a journal article")
            continue
        yield guarded(position, record_from_article, node, position)


# Reading one PubmedArticle ----------------------------------------------------------------------

def text_of(node: Element | None) -> str:
    """All the text inside, inline markup (<i>, <sup>, <sub>) dropped but its words kept."""
    return "".join(node.itertext()).strip() if node is not None else ""


def _abstract(article: Element) -> str:
    """Structured abstracts keep their section labels ("METHODS: …"), one paragraph each."""
    parts = []
    for node in article.findall("Abstract/AbstractText"):
        label, text = node.get("Label"), text_of(node)
        parts.append(f"{label.capitalize()}: {text}" if label else text)
    return "\n\n".join(parts)


def _author(node: Element) -> str:
    if node.findtext("CollectiveName"):
        return text_of(node.find("CollectiveName"))
    surname, given = node.findtext("LastName", ""), node.findtext("ForeName") or node.findtext("Initials", "")
    return f"{surname}, {given}" if surname and given else surname or given


def _date(article: Element) -> PubDate:
    published = article.find("Journal/JournalIssue/PubDate")
    if published is None:
        return PubDate()
    if published.findtext("MedlineDate"):  # "1998 Dec-1999 Jan"
        return parse_date(published.findtext("MedlineDate"))
    year = published.findtext("Year", "")
    month, _ = month_from_text(published.findtext("Month", ""))
    if month is None and published.findtext("Month", "").isdigit():
        month = int(published.findtext("Month"))
    day = published.findtext("Day", "")
    return checked(int(year) if year.isdigit() else None, month, int(day) if day.isdigit() else None)


def _doi(node: Element, article: Element) -> str:
    return (article.findtext("ELocationID[@EIdType='doi']")
            or node.findtext("PubmedData/ArticleIdList/ArticleId[@IdType='doi']", ""))


def raw_record(node: Element, position: Position) -> RawRecord:
    article = node.find("MedlineCitation/Article")
    if article is None:
        raise ValueError("the record has no Article element")
    pmid = node.findtext("MedlineCitation/PMID", "")
    publication_types = [text_of(t) for t in article.findall("PublicationTypeList/PublicationType")]
    return RawRecord(
        position=position, source_format=FORMAT,
        title=text_of(article.find("ArticleTitle")) or text_of(article.find("VernacularTitle")),
        authors=[_author(a) for a in article.findall("AuthorList/Author")],
        journal=article.findtext("Journal/Title", ""),
        date=_date(article),
        doi=_doi(node, article), pmid=pmid,
        urls=[f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""],
        abstract=_abstract(article),
        keywords=[text_of(k) for k in node.findall("MedlineCitation/KeywordList/Keyword")],
        kind="article", raw_type="; ".join(publication_types), publication_types=publication_types,
    )


def record_from_article(node: Element, position: Position):
    return build_record(raw_record(node, position))
