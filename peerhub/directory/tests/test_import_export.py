"""Curator import and export: ORUK JSON and the tabular CSV layout, a feed read page by page
from another hub's API (a local HTTP server here; the network is blocked), de-duplication on
organisation identifiers and on name plus postcode, and the curators' import page and downloads."""

import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from peerhub.directory import exchange, tabular
from peerhub.directory.documents import DocumentError
from peerhub.directory.models import Organization, Service
from peerhub.directory.tests.conftest import require_shared, wipe_directory

PERSONAS = ["visitor", "contributor", "curator", "admin"]


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def uk_profile_csv_zip() -> bytes:
    folder = require_shared("standards", "openreferral", "uk-profile-3.0", "examples", "csv")
    return zip_of({f"examples/{p.name}": p.read_text() for p in folder.glob("*.csv")})


@pytest.fixture
def empty(db):
    """An empty directory, whatever an earlier test in this module loaded (rolled back after)."""
    wipe_directory()


# CSV ------------------------------------------------------------------------------------------

def test_the_csv_export_imports_into_a_fresh_hub_unchanged(demo):
    feed = json.loads(json.dumps(exchange.export_feed()))
    data = exchange.export_csv_zip()
    assert {"services.csv", "organizations.csv", "locations.csv", "attributes.csv"} <= set(
        zipfile.ZipFile(io.BytesIO(data)).namelist())
    wipe_directory()
    report = exchange.import_feed(exchange.feed_from_file("directory.zip", data))
    assert report.errors == [] and report.created == len(feed["services"])
    assert json.loads(json.dumps(exchange.export_feed())) == feed


def test_it_imports_the_uk_profile_csv_example(empty):
    report = exchange.import_feed(exchange.feed_from_file("example.zip", uk_profile_csv_zip()))
    assert report.errors == [] and report.created == 1
    service = Service.objects.get(name="Community Counselling")
    assert service.organization.name == "Example Organization Inc."
    assert service.organization.organization_identifiers.get().identifier == "1234567"
    assert service.service_at_locations.get().location.addresses.get().address_1 == "1-30 Main Street"
    assert service.contacts.get().phones.get().number == '"+44 1234 234567"'
    assert service.cost_options.get().amount == 35


@pytest.mark.parametrize("files, message", [
    ({"readme.txt": "hello"}, "no services.csv"),
    ({"services.csv": "id,name\n"}, None),
    ({"services.csv": b"\xff\xfe\x00bad".decode("latin-1")}, None),
])
def test_a_bad_csv_zip_gets_a_clear_message(empty, files, message):
    data = zip_of(files)
    if message:
        with pytest.raises(DocumentError, match=message):
            exchange.feed_from_file("tables.zip", data)
    else:
        assert exchange.import_feed(exchange.feed_from_file("tables.zip", data)).created == 0


def test_a_service_row_without_its_organisation_is_reported_not_saved(empty):
    data = zip_of({"services.csv": "id,organization_id,name\n"
                                   "33333333-3333-4333-8333-333333333333,44444444-4444-4444-8444-444444444444,Lost\n"})
    report = exchange.import_feed(exchange.feed_from_file("tables.zip", data))
    assert report.created == 0 and "organization is required" in report.errors[0]
    assert not Service.objects.exists()


def test_not_a_zip_or_json_is_refused(db):
    with pytest.raises(DocumentError, match="not a ZIP file"):
        exchange.feed_from_file("tables.zip", b"plain text")
    with pytest.raises(DocumentError, match="neither a .json feed nor a .zip"):
        exchange.feed_from_file("tables.xlsx", b"")
    with pytest.raises(DocumentError, match="not valid JSON"):
        exchange.feed_from_file("feed.json", b"{nope")


# De-duplication -------------------------------------------------------------------------------

def _renamed_copy(feed: dict, name: str) -> dict:
    doc = json.loads(json.dumps(next(s for s in feed["services"] if s["name"] == name)))
    doc["id"] = "55555555-5555-4555-8555-555555555555"
    return doc


