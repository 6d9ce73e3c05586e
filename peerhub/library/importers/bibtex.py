"""BibTeX and BibLaTeX, read by bibtexparser 2. Entries with a repeated key or field are still
records (bibtexparser sets them aside as failed blocks): they are read, with a warning. LaTeX is
turned into text field by field, never in URLs and DOIs (where "&" and "%" are literal)."""

import re
from collections.abc import Iterator

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from peerhub.library.importers.build import RawRecord, build_record, guarded, kind_for
from peerhub.library.importers.dates import PubDate, checked, month_from_text, parse_date
from peerhub.library.importers.records import NormalisedRecord, Position, Problem
from peerhub.library.importers.text import first
from peerhub.library.importers.types import BIBTEX_KINDS

FORMAT = "bibtex"
DECODER = LatexNodes2Text(math_mode="text")
# Escapes and ligatures that need no LaTeX parser.
SIMPLE = [(r"\%", "%"), (r"\&", "&"), (r"\#", "#"), (r"\_", "_"), ("~", " "), ("---", "—"), ("--", "–"),
          (r"\textless", "<"), (r"\textgreater", ">"), (r"\textbar", "|"), (r"\textasciitilde", "~")]
# What is left for pylatexenc: maths, and commands with their argument (\'e, \'{e}, \textbf{x},
# \textless). It is given these short spans only, because it is slow on whole abstracts.
LATEX_SPAN_RE = re.compile(r"\$[^$]*\$|\\[A-Za-z]+\*?(?:\{[^{}]*\})?|\\[^A-Za-z\s](?:\{[^{}]*\}|[A-Za-z])?")
ENTRY_START_RE = re.compile(r"^\s*@\s*(\w+)\s*[{(]", re.MULTILINE)
NOT_RECORDS = {"comment", "string", "preamble"}


def latex_to_text(value) -> str:
    value = str(value or "")
    for latex, plain in SIMPLE:
        value = value.replace(latex, plain)
    value = LATEX_SPAN_RE.sub(lambda span: DECODER.latex_to_text(span.group(0)), value)
    return value.replace("{", "").replace("}", "")


def format_name(name: str) -> str:
    """BibTeX name parts to "Surname, Given": 'van der Berg, Jan' stays, 'Jan van der Berg' turns."""
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except InvalidNameError:
        return latex_to_text(name)
    surname = latex_to_text(" ".join(parts.von + parts.last))
    given = latex_to_text(" ".join(parts.first + parts.jr))
    return f"{surname}, {given}" if given else surname


def _names(value: str) -> list[str]:
    return [format_name(n) for n in split_multiple_persons_names(" ".join(str(value or "").split()))]


def _date(fields: dict) -> PubDate:
    if fields.get("date"):  # BibLaTeX: 2020-05-18
        return parse_date(fields["date"])
    year = parse_date(fields.get("year", "")).year
    month_text = str(fields.get("month", ""))
    month = int(month_text) if month_text.strip().isdigit() else month_from_text(month_text)[0]
    return checked(year, month, int(fields["day"]) if str(fields.get("day", "")).isdigit() else None)


def _pmid(fields: dict) -> str:
    if str(fields.get("eprinttype", "")).lower() == "pubmed":
        return fields.get("eprint", "")
    return fields.get("pmid", "")


def raw_record(entry: model.Entry, position: Position, warnings: list[str]) -> RawRecord:
    fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}
    text = {key: latex_to_text(fields.get(key, "")) for key in (
        "title", "journal", "journaltitle", "booktitle", "series", "publisher", "institution", "organization",
        "school", "abstract", "keywords", "type")}
    return RawRecord(
        position=position, source_format=FORMAT, warnings=warnings,
        title=text["title"],
        authors=_names(fields.get("author", "")) or _names(fields.get("editor", "")),
        journal=first([text["journal"], text["journaltitle"], text["booktitle"], text["series"]]),
        organisation=first([text["publisher"], text["institution"], text["organization"], text["school"]]),
        date=_date(fields),
        doi=fields.get("doi", ""), pmid=_pmid(fields), isbn=fields.get("isbn", ""),
        urls=[fields.get("url", "")],
        abstract=text["abstract"],
        keywords=re.split(r"[;,]\s*", text["keywords"]) if text["keywords"] else [],
        kind=kind_for(BIBTEX_KINDS, entry.entry_type, warnings), raw_type=entry.entry_type,
        publication_types=[text["type"]] if text["type"] else [],
    )


def _record_or_problem(block, position: Position):
    """An entry; a repeated key or field still gives the entry (with a warning); else a problem."""
    if isinstance(block, model.Entry):
        return build_record(raw_record(block, position, []))
    usable = getattr(block, "ignore_error_block", None)
    if isinstance(block, model.DuplicateBlockKeyBlock | model.DuplicateFieldKeyBlock) and usable is not None:
        warning = f"BibTeX problem, read anyway: {block.error}"
        return build_record(raw_record(usable, position, [warning]))
    return Problem(position, f"it is not valid BibTeX: {getattr(block, 'error', 'unreadable entry')}")


def _is_record(block) -> bool:
    if isinstance(block, model.Entry | model.ParsingFailedBlock):
        match = ENTRY_START_RE.match(getattr(block, "raw", None) or "@entry{")
        return not (match and match.group(1).lower() in NOT_RECORDS)
    return False


def parse(text: str, name: str) -> Iterator[NormalisedRecord | Problem]:
    library = bibtexparser.parse_string(text)
    records = [block for block in library.blocks if _is_record(block)]
    for index, block in enumerate(records, start=1):
        line = block.start_line + 1 if block.start_line is not None else None
        position = Position(name, index, line)
        yield guarded(position, _record_or_problem, block, position)
