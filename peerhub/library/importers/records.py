"""The shapes every importer shares: where a record sits in its file, the one normalised record
each format is turned into, and the problems met on the way."""

from dataclasses import dataclass, field

from peerhub.library.models import ResourceType


@dataclass(frozen=True)
class Position:
    """Where a record is, so a curator can find it in the file: its 1-based number and, for text
    formats, the line it starts on."""

    file: str
    index: int
    line: int | None = None

    def __str__(self) -> str:
        where = f"record {self.index}"
        if self.line:
            where += f" (line {self.line})"
        return f"{where} of {self.file}" if self.file else where


@dataclass
class Problem:
    """A record that cannot be used, with the reason. It is reported, never silently dropped."""

    position: Position
    reason: str

    def __str__(self) -> str:
        return f"{self.position}: {self.reason}"


@dataclass
class NormalisedRecord:
    """One bibliographic record, whatever format it came from. Authors are "Surname, Given"."""

    title: str
    position: Position
    source_format: str
    authors: list[str] = field(default_factory=list)
    organisation: str = ""  # publisher or issuing organisation
    journal: str = ""  # journal, book or other container
    year: int | None = None
    month: int | None = None
    day: int | None = None
    doi: str = ""
    pmid: str = ""
    isbn: str = ""
    url: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    resource_type: str = ResourceType.RESEARCH_STUDY
    raw_type: str = ""  # the type as the file said it, for the curator
    codes: list[dict] = field(default_factory=list)  # EPPI-Reviewer codes as {"set", "code"}
    warnings: list[str] = field(default_factory=list)

    @property
    def source_name(self) -> str:
        return self.position.file


@dataclass
class ParsedFile:
    """Everything read from one file: usable records, unusable ones, and file-level warnings.
    Every record the file holds is in exactly one of `records` and `problems`."""

    name: str
    format: str
    records: list[NormalisedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def records_seen(self) -> int:
        return len(self.records) + len(self.problems)


class ImportFileError(Exception):
    """The file as a whole cannot be read (unknown format, broken JSON or XML, unreadable bytes)."""