def test_an_organisation_with_the_same_charity_number_is_the_same_organisation(demo):
    doc = _renamed_copy(exchange.export_feed(), "Leeds Hearing Voices Group")
    org = doc["organization"]
    org.update(id="66666666-6666-4666-8666-666666666666", name="Leeds Voices (renamed)",
               organization_identifiers=[{"id": "77777777-7777-4777-8777-777777777777", "identifier_scheme": "GB-CHC",
                                          "identifier_type": "Registered charity number", "identifier": "1099999"}])
    doc["name"] = "A second Leeds group"
    exchange.import_feed([doc])
    first = Service.objects.get(name="A second Leeds group").organization
    again = json.loads(json.dumps(doc))
    again["id"], again["name"] = "88888888-8888-4888-8888-888888888888", "A third Leeds group"
    again["organization"].update(id="99999999-9999-4999-8999-999999999999", name="Different name entirely")
    again["organization"]["organization_identifiers"][0]["id"] = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
    exchange.import_feed([again])
    assert Service.objects.get(name="A third Leeds group").organization_id == first.id
    assert Organization.objects.filter(organization_identifiers__identifier="1099999").count() == 1


def test_a_csv_import_of_the_same_group_under_new_ids_updates_it(demo):
    tables = tabular.feed_to_tables(exchange.export_feed())
    leeds = next(r for r in tables["services"] if r["name"] == "Leeds Hearing Voices Group")
    leeds["id"] = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
    for table in ("service_at_location", "schedules", "phones", "languages", "cost_options"):
        for row in tables[table]:
            if row.get("service_id") == str(Service.objects.get(name=leeds["name"]).id):
                row["service_id"] = leeds["id"]
    report = exchange.import_feed(tabular.tables_to_feed(tables))
    assert report.errors == [] and report.created == 0
    assert Service.objects.filter(name="Leeds Hearing Voices Group").count() == 1


# Another hub's API, page by page ---------------------------------------------------------------

