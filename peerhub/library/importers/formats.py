"""Which formats there are, how a file's format is told from its content (never its name: PubMed
files arrive as .txt and .ris, RIS as .txt), and reading a file into a ParsedFile."""

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peerhub.core.bulk import cyclic_gc_paused
from peerhub.library.importers import bibtex, csl_json, csv_format, endnote_xml, eppi_json, medline, ris
from peerhub.library.importers.records import ImportFileError, ParsedFile, Problem
from peerhub.library.importers.text import decode_bytes


@dataclass(frozen=True)
class Format:
    label: str
    parse: Callable
    reads_json: bool = False


FORMATS = {
    ris.FORMAT: Format("RIS", ris.parse),
    medline.FORMAT: Format("MEDLINE (PubMed nbib)", medline.parse),
    bibtex.FORMAT: Format("BibTeX", bibtex.parse),
    endnote_xml.FORMAT: Format("EndNote XML", endnote_xml.parse),
    csl_json.FORMAT: Format("CSL-JSON", csl_json.parse, reads_json=True),
    eppi_json.FORMAT: Format("EPPI-Reviewer JSON", eppi_json.parse, reads_json=True),
    csv_format.FORMAT: Format("CSV", csv_format.parse),
}
ALIASES = {"nbib": "medline", "pubmed": "medline", "bib": "bibtex", "biblatex": "bibtex", "endnote": "endnote-xml",
           "xml": "endnote-xml", "csl": "csl-json", "eppi": "eppi-json", "tsv": "csv"}
SNIFF_CHARS = 20_000  # enough to pass Cochrane's and Ovid's headers before the first record
MEDLINE_RE = re.compile(r"^PMID- ?\d", re.MULTILINE)
RIS_RE = re.compile(r"^TY  - ", re.MULTILINE)
BIBTEX_RE = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
ENDNOTE_RE = re.compile(r"<records>\s*<record>|<record>\s*<database|<xml>\s*<records", re.IGNORECASE)
# Keys only a CSL item has (a dataset description or other JSON has none of them).
CSL_KEYS = {"type", "issued", "author", "editor", "container-title", "DOI", "URL", "ISBN", "PMID", "id"}
SUPPORTED = "RIS, MEDLINE/nbib, BibTeX, EndNote XML, CSL-JSON, EPPI-Reviewer JSON or CSV with a title column"


def format_name(value: str | None) -> str | None:
    """A --format value (or alias) as a FORMATS key; None means 'detect it'."""
    if not value:
        return None
    name = ALIASES.get(value.strip().lower(), value.strip().lower())
    if name not in FORMATS:
        raise ImportFileError(f"“{value}” is not a format we read; use one of: {', '.join(FORMATS)}.")
    return name


def load_json(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ImportFileError(f"The JSON is broken at {where}: {error.msg}.") from error


def json_format(data) -> str:
    if isinstance(data, dict) and isinstance(data.get("References"), list):
        return eppi_json.FORMAT
    # A list is read as CSL items; any item that is not one is reported by its position.
    if isinstance(data, list) or isinstance(data, dict) and CSL_KEYS & set(data):
        return csl_json.FORMAT
    raise ImportFileError("This JSON is not a list of references (CSL-JSON) or an EPPI-Reviewer export.")


def detect_format(text: str) -> str:
    head = text.lstrip()[:SNIFF_CHARS]
    if not head:
        raise ImportFileError("The file is empty.")
    if head.startswith(("{", "[")):
        return json_format(load_json(text))
    if head.startswith("<"):
        if ENDNOTE_RE.search(head):
            return endnote_xml.FORMAT
        raise ImportFileError("This XML is not an EndNote XML export.")
    for pattern, name in ((RIS_RE, ris.FORMAT), (MEDLINE_RE, medline.FORMAT), (BIBTEX_RE, bibtex.FORMAT)):
        if pattern.search(head):
            return name
    if csv_format.has_title_column(head.split("\n", 1)[0]):
        return csv_format.FORMAT
    raise ImportFileError(f"This is not a reference export we can read ({SUPPORTED}).")


def _format_warning(text: str, chosen: str) -> list[str]:
    try:
        detected = detect_format(text)
    except ImportFileError:
        return []
    return [f"It was read as {chosen} as asked, but it looks like {detected}."] if detected != chosen else []


def read_text(text: str, name: str, *, format: str | None = None, csv_mapping: dict | None = None) -> ParsedFile:
    """Every record of one file, as NormalisedRecords and Problems. Raises ImportFileError when
    the file as a whole cannot be read."""
    chosen = format_name(format)
    parsed = ParsedFile(name, chosen or detect_format(text))
    parsed.warnings += _format_warning(text, chosen) if chosen else []
    spec = FORMATS[parsed.format]
    source = load_json(text) if spec.reads_json else text
    extra = {"mapping": csv_mapping} if parsed.format == csv_format.FORMAT else {}
    try:
        with cyclic_gc_paused():  # every record of a large file stays alive: see cyclic_gc_paused
            for item in spec.parse(source, name, **extra):
                (parsed.problems if isinstance(item, Problem) else parsed.records).append(item)
    except (csv.Error, ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        # Damage outside any one record (a NUL byte in a CSV, a structure no exporter writes).
        raise ImportFileError(f"It could not be read after record {parsed.records_seen}: {error}.") from error
    return parsed


def read_bytes(data: bytes, name: str, **options) -> ParsedFile:
    text, warnings = decode_bytes(data)
    parsed = read_text(text, name, **options)
    parsed.warnings[:0] = warnings
    return parsed


def read_file(path, *, name: str | None = None, **options) -> ParsedFile:
    """name: how positions and the record's source call the file (its file name by default)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path} cannot be read: {error.strerror}.") from error
    return read_bytes(data, name or path.name, **options)
