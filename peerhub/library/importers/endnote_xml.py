"""EndNote XML (File > Export > XML): <xml><records><record>… with every value wrapped in
<style> elements. Read with defusedxml, because an uploaded file must not be able to expand
entities or reach other files."""

from collections.abc import Iterator

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from peerhub.library.importers.build import RawRecord, build_record, guarded, kind_for
from peerhub.library.importers.dates import PubDate, checked, month_from_text, parse_date
from peerhub.library.importers.names import surname_first
from peerhub.library.importers.records import ImportFileError, NormalisedRecord, Position, Problem
from peerhub.library.importers.text import first
from peerhub.library.importers.types import ENDNOTE_KINDS

FORMAT = "endnote-xml"


def load_records(text: str) -> list:
    try:
        root = SafeET.fromstring(text)
    except SafeET.ParseError as error:
        raise ImportFileError(f"The EndNote XML is broken ({error}).") from error
    except DefusedXmlException as error:
        raise ImportFileError("The XML declares entities or external references, which are not accepted.") from error
    return root.findall(".//records/record") or root.findall(".//record")


def values_at(record, path: str) -> list[str]:
    return [" ".join("".join(el.itertext()).split()) for el in record.findall(path)]


def value_at(record, path: str) -> str:
    return first(values_at(record, path))


def _date(record) -> PubDate:
    year = parse_date(value_at(record, "dates/year")).year
    month, day = month_from_text(value_at(record, "dates/pub-dates/date"))
    return checked(year, month, day)


def _pmid(record) -> str:
    # The accession number is a PubMed ID only when the record came from the NLM.
    provider = value_at(record, "remote-database-provider") + value_at(record, "remote-database-name")
    accession = value_at(record, "accession-num")
    return accession if ("NLM" in provider or "PubMed" in provider) and accession.isdigit() else ""


def raw_record(record, position: Position) -> RawRecord:
    warnings: list[str] = []
    ref_type = (record.find("ref-type").get("name", "") if record.find("ref-type") is not None else "")
    # EndNote keeps several numbers in one field, one a line: "2277-9175 (Print)&#xD;2277-9175".
    first_lines = ["".join(el.itertext()).replace("\r", "\n").split("\n")[0] for el in record.findall("isbn")]
    return RawRecord(
        position=position, source_format=FORMAT, warnings=warnings,
        title=value_at(record, "titles/title"),
        authors=[surname_first(a) for a in values_at(record, "contributors/authors/author")
                 or values_at(record, "contributors/secondary-authors/author")],
        journal=first([value_at(record, "periodical/full-title"), value_at(record, "titles/secondary-title")]),
        organisation=value_at(record, "publisher"),
        date=_date(record),
        doi=value_at(record, "electronic-resource-num"), pmid=_pmid(record), isbn=first(first_lines),
        urls=values_at(record, "urls/related-urls/url") + values_at(record, "urls/web-urls/url"),
        abstract="\n".join("".join(el.itertext()) for el in record.findall("abstract")),
        keywords=values_at(record, "keywords/keyword"),
        kind=kind_for(ENDNOTE_KINDS, ref_type, warnings), raw_type=ref_type,
        publication_types=values_at(record, "work-type"),
    )


def record_from_element(record, position: Position) -> NormalisedRecord | Problem:
    return build_record(raw_record(record, position))


def parse(text: str, name: str) -> Iterator[NormalisedRecord | Problem]:
    for index, record in enumerate(load_records(text), start=1):
        position = Position(name, index)
        yield guarded(position, record_from_element, record, position)
