"""Reference formats for resources: RIS, BibTeX, CSL-JSON, CSV and a plain citation.

Functions take a list of resources, so search results can be exported in bulk with the same
code as a single record."""

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import rispy
from django.conf import settings

from peerhub.library.models import Resource, ResourceType

# RIS reference types (see rispy.TYPE_OF_REFERENCE_MAPPING). Our types are broader than RIS's,
# so each maps to the closest type reference managers understand.
RIS_TYPES = {
    ResourceType.RESEARCH_STUDY: "JOUR",
    ResourceType.SYSTEMATIC_REVIEW: "JOUR",
    ResourceType.EVALUATION_REPORT: "RPRT",
    ResourceType.TOOLKIT: "GEN",
    ResourceType.TRAINING: "GEN",
    ResourceType.POLICY: "GOVDOC",
    ResourceType.REPORT: "RPRT",
    ResourceType.VIDEO_AUDIO: "ADVS",
    ResourceType.WEBSITE: "ELEC",
}
# We hold no journal names, so @article would be incomplete; reports become @techreport
# (institution = organisation) and everything else @misc, which every BibTeX style accepts.
BIBTEX_REPORT_TYPES = {ResourceType.EVALUATION_REPORT, ResourceType.REPORT, ResourceType.POLICY}
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIALS_RE = re.compile("|".join(re.escape(c) for c in BIBTEX_SPECIALS))


def one_line(text: str) -> str:
    """Both formats are line-based: a newline inside a value would start a new tag."""
    return " ".join((text or "").split())


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}" if doi else ""


# --- RIS -------------------------------------------------------------------------------------


class HeaderlessRisWriter(rispy.RisWriter):
    """rispy numbers each record with a "1." line that is not RIS; some importers choke on it."""

    def set_header(self, count: int) -> str:
        return ""


def ris_date(resource: Resource) -> str:
    """RIS DA is YYYY/MM/DD/ with unknown parts left empty."""
    if not resource.pub_year:
        return ""
    month = f"{resource.pub_month:02d}" if resource.pub_month else ""
    day = f"{resource.pub_day:02d}" if resource.pub_month and resource.pub_day else ""
    return f"{resource.pub_year:04d}/{month}/{day}/"


def ris_record(resource: Resource) -> dict:
    record = {
        "type_of_reference": RIS_TYPES.get(resource.resource_type, "GEN"),
        "title": one_line(resource.title),
        "authors": [one_line(a) for a in resource.authors if one_line(a)],
        "year": str(resource.pub_year or ""),
        "date": ris_date(resource),
        "publisher": one_line(resource.organisation),
        "abstract": one_line(resource.description or resource.summary),
        "doi": resource.doi,
        "accession_number": resource.pmid,
        "issn": resource.isbn,  # RIS uses SN for both ISSN and ISBN
        "urls": [u for u in (resource.url, doi_url(resource.doi)) if u],
        "id": str(resource.pk),
    }
    return {key: value for key, value in record.items() if value}


def to_ris(resources: list[Resource]) -> str:
    return rispy.dumps([ris_record(r) for r in resources], implementation=HeaderlessRisWriter)


# --- BibTeX ----------------------------------------------------------------------------------


def bibtex_escape(text: str) -> str:
    return BIBTEX_SPECIALS_RE.sub(lambda m: BIBTEX_SPECIALS[m.group(0)], one_line(text))


