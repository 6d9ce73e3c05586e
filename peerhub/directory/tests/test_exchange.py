"""Whole-directory ORUK JSON export and import, and the load_postcodes command."""

import json

import pytest
from django.core.management import call_command

from peerhub.directory.conformance import document_errors
from peerhub.directory.exchange import export_feed, import_feed
from peerhub.directory.models import PostcodeCentroid, Service
from peerhub.directory.tests.conftest import require_shared, wipe_directory


def test_it_exports_every_service_as_valid_oruk(demo):
    feed = export_feed()
    assert len(feed["services"]) == Service.objects.count()
    assert all(document_errors("service", s) == [] for s in feed["services"])


def test_it_imports_its_own_export_into_a_fresh_hub_unchanged(demo):
    feed = json.loads(json.dumps(export_feed()))
    wipe_directory()
    assert Service.objects.count() == 0
    report = import_feed(feed)
    assert report.errors == [] and report.created == len(feed["services"])
    assert json.loads(json.dumps(export_feed())) == feed


def test_it_updates_rather_than_duplicates_on_a_second_import(demo):
    feed = export_feed()
    report = import_feed(feed)
    assert report.created == 0 and report.updated == len(feed["services"])


def test_it_dedupes_a_service_with_a_new_id_by_name_and_postcode(demo):
    feed = export_feed()
    doc = next(s for s in feed["services"] if s["name"] == "Leeds Hearing Voices Group")
    doc["id"] = "11111111-1111-4111-8111-111111111111"
    assert import_feed([doc]).updated == 1
    assert Service.objects.filter(name="Leeds Hearing Voices Group").count() == 1


def test_it_reports_bad_records_and_saves_nothing_of_them(demo):
    before = Service.objects.count()
    report = import_feed([{"id": "not-a-uuid", "name": "Broken"},
                          {"id": "22222222-2222-4222-8222-222222222222", "name": "No organisation"}])
    assert len(report.errors) == 2 and "must be a UUID" in report.errors[0]
    assert "organization is required" in report.errors[1]
    assert Service.objects.count() == before


def test_it_refuses_something_that_is_not_a_feed(db):
    with pytest.raises(ValueError, match="not an ORUK feed"):
        import_feed({"hello": "world"})


@pytest.mark.django_db
def test_it_loads_every_postcode_centroid_with_the_command(capsys):
    require_shared("data", "uk-postcode-centroids")
    call_command("load_postcodes")
    assert PostcodeCentroid.objects.count() == 2996 + 12015
    assert "Contains OS data" in capsys.readouterr().out
