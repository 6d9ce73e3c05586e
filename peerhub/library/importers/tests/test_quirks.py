"""The quirks real exports have, each in a small made-up file, so a regression names its cause."""

import json

import pytest

from peerhub.library.importers.dates import from_date_parts, parse_date
from peerhub.library.importers.formats import detect_format
from peerhub.library.importers.names import surname_first, surname_leading
from peerhub.library.importers.records import ImportFileError
from peerhub.library.importers.tests.conftest import read_string
from peerhub.library.importers.types import (
    BIBTEX_KINDS,
    CSL_KINDS,
    ENDNOTE_KINDS,
    EPPI_KINDS,
    KIND_TO_RESOURCE_TYPE,
    PUBLICATION_TYPE_KINDS,
    RIS_KINDS,
)
from peerhub.library.models import ResourceType

RIS_TWO = "TY  - JOUR\nTI  - First paper on peer support\nAU  - Smith, Jane\nPY  - 2020\nER  - \n\n" \
          "TY  - RPRT\nTI  - Second, a report\nER  - \n"


def test_it_reads_ris_with_a_bom_and_windows_line_endings():
    parsed = read_string("\ufeff" + RIS_TWO.replace("\n", "\r\n"), "x.ris")
    assert parsed.format == "ris"
    assert [r.title for r in parsed.records] == ["First paper on peer support", "Second, a report"]
    assert parsed.records[0].authors == ["Smith, Jane"] and parsed.records[0].year == 2020
    assert parsed.records[1].resource_type == ResourceType.REPORT


def test_it_reads_cochrane_ris_with_an_extra_space_and_a_header():
    text = "Record #3 of 18\nProvider: John Wiley & Sons, Ltd.\n\nTY  -  JOUR\nAN  -  CN-00778158\n" \
           "AU  -  Bywater, T\nTI  -  Incredible Years in Welsh schools\nYR  -  2011\nER  -  \n"
    parsed = read_string(text, "cochrane.ris")
    assert parsed.records_seen == 1
    assert parsed.records[0].title == "Incredible Years in Welsh schools"
    assert parsed.records[0].position.line == 4


def test_it_reads_ovid_numbered_records_and_keeps_the_tag_after_er_with_its_record():
    text = "1. \nTY  - JOUR\nT1  - A study of something in peer groups\nER  -  \nNL  - J Something\n\n" \
           "Link to the Ovid Full Text or citation: https://example.org/x\n\n2. \nTY  - JOUR\n" \
           "T1  - Another study of peer groups\nER  -  \nNL  - J Other\n"
    parsed = read_string(text, "ovid.ris")
    assert parsed.records_seen == 2 and not parsed.problems
    assert [r.position.line for r in parsed.records] == [2, 10]


def test_it_keeps_multiline_abstracts_and_one_keyword_per_continuation_line():
    text = "TY  - JOUR\nTI  - Wrapped\n  title here\nAB  - First line of the abstract\nsecond line.\n" \
           "KW  - Peer support\nMental health\nCarers\nER  - \n"
    record = read_string(text, "x.ris").records[0]
    assert record.title == "Wrapped title here"
    assert record.abstract == "First line of the abstract\nsecond line."
    assert record.keywords == ["Peer support", "Mental health", "Carers"]


def test_it_reports_a_ris_record_without_a_title_with_its_line_and_keeps_the_others():
    text = RIS_TWO + "\nTY  - JOUR\nAU  - Nobody, A\nER  - \n"
    parsed = read_string(text, "x.ris")
    assert parsed.records_seen == 3 and len(parsed.records) == 2
    assert str(parsed.problems[0]).startswith("record 3 (line 11) of x.ris: it has no title")


def test_it_reads_a_ris_record_cut_off_before_er_with_a_warning():
    parsed = read_string("TY  - JOUR\nTI  - Complete one\nER  - \nTY  - JOUR\nTI  - Cut off at the end\n", "x.ris")
    assert parsed.records_seen == 2
    assert "no ER" in parsed.records[1].warnings[0]


