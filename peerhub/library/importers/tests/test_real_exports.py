"""Every real export in shared/data/references is recognised by its content and read whole: the
records the importer sees equal the records the file holds, counted here another way (TY and ER
lines, PMID lines, @entries, <record> elements, JSON list lengths, CSV rows), and each of them is
either a usable record or a reported problem.

Files that are not exports are decided by name and content: the two README.md files, the
project's CITATION.cff and van_de_Schoot_2017.json (a dataset description, not a reference
list). The importer must refuse exactly those."""

import csv
import io
import json
import re
from fnmatch import fnmatch

import pytest

from peerhub.library.importers.formats import detect_format, read_file
from peerhub.library.importers.records import ImportFileError

# Pattern -> the format the file really is; the first matching pattern applies.
EXPECTED = [
    ("csl-json-manubot/*.json", "csl-json"),
    ("csv-cochrane-library-export/*.csv", "csv"),
    ("endnote-xml-reflib-bluelight/*.bib", "bibtex"),
    ("endnote-xml-reflib-bluelight/*.nbib", "medline"),
    ("endnote-xml-reflib-bluelight/*.ris", "ris"),
    ("endnote-xml-reflib-bluelight/*.xml", "endnote-xml"),
    ("eppi-reviewer-json/*.bib", "bibtex"),
    ("eppi-reviewer-json/*.ris", "ris"),
    ("eppi-reviewer-json/eppi_export*.json", "eppi-json"),
    ("nbib-biopython-medline/*.txt", "medline"),
    ("ris-asreview-demo/*", "ris"),  # some are named .txt
    ("ris-citation-file-formatting/CSV/*.csv", "csv"),
    ("ris-citation-file-formatting/RIS/_baseline_pubmed.ris", "medline"),  # PubMed's format saved as .ris
    ("ris-citation-file-formatting/RIS/*.ris", "ris"),
    ("ris-citesource-gambling-harms/*.ris", "ris"),
    ("ris-ptsd-van-de-schoot/*.ris", "ris"),
]
NOT_EXPORTS = {
    "eppi-reviewer-json/CITATION.cff",
    "ris-citation-file-formatting/README.md",
    "ris-ptsd-van-de-schoot/README.md",
    "ris-ptsd-van-de-schoot/van_de_Schoot_2017.json",
}


def count_ris(text: str) -> int:
    starts, ends = (len(re.findall(rf"^{tag}  -", text, re.MULTILINE)) for tag in ("TY", "ER"))
    assert starts == ends, "the file itself should pair every TY with an ER"
    return starts


def count_bibtex(text: str) -> int:
    kinds = re.findall(r"^\s*@\s*(\w+)", text, re.MULTILINE)
    return len([k for k in kinds if k.lower() not in {"comment", "string", "preamble"}])


def count_csv(text: str) -> int:
    return sum(1 for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)) - 1


TRUE_COUNT = {
    "ris": count_ris,
    "medline": lambda text: len(re.findall(r"^PMID- ", text, re.MULTILINE)),
    "bibtex": count_bibtex,
    "endnote-xml": lambda text: text.count("<record>"),
    "csl-json": lambda text: len(data) if isinstance(data := json.loads(text), list) else 1,
    "eppi-json": lambda text: len(json.loads(text)["References"]),
    "csv": count_csv,
}


def expected_format(relative: str) -> str | None:
    return next((fmt for pattern, fmt in EXPECTED if fnmatch(relative, pattern)), None)


def plain_text(path) -> str:
    with open(path, encoding="utf-8-sig") as handle:  # universal newlines: CRLF becomes LF
        return handle.read()


def all_files(references) -> dict[str, object]:
    return {str(p.relative_to(references)): p for p in sorted(references.rglob("*")) if p.is_file()}


def test_it_knows_every_file_in_the_shared_folder(references):
    unknown = [name for name in all_files(references) if expected_format(name) is None and name not in NOT_EXPORTS]
    assert unknown == [], "add these files to EXPECTED or NOT_EXPORTS"


@pytest.mark.parametrize("name", sorted(NOT_EXPORTS))
def test_it_refuses_files_that_are_not_reference_exports(references, name):
    with pytest.raises(ImportFileError):
        detect_format(plain_text(references / name))


@pytest.mark.parametrize(("pattern", "fmt"), EXPECTED, ids=[p for p, _ in EXPECTED])
def test_it_detects_and_reads_every_record_of_each_export(references, pattern, fmt):
    files = {name: path for name, path in all_files(references).items()
             if expected_format(name) == fmt and fnmatch(name, pattern) and name not in NOT_EXPORTS}
    assert files, f"no file matches {pattern}"
    for name, path in files.items():
        parsed = read_file(path)
        held = TRUE_COUNT[fmt](plain_text(path))
        assert parsed.format == fmt, name
        assert parsed.records_seen == held, f"{name}: read {parsed.records_seen}, the file holds {held}"
        assert len(parsed.records) + len(parsed.problems) == held, name


def test_it_reports_the_titleless_csl_quirk_files_instead_of_dropping_them(references):
    folder = references / "csl-json-manubot"
    for name in ("empty-csl.raw.json", "null-date-parts-csl.raw.json", "excess-date-parts-csl.raw.json"):
        parsed = read_file(folder / name)
        assert parsed.records == [] and len(parsed.problems) == 1
        assert "record 1 of" in str(parsed.problems[0]) and "no title" in parsed.problems[0].reason


def test_it_reads_the_same_library_alike_from_ris_bibtex_endnote_xml_and_medline(references):
    folder = references / "endnote-xml-reflib-bluelight"
    titles = {fmt: {r.title.rstrip(".").lower() for r in read_file(folder / f"blue-light.{fmt}").records}
              for fmt in ("ris", "bib", "xml")}
    assert titles["ris"] == titles["xml"]
    assert titles["bib"] == titles["xml"]
    medline = read_file(folder / "blue-light.nbib").records
    assert all(r.pmid and r.year for r in medline)
    assert sum(1 for r in medline if r.doi) > 40


def test_it_keeps_eppi_reviewer_codes_named_by_their_code_sets(references):
    parsed = read_file(references / "eppi-reviewer-json" / "eppi_export--2021-09-09.json")
    first = parsed.records[0]
    assert first.title == "Analysis of retracted articles on medicines administered to humans"
    assert first.authors == ["Dal-Ré, Rafael"]
    assert len(first.codes) == 4 and all(set(code) == {"set", "code"} and code["code"] for code in first.codes)
    assert sum(len(r.codes) for r in parsed.records) > 1000


def test_it_finds_dois_that_ebsco_puts_in_l3_and_pmids_in_lens_links(references):
    folder = references / "ris-citesource-gambling-harms"
    crimjust = read_file(folder / "20221207_gambling-harms_crimjust_41.ris").records
    assert crimjust[0].doi == "10.1080/16066359.2020.1867111"
    lens = read_file(folder / "20221207_gambling-harms_lens_49.ris").records
    assert lens[1].pmid == "32424665"
    assert "<p>" not in lens[0].abstract and lens[0].abstract.startswith("Background and aims")
