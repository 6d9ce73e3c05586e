"""Open data: what the dump holds (and leaves out), that its datapackage.json validates with the
frictionless library, the round trip export -> fresh hub -> import -> export, refusals that save
nothing, and the open data page and zip for every persona."""

import csv
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

from peerhub.audit.models import AuditEvent
from peerhub.library import opendata, services
from peerhub.library.models import Resource, Status, Term, Vocabulary
from peerhub.library.opendata import OpenDataError, load_open_data, write_open_data
from peerhub.library.taxonomy import add_term
from peerhub.stories.models import TopographyTerm
from peerhub.stories.services import publish_story, submit_story

pytestmark = pytest.mark.django_db

COMPARED_FILES = ["resources.json", "resources.csv", "vocabularies.json", "vocabularies.csv", "terms.json",
                  "terms.csv"]


def term(vocabulary: str, slug: str) -> Term:
    return Term.objects.get(vocabulary__slug=vocabulary, slug=slug)


def a_story(curator, *, open_data=True, **data):
    fields = {"title": "Walking together after the diagnosis", "body": "The group helped me feel less alone.",
              "medium": "written", "media_url": "", "transcript": "", "visibility": "open", "is_named": True,
              "storyteller_name": "Alex Example", "open_data": open_data, "under_16": False, "guardian_name": "",
              "email": "storyteller@example.net", **data}
    terms = [TopographyTerm.objects.get(dimension="storyteller", slug="carer-or-family-member"),
             TopographyTerm.objects.get(dimension="purpose", slug="raise-awareness"),
             TopographyTerm.objects.get(dimension="audience", slug="the-public")]
    story = submit_story(fields, terms=terms, hub_terms=[term("condition", "depression")])
    return publish_story(story, actor=curator, safety_reviewed=True, personal_data_checked=True)


@pytest.fixture
def hub(curator):
    """A catalogue with a curator's own term (a child of a default one), published, draft and
    unpublished records, and stories with and without open-data consent."""
    child = add_term(term("condition", "depression").vocabulary, name="Postnatal depression",
                     parent=term("condition", "depression"), actor=curator)
    published = [
        services.create_resource({"title": "Peer mentoring for new mothers", "resource_type": "research_study",
                                  "authors": ["Smith, Jane"], "doi": "10.1000/od.1", "pub_year": 2021,
                                  "licence": "CC BY-NC 4.0", "last_checked": "2024-03-01"},
                                 actor=curator, terms=[child, term("format", "group")], publish=True),
        services.create_resource({"title": "=1+1 a title a spreadsheet would run", "resource_type": "toolkit"},
                                 actor=curator, publish=True),
    ]
    services.submit_resource({"title": "A draft nobody published", "resource_type": "report"},
                             submitter_email="someone@example.net")
    gone = services.create_resource({"title": "Taken down later", "resource_type": "report"}, actor=curator,
                                    publish=True)
    services.unpublish_resource(gone, actor=curator)
    a_story(curator)
    a_story(curator, open_data=False, title="Not for open data")
    return published


@pytest.fixture
def validate():
    """frictionless.validate. Importing frictionless raises the csv module's field size limit for
    the whole process, which other tests rely on, so the limit is put back after each test."""
    limit = csv.field_size_limit()
    from frictionless import validate as frictionless_validate

    yield frictionless_validate
    csv.field_size_limit(limit)


def read_json(folder, name):
    return json.loads((folder / name).read_text(encoding="utf-8"))


# What the dump holds -------------------------------------------------------------------------

def test_it_writes_every_described_file_and_the_licence(tmp_path, hub):
    write_open_data(tmp_path)
    package = read_json(tmp_path, "datapackage.json")
    described = {r["path"] for r in package["resources"]}
    assert described == {f.path for f in opendata.DATA_FILES}
    assert {p.name for p in tmp_path.iterdir()} == described | {"datapackage.json", "LICENCE.md"}
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    licence = (tmp_path / "LICENCE.md").read_text()
    assert "CC BY 4.0" in licence and "its own licence" in licence.replace("their own licence", "its own licence")


def test_it_holds_only_published_resources_with_their_live_categories(tmp_path, hub):
    write_open_data(tmp_path)
    resources = read_json(tmp_path, "resources.json")
    assert [r["title"] for r in resources] == [r.title for r in hub]
    first = resources[0]
    assert first["licence"] == "CC BY-NC 4.0" and first["last_checked"] == "2024-03-01"
    assert first["terms"] == sorted(t.pk for t in hub[0].terms.all())
    assert "submitter_email" not in first and "submitted_by" not in first


def test_the_taxonomy_keeps_its_hierarchy(tmp_path, hub):
    write_open_data(tmp_path)
    terms = {t["slug"]: t for t in read_json(tmp_path, "terms.json")}
    assert terms["postnatal-depression"]["parent"] == "depression"
    assert terms["postnatal-depression"]["parent_id"] == term("condition", "depression").pk
    rows = list(csv.DictReader(io.StringIO((tmp_path / "terms.csv").read_text())))
    assert {r["slug"]: r["parent"] for r in rows}["postnatal-depression"] == "depression"
    assert len(read_json(tmp_path, "vocabularies.json")) == Vocabulary.objects.count()


