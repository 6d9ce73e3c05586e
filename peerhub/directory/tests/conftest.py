"""Fixtures for the directory tests: the shared standards and postcode data (skipped with a
message when absent, failed under CI=true), and the demo directory.

Loading the demo takes seconds, so `demo` loads it once per test module, committed, and
removes it afterwards; each test still runs in its own rolled-back transaction on top."""

import csv
import os
from pathlib import Path

import pytest
from django.conf import settings

from peerhub.audit.models import AuditEvent
from peerhub.directory.demo import load_directory_demo
from peerhub.directory.hub_taxonomy import TAXONOMY_ID
from peerhub.directory.models import (
    Attribute,
    ListingSubmission,
    Location,
    Organization,
    PostcodeCentroid,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from peerhub.search.models import SearchEntry

# Postcode areas the tests and the demo use; loading all of GB per module would be slow.
TEST_AREAS = ("SW", "E", "SE", "N", "M", "LS", "B", "BS", "NE", "CF", "EH", "G", "AB", "NR", "PL", "CB", "L", "SA",
              "IV", "YO")


def require_shared(*parts) -> Path:
    path = Path(settings.SHARED_DATA_DIR, *parts)
    if not path.exists():
        message = f"needs the shared data at {path} (set PEERHUB_SHARED_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _area(code: str) -> str:
    return code[:2] if code[1:2].isalpha() else code[:1]


def load_test_postcodes() -> int:
    folder = require_shared("data", "uk-postcode-centroids")
    rows = []
    for name, column, kind in [("postcode_sector_centroids.csv", "sector", "sector"),
                               ("postcode_district_centroids.csv", "outward_code", "district")]:
        with (folder / name).open(newline="") as handle:
            rows += [PostcodeCentroid(code=r[column], kind=kind, latitude=float(r["latitude"]),
                                      longitude=float(r["longitude"])) for r in csv.DictReader(handle)
                     if _area(r[column]) in TEST_AREAS]
    PostcodeCentroid.objects.bulk_create(rows)
    return len(rows)


def wipe_directory() -> None:
    AuditEvent.objects.filter(subject_type__startswith="directory").delete()
    SearchEntry.objects.filter(kind="directory.service").delete()
    ListingSubmission.objects.all().delete()
    Attribute.objects.all().delete()
    Service.objects.all().delete()
    Organization.objects.all().delete()
    Location.objects.all().delete()
    TaxonomyTerm.objects.exclude(taxonomy_id=TAXONOMY_ID).delete()
    Taxonomy.objects.exclude(id=TAXONOMY_ID).delete()
    PostcodeCentroid.objects.all().delete()


@pytest.fixture
def standards():
    return require_shared("standards", "openreferral", "uk-profile-3.0")


@pytest.fixture
def postcodes(db):
    # A module that also uses `demo` has them loaded already.
    return PostcodeCentroid.objects.count() or load_test_postcodes()


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    require_shared("standards", "openreferral", "uk-profile-3.0")
    with django_db_blocker.unblock():
        load_test_postcodes()
        summary = load_directory_demo(settings.SHARED_DATA_DIR)
        yield summary
        wipe_directory()


@pytest.fixture
def demo(demo_data, db):
    return demo_data


# What matters to people, for the "people like me" link -------------------------------------------

USED = "Yes, I have used peer support"  # the shipped survey's first profile answer
GIVES = "I give or organise peer support"


@pytest.fixture
def published_survey(curator):
    """The shipped survey with published results: 10 people who have used peer support rank
    privacy first, then quality; 10 who give peer support answer in the list's own order."""
    from peerhub.whatmatters import services
    from peerhub.whatmatters.tests.helpers import respond

    survey = services.create_from_template("survey", organiser=curator)
    services.set_status(survey, "open", actor=curator)
    codes = list(survey.factors.values_list("code", flat=True))
    private, quality = codes[-1], codes[0]
    respond(survey, 6, [private, quality, *codes[1:-1]], group_option=0)
    respond(survey, 4, [quality, private, *codes[1:-1]], group_option=0)
    respond(survey, 10, codes, group_option=2)
    services.update_exercise(survey, {"results_public": True}, actor=curator)
    return survey
