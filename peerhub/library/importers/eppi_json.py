"""EPPI-Reviewer JSON export: {"CodeSets": [...], "References": [...]}. Each reference keeps its
codes as {"set", "code"} pairs, named through the code sets, so they can be mapped to taxonomy
terms later. Authors are "Surname Given Middle ; Surname Given ;" with no commas."""

from collections.abc import Iterator

from peerhub.library.importers.build import RawRecord, build_record, guarded, kind_for
from peerhub.library.importers.dates import checked, month_from_text, parse_date
from peerhub.library.importers.names import surname_leading
from peerhub.library.importers.records import NormalisedRecord, Position, Problem
from peerhub.library.importers.text import first
from peerhub.library.importers.types import EPPI_KINDS

FORMAT = "eppi-json"


def code_names(code_sets: list) -> dict[int, dict]:
    """AttributeId -> {"set": set name, "code": code name}, through every level of nesting."""
    names: dict[int, dict] = {}

    def walk(attributes, set_name):
        for attribute in (attributes or {}).get("AttributesList") or []:
            names[attribute.get("AttributeId")] = {"set": set_name, "code": attribute.get("AttributeName", "")}
            walk(attribute.get("Attributes"), set_name)

    for code_set in code_sets or []:
        walk(code_set.get("Attributes"), code_set.get("SetName", ""))
    return names


def _codes(reference: dict, names: dict, warnings: list[str]) -> list[dict]:
    codes = []
    for code in reference.get("Codes") or []:
        attribute_id = code.get("AttributeId")
        if attribute_id not in names:
            warnings.append(f"Code {attribute_id} is not in the file's code sets; it was kept by number.")
        codes.append(names.get(attribute_id, {"set": "", "code": f"#{attribute_id}"}))
    return codes


def _text(reference: dict, key: str) -> str:
    return str(reference.get(key) or "").strip()


def raw_record(reference: dict, position: Position, names: dict) -> RawRecord:
    warnings: list[str] = []
    type_name = _text(reference, "TypeName")
    year = parse_date(_text(reference, "Year")).year
    return RawRecord(
        position=position, source_format=FORMAT, warnings=warnings,
        title=_text(reference, "Title"),
        authors=[surname_leading(a) for a in _text(reference, "Authors").split(";") if a.strip()],
        journal=_text(reference, "ParentTitle"),
        organisation=first([_text(reference, "Publisher"), _text(reference, "Institution")]),
        date=checked(year, month_from_text(_text(reference, "Month"))[0]),
        doi=_text(reference, "DOI"), pmid=_text(reference, "PubmedId"), isbn=_text(reference, "StandardNumber"),
        urls=[_text(reference, "URL")],
        abstract=_text(reference, "Abstract"),
        keywords=_text(reference, "Keywords").replace("\r", "\n").split("\n"),
        kind=kind_for(EPPI_KINDS, type_name, warnings), raw_type=type_name,
        codes=_codes(reference, names, warnings),
    )


def record_from_reference(reference: dict, position: Position, names: dict) -> NormalisedRecord | Problem:
    return build_record(raw_record(reference, position, names))


def parse(data: dict, name: str) -> Iterator[NormalisedRecord | Problem]:
    names = code_names(data.get("CodeSets"))
    for index, reference in enumerate(data.get("References") or [], start=1):
        position = Position(name, index)
        if not isinstance(reference, dict):
            yield Problem(position, "it is not an EPPI-Reviewer reference (an object with fields)")
            continue
        yield guarded(position, record_from_reference, reference, position, names)
