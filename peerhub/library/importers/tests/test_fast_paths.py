"""The import's fast paths give what the slower code they replaced gave: RIS tags as rispy reads
them, the same validation messages as full_clean, the same near-title hits as comparing with every
title of the year, and the same rows as bulk_create."""

import random

import pytest
import rispy
from django.core.exceptions import ValidationError
from rapidfuzz import fuzz, process

from peerhub.audit.models import AuditEvent
from peerhub.core.bulk import insert_new
from peerhub.library.importers import ris
from peerhub.library.importers.dedupe import TITLE_SIMILARITY, _TitlesByLength, letter_counts
from peerhub.library.importers.pipeline import validation_error
from peerhub.library.importers.tests.conftest import require_references
from peerhub.library.models import Resource, ResourceType


class EveryTag(dict):
    def __missing__(self, tag):
        return tag


class AllTags:
    def __contains__(self, tag):
        return True


def rispy_tags(lines: list[str]):
    """read_tags as it was: rispy itself reads the record."""
    warnings = []
    if ris.tag_of(lines[0]) != "TY":
        warnings.append("It has no TY (type) line.")
        lines = ["TY  - ", *lines]
    if ris.tag_of(lines[-1]) != "ER":
        warnings.append("It has no ER (end of record) line; it was read up to the next record.")
        lines = [*lines, "ER  - "]
    parsed = rispy.loads("\n".join(lines), mapping=EveryTag(), list_tags=AllTags(), delimiter_tags_mapping={})
    tags = {tag: [v for v in values if v] for tag, values in parsed[0].items() if tag != "TY"}
    tags["TY"] = [parsed[0].get("TY", "")]
    return tags, warnings


ODD_LINES = ["TY  - JOUR", "TY  -  JOUR", "TY  -", "TY  -x", "ER  -", "ER  - ", "ER  -x", "AU  - Smith, J",
             "  continued", "", "1.", "Record #3 of 18", "T1  - A title", "KW  - a", "kw  - lower",
             "ÀB  - accented tag", "A1  - X", "1A  - bad", "AB  - abstract", "wrapped line", "NL  - after",
             "TI  - Trailing title", "DO  - 10.1/x", "\t"]


def test_read_tags_equals_rispy_on_odd_records():
    rng = random.Random(3)
    for _ in range(2000):
        text = "\n".join(rng.choice(ODD_LINES) for _ in range(rng.randint(1, 25)))
        for _line, lines in ris.split_records(text):
            assert ris.read_tags(lines) == rispy_tags(lines)


def test_read_tags_equals_rispy_on_the_real_exports():
    for path in sorted(require_references().rglob("*")):
        if path.suffix in {".ris", ".txt"}:
            text = path.read_text("utf-8-sig", errors="replace").replace("\r\n", "\n")
            for _line, lines in ris.split_records(text):
                assert ris.read_tags(lines) == rispy_tags(lines)


def full_clean_error(data: dict) -> str:
    try:
        Resource(**data).full_clean(exclude=["terms", "submitted_by"], validate_unique=False)
    except ValidationError as error:
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return ""


VALID = {"title": "Peer support in primary care", "description": "An abstract.", "resource_type": ResourceType.REPORT,
         "authors": ["Smith, J"], "organisation": "NHS", "pub_year": 2020, "pub_month": 5, "pub_day": 1,
         "url": "https://example.org/a", "doi": "10.1/x", "pmid": "123", "isbn": "", "source": "import: ris x.ris"}
CHANGES = [{}, {"title": ""}, {"title": "x" * 501}, {"title": "x" * 500}, {"resource_type": "nonsense"},
           {"resource_type": ""}, {"url": "not a url"}, {"url": "https://" + "a" * 1000 + ".org"}, {"url": ""},
           {"url": "ftp://example.org/file"}, {"pub_year": -1}, {"pub_year": 70000}, {"pub_month": None},
           {"organisation": "o" * 256}, {"doi": "d" * 256}, {"pmid": "1" * 21}, {"isbn": "9" * 21},
           {"authors": [object()]}, {"authors": []}, {"description": ""}, {"source": "s" * 201},
           {"title": 12345}, {"title": None}, {"doi": None}, {"title": "a\x00b"},
           {"title": "", "url": "bad", "pub_year": -5}]


