"""The import pipeline: records become submissions (or published records) through the services,
duplicates are merged with a trace, every record is accounted for, and an import is all or none."""

import pytest

from peerhub.audit.models import AuditEvent
from peerhub.library import services
from peerhub.library.importers import pipeline
from peerhub.library.importers.pipeline import Outcome, import_files, import_records
from peerhub.library.importers.records import NormalisedRecord, Position
from peerhub.library.importers.tests.conftest import read_string
from peerhub.library.models import Resource, ResourceType, Status

pytestmark = pytest.mark.django_db

TITLE = "Peer support for parents of children with long-term conditions: a qualitative study"


def a_record(index=1, title=TITLE, file="export.ris", **fields) -> NormalisedRecord:
    defaults = {"authors": ["Smith, Jane", "Jones, K"], "year": 2021}
    return NormalisedRecord(title=title, position=Position(file, index), source_format="ris", **{**defaults, **fields})


def statuses(report) -> list[str]:
    return [outcome.status for outcome in report.outcomes]


def test_it_adds_new_records_to_the_curator_queue_with_a_note_saying_where_they_came_from(curator):
    report = import_records([a_record(abstract="What we found.")], actor=curator)
    resource = Resource.objects.get()
    assert statuses(report) == [Outcome.NEW] and report.outcomes[0].resource_id == resource.pk
    assert resource.status == Status.SUBMITTED and resource.description == "What we found."
    assert resource.source == "import: ris export.ris" and resource.authors == ["Smith, Jane", "Jones, K"]
    event = AuditEvent.objects.get(subject_id=str(resource.pk))
    assert event.action == "created" and "export.ris" in event.note and event.actor == curator


def test_it_publishes_directly_only_when_asked_and_records_that_choice(curator):
    import_records([a_record()], actor=curator, publish=True)
    resource = Resource.objects.get()
    assert resource.status == Status.PUBLISHED and resource.published_at
    event = AuditEvent.objects.get(subject_id=str(resource.pk))
    assert event.note.startswith(f"Published directly on import by {curator.email} from export.ris")


def test_it_merges_a_duplicate_within_the_file_into_one_record_with_the_richer_fields(curator):
    first = a_record(1, doi="10.1000/abc")
    second = a_record(2, title=TITLE.upper(), doi="10.1000/ABC", abstract="Only the second has it.", pmid="123",
                      authors=["Smith, Jane", "Jones, K", "Brown, L"])
    report = import_records([first, second], actor=curator)
    assert statuses(report) == [Outcome.NEW, Outcome.DUPLICATE]
    assert "the same DOI (10.1000/abc) as record 1 of export.ris" in report.outcomes[1].reason
    resource = Resource.objects.get()
    assert resource.title == TITLE and resource.description == "Only the second has it."
    assert resource.pmid == "123" and len(resource.authors) == 3
    assert "merged with record 2 of export.ris" in AuditEvent.objects.get().note


def test_it_merges_a_duplicate_of_a_catalogue_record_through_the_services_with_an_audit_event(curator):
    existing = services.create_resource({"title": TITLE, "resource_type": ResourceType.REPORT, "pmid": "31234567",
                                         "summary": "Curated summary."}, actor=curator, publish=True)
    report = import_records([a_record(pmid="031234567", abstract="The abstract.", doi="10.1000/new")], actor=curator)
    assert statuses(report) == [Outcome.MERGED] and report.outcomes[0].resource_id == existing.pk
    existing.refresh_from_db()
    assert existing.description == "The abstract." and existing.doi == "10.1000/new"
    assert existing.summary == "Curated summary." and existing.resource_type == ResourceType.REPORT
    assert existing.status == Status.PUBLISHED and Resource.objects.count() == 1
    edit = AuditEvent.objects.get(subject_id=str(existing.pk), action="edited")
    assert "record 1 of export.ris (the same PubMed ID (31234567))" in edit.note
    assert set(edit.changes) == {"description", "doi", "authors", "pub_year"}  # blanks filled, nothing overwritten


def test_it_matches_near_identical_titles_within_a_year_by_the_same_first_author(curator):
    records = [a_record(1), a_record(2, title=TITLE.replace("qualitative", "qualitive"), year=2022,
                                     authors=["SMITH, J."])]
    assert statuses(import_records(records, actor=curator, dry_run=True)) == [Outcome.NEW, Outcome.DUPLICATE]


