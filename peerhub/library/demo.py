"""The demo catalogue: the default taxonomy (installed by migration), a handful of hand-written
example records that say plainly they are examples, and real bibliographic records from the
shared reference exports (titles, authors, years and identifiers only: abstracts are
publishers' text and stay out of the demo)."""

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from peerhub.library.importers.formats import read_file
from peerhub.library.importers.pipeline import import_files
from peerhub.library.models import Resource, Term
from peerhub.library.services import create_resource, update_resource

# Real search exports whose topics the default taxonomy covers (see shared/data/SOURCES.md).
REAL_EXPORTS = [
    "references/ris-citesource-gambling-harms",
    "references/ris-ptsd-van-de-schoot",
]
# Categories derived only from words in a record's own title: nothing is invented about it.
TITLE_TERMS = [
    (r"gambl", "condition", "gambling"),
    (r"\bptsd\b|post-?traumatic", "condition", "post-traumatic-stress-ptsd"),
    (r"depress", "condition", "depression"),
    (r"anxiety", "condition", "anxiety"),
    (r"alcohol", "condition", "alcohol"),
    (r"suicid|self-harm", "condition", "self-harm-and-suicide-prevention"),
    (r"veteran|military|soldier", "community", "veterans-and-armed-forces"),
    (r"child|adolescen|youth|young people", "community", "children-and-young-people"),
    (r"older adult|elderly", "community", "older-people"),
    (r"prison|offend|criminal", "community", "people-in-contact-with-the-justice-system"),
]

EXAMPLE_ORGANISATION = "Peer Support Hub (example record)"
EXAMPLE_NOTE = (
    "This is an invented example, written to show how the hub describes a resource. It is not a real publication."
)

# (title, type, summary, terms as (vocabulary, slug), appraisal or None)
EXAMPLES = [
    (
        "Example: starting a peer support group for people living with long COVID",
        "toolkit",
        "A step-by-step guide for people who want to start a peer-led group: finding a venue, agreeing ground rules "
        "and keeping the group going.",
        [
            ("condition", "long-covid"),
            ("format", "group"),
            ("format", "peer-led"),
            ("purpose", "set-up"),
            ("audience", "peer-support-organisations-and-workers"),
            ("challenge", "access"),
        ],
        None,
    ),
    (
        "Example: measuring what changes for people who use peer support",
        "toolkit",
        "How a small organisation can collect simple before-and-after measures and people's own words, "
        "and report them.",
        [
            ("purpose", "measure-and-evaluate"),
            ("challenge", "evidence"),
            ("audience", "peer-support-organisations-and-workers"),
        ],
        None,
    ),
    (
        "Example: commissioning peer support in primary care, a short briefing",
        "policy",
        "A two-page briefing for commissioners on why and how to fund peer support linked to GP practices.",
        [
            ("audience", "commissioners"),
            ("setting", "primary-care"),
            ("challenge", "buy-in-and-culture"),
            ("purpose", "grow"),
        ],
        None,
    ),
    (
        "Example: training and supervising peer support workers",
        "training",
        "Outline of a training course and supervision arrangements for paid peer support workers in mental "
        "health services.",
        [
            ("condition", "mental-health"),
            ("format", "peer-support-workers-in-services"),
            ("challenge", "workforce"),
            ("purpose", "sustain"),
        ],
        None,
    ),
    (
        "Example: finding a peer support group near you",
        "website",
        "Plain-English information for people looking for peer support about what to expect and how to join a group.",
        [("audience", "people-looking-for-peer-support"), ("challenge", "access"), ("format", "group")],
        None,
    ),
    (
        "Example: evaluation of a one-to-one peer mentoring service for new parents",
        "evaluation_report",
        "An invented evaluation, included to show how curators describe evidence quality.",
        [
            ("condition", "perinatal-mental-health"),
            ("format", "one-to-one"),
            ("community", "carers-and-families"),
            ("purpose", "measure-and-evaluate"),
            ("challenge", "evidence"),
        ],
        (
            "service_evaluation",
            "low",
            "A single service, no comparison group and a small number of parents: the findings "
            "may be useful locally but are uncertain.",
        ),
    ),
]


def _example_data(title, resource_type, summary, appraisal) -> dict:
    today = timezone.localdate()
    data = {
        "title": title,
        "resource_type": resource_type,
        "summary": summary,
        "description": EXAMPLE_NOTE,
        "organisation": EXAMPLE_ORGANISATION,
        "pub_year": today.year,
        "access": "free",
        "is_example": True,
        "last_checked": today - timedelta(days=30),
        "review_due": today + timedelta(days=335),
        "source": "demo example",
    }
    if appraisal:
        data.update(zip(["study_design", "quality", "appraisal_rationale"], appraisal, strict=True))
    return data


def load_examples() -> int:
    added = 0
    for title, resource_type, summary, terms, appraisal in EXAMPLES:
        if Resource.objects.filter(title=title, is_example=True).exists():
            continue
        term_objs = [Term.objects.get(vocabulary__slug=v, slug=s) for v, s in terms]
        create_resource(
            _example_data(title, resource_type, summary, appraisal),
            actor=None,
            terms=term_objs,
            publish=True,
            note="Demo example record",
        )
        added += 1
    return added


def _export_files(shared_dir: Path) -> list[Path]:
    folders = [Path(shared_dir) / "data" / folder for folder in REAL_EXPORTS]
    return sorted(path for folder in folders if folder.is_dir() for path in folder.glob("*.ris"))


def _without_abstracts(parsed):
    """Publishers' abstracts are their text, not ours to republish in a demo."""
    for record in parsed.records:
        record.abstract = ""
    return parsed


def _terms_from_title(title: str, terms: dict) -> list[Term]:
    return [terms[(v, slug)] for pattern, v, slug in TITLE_TERMS if re.search(pattern, title, re.IGNORECASE)]


def load_real_records(shared_dir) -> int:
    files = _export_files(shared_dir)
    if not files:
        return 0
    before = Resource.objects.count()
    import_files([_without_abstracts(read_file(path)) for path in files], actor=None, publish=True)
    terms = {(t.vocabulary.slug, t.slug): t for t in Term.objects.select_related("vocabulary")}
    for resource in Resource.objects.filter(source__startswith="import:", terms__isnull=True):
        matched = _terms_from_title(resource.title, terms)
        if matched:
            update_resource(resource, {}, actor=None, terms=matched, note="Demo categories from title words")
    return Resource.objects.count() - before


def load_library_demo(shared_dir) -> str:
    examples = load_examples()
    real = load_real_records(shared_dir)
    if not _export_files(shared_dir):
        return f"{examples} example records added; no shared reference exports found at {shared_dir}"
    return f"{examples} example records and {real} real bibliographic records (no abstracts) added"
