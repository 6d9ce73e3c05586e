"""Deduplication on real data: one search run in five databases (CiteSource "gambling harms").
The ground truth and how it was built are described in peerhub/library/importers/evaluate.py."""

import pytest

from peerhub.library.importers.evaluate import (
    CRIMJUST,
    GAMBLING_HARMS,
    LENS,
    MANUAL_DIFFERENT,
    MANUAL_SAME,
    evaluate_gambling_harms,
    load_records,
)
from peerhub.library.importers.formats import read_file
from peerhub.library.importers.pipeline import Outcome, import_files
from peerhub.library.models import Resource

pytestmark = pytest.mark.django_db


def test_it_measures_precision_and_recall_of_duplicate_detection(references):
    scores = evaluate_gambling_harms(references.parent.parent)
    print(f"\nDeduplication, gambling harms (DOIs, PMIDs and titles): {scores}")
    assert scores.records == 645 and scores.unique_works == 273
    assert scores.precision >= 0.99 and scores.recall >= 0.99


def test_it_measures_the_title_rule_alone_with_every_identifier_removed(references):
    scores = evaluate_gambling_harms(references.parent.parent, titles_only=True)
    print(f"\nDeduplication, gambling harms (titles only): {scores}")
    assert scores.precision >= 0.97 and scores.recall >= 0.97


def test_the_hand_checked_pairs_name_records_that_exist(references):
    keys = {(r.position.file, r.position.index) for r in load_records(references.parent.parent)}
    for pair in MANUAL_SAME + MANUAL_DIFFERENT:
        assert set(pair) <= keys


def test_it_merges_a_second_database_into_the_catalogue_built_from_the_first(references, curator):
    folder = references.parent.parent / GAMBLING_HARMS
    first = import_files([read_file(folder / CRIMJUST)], actor=curator)
    created = Resource.objects.count()
    assert created == first.counts()[Outcome.NEW] == 38  # 41 records, 3 of them duplicates in the file
    second = import_files([read_file(folder / LENS)], actor=curator)
    counts = second.counts()
    assert counts[Outcome.MERGED] > 0 and sum(counts.values()) == 49
    assert Resource.objects.count() == created + counts[Outcome.NEW]


def test_it_imports_the_five_databases_to_about_one_record_per_work(references, curator):
    folder = references.parent.parent / GAMBLING_HARMS
    parsed = [read_file(path) for path in sorted(folder.glob("*.ris"))]
    report = import_files(parsed, actor=curator, dry_run=True)
    assert sum(f.records for f in report.by_file().values()) == sum(p.records_seen for p in parsed) == 645
    assert 273 <= report.counts()[Outcome.NEW] <= 276  # the ground truth has 273 distinct works