def ascii_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def surname(author: str) -> str:
    """"Smith, Jane" and "Jane Smith" both give "Smith"."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0]
    return author.split()[-1] if author.split() else ""


def citation_key(resource: Resource) -> str:
    """Stable across edits that do not change the first author or year; the id keeps it unique."""
    first = surname(resource.authors[0]) if resource.authors else resource.organisation
    name = ascii_letters(first)[:20] or "peerhub"
    return f"{name}{resource.pub_year or ''}_{resource.pk}"


def bibtex_author(name: str) -> str:
    """An author whose name contains "and" (often an organisation) is braced so BibTeX does
    not split it into two people."""
    escaped = bibtex_escape(name)
    return f"{{{escaped}}}" if re.search(r"\band\b", escaped, re.IGNORECASE) else escaped


def bibtex_fields(resource: Resource) -> list[tuple[str, str]]:
    org_field = "institution" if resource.resource_type in BIBTEX_REPORT_TYPES else "organization"
    fields = [
        ("title", f"{{{bibtex_escape(resource.title)}}}"),  # double braces keep the capitals
        ("author", " and ".join(bibtex_author(a) for a in resource.authors if one_line(a))),
        (org_field, bibtex_escape(resource.organisation)),
        ("year", str(resource.pub_year or "")),
        ("month", BIBTEX_MONTHS[resource.pub_month - 1] if resource.pub_month else ""),
        ("doi", bibtex_escape(resource.doi)),
        ("url", bibtex_escape(resource.url)),
        ("isbn", bibtex_escape(resource.isbn)),
        ("note", f"PMID: {bibtex_escape(resource.pmid)}" if resource.pmid else ""),
        ("abstract", bibtex_escape(resource.summary)),
    ]
    return [(name, value) for name, value in fields if value]


def bibtex_entry(resource: Resource) -> str:
    entry_type = "techreport" if resource.resource_type in BIBTEX_REPORT_TYPES else "misc"
    lines = [f"@{entry_type}{{{citation_key(resource)},"]
    for name, value in bibtex_fields(resource):
        # month macros (jan, feb…) must stay bare; every other value is braced
        lines.append(f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


def to_bibtex(resources: list[Resource]) -> str:
    return "\n\n".join(bibtex_entry(r) for r in resources) + "\n"


# --- Plain citation --------------------------------------------------------------------------


def _sentence(text: str) -> str:
    """The text as a sentence of the citation, without doubling a closing full stop."""
    text = one_line(text)
    return text if text.endswith((".", "?", "!")) else f"{text}."


def citation(resource: Resource) -> str:
    """Authors (Year). Title. Organisation. DOI or URL — the organisation leads when there are
    no named authors, as in most reference styles."""
    authors = ", ".join(one_line(a) for a in resource.authors if one_line(a))
    creator = authors or one_line(resource.organisation)
    year = f"({resource.pub_year})" if resource.pub_year else "(no date)"
    parts = [f"{creator} {year}." if creator else f"{year}.", _sentence(resource.title)]
    if authors and resource.organisation:
        parts.append(_sentence(resource.organisation))
    link = doi_url(resource.doi) or resource.url
    if link:
        parts.append(link)
    return " ".join(parts)


# --- CSL-JSON --------------------------------------------------------------------------------

# CSL item types (CSL 1.0.2 schema) closest to ours; every one is in the schema's type list.
CSL_TYPES = {
    ResourceType.RESEARCH_STUDY: "article-journal",
    ResourceType.SYSTEMATIC_REVIEW: "article-journal",
    ResourceType.EVALUATION_REPORT: "report",
    ResourceType.TOOLKIT: "document",
    ResourceType.TRAINING: "document",
    ResourceType.POLICY: "report",
    ResourceType.REPORT: "report",
    ResourceType.VIDEO_AUDIO: "motion_picture",
    ResourceType.WEBSITE: "webpage",
}


def csl_name(author: str) -> dict:
    """"Smith, Jane" -> family and given; a name without a comma (often an organisation) is kept
    whole as a literal, because splitting "Mind Cymru" would invent a surname."""
    family, comma, given = one_line(author).partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": one_line(author).strip(" ,")}


def csl_issued(resource: Resource) -> dict | None:
    """As precise as known: [[2021]], [[2021, 5]] or [[2021, 5, 3]] (a day needs its month)."""
    if not resource.pub_year:
        return None
    parts = [resource.pub_year]
    if resource.pub_month:
        parts += [resource.pub_month, resource.pub_day] if resource.pub_day else [resource.pub_month]
    return {"date-parts": [parts]}


def csl_item(resource: Resource) -> dict:
    item = {
        "id": citation_key(resource),
        "type": CSL_TYPES.get(resource.resource_type, "document"),
        "title": one_line(resource.title),
        "author": [csl_name(a) for a in resource.authors if one_line(a)],
        "issued": csl_issued(resource),
        "publisher": one_line(resource.organisation),
        "abstract": (resource.description or resource.summary).strip(),
        "DOI": resource.doi,
        "PMID": resource.pmid,
        "ISBN": resource.isbn,
        "URL": resource.url or doi_url(resource.doi),
    }
    return {key: value for key, value in item.items() if value}


def to_csl_json(resources: list[Resource]) -> str:
    return json.dumps([csl_item(r) for r in resources], ensure_ascii=False, indent=2) + "\n"


# --- CSV -------------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a
# leading apostrophe makes it plain text, as OWASP advises. Numbers are written as numbers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_COLUMNS = [
    "id", "page", "title", "authors", "organisation", "publication_date", "year", "resource_type", "summary",
    "description", "link", "doi", "pmid", "isbn", "access", "licence", "study_design", "quality",
    "appraisal_rationale", "last_checked", "review_due", "published_at", "terms",
]
LIST_SEPARATOR = "; "


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _iso_or_blank(value) -> str:
    return value.isoformat() if value else ""


def _publication_date(resource: Resource) -> str:
    parts = [f"{resource.pub_year:04d}" if resource.pub_year else ""]
    if resource.pub_year and resource.pub_month:
        parts.append(f"{resource.pub_month:02d}")
        if resource.pub_day:
            parts.append(f"{resource.pub_day:02d}")
    return "-".join(parts)


def _term_labels(resource: Resource) -> str:
    """Each live term as "vocabulary: name" (merged terms are hidden everywhere)."""
    terms = [t for t in resource.terms.all() if t.merged_into_id is None]
    terms.sort(key=lambda t: (t.vocabulary.order, t.vocabulary.slug, t.order, t.name))
    return LIST_SEPARATOR.join(f"{t.vocabulary.slug}: {t.name}" for t in terms)


def csv_row(resource: Resource, site_url: str) -> list:
    values = [
        resource.pk, site_url + resource.get_absolute_url(), resource.title,
        LIST_SEPARATOR.join(one_line(a) for a in resource.authors), resource.organisation,
        _publication_date(resource), resource.pub_year or "", resource.resource_type, resource.summary,
        resource.description, resource.url, resource.doi, resource.pmid, resource.isbn, resource.access,
        resource.licence, resource.study_design, resource.quality, resource.appraisal_rationale,
        _iso_or_blank(resource.last_checked), _iso_or_blank(resource.review_due),
        _iso_or_blank(resource.published_at), _term_labels(resource),
    ]
    return [spreadsheet_safe(v) for v in values]


def to_csv(resources: list[Resource], site_url: str = "") -> str:
    """One row per resource. Load the resources with prefetch_related("terms__vocabulary")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(r, site_url) for r in resources)
    return out.getvalue()


