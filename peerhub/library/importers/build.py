"""The one place where a format's raw fields become a NormalisedRecord: every parser fills a
RawRecord and hands it here, so cleaning, identifiers, limits and type guessing are the same
for every format."""

from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from peerhub.library.identifiers import normalise_doi, normalise_isbn, normalise_pmid
from peerhub.library.importers.dates import PubDate
from peerhub.library.importers.records import NormalisedRecord, Position, Problem
from peerhub.library.importers.text import clean_line, clean_paragraphs
from peerhub.library.importers.types import guess_resource_type
from peerhub.library.models import Resource

MAX_PMID_DIGITS = 9  # PubMed IDs are 8 digits today; anything longer is another database's number
validate_url = URLValidator(schemes=["http", "https"])


@dataclass
class RawRecord:
    """What a parser found, before cleaning. Authors are already in "Surname, Given" form."""

    position: Position
    source_format: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    organisation: str = ""
    journal: str = ""
    date: PubDate = field(default_factory=PubDate)
    doi: str = ""
    pmid: str = ""
    isbn: str = ""
    urls: list[str] = field(default_factory=list)
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    kind: str | None = None  # a key of KIND_TO_RESOURCE_TYPE, or None when the format gave none we know
    raw_type: str = ""
    publication_types: list[str] = field(default_factory=list)
    codes: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def kind_for(table: dict, code: str, warnings: list[str]) -> str | None:
    """Look a format's type code up; an unknown code is said, not guessed silently."""
    kind = table.get((code or "").strip().lower()) or table.get((code or "").strip().upper())
    if code and kind is None:
        warnings.append(f"Its type “{code}” is not one we know; it was treated as a research study.")
    return kind


def _limited(value: str, model_field: str, warnings: list[str]) -> str:
    limit = Resource._meta.get_field(model_field).max_length
    if len(value) <= limit:
        return value
    warnings.append(f"Its {model_field} was longer than {limit} characters and was shortened.")
    return value[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=50_000)
def _url_is_valid(url: str) -> bool:
    """Django's URLValidator, remembered per address: it is slow (IDNA, long regexes), and a large
    import meets the same addresses again (duplicates, a journal's or a database's links)."""
    try:
        validate_url(url)
    except ValidationError:
        return False
    return True


def _valid_url(urls: list[str], warnings: list[str]) -> str:
    """The first valid web address. Exports pad the field with more than one address, with
    Zotero's "files/…" paths or EndNote's "<Go to ISI>://…" links, so each word is tried."""
    limit = Resource._meta.get_field("url").max_length
    candidates = [word for url in urls if url for word in url.split() if word.lower().startswith("http")]
    for url in candidates:
        if _url_is_valid(url) and len(url) <= limit:
            return url
    if candidates:
        warnings.append(f"Its web address “{candidates[0][:80]}” is not valid and was left out.")
    return ""


def _pmid(value: str, warnings: list[str]) -> str:
    pmid = normalise_pmid(value)
    if len(pmid) > MAX_PMID_DIGITS:
        warnings.append(f"“{value}” is not a PubMed ID and was left out.")
        return ""
    return pmid


def _isbn(value: str) -> str:
    isbn = normalise_isbn(value)
    return isbn if len(isbn) in (10, 13) else ""  # ISSNs (8 characters) share the same RIS field


def _keywords(values: list[str]) -> list[str]:
    seen, keywords = set(), []
    for value in values:
        word = clean_line(value).lstrip("*").strip()  # "*Gambling": MeSH marks major topics with a star
        if word and word.lower() not in seen:
            seen.add(word.lower())
            keywords.append(word)
    return keywords


def _authors(values: list[str]) -> list[str]:
    return [name for name in (clean_line(v).strip(" ;,") for v in values) if name]


def _title(value: str) -> str:
    """MEDLINE, and the databases that copy it, end every title with a full stop; an ellipsis stays."""
    title = clean_line(value)
    return title if title.endswith("..") else title.removesuffix(".")


def build_record(raw: RawRecord) -> NormalisedRecord | Problem:
    title = _title(raw.title)
    if not title:
        return Problem(raw.position, "it has no title, so it cannot be catalogued")
    warnings = list(raw.warnings)
    return NormalisedRecord(
        title=_limited(title, "title", warnings),
        position=raw.position,
        source_format=raw.source_format,
        authors=_authors(raw.authors),
        organisation=_limited(clean_line(raw.organisation), "organisation", warnings),
        journal=clean_line(raw.journal),
        year=raw.date.year, month=raw.date.month, day=raw.date.day,
        doi=normalise_doi(raw.doi),
        pmid=_pmid(raw.pmid, warnings),
        isbn=_isbn(raw.isbn),
        url=_valid_url(raw.urls, warnings),
        abstract=clean_paragraphs(raw.abstract),
        keywords=_keywords(raw.keywords),
        resource_type=guess_resource_type(raw.kind, title=title, publication_types=raw.publication_types),
        raw_type=clean_line(raw.raw_type),
        codes=raw.codes,
        warnings=warnings,
    )



def guarded(position: Position, make, *args) -> NormalisedRecord | Problem:
    """Build one record; a value of an unexpected shape (a number where text belongs, a list
    where one value belongs) makes that record a problem instead of stopping the whole file."""
    try:
        return make(*args)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        return Problem(position, f"it could not be read ({type(error).__name__}: {error})")
