"""Reads for stories. Pages, the JSON API, the CSV export and commands all call these; who may
read what comes from peerhub.core.permissions."""

import difflib
import re
from dataclasses import dataclass, field, replace

from django.apps import apps
from django.db import connection
from django.db.models import Prefetch

from peerhub.core.permissions import readable_stories_q
from peerhub.library.models import Resource, Term
from peerhub.library.selectors import descendant_ids, live_terms
from peerhub.search.query import describe
from peerhub.search.selectors import text_match
from peerhub.stories.fingerprint import fingerprint_svg, marks_for
from peerhub.stories.models import DIMENSION_ORDER, Dimension, Medium, Story, StoryStatus, TopographyTerm, Visibility
from peerhub.stories.params import HUB_FACETS, TERM_FACETS, StoryParams

SEARCH_KIND = "stories.story"
MIN_COMPARE, MAX_COMPARE = 2, 4
FACET_LABELS = {**{str(d): d.label for d in Dimension}, "condition": "Condition", "community": "Community",
                "medium": "Kind of story"}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class StoryPage:
    params: StoryParams
    items: list[Story]
    total: int
    facets: list[Facet]
    active: list[tuple[str, str, str]]  # (facet name, value, words) for each filter in force
    query_words: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.params.per_page))


# Single stories --------------------------------------------------------------------------------

def story_prefetches() -> list:
    hub_terms = Term.objects.select_related("vocabulary").order_by("vocabulary__order", "order", "name")
    return ["terms", Prefetch("hub_terms", queryset=hub_terms)]


def with_details(story: Story) -> Story:
    """The story with its terms, taxonomy and linked resources loaded together."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([story], *story_prefetches(), "resources")
    return story


def topography(story: Story) -> list[tuple[str, str, list[TopographyTerm], str]]:
    """(dimension slug, label, terms, free text) for each of the five dimensions, in order."""
    detail = {d: getattr(story, f"{d}_detail") for d in DIMENSION_ORDER}
    terms = sorted(story.terms.all(), key=lambda t: t.position)
    return [(str(d), d.label, [t for t in terms if t.dimension == d], detail[d]) for d in DIMENSION_ORDER]


def fingerprint(story: Story) -> str:
    return fingerprint_svg(marks_for(story.terms.all()))


def describe_topography(story: Story) -> str:
    """The fingerprint in words, shown beside it."""
    parts = []
    for _slug, label, terms, _detail in topography(story):
        parts.append(f"{label}: {', '.join(t.name for t in terms) if terms else 'not given'}.")
    return " ".join(parts)


def hub_terms_of(story: Story, vocabulary: str) -> list[Term]:
    return [t for t in story.hub_terms.all() if t.vocabulary.slug == vocabulary]


def visible_resources(story: Story) -> list[Resource]:
    from peerhub.library.models import Status

    return [r for r in story.resources.all() if r.status == Status.PUBLISHED]


def linked_services(story: Story) -> list:
    """The directory listings the story links to, if the directory is installed. Loose on
    purpose: the directory is optional, so a story stores only the services' ids."""
    if not story.service_ids or not apps.is_installed("peerhub.directory"):
        return []
    from peerhub.directory import selectors as directory

    finder = getattr(directory, "summary_services", None)
    return list(finder(story.service_ids)) if finder else []


def service_exists(service_id) -> bool:
    if not apps.is_installed("peerhub.directory"):
        return False
    from peerhub.directory import selectors as directory

    finder = getattr(directory, "get_service", None)
    return bool(finder and finder(service_id))


# Lists ---------------------------------------------------------------------------------------

def readable_stories(user):
    return Story.objects.filter(readable_stories_q(user))


def stories_for_open_data():
    """Published stories whose storyteller agreed to open-data exports (always openly published)."""
    return (Story.objects.filter(status=StoryStatus.PUBLISHED, visibility=Visibility.OPEN, open_data=True)
            .prefetch_related(*story_prefetches()).order_by("published_at", "id"))


def moderation_queue():
    return Story.objects.filter(status=StoryStatus.SUBMITTED).order_by("created_at", "id")


def term_lookup() -> dict[tuple[str, str], object]:
    """(facet name, slug) -> term, for the topography and the hub's conditions and communities."""
    lookup = {(t.dimension, t.slug): t for t in TopographyTerm.objects.all()}
    lookup.update({(t.vocabulary.slug, t.slug): t for t in live_terms().filter(vocabulary__slug__in=HUB_FACETS)})
    return lookup