def test_it_takes_dois_from_l3_pmids_from_nlm_accession_numbers_and_both_abstract_lines():
    text = "TY  - JOUR\nT1  - A thing\nL3  - 10.1080/16066359.2020.1867111\nAN  - 32424665\nDP  - NLM\n" \
           "AB  - The abstract.\nAB  - Copyright notice.\nUR  - <Go to ISI>://WOS:1 http://example.org/a\nER  - \n"
    record = read_string(text, "x.ris").records[0]
    assert (record.doi, record.pmid) == ("10.1080/16066359.2020.1867111", "32424665")
    assert record.abstract == "The abstract.\nCopyright notice."
    assert record.url == "http://example.org/a"


def test_it_strips_html_and_jats_from_titles_and_abstracts():
    text = json.dumps([{"type": "article-journal", "title": "The <i>in vivo</i> effect &amp; more",
                        "abstract": "<jats:title>Abstract</jats:title><jats:p>One.</jats:p><jats:p>p < 0.05</jats:p>"}])
    record = read_string(text, "x.json").records[0]
    assert record.title == "The in vivo effect & more"
    assert record.abstract == "Abstract\n\nOne.\n\np < 0.05"


def test_it_recognises_medline_by_content_whatever_the_file_is_called():
    text = "PMID- 12230038\nOWN - NLM\nDP  - 2002 Sep\nTI  - The Bio* toolkits--a brief\n      overview.\n" \
           "AB  - Line one\n      line two.\nFAU - Mangalam, Harry\nAU  - Mangalam H\nPT  - Journal Article\n" \
           "PT  - Systematic Review\nAID - 10.1093/bib/3.3.296 [doi]\n\nPMID- 2\nTI  - Second\n"
    for name in ("pubmed.ris", "pubmed.txt", "pubmed.nbib"):
        parsed = read_string(text, name)
        assert parsed.format == "medline" and parsed.records_seen == 2
    first = parsed.records[0]
    assert first.title == "The Bio* toolkits--a brief overview"
    assert (first.year, first.month, first.doi, first.pmid) == (2002, 9, "10.1093/bib/3.3.296", "12230038")
    assert first.authors == ["Mangalam, Harry"] and first.resource_type == ResourceType.SYSTEMATIC_REVIEW


def test_it_reads_bibtex_latex_and_unescaped_percent_but_leaves_urls_alone():
    text = "@comment{jabref}\n@string{j = {Journal}}\n@article{a,\n  title = {Caf{\\'e} peer groups: 50% fewer},\n" \
           "  author = {Dal-R{\\'e}, Rafael and Jan van der Berg and {World Health Organization}},\n" \
           "  url = {https://example.org/?a=1&b=2}, year = {2019}, month = sep\n}\n"
    parsed = read_string(text, "x.bib")
    assert parsed.records_seen == 1
    record = parsed.records[0]
    assert record.title == "Café peer groups: 50% fewer"
    assert record.authors == ["Dal-Ré, Rafael", "van der Berg, Jan", "World Health Organization"]
    assert (record.url, record.year, record.month) == ("https://example.org/?a=1&b=2", 2019, 9)


def test_it_reads_a_bibtex_entry_with_a_repeated_key_and_reports_a_broken_one():
    text = "@article{a, title={One}}\n@article{a, title={Two}}\n@misc{b, title={Broken}\n"
    parsed = read_string(text, "x.bib")
    assert [r.title for r in parsed.records] == ["One", "Two"]
    assert "repeated" in parsed.records[1].warnings[0].lower() or "duplicate" in parsed.records[1].warnings[0].lower()
    assert len(parsed.problems) == 1 and parsed.problems[0].position.line == 3


def test_it_refuses_broken_xml_and_xml_with_entities():
    with pytest.raises(ImportFileError, match="broken"):
        read_string("<xml><records><record><titles></record></records></xml>", "x.xml")
    with pytest.raises(ImportFileError, match="entities"):
        read_string('<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><records><record>&a;</record></records></xml>', "x.xml")


