"""RIS, as exported by EndNote, Zotero, Mendeley, Scopus, Web of Science, Ovid, EBSCO, Lens,
Rayyan, Covidence, EPPI-Reviewer and the Cochrane Library.

The file is cut into records here, so each keeps its line number and one broken record cannot
swallow the next; each record's tags are then read as rispy reads them. Quirks met in real exports: a BOM,
Windows line endings, Ovid's "1." lines and Cochrane's "Record #3 of 18" headers between records,
Cochrane's "TY  -  JOUR" (an extra space), values continued on untagged lines (EndNote keywords,
wrapped abstracts), a repeated AB tag (EBSCO's copyright notice), DOIs in L3, PMIDs in AN."""

import re
from collections.abc import Iterator

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
# A DOI field holds the DOI alone ("10.x/..", "doi:..", a doi.org link), never a sentence.
DOI_VALUE_RE = re.compile(r"^\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+\s*$", re.I)
URL_SEPARATOR_RE = re.compile(r"[\s;]+")


TAG_CACHE_LIMIT = 20_000
_tag_cache: dict[str, str | None] = {}


def tag_of(line: str) -> str | None:
    # TAG_RE reads at most the first six characters, so its answer is remembered per six-character
    # prefix: a dict lookup instead of a regex match for each of a large file's lines.
    key = line[:6]
    try:
        return _tag_cache[key]
    except KeyError:
        match = TAG_RE.match(line)
        tag = match.group(1) if match else None
        if len(_tag_cache) < TAG_CACHE_LIMIT and "\n" not in key:  # "$" also matches before a final newline
            _tag_cache[key] = tag
        return tag


def _chunks(text: str) -> Iterator[tuple[int, list[str], list[str | None]]]:
    """(first line number, lines, their tags) from each TY line to the next; tagged lines before
    the first TY make a chunk of their own. Untagged lines between chunks (Ovid's "1.", Cochrane's
    headers) are skipped. Each line's tag is found once and passed on."""
    current: list[str] = []
    tags: list[str | None] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        tag = tag_of(line)
        if tag == "TY" and current:
            yield start, current, tags
            current, tags = [], []
        if not current and (tag is None or tag == "ER"):
            continue
        start = start if current else number
        current.append(line)
        tags.append(tag)
    if current:
        yield start, current, tags


def _records_in_chunk(start: int, lines: list[str], tags: list[str | None]) -> list[tuple[int, list[str]]]:
    """Cut a chunk at its ER lines. Tagged lines after the last ER either belong to the record
    before (Ovid writes "NL  -" after ER) or, when they hold a title, are a record of their own."""
    records: list[tuple[int, list[str]]] = []
    current: list[str] = []
    current_tags: list[str | None] = []
    for offset, (line, tag) in enumerate(zip(lines, tags, strict=True)):
        if not current and tag is None:
            continue
        current = current or [start + offset]
        current.append(line)
        current_tags.append(tag)
        if tag == "ER":
            records.append((current[0], current[1:]))
            current, current_tags = [], []
    trailing = [line for line, tag in zip(current[1:], current_tags, strict=True) if tag]
    if records and not any(tag in FIELDS["title"] for tag in current_tags if tag):
        records[-1][1][-1:-1] = trailing  # before its ER line
    elif current:
        records.append((current[0], current[1:]))
    return records


def split_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number of the first line, lines) for each record."""
    for start, lines, tags in _chunks(text):
        yield from _records_in_chunk(start, lines, tags)


def _rispy_line(line: str) -> tuple[str | None, str]:
    """rispy's RisParser.parse_line, word for word."""
    if line[2:5] == "  -" and line[:2].isupper() and line[0:1].isalpha():
        return line[0:2], line[6:].strip()
    return None, line.strip()


def _rispy_record(lines: list[str]) -> dict:
    """rispy.loads("\\n".join(lines), mapping=_EveryTag(), list_tags=_AllTags(),
    delimiter_tags_mapping={})[0] for lines that start with a TY line, without rispy's generic
    machinery (a method call or three per line made it a large share of reading a big file).
    Same rules: every tag a list, in order; untagged lines go to the tag before them (to None
    before any tag); a second TY joins the first into a list; the first ER ends the record.
    tests/test_ris_fast.py checks it against rispy itself."""
    record: dict = {"TY": _rispy_line(lines[0])[1]}
    last = None
    for line in lines[1:]:
        # _rispy_line, inlined: this loop runs for every line of the file.
        if line[2:5] == "  -" and line[:2].isupper() and line[0:1].isalpha():
            tag, content = line[0:2], line[6:].strip()
        else:
            tag, content = None, line.strip()
        if tag == "ER":
            return record
        if tag is None:
            tag = last
        else:
            last = tag
        values = record.get(tag)
        if values is None and tag not in record:
            record[tag] = [content]
        elif isinstance(values, list):
            values.append(content)
        else:
            record[tag] = [values, content]  # rispy: a str (the TY) extended becomes a list
    raise IndexError("list index out of range")  # rispy found no complete record


def read_tags(lines: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """The record's tags as {tag: [values]}, read as rispy reads them; plus what had to be repaired."""
    warnings = []
    if tag_of(lines[0]) != "TY":
        warnings.append("It has no TY (type) line.")
        lines = ["TY  - ", *lines]
    if tag_of(lines[-1]) != "ER":
        warnings.append("It has no ER (end of record) line; it was read up to the next record.")
        lines = [*lines, "ER  - "]
    record = _rispy_record(lines)
    tags = {tag: [v for v in values if v] for tag, values in record.items() if tag != "TY"}
    tags["TY"] = [record.get("TY", "")]
    return tags, warnings


def _values(tags: dict, field: str) -> list[str]:
    return next((tags[tag] for tag in FIELDS[field] if tags.get(tag)), [])


def _doi(tags: dict) -> str:
    for tag in FIELDS["doi"]:
        for value in tags.get(tag, []):
            if DOI_VALUE_RE.match(value):
                return value
    return first(u for u in _urls(tags) if "doi.org/10." in u)


def _pmid(tags: dict) -> str:
    from_nlm = first(tags.get("DP", []) + tags.get("DB", []))
    accession = first(tags.get("AN", []))
    if NLM_RE.search(from_nlm) and accession.strip().isdigit():
        return accession
    return first(m.group(1) for u in _urls(tags) if (m := PUBMED_URL_RE.search(u)))


def _urls(tags: dict) -> list[str]:
    values = [value for tag in FIELDS["urls"] for value in tags.get(tag, [])]
    return [url for value in values for url in URL_SEPARATOR_RE.split(value) if url]


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