@pytest.mark.parametrize("difference", [
    {"year": 2023},  # two years apart
    {"authors": ["Taylor, Ann"]},  # another first author
    {"doi": "10.1000/other"},  # both have DOIs, and they differ
    {"title": "Correction: " + TITLE},  # a notice about the paper is not the paper
    {"title": TITLE.replace("parents of children", "grandparents of young people")},  # a different study
])
def test_it_keeps_apart_records_that_only_look_alike(curator, difference):
    records = [a_record(1, doi="10.1000/abc"), a_record(2, **difference)]
    assert statuses(import_records(records, actor=curator, dry_run=True)) == [Outcome.NEW, Outcome.NEW]


def test_it_never_matches_short_titles_on_the_title_alone(curator):
    records = [a_record(1, title="Editorial"), a_record(2, title="Editorial")]
    assert statuses(import_records(records, actor=curator, dry_run=True)) == [Outcome.NEW, Outcome.NEW]


def test_it_imports_duplicates_as_new_records_when_deduplication_is_off(curator):
    records = [a_record(1, doi="10.1000/abc"), a_record(2, doi="10.1000/abc")]
    report = import_records(records, actor=curator, dedupe=False)
    assert statuses(report) == [Outcome.NEW, Outcome.NEW] and Resource.objects.count() == 2


def test_it_reports_a_record_the_catalogue_would_refuse_and_imports_the_rest(curator):
    report = import_records([a_record(1, resource_type="pamphlet"), a_record(2, title="Another peer study")],
                            actor=curator)
    assert statuses(report) == [Outcome.ERROR, Outcome.NEW]
    assert "resource_type" in report.outcomes[0].reason and Resource.objects.count() == 1


def test_it_saves_nothing_when_the_import_fails_half_way(curator, monkeypatch):
    # New records are saved in bulk: the crash comes after their rows are written, while indexing.
    real_index = services.index_new_documents
    calls = []

    def index_then_crash(*args, **kwargs):
        calls.append(Resource.objects.count())
        real_index(*args, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "index_new_documents", index_then_crash)
    records = [a_record(i, title=f"Peer support study number {i} of five") for i in range(1, 6)]
    with pytest.raises(RuntimeError):
        import_records(records, actor=curator)
    assert calls == [5]  # the rows were written before the crash
    assert Resource.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_it_explains_a_refused_save_and_rolls_everything_back(curator, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValueError("refused")

    monkeypatch.setattr(services, "update_resource", refuse)
    services.create_resource({"title": TITLE, "resource_type": "report", "doi": "10.1000/abc"}, actor=curator)
    records = [a_record(1, title="A new study of peer support groups"), a_record(2, doi="10.1000/abc", pmid="9")]
    with pytest.raises(pipeline.ImportFailed, match="record 2 of export.ris"):
        import_records(records, actor=curator)
    assert Resource.objects.count() == 1


def test_it_writes_nothing_on_a_dry_run_but_reports_the_same_outcomes(curator):
    records = [a_record(1, doi="10.1000/abc"), a_record(2, doi="10.1000/abc")]
    report = import_records(records, actor=curator, dry_run=True)
    assert statuses(report) == [Outcome.NEW, Outcome.DUPLICATE] and report.dry_run
    assert Resource.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_it_accounts_for_every_record_of_every_file(curator):
    ris = read_string("TY  - JOUR\nTI  - A peer support study in Leeds\nDO  - 10.1000/a\nER  - \n"
                      "TY  - JOUR\nAU  - Untitled, A\nER  - \n", "a.ris")
    medline = read_string("PMID- 5\nTI  - The same study, found in PubMed\nAID - 10.1000/A [doi]\n\n"
                          "PMID- 6\nTI  - A second peer support study\n", "b.nbib")
    report = import_files([ris, medline], actor=curator)
    files = report.by_file()
    assert files["a.ris"].records == ris.records_seen == 2
    assert files["a.ris"].counts == {Outcome.NEW: 1, Outcome.ERROR: 1}
    assert files["b.nbib"].counts == {Outcome.DUPLICATE: 1, Outcome.NEW: 1}
    assert files["b.nbib"].format == "medline"
    assert sum(f.records for f in files.values()) == len(report.outcomes) == 4
    assert Resource.objects.get(doi="10.1000/a").pmid == "5"


def test_it_keeps_the_more_specific_review_type_when_a_duplicate_in_the_file_has_it(curator):
    records = [a_record(1, doi="10.1000/abc"),
               a_record(2, doi="10.1000/abc", resource_type=ResourceType.SYSTEMATIC_REVIEW)]
    import_records(records, actor=curator)
    assert Resource.objects.get().resource_type == ResourceType.SYSTEMATIC_REVIEW
