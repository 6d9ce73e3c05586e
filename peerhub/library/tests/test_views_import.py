"""The browser import for curators: who may use it, clear errors for bad uploads, the preview of
each record (new, duplicate with what and why, error with where and why), committing only the
chosen records, all or nothing, to the queue or published (recorded in the audit history)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from peerhub.audit.models import AuditEvent
from peerhub.library import views_import
from peerhub.library.importers import pipeline
from peerhub.library.models import Resource, Status
from peerhub.library.services import create_resource

pytestmark = pytest.mark.django_db

UPLOAD = "/curate/import/"
RIS = """TY  - JOUR
TI  - Peer mentoring for new mothers with depression
AU  - Smith, Jane
PY  - 2021
DO  - 10.1000/import.1
ER  -

TY  - JOUR
TI  - Walking groups led by volunteers for carers
AU  - Patel, Raj
PY  - 2020
ER  -

TY  - JOUR
TI  - A study that is already in the library
AU  - Jones, Ann
PY  - 2019
DO  - 10.1000/already
ER  -

TY  - JOUR
AU  - Nobody, Known
PY  - 2018
ER  -
"""


def ris_file(text=RIS, name="export.ris"):
    return SimpleUploadedFile(name, text.encode(), content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def private_uploads(tmp_path, monkeypatch):
    monkeypatch.setattr(views_import, "UPLOAD_ROOT", tmp_path / "uploads")


@pytest.fixture
def existing(curator):
    return create_resource({"title": "A study already in the library", "resource_type": "research_study",
                            "doi": "10.1000/already"}, actor=curator, publish=True)


@pytest.fixture
def previewed(client_for, curator, existing):
    """A curator's client with RIS uploaded; returns (client, preview address)."""
    client = client_for(curator)
    response = client.post(UPLOAD, {"files": [ris_file()]})
    assert response.status_code == 302
    return client, response["Location"]


@pytest.mark.parametrize(("persona", "status"), [("visitor", 302), ("contributor", 403), ("curator", 200),
                                                 ("admin", 200)])
def test_only_curators_may_import(client_for, personas, persona, status):
    response = client_for(personas[persona]).get(UPLOAD)
    assert response.status_code == status
    if persona == "visitor":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("persona", "status"), [("visitor", 302), ("contributor", 403)])
def test_nobody_else_may_upload_or_commit(client_for, personas, persona, status):
    client = client_for(personas[persona])
    assert client.post(UPLOAD, {"files": [ris_file()]}).status_code == status
    assert client.post(f"{UPLOAD}sometoken/", {"accept": ["0-1"], "destination": "publish"}).status_code == status
    assert Resource.objects.count() == 0


def test_a_file_we_cannot_read_is_named_with_the_reason_and_nothing_is_kept(client_for, curator, tmp_path):
    response = client_for(curator).post(UPLOAD, {"files": [ris_file(), ris_file("just some words", "notes.txt")]})
    assert response.status_code == 200
    assert "notes.txt: This is not a reference export we can read" in response.content.decode()
    assert not (tmp_path / "uploads").exists()


def test_an_oversized_file_is_refused_before_it_is_read(client_for, curator, monkeypatch):
    monkeypatch.setattr(views_import, "MAX_FILE_BYTES", 100)
    response = client_for(curator).post(UPLOAD, {"files": [ris_file()]})
    assert "export.ris is larger than" in response.content.decode()


def test_an_upload_without_files_says_so(client_for, curator):
    response = client_for(curator).post(UPLOAD, {})
    assert response.status_code == 200 and "Choose one or more files to import." in response.content.decode()


def test_the_preview_shows_each_record_with_what_would_happen(previewed, existing):
    client, address = previewed
    html = client.get(address).content.decode()
    assert "Peer mentoring for new mothers with depression" in html
    assert "Duplicate of a catalogue record" in html and f"catalogue record {existing.pk}" in html
    assert "the same DOI (10.1000/already)" in html
    assert "Record 4 (line 21) of export.ris" in html and "it has no title" in html
    assert html.count('name="accept"') == 3  # the error has no checkbox
    assert html.count(" checked>") == 2 + 1  # the two new records, and "queue" as the destination
    assert Resource.objects.count() == 1  # a preview saves nothing