@pytest.mark.parametrize("change", CHANGES, ids=[str(i) for i in range(len(CHANGES))])
def test_validation_gives_full_cleans_messages(change):
    data = {**VALID, **change}
    assert validation_error(data) == full_clean_error(data)


def test_title_window_finds_what_comparing_with_every_title_finds():
    rng = random.Random(5)
    base = ["peer support for carers in primary care settings", "online peer support among young adults",
            "a randomised trial of peer mentoring after discharge", "peer support", "x"]
    titles = []
    for _ in range(600):
        title = rng.choice(base)
        for _ in range(rng.randint(0, 4)):
            at = rng.randrange(len(title) + 1)
            title = title[:at] + rng.choice("abcdefgh ") + title[at + rng.randint(0, 2):]
        titles.append(title)
    window = _TitlesByLength()
    for place, title in enumerate(titles[:400]):
        window.add(title, place)
    for title in titles[400:] + [""]:
        hits = process.extract(title, titles[:400], scorer=fuzz.ratio, score_cutoff=TITLE_SIMILARITY * 100, limit=None)
        assert window.similar(title) == [(index, score) for _t, score, index in sorted(hits, key=lambda h: h[2])]
        assert window.similar(title, letter_counts(title)) == window.similar(title)


def test_the_letter_count_screen_drops_no_title_that_passes_the_bar():
    """Titles at the very edge of the bar: each a base title with up to 7% of its length edited."""
    rng = random.Random(11)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 "
    bases = ["".join(rng.choice(alphabet) for _ in range(rng.randint(20, 160))) for _ in range(30)]
    titles = []
    for _ in range(1500):
        title = rng.choice(bases)
        for _ in range(rng.randint(0, int(len(title) * 0.08))):
            at = rng.randrange(len(title) + 1)
            title = title[:at] + rng.choice(alphabet) + title[at + rng.randint(0, 1):]
        titles.append(title)
    window = _TitlesByLength()
    for place, title in enumerate(titles[:1000]):
        window.add(title, place)
    found = 0
    for title in titles[1000:]:
        hits = process.extract(title, titles[:1000], scorer=fuzz.ratio, score_cutoff=TITLE_SIMILARITY * 100, limit=None)
        assert window.similar(title) == [(index, score) for _t, score, index in sorted(hits, key=lambda h: h[2])]
        found += len(hits)
    assert found > 1000  # the edge was really tested: many pairs pass the bar


def _rows(model, exclude=("id", "created_at", "updated_at", "at")):  # times differ between runs
    return [{k: v for k, v in row.items() if k not in exclude} for row in model.objects.order_by("pk").values()]


@pytest.mark.django_db
def test_insert_new_writes_the_rows_bulk_create_writes(curator):
    def resources():
        return [Resource(title=f"T{i}", resource_type=ResourceType.REPORT, authors=["A, B"] if i % 2 else [],
                         pub_year=2000 + i, description="d" * i, doi=f"10.1/{i}") for i in range(7)]

    def events(subject):
        return [AuditEvent(subject_type=subject, subject_id=str(i), action="created", actor=curator if i % 2 else None,
                           actor_label="x", changes={"title": [None, f"T{i}"]}, snapshot={"a": [1, None]}, note="n")
                for i in range(5)]

    Resource.objects.bulk_create(resources(), batch_size=3)
    AuditEvent.objects.bulk_create(events("bulk"), batch_size=3)
    expected = (_rows(Resource), _rows(AuditEvent))
    Resource.objects.all().delete()
    AuditEvent.objects.all().delete()
    new = insert_new(resources(), batch_size=3)
    insert_new(events("bulk"), batch_size=3)
    assert (_rows(Resource), _rows(AuditEvent)) == expected
    assert [r.pk for r in new] == list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    assert all(not r._state.adding and r.created_at for r in new)
