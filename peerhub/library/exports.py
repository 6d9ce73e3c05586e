"""Reference formats for resources: RIS, BibTeX and a plain citation.

Functions take a list of resources, so search results can be exported in bulk with the same
code as a single record."""

import re
import unicodedata

import rispy

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