def test_committing_publishes_only_the_chosen_records_and_records_that_choice(previewed, curator):
    client, address = previewed
    response = client.post(address, {"accept": ["0-1"], "destination": "publish"})
    assert response.status_code == 302 and response["Location"] == "/curate/import/done/"
    imported = Resource.objects.get(doi="10.1000/import.1")
    assert imported.status == Status.PUBLISHED
    assert not Resource.objects.filter(title__startswith="Walking groups").exists()
    event = AuditEvent.objects.get(subject_id=str(imported.pk), action="published")
    assert event.note.startswith(f"Published directly on import by {curator.email}")
    done = client.get(response["Location"]).content.decode()
    assert "1 new record published" in done


def test_committing_to_the_queue_leaves_records_for_review_and_forgets_the_upload(previewed, tmp_path):
    client, address = previewed
    client.post(address, {"accept": ["0-1", "0-2"], "destination": "queue"})
    assert set(Resource.objects.filter(status=Status.SUBMITTED).values_list("title", flat=True)) == {
        "Peer mentoring for new mothers with depression", "Walking groups led by volunteers for carers"}
    assert client.get(address).status_code == 410  # the preview is gone once imported
    assert list((tmp_path / "uploads").rglob("0")) == []


def test_an_accepted_duplicate_enriches_the_record_it_duplicates(previewed, existing):
    client, address = previewed
    client.post(address, {"accept": ["0-3"], "destination": "queue"})
    existing.refresh_from_db()
    assert existing.authors == ["Jones, Ann"] and Resource.objects.count() == 1


@pytest.mark.parametrize(("form", "message"), [
    ({"destination": "publish"}, "Choose at least one record"),
    ({"accept": ["0-1"]}, "Choose where the records go"),
    ({"accept": ["0-4"], "destination": "queue"}, "Choose at least one record"),  # the error is not importable
])
def test_a_commit_without_a_choice_is_a_clear_error_and_saves_nothing(previewed, form, message):
    client, address = previewed
    response = client.post(address, form)
    assert response.status_code == 400 and message in response.content.decode()
    assert Resource.objects.count() == 1


def test_a_failed_save_rolls_everything_back_and_says_so(previewed, monkeypatch):
    client, address = previewed

    def refuse(*args, **kwargs):
        raise pipeline.ImportFailed("saving record 2 of export.ris failed (disk full); nothing was saved")

    monkeypatch.setattr(views_import, "import_records", refuse)
    response = client.post(address, {"accept": ["0-1", "0-2"], "destination": "publish"})
    assert response.status_code == 400 and "The import failed and nothing was saved" in response.content.decode()
    assert Resource.objects.count() == 1


def test_another_curators_preview_cannot_be_used(previewed, client_for, admin_user):
    _client, address = previewed
    other = client_for(admin_user)
    assert other.get(address).status_code == 410
    assert other.post(address, {"accept": ["0-1"], "destination": "publish"}).status_code == 410
    assert Resource.objects.count() == 1


def test_an_expired_preview_is_removed_and_said_to_be_gone(previewed, monkeypatch):
    client, address = previewed
    monkeypatch.setattr(views_import, "PREVIEW_SECONDS", -1)
    response = client.get(address)
    assert response.status_code == 410 and "has expired" in response.content.decode()


def test_two_files_with_the_same_name_are_told_apart(client_for, curator):
    client = client_for(curator)
    response = client.post(UPLOAD, {"files": [ris_file(), ris_file(RIS.replace("import.1", "import.9"))]})
    html = client.get(response["Location"]).content.decode()
    assert "1-export.ris" in html and "2-export.ris" in html
