"""A resource's audit history made readable for curators: names instead of term ids, labels
instead of stored codes, and long text shown as the words removed and added."""

import difflib
from dataclasses import dataclass, field

from peerhub.audit.models import AuditEvent
from peerhub.audit.selectors import event_for, history_for
from peerhub.library.forms import MONTHS
from peerhub.library.models import Access, Quality, Resource, ResourceType, Status, StudyDesign
from peerhub.library.services import SUBJECT
from peerhub.library.taxonomy import term_names

LONG_TEXT_FIELDS = {"summary", "description", "appraisal_rationale", "rejection_reason"}
LONG_TEXT_CHARS = 120  # shorter text is clearer shown whole, before and after
CONTEXT_WORDS = 8  # unchanged words kept either side of a change in a long text
CHOICES = {"resource_type": ResourceType, "access": Access, "study_design": StudyDesign, "quality": Quality,
           "status": Status}
FIELD_LABELS = {
    "title": "Title", "summary": "Summary", "description": "Description", "resource_type": "Type of resource",
    "authors": "Authors", "organisation": "Publishing organisation", "pub_year": "Year published",
    "pub_month": "Month published", "pub_day": "Day published", "url": "Link", "doi": "DOI", "pmid": "PubMed ID",
    "isbn": "ISBN", "access": "Access", "licence": "Licence", "study_design": "Study design",
    "quality": "Quality of evidence", "appraisal_rationale": "Why this rating", "last_checked": "Date last checked",
    "review_due": "Review due", "is_example": "Hand-written example", "source": "Where the record came from",
    "terms": "Categories", "status": "Status", "rejection_reason": "Reason not accepted",
}
EMPTY = "Not set"


@dataclass
class TextPiece:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    pieces: list[TextPiece] = field(default_factory=list)  # set for long text: a word-level difference


@dataclass
class HistoryEntry:
    event: AuditEvent
    changes: list[FieldChange]
    can_restore: bool


def resource_history(resource: Resource) -> list[HistoryEntry]:
    """Newest first. Every version but the current one can be restored. Two queries."""
    events = history_for(SUBJECT, resource.pk)
    names = term_names(_term_ids_in(events))
    return [
        HistoryEntry(event, [_change(name, pair, names) for name, pair in event.changes.items()],
                     can_restore=index > 0 and bool(event.snapshot))
        for index, event in enumerate(events)
    ]


def _term_ids_in(events: list[AuditEvent]) -> set[int]:
    found = set()
    for event in events:
        before, after = event.changes.get("terms") or [[], []]
        found.update(before or [], after or [])
    return found


def history_event(resource: Resource, event_id: int) -> AuditEvent | None:
    try:
        return event_for(SUBJECT, resource.pk, event_id)
    except AuditEvent.DoesNotExist:
        return None


def _change(name: str, pair: list, names: dict) -> FieldChange:
    before, after = (_readable(name, value, names) for value in pair)
    change = FieldChange(FIELD_LABELS.get(name, name.replace("_", " ").capitalize()), before, after)
    if name in LONG_TEXT_FIELDS and max(len(before), len(after)) > LONG_TEXT_CHARS:
        change.pieces = word_diff(pair[0] or "", pair[1] or "")
    return change


def _readable(name: str, value, names: dict) -> str:
    if value in (None, "", []):
        return EMPTY
    if name == "terms":
        return ", ".join(sorted(names.get(pk, f"a removed term ({pk})") for pk in value))
    if name in CHOICES:
        return CHOICES[name](value).label if value in CHOICES[name].values else str(value)
    if name == "pub_month" and isinstance(value, int) and 1 <= value <= 12:
        return MONTHS[value - 1]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def word_diff(before: str, after: str) -> list[TextPiece]:
    """The words removed and added, with a little unchanged text around each change."""
    old, new = before.split(), after.split()
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(TextPiece("same", _shorten(old[i1:i2], first=i1 == 0, last=i2 == len(old))))
            continue
        if i2 > i1:
            pieces.append(TextPiece("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(TextPiece("added", " ".join(new[j1:j2])))
    return pieces


def _shorten(words: list[str], *, first: bool, last: bool) -> str:
    keep_start = 0 if first else CONTEXT_WORDS
    keep_end = 0 if last else CONTEXT_WORDS
    if len(words) <= keep_start + keep_end + 1:
        return " ".join(words)
    head, tail = words[:keep_start], words[len(words) - keep_end:] if keep_end else []
    return " ".join([*head, "…", *tail])