def test_stories_are_only_those_with_open_data_consent_and_carry_no_personal_data(tmp_path, hub):
    write_open_data(tmp_path)
    stories = read_json(tmp_path, "stories.json")
    assert [s["title"] for s in stories] == ["Walking together after the diagnosis"]
    text = (tmp_path / "stories.json").read_text() + (tmp_path / "stories.csv").read_text()
    assert "storyteller@example.net" not in text and "Alex Example" not in text and "consent" not in text
    assert stories[0]["condition"] == ["depression"]


def test_csv_cells_a_spreadsheet_would_run_are_made_safe_but_json_keeps_the_value(tmp_path, hub):
    write_open_data(tmp_path)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "resources.csv").read_text())))
    assert rows[1]["title"] == "'=1+1 a title a spreadsheet would run"
    assert read_json(tmp_path, "resources.json")[1]["title"] == "=1+1 a title a spreadsheet would run"


def test_the_datapackage_validates_with_frictionless(tmp_path, hub, validate):
    write_open_data(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])


def test_frictionless_would_catch_a_csv_that_breaks_its_schema(tmp_path, hub, validate):
    write_open_data(tmp_path)
    path = tmp_path / "terms.csv"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r\nnot-a-number,condition,x,X,,1,,\r\n", 1))
    assert not validate(str(tmp_path / "datapackage.json")).valid


# The round trip --------------------------------------------------------------------------------

def run_peerhub(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "peerhub.test_settings"}
    done = subprocess.run([sys.executable, "-m", "peerhub.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_export_then_import_into_a_fresh_hub_then_export_gives_identical_files(tmp_path, hub):
    first, second = tmp_path / "first", tmp_path / "second"
    write_open_data(first)
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    run_peerhub("migrate", "--verbosity", "0", database_url=fresh)
    assert "Loaded 2 published resources" in run_peerhub("import_open_data", str(first), database_url=fresh)
    run_peerhub("export_open_data", str(second), database_url=fresh)
    for name in COMPARED_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} differs after the round trip"


def test_loading_keeps_ids_indexes_and_audits_and_moves_the_id_counters_on(tmp_path, hub, curator):
    write_open_data(tmp_path)
    ids = sorted(r.pk for r in hub)
    for resource in Resource.objects.all():
        services.delete_resource(resource, actor=curator)
    load_open_data(tmp_path, actor=curator)
    assert sorted(Resource.objects.values_list("pk", flat=True)) == ids
    assert set(Resource.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert AuditEvent.objects.filter(action="published", note=opendata.LOAD_NOTE).count() == 2
    later = services.create_resource({"title": "Added after loading", "resource_type": "report"}, actor=curator)
    assert later.pk > max(ids)


# Refusals ------------------------------------------------------------------------------------

def test_loading_refuses_a_hub_that_already_has_resources(tmp_path, hub):
    write_open_data(tmp_path)
    with pytest.raises(OpenDataError, match="already has 4 resources"):
        load_open_data(tmp_path)


@pytest.mark.parametrize(("damage", "message"), [
    (lambda folder: (folder / "terms.json").unlink(), "terms.json is missing"),
    (lambda folder: (folder / "resources.json").write_text("[{"), "resources.json cannot be read"),
    (lambda folder: (folder / "resources.json").write_text('{"a": 1}'), "should be a list of objects"),
    (lambda folder: (folder / "resources.json").write_text('[{"id": 1}]'), "Item 1 of resources.json lacks"),
])
def test_a_damaged_dump_is_refused_with_the_reason(tmp_path, damage, message, db):
    write_open_data(tmp_path)
    damage(tmp_path)
    with pytest.raises(OpenDataError, match=message):
        load_open_data(tmp_path)


def test_a_record_the_catalogue_would_refuse_saves_nothing(tmp_path, hub, curator):
    write_open_data(tmp_path)
    records = read_json(tmp_path, "resources.json")
    records[1]["resource_type"] = "pamphlet"
    (tmp_path / "resources.json").write_text(json.dumps(records))
    for resource in Resource.objects.all():
        services.delete_resource(resource, actor=curator)
    terms_before = Term.objects.count()
    with pytest.raises(OpenDataError, match=f"resource {records[1]['id']}: resource_type"):
        load_open_data(tmp_path)
    assert Resource.objects.count() == 0 and Term.objects.count() == terms_before


def test_the_import_command_says_why_it_loaded_nothing(tmp_path, hub):
    from django.core.management import CommandError, call_command

    write_open_data(tmp_path)
    with pytest.raises(CommandError, match="Nothing was loaded: This hub already has"):
        call_command("import_open_data", str(tmp_path))


def test_the_export_command_reports_what_it_wrote(tmp_path, hub):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("export_open_data", str(tmp_path / "dump"), stdout=out)
    assert "2 resources" in out.getvalue() and "1 stories" in out.getvalue()
    assert (tmp_path / "dump" / "datapackage.json").exists()


# The page and the zip ---------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
def test_everyone_can_read_the_open_data_page_and_download_the_zip(client_for, personas, persona, hub):
    client = client_for(personas[persona])
    page = client.get("/library/open-data/")
    assert page.status_code == 200
    assert "CC BY 4.0" in page.content.decode() and "/library/open-data/peer-support-hub-open-data.zip" in \
        page.content.decode()
    download = client.get("/library/open-data/peer-support-hub-open-data.zip")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert "peer-support-hub-open-data/datapackage.json" in names and len(names) == len(opendata.DATA_FILES) + 2
