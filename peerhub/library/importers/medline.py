"""MEDLINE (PubMed's "nbib" / "PubMed format"): four-character tags, "PMID- " first, values
continued on lines indented by six spaces, records separated by blank lines. PubMed's download
is often named .txt, and some tools save it as .ris, so it is recognised by its content.

A small reader of our own: the format is a few lines of rules, and the packages that read it
either drag in a large toolkit (Biopython) or are unmaintained."""

import re
from collections.abc import Iterator

from peerhub.library.importers.build import RawRecord, build_record, guarded
from peerhub.library.importers.dates import pick_date
from peerhub.library.importers.names import surname_first
from peerhub.library.importers.records import NormalisedRecord, Position, Problem
from peerhub.library.importers.text import first

FORMAT = "medline"
TAG_RE = re.compile(r"^([A-Z][A-Z0-9 ]{1,3})- (.*)$")
CONTINUATION = "      "
DOI_ID_RE = re.compile(r"^(\S+)\s*\[doi\]", re.IGNORECASE)


def split_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) for each block of non-blank lines that holds a tag."""
    block: list[str] = []
    start = 0
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if line.strip():
            start = start if block else number
            block.append(line)
        elif block:
            if any(TAG_RE.match(b) for b in block):
                yield start, block
            block = []


def read_tags(lines: list[str]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    last = None
    for line in lines:
        match = TAG_RE.match(line)
        if match:
            last = match.group(1).strip()
            tags.setdefault(last, []).append(match.group(2).strip())
        elif last and (line.startswith(CONTINUATION) or line.startswith("\t")):
            tags[last][-1] = f"{tags[last][-1]} {line.strip()}"
    return tags


def _doi(tags: dict) -> str:
    return first(m.group(1) for value in tags.get("AID", []) + tags.get("LID", []) if (m := DOI_ID_RE.match(value)))


def raw_record(tags: dict, position: Position) -> RawRecord:
    publication_types = tags.get("PT", [])
    is_book = "BTI" in tags or any("book" in p.lower() for p in publication_types)
    return RawRecord(
        position=position, source_format=FORMAT,
        title=first(tags.get("TI", []) + tags.get("BTI", [])),
        # FAU has the full name; AU (initials) is the fallback; CN is a group author.
        authors=[surname_first(a) for a in (tags.get("FAU") or tags.get("AU", []))] + tags.get("CN", []),
        journal=first(tags.get("JT", []) + tags.get("TA", [])),
        organisation=first(tags.get("PB", [])),
        date=pick_date(*tags.get("DP", []), *tags.get("DEP", [])),
        doi=_doi(tags), pmid=first(tags.get("PMID", [])), isbn=first(tags.get("ISBN", [])),
        abstract="\n".join(tags.get("AB", [])),
        # MeSH headings without their qualifiers: "Boswellia/*chemistry" -> "Boswellia".
        keywords=tags.get("OT", []) + [heading.split("/")[0] for heading in tags.get("MH", [])],
        kind="book" if is_book else "article",
        raw_type="; ".join(publication_types), publication_types=publication_types,
    )


def record_from_lines(lines: list[str], position: Position) -> NormalisedRecord | Problem:
    return build_record(raw_record(read_tags(lines), position))


def parse(text: str, name: str) -> Iterator[NormalisedRecord | Problem]:
    for index, (line, lines) in enumerate(split_records(text), start=1):
        position = Position(name, index, line)
        yield guarded(position, record_from_lines, lines, position)