def test_it_reads_csl_json_as_a_list_a_single_object_or_an_empty_list():
    item = {"type": "webpage", "title": "A page", "author": [{"literal": "Arfon M Smith"}],
            "issued": {"date-parts": [["2017", "07", "07"]]}}
    assert read_string(json.dumps(item), "one.json").records[0].authors == ["Smith, Arfon M"]
    assert read_string(json.dumps([item, item]), "two.json").records_seen == 2
    empty = read_string("[]", "none.json")
    assert empty.format == "csl-json" and empty.records_seen == 0
    record = read_string(json.dumps(item), "one.json").records[0]
    assert (record.year, record.month, record.day, record.resource_type) == (2017, 7, 7, ResourceType.WEBSITE)


def test_it_survives_empty_null_and_excess_csl_date_parts():
    assert from_date_parts([[]]).year is None
    assert from_date_parts([[None]]).year is None
    assert (from_date_parts([[2018, 10, 21, 13]]).year, from_date_parts([[2018, 10, 21, 13]]).day) == (2018, 21)
    assert from_date_parts(None).year is None


def test_it_reports_a_csl_item_of_the_wrong_shape_without_stopping_the_file():
    parsed = read_string(json.dumps([{"title": "Fine one"}, 7, {"title": {"nested": True}}]), "x.json")
    assert parsed.records_seen == 3 and len(parsed.records) == 2
    assert parsed.problems[0].position.index == 2


def test_it_keeps_eppi_codes_and_says_when_a_code_is_missing_from_the_code_sets():
    data = {"CodeSets": [{"SetName": "Population", "Attributes": {"AttributesList": [
        {"AttributeId": 1, "AttributeName": "Adults", "Attributes": {"AttributesList": [
            {"AttributeId": 2, "AttributeName": "Older adults"}]}}]}}],
        "References": [{"Title": "A review", "Authors": "Abou-Setta Ahmed M; de Vasconcelos Sonia ; ",
                        "Year": "2019", "Month": "March", "TypeName": "Journal, Article",
                        "Codes": [{"AttributeId": 2}, {"AttributeId": 99}]}]}
    record = read_string(json.dumps(data), "eppi.json").records[0]
    assert record.codes == [{"set": "Population", "code": "Older adults"}, {"set": "", "code": "#99"}]
    assert "99" in record.warnings[0]
    assert record.authors == ["Abou-Setta, Ahmed M", "de Vasconcelos, Sonia"]
    assert (record.year, record.month) == (2019, 3)


def test_it_maps_known_csv_headers_and_splits_pubmed_and_cochrane_author_lists():
    pubmed = 'PMID,Title,Authors,Journal/Book,Publication Year,DOI\n"1","A trial","Griffin DK, O\'Connor RE.",' \
             '"J X","2020","10.1000/x"\n'
    record = read_string(pubmed, "pubmed.csv").records[0]
    assert (record.pmid, record.year, record.doi) == ("1", 2020, "10.1000/x")
    assert record.authors == ["Griffin, DK", "O'Connor, RE"]
    cochrane = "Cochrane Review ID,Author(s),Title,Year,PubMed ID\nCD1,\"Bywater, T; Hutchings, J\",Peer review,2011," \
               "PUBMED 21314913\n"
    record = read_string(cochrane, "cochrane.csv").records[0]
    assert record.authors == ["Bywater, T", "Hutchings, J"] and record.pmid == "21314913"
    assert record.resource_type == ResourceType.SYSTEMATIC_REVIEW


def test_it_takes_an_explicit_csv_column_mapping_and_names_a_missing_column():
    text = "Name of work;Writers;When\nPeer support at work;Smith, J;2021\n"
    with pytest.raises(ImportFileError):
        detect_format(text)
    parsed = read_string(text, "x.csv", format="csv", csv_mapping={"title": "Name of work", "year": "When"})
    assert (parsed.records[0].title, parsed.records[0].year) == ("Peer support at work", 2021)
    with pytest.raises(ImportFileError, match="no column “Heading”"):
        read_string(text, "x.csv", format="csv", csv_mapping={"title": "Heading"})