# --- Exports of a search result --------------------------------------------------------------

EXPORT_CAP = 5_000  # records per download: a whole search, yet small enough to build in memory


@dataclass(frozen=True)
class ExportFormat:
    label: str
    write: Callable
    content_type: str
    extension: str


EXPORT_FORMATS = {
    "ris": ExportFormat("RIS", to_ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "bibtex": ExportFormat("BibTeX", to_bibtex, "application/x-bibtex; charset=utf-8", "bib"),
    "csljson": ExportFormat("CSL-JSON", to_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8",
                            "json"),
    "csv": ExportFormat("CSV", lambda resources: to_csv(resources, settings.SITE_URL), "text/csv; charset=utf-8",
                        "csv"),
}
FORMAT_FOR_EXTENSION = {spec.extension: name for name, spec in EXPORT_FORMATS.items()}


@dataclass
class SearchExport:
    resources: list[Resource]
    total: int
    errors: dict = field(default_factory=dict)

    @property
    def capped(self) -> bool:
        return self.total > len(self.resources)


def search_export(querydict) -> SearchExport:
    """Every resource the search page would list for these parameters (all its pages, in its
    order), up to EXPORT_CAP. It runs the page's own search; `errors` names unusable parameters."""
    from peerhub.library.facets import parse_search_params
    from peerhub.library.selectors import search_resources

    params, errors = parse_search_params(querydict)
    errors.pop("page", None)  # an export takes every page, so the page asked for does not matter
    page = search_resources(replace(params, page=1, per_page=EXPORT_CAP), errors)
    return SearchExport(page.items, page.total, page.errors)


def export_filename(format_name: str, today) -> str:
    return f"peer-support-hub-{today:%Y-%m-%d}.{EXPORT_FORMATS[format_name].extension}"


def cap_words(total: int) -> str:
    """What a download of these results holds, said plainly."""
    if total > EXPORT_CAP:
        return (f"Downloads hold the first {EXPORT_CAP:,} of the {total:,} results, the most we export at once. "
                "Narrow your search to download the rest.")
    return f"Downloads hold all {total:,} result{'s' if total != 1 else ''}, in the order shown."
