"""What every source's harvester shares: the result of one run, the position each record is
given (so the importer pipeline can say where it came from), and markup cleaning."""

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from peerhub.library.importers.records import NormalisedRecord, Position, Problem

# Sections of structured abstracts: Europe PMC's HTML headings ("<h4>Background</h4>") and
# JATS sections ("<sec><title>BACKGROUND</title>", as OpenAlex and Crossref send them). Each
# becomes a paragraph break, so "Background" does not run into the sentences either side, and
# the HTML sanitiser never sees a bare <title> (it drops everything after one).
SECTION_RE = re.compile(r"</?(?:jats:)?(?:h[1-6]|sec|title)(?:\s[^<>]*)?>", re.IGNORECASE)


class HarvestError(Exception):
    """The source could not be searched (unreachable, refused, or an unreadable answer)."""


@dataclass
class HarvestResult:
    """Every record a run found is in exactly one of `records` and `problems`."""

    records: list[NormalisedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    hits: int = 0  # how many the source says match, which may be more than one run brings in
    requests: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return len(self.records) + len(self.problems)

    def add(self, built: NormalisedRecord | Problem) -> None:
        (self.records if isinstance(built, NormalisedRecord) else self.problems).append(built)


@dataclass(frozen=True)
class Request:
    """One harvest: the source's query, at most `limit` records, optionally only those the source
    indexed on or after `since` (the day of the last successful run)."""

    query: str
    limit: int
    label: str  # names the run on every record: source, query and date
    since: date | None = None

    def position(self, index: int) -> Position:
        return Position(self.label, index)


def harvest_label(source_label: str, query: str, day: date) -> str:
    """Kept on each record (Resource.source and the audit note): the source, query and date."""
    return f"{source_label} search “{query[:80]}” on {day.isoformat()}"


def with_section_breaks(text: str) -> str:
    text = text or ""
    if "&lt;" in text:
        text = html.unescape(text)  # markup escaped twice ("&lt;i&gt;") is markup all the same
    return SECTION_RE.sub("\n\n", text)


def as_list(value) -> list:
    """JSON and XML give one item as itself and several as a list; always a list here."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def dig(data, *keys, default=None):
    """data[k1][k2]… or the default when any step is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def take(result: HarvestResult, built: Iterable, limit: int) -> bool:
    """Add records until the limit; True once it is reached."""
    for item in built:
        if result.seen >= limit:
            return True
        result.add(item)
    return result.seen >= limit