class FeedServer:
    """Serves ORUK pages and service records on 127.0.0.1, as another hub's API would."""

    def __init__(self, services: list[dict], per_page: int = 2, delay_path: str = ""):
        self.services, self.per_page, self.delay_path, self.requests = services, per_page, delay_path, []
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the standard library's name)
                outer.requests.append(self.path)
                status, body = outer.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(body).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str):
        parts = urlsplit(path)
        if self.delay_path and parts.path == self.delay_path:
            self.release.wait(5)
        if parts.path == "/oruk/services":
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            chunk = self.services[(page - 1) * self.per_page:page * self.per_page]
            pages = -(-len(self.services) // self.per_page)
            summaries = [{"id": s["id"], "name": s["name"]} for s in chunk]
            return 200, {"total_items": len(self.services), "total_pages": pages, "page_number": page,
                         "size": len(chunk), "first_page": page == 1, "last_page": page == pages,
                         "empty": not chunk, "contents": summaries}
        found = [s for s in self.services if parts.path == f"/oruk/services/{s['id']}"]
        return (200, found[0]) if found else (404, {"error": "There is no service with that id."})

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def exported(demo):
    """The demo as another hub would serve it, then an empty hub to import into."""
    feed = json.loads(json.dumps(exchange.export_feed()))
    wipe_directory()
    return feed


def test_it_reads_every_page_and_every_service_of_another_hubs_api(exported):
    server = FeedServer(exported["services"], per_page=5)
    try:
        report = exchange.import_feed(exchange.fetch_feed(f"{server.url}/oruk/services"))
    finally:
        server.close()
    assert report.errors == [] and report.created == len(exported["services"])
    pages = [p for p in server.requests if p.startswith("/oruk/services?")]
    assert len(pages) == -(-len(exported["services"]) // 5) and "per_page=50" in pages[0]
    assert Service.objects.count() == len(exported["services"])


def test_a_feed_that_stops_answering_times_out_and_saves_nothing(exported, monkeypatch):
    monkeypatch.setattr(exchange, "FEED_TIMEOUT_S", 0.5)
    server = FeedServer(exported["services"], per_page=5, delay_path=f"/oruk/services/{exported['services'][3]['id']}")
    try:
        with pytest.raises(DocumentError, match="Could not read .* timed out"):
            exchange.fetch_feed(f"{server.url}/oruk/services")
    finally:
        server.close()
    assert not Service.objects.exists()


@pytest.mark.parametrize("path, message", [("/nowhere", "answered 404"), ("/oruk/services/not-json", "answered 404")])
def test_a_feed_address_that_fails_gets_a_clear_message(exported, path, message):
    server = FeedServer(exported["services"])
    try:
        with pytest.raises(DocumentError, match=message):
            exchange.fetch_feed(server.url + path)
    finally:
        server.close()


def test_only_web_addresses_are_fetched(db):
    with pytest.raises(DocumentError, match="must start with https:// or http://"):
        exchange.fetch_feed("file:///etc/passwd")


def test_the_command_imports_from_an_api_and_exports_csv(exported, tmp_path, capsys):
    server = FeedServer(exported["services"], per_page=10)
    try:
        call_command("directory_feed", "import", f"{server.url}/oruk/services")
    finally:
        server.close()
    assert f"{len(exported['services'])} created, 0 updated, 0 rejected." in capsys.readouterr().out
    call_command("directory_feed", "export", str(tmp_path / "directory.zip"))
    tables = tabular.zip_to_tables((tmp_path / "directory.zip").read_bytes())
    assert len(tables["services"]) == len(exported["services"])


# The curators' pages ---------------------------------------------------------------------------

@pytest.mark.parametrize("persona, status", [("visitor", 302), ("contributor", 403), ("curator", 200),
                                             ("admin", 200)])
def test_only_curators_import_and_download(client_for, personas, demo, persona, status):
    client = client_for(personas[persona])
    for name in ("directory:curate_import", "directory:curate_export_json", "directory:curate_export_csv"):
        assert client.get(reverse(name)).status_code == status, name


def test_a_curator_downloads_the_directory_as_json_and_csv(client_for, curator, demo):
    client = client_for(curator)
    response = client.get(reverse("directory:curate_export_json"))
    assert "attachment;" in response["Content-Disposition"] and ".json" in response["Content-Disposition"]
    assert len(json.loads(response.content)["services"]) == Service.objects.count()
    response = client.get(reverse("directory:curate_export_csv"))
    assert response["Content-Type"] == "application/zip"
    assert "services.csv" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_a_curator_uploads_a_csv_zip_and_sees_what_happened(client_for, curator, empty):
    upload = SimpleUploadedFile("example.zip", uk_profile_csv_zip(), content_type="application/zip")
    response = client_for(curator).post(reverse("directory:curate_import"), {"feed_file": upload})
    assert response.status_code == 200
    assert "1 listing added, 0 updated, 0 not imported." in response.content.decode()
    assert Service.objects.filter(name="Community Counselling").exists()


def test_a_curator_import_reads_a_feed_address(client_for, curator, exported):
    server = FeedServer(exported["services"][:3])
    try:
        response = client_for(curator).post(reverse("directory:curate_import"),
                                            {"feed_url": f"{server.url}/oruk/services"})
    finally:
        server.close()
    assert "3 listings added, 0 updated, 0 not imported." in response.content.decode()


@pytest.mark.parametrize("data, message", [
    ({}, "Choose a feed file to upload, or enter the web address of a feed."),
    ({"feed_url": "http://127.0.0.1:9/oruk/services"}, "Could not read http://127.0.0.1:9/oruk/services"),
    ({"feed_file": "broken.json"}, "is not valid JSON"),
])
def test_a_failed_import_says_why_and_saves_nothing(client_for, curator, empty, data, message):
    if "feed_file" in data:
        data = {"feed_file": SimpleUploadedFile("broken.json", b"{not json")}
    response = client_for(curator).post(reverse("directory:curate_import"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Service.objects.exists()