def _pairs(story_ids) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(story id, term id) for topography terms and for taxonomy terms: two queries."""
    topo = list(Story.terms.through.objects.filter(story_id__in=story_ids).values_list("story_id", "topographyterm_id"))
    hub = list(Story.hub_terms.through.objects.filter(story_id__in=story_ids).values_list("story_id", "term_id"))
    return topo, hub


@dataclass
class Tagging:
    """Which stories carry which term, with a taxonomy term standing for every term below it
    (so a filter on "Mental health" finds a story tagged "Depression")."""

    by_term: dict[int, set[int]]
    by_hub_term: dict[int, set[int]]

    @classmethod
    def of(cls, story_ids, lookup: dict) -> "Tagging":
        topo, hub = _pairs(story_ids)
        by_term, direct = {}, {}
        for story_id, term_id in topo:
            by_term.setdefault(term_id, set()).add(story_id)
        for story_id, term_id in hub:
            direct.setdefault(term_id, set()).add(story_id)
        hub_terms = [t for (name, _s), t in lookup.items() if name in HUB_FACETS]
        by_hub_term = {t.pk: set().union(*(direct.get(i, set()) for i in descendant_ids(t, hub_terms)))
                       for t in hub_terms}
        return cls(by_term, by_hub_term)

    def stories_with(self, facet: str, term) -> set[int]:
        return (self.by_hub_term if facet in HUB_FACETS else self.by_term).get(term.pk, set())


def _text_scores(q: str) -> tuple[dict[int, float] | None, object]:
    match = text_match(SEARCH_KIND, q, public_only=False)  # who may read what is decided below
    if match is None:
        return None, None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT m.object_id, m.score FROM ({match.sql}) m", match.params)
        return {int(object_id): score for object_id, score in cursor.fetchall()}, match


def _filter_ids(rows, params: StoryParams, lookup: dict, tagging: Tagging, errors: dict) -> list:
    for facet, slugs in params.terms.items():
        for slug in slugs:
            term = lookup.get((facet, slug))
            if term is None:
                label = FACET_LABELS[facet].lower()
                errors[facet] = f"There is no {label} called “{slug[:40]}”. Remove it and try again."
                continue
            carrying = tagging.stories_with(facet, term)
            rows = [r for r in rows if r[0] in carrying]
    return rows


def _facets(rows, params: StoryParams, lookup: dict, tagging: Tagging) -> list[Facet]:
    ids = {r[0] for r in rows}
    facets = []
    for name in TERM_FACETS:
        chosen = set(params.terms.get(name, []))
        values = [FacetValue(slug, str(term), len(tagging.stories_with(name, term) & ids), slug in chosen)
                  for (facet, slug), term in lookup.items() if facet == name]
        facets.append(Facet(name, FACET_LABELS[name], [v for v in values if v.count or v.selected]))
    media = [FacetValue(value, label, sum(1 for r in rows if r[2] == value), params.medium == value)
             for value, label in Medium.choices]
    facets.append(Facet("medium", FACET_LABELS["medium"], [v for v in media if v.count or v.selected]))
    return facets


def _active(params: StoryParams, lookup: dict) -> list[tuple[str, str, str]]:
    found = [(name, slug, f"{FACET_LABELS[name]}: {lookup[(name, slug)]}")
             for name in TERM_FACETS for slug in params.terms.get(name, []) if (name, slug) in lookup]
    if params.medium:
        found.append(("medium", params.medium, f"{FACET_LABELS['medium']}: {Medium(params.medium).label}"))
    return found


def _candidate_rows(user, params: StoryParams, scores) -> list[tuple[int, object, str]]:
    qs = readable_stories(user)
    if params.medium:
        qs = qs.filter(medium=params.medium)
    rows = list(qs.values_list("id", "published_at", "medium"))
    return rows if scores is None else [r for r in rows if r[0] in scores]


def _order(rows, scores) -> list[int]:
    newest = sorted(rows, key=lambda r: (r[1], r[0]), reverse=True)
    if scores is None:
        return [r[0] for r in newest]
    return [r[0] for r in sorted(newest, key=lambda r: scores[r[0]], reverse=True)]


def page_items(ids: list[int]) -> list[Story]:
    by_id = Story.objects.prefetch_related(*story_prefetches()).in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def search_stories(user, params: StoryParams, errors: dict | None = None) -> StoryPage:
    """The stories this person may read that match the words and filters: one page, and the
    facet counts. A fixed number of queries whatever the size of the collection."""
    errors = dict(errors or {})
    lookup = term_lookup()
    scores, match = _text_scores(params.q) if params.q else (None, None)
    if params.q and match is None:
        errors.setdefault("q", "Your search has no words we can look for. Try words like “hope”.")
    rows = _candidate_rows(user, params, scores)
    tagging = Tagging.of([r[0] for r in rows], lookup)
    rows = _filter_ids(rows, params, lookup, tagging, errors)
    ordered = _order(rows, scores)
    if params.page > max(1, -(-len(ordered) // params.per_page)):
        errors["page"] = f"There is no page {params.page}. Go back to page 1."
    start = (params.page - 1) * params.per_page
    return StoryPage(params=params, items=page_items(ordered[start:start + params.per_page]), total=len(ordered),
                     facets=_facets(rows, params, lookup, tagging), active=_active(params, lookup),
                     query_words=describe(match.query) if match else "", errors=errors)


def params_without(params: StoryParams, name: str, value: str) -> StoryParams:
    terms = {k: [s for s in v if (k, s) != (name, value)] for k, v in params.terms.items()}
    return replace(params, terms={k: v for k, v in terms.items() if v},
                   medium="" if name == "medium" else params.medium, page=1)


# Compare and the collection map -------------------------------------------------------------

def stories_to_compare(user, raw_ids: list[str]) -> tuple[list[Story], str]:
    """The chosen stories in the order given, or an error saying what to fix."""
    ids = list(dict.fromkeys(r for r in raw_ids if r))
    if not all(i.isascii() and i.isdigit() and len(i) <= 12 for i in ids):
        return [], "Choose stories from the list: a story number was not recognised."
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE:
        return [], f"Choose from {MIN_COMPARE} to {MAX_COMPARE} stories to compare (you chose {len(ids)})."
    found = {s.pk: s for s in readable_stories(user).filter(pk__in=ids).prefetch_related(*story_prefetches())}
    if len(found) != len(ids):
        return [], "One of the stories you chose is not available. It may have been withdrawn."
    return [found[int(i)] for i in ids], ""


# Moderation ----------------------------------------------------------------------------------

DIFF_FIELDS = {"title": "Title", "body": "Story", "transcript": "Transcript or summary",
               "storyteller_name": "Name shown", "storyteller_detail": "About the storyteller",
               "purpose_detail": "Purpose, in their words", "audience_detail": "Audience, in their words",
               "outcome_detail": "Outcome, in their words", "actions_detail": "Actions, in their words"}


@dataclass
class FieldChange:
    label: str
    segments: list[tuple[str, str]]  # ("same" | "removed" | "added", text)


def _word_diff(before: str, after: str) -> list[tuple[str, str]]:
    old, new = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    segments = []
    # Spaces never anchor a match, so "07700 900123" -> "[phone number]" reads as one change.
    matcher = difflib.SequenceMatcher(lambda token: token.isspace(), old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(("added", "".join(new[j1:j2])))
    return segments


def submitted_version(story: Story) -> dict:
    from peerhub.audit.models import AuditEvent

    event = AuditEvent.objects.filter(subject_type=SEARCH_KIND, subject_id=str(story.pk), action="submitted").first()
    return event.snapshot if event else {}


def changes_since_submission(story: Story) -> list[FieldChange]:
    """What moderators changed, field by field, word by word: removed and added text."""
    original = submitted_version(story)
    changes = []
    for name, label in DIFF_FIELDS.items():
        before, after = original.get(name, "") or "", getattr(story, name) or ""
        if before != after:
            changes.append(FieldChange(label, _word_diff(before, after)))
    return changes


def audit_history(story: Story):
    from peerhub.audit.models import AuditEvent

    return AuditEvent.objects.filter(subject_type=SEARCH_KIND, subject_id=str(story.pk)).order_by("at", "id")


def topography_vocabularies() -> list[tuple[str, str, list[TopographyTerm]]]:
    """(dimension slug, label, terms in spoke order) for each dimension: one query."""
    terms = list(TopographyTerm.objects.order_by("position"))
    return [(str(d), d.label, [t for t in terms if t.dimension == d]) for d in DIMENSION_ORDER]


def hub_terms_by_id(ids) -> list[Term]:
    return list(live_terms().filter(pk__in=ids, vocabulary__slug__in=HUB_FACETS))


def hub_filter_choices() -> list[tuple[str, str, list[Term]]]:
    """(vocabulary slug, name, live terms) for the map's condition and community filters."""
    terms = list(live_terms().filter(vocabulary__slug__in=HUB_FACETS).order_by("order", "name"))
    return [(slug, FACET_LABELS[slug], [t for t in terms if t.vocabulary.slug == slug]) for slug in HUB_FACETS]
