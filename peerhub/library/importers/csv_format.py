"""CSV (and tab- or semicolon-separated) exports. Columns are found through a mapping from our
field names to the file's headers: the common headers of Cochrane Library (reviews and CENTRAL),
PubMed, Scopus, Web of Science and spreadsheet lists are recognised; any other layout is imported
by passing an explicit mapping, e.g. {"title": "Article name", "authors": "Writers"}."""

import csv
import io
import re
from collections.abc import Iterator

from peerhub.library.importers.build import RawRecord, build_record, guarded
from peerhub.library.importers.dates import parse_date
from peerhub.library.importers.names import initials_start, surname_first
from peerhub.library.importers.records import ImportFileError, NormalisedRecord, Position, Problem
from peerhub.library.importers.types import kind_from_publication_types

FORMAT = "csv"
# Our field -> headers that mean it, compared case-insensitively; the first present wins.
KNOWN_HEADERS = {
    "title": ["Title", "Article Title", "Document Title", "Primary Title", "TI"],
    "authors": ["Author(s)", "Authors", "Author", "Author full names", "AU"],
    "journal": ["Source", "Journal/Book", "Journal", "Source title", "Source Title", "Publication Title",
                "Secondary Title"],
    "organisation": ["Publisher", "Organisation", "Organization"],
    "year": ["Year", "Publication Year", "PY", "Date"],
    "abstract": ["Abstract", "AB", "Description"],
    "doi": ["DOI", "DO"],
    "pmid": ["PMID", "PubMed ID", "Pubmed Id"],
    "isbn": ["ISBN"],
    "url": ["URL", "Link", "Web address"],
    "keywords": ["Keywords", "Author Keywords", "Index Keywords"],
    "type": ["Publication Type", "Document Type", "Type"],
}
# Exports that say what they hold by a column of their own.
KIND_BY_HEADER = {"cochrane review id": "systematic_review"}
FIELDS = set(KNOWN_HEADERS)


def find_columns(headers: list[str], mapping: dict | None = None) -> dict[str, str]:
    """Our field -> the file's header. An explicit mapping overrides; its headers must exist."""
    by_lower = {h.strip().lower(): h for h in headers}
    columns = {field: by_lower[name.lower()] for field, names in KNOWN_HEADERS.items()
               for name in reversed(names) if name.lower() in by_lower}
    for field, header in (mapping or {}).items():
        if field not in FIELDS:
            raise ImportFileError(f"“{field}” is not a field we import; use one of: {', '.join(sorted(FIELDS))}.")
        if header.strip().lower() not in by_lower:
            raise ImportFileError(f"There is no column “{header}”; the columns are: {', '.join(headers)}.")
        columns[field] = by_lower[header.strip().lower()]
    return columns


def has_title_column(header_line: str) -> bool:
    """Used by format detection: a first line of CSV headers, one of which is a title."""
    headers = next(csv.reader([header_line], delimiter=_delimiter(header_line)), [])
    return len(headers) > 1 and "title" in find_columns(headers)


def _delimiter(header_line: str) -> str:
    return max([",", "\t", ";"], key=header_line.count)


def split_authors(value: str) -> list[str]:
    """'Bywater, T; Hutchings, J' (Cochrane) and 'Griffin DK, Larkin DM, O'Connor RE.' (PubMed)."""
    if ";" in value:
        return [surname_first(a) for a in value.split(";") if a.strip()]
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) > 1 and all(initials_start(p.rstrip(".").split()) for p in parts):
        return [surname_first(p) for p in parts]
    return [surname_first(value)] if value.strip() else []


def raw_record(row: dict, columns: dict, position: Position, default_kind: str) -> RawRecord:
    def get(field):
        return (row.get(columns[field]) or "").strip() if field in columns else ""

    publication_types = [get("type")] if get("type") else []
    return RawRecord(
        position=position, source_format=FORMAT,
        title=get("title"), authors=split_authors(get("authors")),
        journal=get("journal"), organisation=get("organisation"),
        date=parse_date(get("year")),
        doi=get("doi"), pmid=get("pmid"), isbn=get("isbn"), urls=[get("url")],
        abstract=re.sub(r"^Abstract - ", "", get("abstract")),  # Cochrane's CSV starts every abstract so
        keywords=re.split(r";\s*", get("keywords")) if get("keywords") else [],
        kind=kind_from_publication_types(publication_types) or default_kind,
        raw_type=get("type"), publication_types=publication_types,
    )


def record_from_row(row: dict, columns: dict, position: Position, default_kind: str) -> NormalisedRecord | Problem:
    return build_record(raw_record(row, columns, position, default_kind))


def parse(text: str, name: str, mapping: dict | None = None) -> Iterator[NormalisedRecord | Problem]:
    header_line = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(header_line))
    columns = find_columns(reader.fieldnames or [], mapping)
    if "title" not in columns:
        raise ImportFileError("No column holds the title: give a column mapping, e.g. title=\"Article name\".")
    default_kind = next((k for h, k in KIND_BY_HEADER.items() if h in header_line.lower()), "article")
    line = reader.line_num + 1
    for index, row in enumerate(reader, start=1):
        position = Position(name, index, line)
        yield guarded(position, record_from_row, row, columns, position, default_kind)
        line = reader.line_num + 1
