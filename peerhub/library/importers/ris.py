"""RIS, as exported by EndNote, Zotero, Mendeley, Scopus, Web of Science, Ovid, EBSCO, Lens,
Rayyan, Covidence, EPPI-Reviewer and the Cochrane Library.

The file is cut into records here, so each keeps its line number and one broken record cannot
swallow the next; rispy then reads each record's tags. Quirks met in real exports: a BOM,
Windows line endings, Ovid's "1." lines and Cochrane's "Record #3 of 18" headers between records,
Cochrane's "TY  -  JOUR" (an extra space), values continued on untagged lines (EndNote keywords,
wrapped abstracts), a repeated AB tag (EBSCO's copyright notice), DOIs in L3, PMIDs in AN."""

import re
from collections.abc import Iterator

import rispy

from peerhub.library.importers.build import RawRecord, build_record, guarded, kind_for
from peerhub.library.importers.dates import pick_date
from peerhub.library.importers.names import surname_first
from peerhub.library.importers.records import NormalisedRecord, Position, Problem
from peerhub.library.importers.text import first
from peerhub.library.importers.types import RIS_KINDS

FORMAT = "ris"
TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
# Which tags hold which field, best first. Exports disagree: Scopus puts the journal in T2,
# EBSCO in JO/JF, Ovid in JF; EBSCO's DOI is in L3.
FIELDS = {
    "title": ("TI", "T1", "CT"),
    "authors": ("AU", "A1"),
    "editors": ("A2", "ED"),
    "journal": ("T2", "JF", "JO", "JA", "J2", "BT", "T3"),
    "publisher": ("PB",),
    "date": ("PY", "Y1", "DA"),
    "doi": ("DO", "DI", "L3", "M3", "AN"),
    "urls": ("UR", "L2", "LK"),
    "abstract": ("AB", "N2"),
}
PUBMED_URL_RE = re.compile(r"(?:ncbi\.nlm\.nih\.gov/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/)(\d+)")
NLM_RE = re.compile(r"\b(NLM|PubMed|MEDLINE)\b", re.IGNORECASE)


class _EveryTag(dict):
    """rispy mapping that keeps every tag under its own two-letter name."""

    def __missing__(self, tag):
        return tag


class _AllTags:
    """rispy list-tags that say yes to every tag: each line becomes its own list item, so
    continuation lines stay lines (one keyword each; an abstract keeps its line breaks)."""

    def __contains__(self, tag):
        return True


def tag_of(line: str) -> str | None:
    match = TAG_RE.match(line)
    return match.group(1) if match else None


def _chunks(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) from each TY line to the next; tagged lines before the first TY
    make a chunk of their own. Untagged lines between chunks (Ovid's "1.", Cochrane's headers)
    are skipped."""
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        tag = tag_of(line)
        if tag == "TY" and current:
            yield start, current
            current = []
        if not current and tag in {None, "ER"}:
            continue
        start = start if current else number
        current.append(line)
    if current:
        yield start, current


def _records_in_chunk(start: int, lines: list[str]) -> list[tuple[int, list[str]]]:
    """Cut a chunk at its ER lines. Tagged lines after the last ER either belong to the record
    before (Ovid writes "NL  -" after ER) or, when they hold a title, are a record of their own."""
    records: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for offset, line in enumerate(lines):
        if not current and tag_of(line) is None:
            continue
        current = current or [start + offset]
        current.append(line)
        if tag_of(line) == "ER":
            records.append((current[0], current[1:]))
            current = []
    trailing = [line for line in current[1:] if tag_of(line)]
    if records and not any(tag_of(line) in FIELDS["title"] for line in trailing):
        records[-1][1][-1:-1] = trailing  # before its ER line
    elif current:
        records.append((current[0], current[1:]))
    return records


def split_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number of the first line, lines) for each record."""
    for start, lines in _chunks(text):
        yield from _records_in_chunk(start, lines)


def read_tags(lines: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """The record's tags as {tag: [values]}, read by rispy; plus what had to be repaired."""
    warnings = []
    if tag_of(lines[0]) != "TY":
        warnings.append("It has no TY (type) line.")
        lines = ["TY  - ", *lines]
    if tag_of(lines[-1]) != "ER":
        warnings.append("It has no ER (end of record) line; it was read up to the next record.")
        lines = [*lines, "ER  - "]
    parsed = rispy.loads("\n".join(lines), mapping=_EveryTag(), list_tags=_AllTags(), delimiter_tags_mapping={})
    tags = {tag: [v for v in values if v] for tag, values in parsed[0].items() if tag != "TY"}
    tags["TY"] = [parsed[0].get("TY", "")]
    return tags, warnings


def _values(tags: dict, field: str) -> list[str]:
    return next((tags[tag] for tag in FIELDS[field] if tags.get(tag)), [])


def _doi(tags: dict) -> str:
    # A DOI field holds the DOI alone ("10.x/..", "doi:..", a doi.org link), never a sentence.
    for tag in FIELDS["doi"]:
        for value in tags.get(tag, []):
            if re.match(r"^\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+\s*$", value, re.I):
                return value
    return first(u for u in _urls(tags) if "doi.org/10." in u)


def _pmid(tags: dict) -> str:
    from_nlm = first(tags.get("DP", []) + tags.get("DB", []))
    accession = first(tags.get("AN", []))
    if NLM_RE.search(from_nlm) and accession.strip().isdigit():
        return accession
    return first(m.group(1) for u in _urls(tags) if (m := PUBMED_URL_RE.search(u)))


def _urls(tags: dict) -> list[str]:
    return [url for tag in FIELDS["urls"] for value in tags.get(tag, []) for url in re.split(r"[\s;]+", value) if url]


def _keywords(tags: dict) -> list[str]:
    return [word for value in tags.get("KW", []) for word in value.split(";")]


def raw_record(tags: dict, warnings: list[str], position: Position) -> RawRecord:
    type_code = tags["TY"][0]
    return RawRecord(
        position=position, source_format=FORMAT, warnings=warnings,
        title=" ".join(_values(tags, "title")),
        authors=[surname_first(a) for a in _values(tags, "authors") or _values(tags, "editors")],
        journal=first(_values(tags, "journal")),
        organisation=first(_values(tags, "publisher")),
        date=pick_date(*_values(tags, "date"), *tags.get("DA", [])),
        doi=_doi(tags), pmid=_pmid(tags), isbn=first(tags.get("SN", [])), urls=_urls(tags),
        abstract="\n".join(_values(tags, "abstract")),
        keywords=_keywords(tags),
        kind=kind_for(RIS_KINDS, type_code, warnings), raw_type=type_code,
        publication_types=tags.get("M3", []),
    )


def record_from_lines(lines: list[str], position: Position) -> NormalisedRecord | Problem:
    tags, warnings = read_tags(lines)
    return build_record(raw_record(tags, warnings, position))


def parse(text: str, name: str) -> Iterator[NormalisedRecord | Problem]:
    for index, (line, lines) in enumerate(split_records(text), start=1):
        position = Position(name, index, line)
        yield guarded(position, record_from_lines, lines, position)