def test_it_refuses_text_that_is_no_reference_format_and_json_that_is_not_a_reference_list():
    with pytest.raises(ImportFileError, match="not a reference export"):
        detect_format("# README\nSome notes.\n")
    with pytest.raises(ImportFileError, match="not a list of references"):
        detect_format('{"dataset_id": "x", "title": "A dataset", "authors": ["A"]}')
    with pytest.raises(ImportFileError, match="broken at line 1"):
        detect_format("[{]")


def test_it_warns_when_a_forced_format_differs_from_what_the_content_says():
    parsed = read_string(RIS_TWO, "x.txt", format="ris")
    assert parsed.warnings == []
    with pytest.raises(ImportFileError, match="not a format we read"):
        read_string(RIS_TWO, "x.txt", format="word")


@pytest.mark.parametrize(("text", "expected"), [
    ("2021/04/21/", (2021, 4, 21)), ("2019/09//undefined", (2019, 9, None)), ("1989//", (1989, None, None)),
    ("2002 Sep", (2002, 9, None)), ("2012 Oct 15", (2012, 10, 15)), ("2018 Jan-Feb", (2018, 1, None)),
    ("20180327", (2018, 3, 27)), ("Spring 2019", (2019, None, None)), ("2019/13/40", (2019, None, None)),
    ("", (None, None, None)), ("n.d.", (None, None, None)),
])
def test_it_reads_the_dates_exports_write(text, expected):
    date = parse_date(text)
    assert (date.year, date.month, date.day) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Smith, Jane", "Smith, Jane"), ("Griffin DK", "Griffin, DK"), ("Brownstein C D", "Brownstein, C D"),
    ("O'Connor RE.", "O'Connor, RE"), ("World Health Organization", "World Health Organization"),
    ("Abritis Alison J", "Abritis, Alison J"),
])
def test_it_writes_author_names_surname_first(name, expected):
    assert surname_first(name) == expected


def test_it_reads_eppi_style_names_with_particles():
    assert surname_leading("de Albuquerque Rocha Karina") == "de Albuquerque, Rocha Karina"
    assert surname_leading("Rabbani Rasheda ") == "Rabbani, Rasheda"


def test_it_maps_every_type_table_to_a_real_resource_type():
    choices = set(ResourceType.values)
    assert set(KIND_TO_RESOURCE_TYPE.values()) <= choices
    for table in (RIS_KINDS, BIBTEX_KINDS, CSL_KINDS, ENDNOTE_KINDS, EPPI_KINDS, PUBLICATION_TYPE_KINDS):
        assert set(table.values()) <= set(KIND_TO_RESOURCE_TYPE)


def test_it_treats_an_unknown_type_as_a_research_study_and_says_so():
    record = read_string("TY  - WHATSIT\nTI  - Odd thing\nER  - \n", "x.ris").records[0]
    assert record.resource_type == ResourceType.RESEARCH_STUDY and "WHATSIT" in record.warnings[0]


def test_it_calls_a_record_a_systematic_review_only_when_the_record_says_so():
    text = "TY  - JOUR\nTI  - Peer support: a systematic review and meta-analysis\nER  - \n" \
           "TY  - JOUR\nTI  - Peer support: a narrative review\nER  - \n" \
           "TY  - BOOK\nTI  - Peer support handbook\nER  - \nTY  - ELEC\nTI  - Find a group\nER  - \n"
    types = [r.resource_type for r in read_string(text, "x.ris").records]
    assert types == [ResourceType.SYSTEMATIC_REVIEW, ResourceType.RESEARCH_STUDY, ResourceType.REPORT,
                     ResourceType.WEBSITE]


def test_it_says_a_file_is_empty():
    with pytest.raises(ImportFileError, match="empty"):
        read_string("\ufeff \n\n", "empty.ris")


def test_it_refuses_a_file_damaged_outside_any_record_instead_of_crashing():
    oversized = "Title,Year\n\"" + "x" * 200_000 + "\",2020\n"
    with pytest.raises(ImportFileError, match="could not be read after record 0"):
        read_string(oversized, "huge.csv")
