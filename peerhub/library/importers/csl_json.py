"""CSL-JSON (Zotero, Crossref and DOI content negotiation, Manubot, Pandoc): a list of items, or
a single item. Dates are "date-parts" ([[2018, 3, 1]], strings, [[]], [[null]], extra parts),
"raw" or "literal" strings. Names are {family, given} or {literal}."""

from collections.abc import Iterator

from peerhub.library.importers.build import RawRecord, build_record, guarded, kind_for
from peerhub.library.importers.dates import PubDate, from_date_parts, parse_date
from peerhub.library.importers.names import surname_first
from peerhub.library.importers.records import NormalisedRecord, Position, Problem
from peerhub.library.importers.text import first
from peerhub.library.importers.types import CSL_KINDS

FORMAT = "csl-json"
DATE_FIELDS = ("issued", "published-print", "published-online", "original-date")


def items_of(data) -> list:
    return data if isinstance(data, list) else [data]


def one(value) -> str:
    """Crossref writes some strings as one-item lists ("container-title": ["Nature"])."""
    if isinstance(value, list):
        return first(str(v) for v in value)
    return str(value) if value is not None else ""


def csl_name(person) -> str:
    if not isinstance(person, dict):
        return surname_first(str(person), given_first=True)
    if person.get("literal"):
        return surname_first(str(person["literal"]), given_first=True)
    particle = " ".join(str(person.get(k, "")) for k in ("dropping-particle", "non-dropping-particle")).strip()
    family = " ".join(filter(None, [particle, str(person.get("family", "")).strip()]))
    given = str(person.get("given", "")).strip()
    return f"{family}, {given}" if family and given else family or given


def csl_date(item: dict) -> PubDate:
    for field in DATE_FIELDS:
        value = item.get(field)
        if isinstance(value, dict):
            date = from_date_parts(value.get("date-parts")) if "date-parts" in value else PubDate()
            if not date.year:
                date = parse_date(value.get("raw") or value.get("literal") or "")
            if date.year:
                return date
    return PubDate()


def _keywords(item: dict) -> list[str]:
    keywords = item.get("keyword", "")
    words = keywords if isinstance(keywords, list) else str(keywords).split(",")
    return [str(w) for w in words] + [str(c) for c in item.get("categories", []) if isinstance(c, str)]


def raw_record(item: dict, position: Position) -> RawRecord:
    warnings: list[str] = []
    csl_type = str(item.get("type", ""))
    people = item.get("author") or item.get("editor") or []
    return RawRecord(
        position=position, source_format=FORMAT, warnings=warnings,
        title=one(item.get("title")),
        authors=[csl_name(p) for p in people if p] if isinstance(people, list) else [],
        journal=one(item.get("container-title")),
        organisation=one(item.get("publisher")),
        date=csl_date(item),
        doi=one(item.get("DOI")), pmid=one(item.get("PMID")), isbn=one(item.get("ISBN")),
        urls=[one(item.get("URL"))],
        abstract=one(item.get("abstract")),
        keywords=_keywords(item),
        kind=kind_for(CSL_KINDS, csl_type, warnings), raw_type=csl_type,
        publication_types=[one(item.get("genre"))] if item.get("genre") else [],
    )


def record_from_item(item: dict, position: Position) -> NormalisedRecord | Problem:
    return build_record(raw_record(item, position))


def parse(data, name: str) -> Iterator[NormalisedRecord | Problem]:
    for index, item in enumerate(items_of(data), start=1):
        position = Position(name, index)
        if not isinstance(item, dict):
            yield Problem(position, "it is not a CSL-JSON item (an object with fields)")
            continue
        yield guarded(position, record_from_item, item, position)
