"""Writes for stories. Every change goes through here: it keeps the safety flags and the search
index in step and records the audit history, all inside one transaction. Withdrawal erases
the storyteller's content everywhere the hub keeps it."""

import logging
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from peerhub.audit.models import AuditEvent
from peerhub.audit.services import record_event
from peerhub.search.registry import register
from peerhub.search.services import index_document, remove_document
from peerhub.stories.consent import consent_record
from peerhub.stories.models import (
    DIMENSION_ORDER,
    MAX_POSITIONS,
    Dimension,
    Medium,
    Story,
    StoryStatus,
    TopographyTerm,
    Visibility,
)
from peerhub.stories.safety import describe_findings, mentions_crisis, story_findings

SUBJECT = "stories.story"
TERM_SUBJECT = "stories.topographyterm"
SEARCH_KIND = "stories.story"
WITHDRAW_SALT = "peerhub.stories.withdraw"
STORYTELLER_LABEL = "storyteller"  # the audit "actor" for a visitor: never their email
CONTENT_FIELDS = ["title", "body", "medium", "media_url", "transcript", "storyteller_detail", "purpose_detail",
                  "audience_detail", "outcome_detail", "actions_detail", "storyteller_name", "is_named"]
CONSENT_FIELDS = ["visibility", "is_named", "open_data", "under_16", "guardian_name", "email"]
# Everything a withdrawal blanks: what the storyteller wrote and anything that could identify them.
ERASED_FIELDS = {**{name: "" for name in CONTENT_FIELDS if name != "is_named"}, "is_named": False,
                 "email": "", "guardian_name": "", "consent_text": "", "rejection_reason": "",
                 "personal_data_flags": [], "service_ids": [], "medium": Medium.WRITTEN}
NEEDS_LINK = {Medium.VIDEO, Medium.AUDIO}
logger = logging.getLogger(__name__)


def snapshot(story: Story) -> dict:
    data = {name: getattr(story, name) for name in CONTENT_FIELDS}
    data.update(visibility=story.visibility, open_data=story.open_data, status=story.status,
                under_16=story.under_16, is_example=story.is_example)
    data["terms"] = sorted(story.terms.values_list("pk", flat=True)) if story.pk else []
    data["hub_terms"] = sorted(story.hub_terms.values_list("pk", flat=True)) if story.pk else []
    return data


def _search_extra(story: Story) -> str:
    names = [t.name for t in story.terms.all()] + [t.name for t in story.hub_terms.all()]
    details = [getattr(story, f"{d}_detail") for d in DIMENSION_ORDER]
    return " ".join([*names, *details, story.storyteller_name if story.is_named else ""])


def reindex(story: Story) -> None:
    if story.status == StoryStatus.WITHDRAWN:
        remove_document(SEARCH_KIND, story.pk)
        return
    index_document(SEARCH_KIND, story.pk, title=story.title, summary=story.transcript, body=story.body,
                   extra=_search_extra(story),
                   is_public=story.status == StoryStatus.PUBLISHED and story.visibility == Visibility.OPEN)


def reindex_all() -> int:
    """Every story's search entry, rebuilt (withdrawn ones have none); for `rebuild_search_index`."""
    count = 0
    for story in Story.objects.exclude(status=StoryStatus.WITHDRAWN).prefetch_related("terms", "hub_terms"):
        reindex(story)
        count += 1
    return count


register(SEARCH_KIND, reindex_all)


def run_safety_checks(story: Story) -> None:
    """The same text the submission form checks: what the storyteller wrote, not the name they
    chose to show."""
    data = {name: getattr(story, name) for name in CONTENT_FIELDS if name not in ("is_named", "storyteller_name")}
    story.personal_data_flags = [f.as_dict() for f in story_findings(data)]
    story.needs_safety_review = mentions_crisis("\n".join(str(v) for v in data.values()))


# Validation -----------------------------------------------------------------------------------

def _topography_errors(terms) -> dict[str, str]:
    counts = {d: sum(1 for t in terms if t.dimension == d) for d in DIMENSION_ORDER}
    errors = {}
    if counts[Dimension.STORYTELLER] != 1:
        errors["storyteller"] = "Choose the one description that best fits who is telling the story."
    if not counts[Dimension.PURPOSE]:
        errors["purpose"] = "Choose at least one purpose of the story."
    if not counts[Dimension.AUDIENCE]:
        errors["audience"] = "Choose at least one audience for the story."
    return errors


def _consent_errors(story: Story) -> dict[str, str]:
    errors = {}
    if not story.email:
        errors["email"] = "Enter your email address, so we can send you the private link to withdraw your story."
    if story.open_data and story.visibility != Visibility.OPEN:
        errors["open_data"] = ("Open data is public, so it can only include stories published openly. Choose to "
                               "publish openly, or not to include your story in open data.")
    if story.is_named and not story.storyteller_name.strip():
        errors["storyteller_name"] = "Enter the name to show with your story, or choose to stay anonymous."
    if story.under_16 and not story.guardian_name.strip():
        errors["guardian_name"] = "Enter the name of the parent or guardian who agreed to you sharing your story."
    return errors


def _media_errors(story: Story) -> dict[str, str]:
    errors = {}
    if story.medium in NEEDS_LINK and not story.media_url:
        errors["media_url"] = "Give the link to the video or recording. We link to it rather than play it here."
    if story.medium in NEEDS_LINK and not story.transcript.strip():
        errors["transcript"] = "Add a transcript or summary, so people who cannot watch or listen can follow it."
    return errors


def validate_story(story: Story, terms) -> None:
    """Every rule at once, so a form can show all its problems together. Raises ValidationError."""
    errors = {**_topography_errors(terms), **_consent_errors(story), **_media_errors(story)}
    try:
        story.full_clean(exclude=["terms", "hub_terms", "resources", "library_resource"])
    except ValidationError as error:
        errors = {**{k: v[0] for k, v in error.message_dict.items()}, **errors}
    if errors:
        raise ValidationError(errors)


def _apply(story: Story, data: dict, names) -> None:
    for name in names:
        if name in data:
            setattr(story, name, data[name])
    if not story.is_named:
        story.storyteller_name = ""  # an anonymous story keeps no name at all
    if not story.under_16:
        story.guardian_name = ""


def _save(story: Story, *, terms=None, hub_terms=None, resources=None) -> None:
    story.save()
    if terms is not None:
        story.terms.set(terms)
    if hub_terms is not None:
        story.hub_terms.set(hub_terms)
    if resources is not None:
        story.resources.set(resources)
    reindex(story)


def _record(story: Story, *, action: str, actor, before: dict, note: str = "") -> None:
    record_event(subject_type=SUBJECT, subject_id=story.pk, action=action, actor=actor, before=before,
                 after=snapshot(story), note=note, actor_fallback=STORYTELLER_LABEL)


# Submission -----------------------------------------------------------------------------------

@transaction.atomic
def submit_story(data: dict, *, terms, hub_terms=(), is_example: bool = False) -> Story:
    """A storyteller's submission (no account needed). It waits for moderation; the storyteller
    is emailed a private link to withdraw it (not for the demo's invented examples)."""
    story = Story(status=StoryStatus.SUBMITTED, consented_at=timezone.now(), is_example=is_example)
    _apply(story, data, CONTENT_FIELDS + CONSENT_FIELDS)
    story.consent_text = consent_record(visibility=story.visibility, is_named=story.is_named,
                                        open_data=story.open_data, under_16=story.under_16)
    run_safety_checks(story)
    validate_story(story, list(terms))
    _save(story, terms=list(terms), hub_terms=list(hub_terms))
    _record(story, action="submitted", actor=None, before={})
    if not is_example:
        transaction.on_commit(partial(_send_withdrawal_link, story.pk, story.email))
    return story


def withdrawal_token(story: Story) -> str:
    """The story's number, signed with the site's secret: it cannot be guessed or forged, and it
    never expires (a storyteller may withdraw years later)."""
    return signing.Signer(salt=WITHDRAW_SALT).sign(str(story.pk))


def story_for_withdrawal_token(token: str) -> Story | None:
    try:
        pk = signing.Signer(salt=WITHDRAW_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Story.objects.filter(pk=int(pk)).first() if pk.isascii() and pk.isdigit() else None


def _send_withdrawal_link(pk: int, email: str) -> None:
    story = Story.objects.filter(pk=pk).first()
    if story is None or not email:
        return
    link = settings.SITE_URL + reverse("stories:withdraw", args=[withdrawal_token(story)])
    body = ("Thank you for sharing your story with the Peer Support Hub.\n\n"
            "A moderator will check it before it is published, and may remove details that could identify you "
            "or other people.\n\n"
            f"If you change your mind, you can withdraw your story at any time with this private link:\n{link}\n\n"
            "Keep this email: anyone with the link can withdraw your story.\n")
    # The story is saved; a mail server being down must not turn that into an error page.
    try:
        EmailMessage("Your story for the Peer Support Hub", body, None, [email]).send()
    except OSError:
        logger.exception("Could not send the withdrawal link for story %s", pk)


# Moderation -----------------------------------------------------------------------------------

@transaction.atomic
def update_story(story: Story, data: dict, *, actor, terms=None, hub_terms=None, resources=None,
                 service_ids=None, note: str = "") -> Story:
    """A moderator's edit, typically anonymising. The safety checks run again on the new text."""
    before = snapshot(story)
    _apply(story, data, CONTENT_FIELDS)
    if service_ids is not None:
        story.service_ids = [str(s) for s in service_ids]
    run_safety_checks(story)
    validate_story(story, list(terms) if terms is not None else list(story.terms.all()))
    _save(story, terms=terms, hub_terms=hub_terms, resources=resources)
    _record(story, action="edited", actor=actor, before=before, note=note)
    return story


@transaction.atomic
def confirm_guardian_consent(story: Story, *, actor) -> Story:
    if not story.under_16:
        raise ValidationError("This storyteller did not say they are under 16, so there is nothing to confirm.")
    before = snapshot(story)
    story.guardian_confirmed_by, story.guardian_confirmed_at = actor, timezone.now()
    story.save()
    _record(story, action="guardian consent confirmed", actor=actor, before=before)
    return story


def _publication_blockers(story: Story, *, safety_reviewed: bool, personal_data_checked: bool) -> dict[str, str]:
    errors = {}
    if story.status not in (StoryStatus.SUBMITTED, StoryStatus.REJECTED):
        errors["status"] = "Only a story waiting for moderation, or one turned down before, can be published."
    if story.under_16 and not story.guardian_confirmed_at:
        errors["guardian"] = ("The storyteller is under 16. Confirm their parent's or guardian's consent "
                              "before publishing.")
    if story.needs_safety_review and not safety_reviewed:
        errors["safety_reviewed"] = ("This story mentions crisis, self-harm or abuse. Confirm that you have "
                                     "reviewed it and that it is safe to publish.")
    if story.personal_data_flags and not personal_data_checked:
        found = describe_findings(story.personal_data_flags)
        errors["personal_data_checked"] = (f"The story still seems to contain {found}. Remove it, or confirm you "
                                           "have checked it is safe to publish.")
    return errors


@transaction.atomic
def publish_story(story: Story, *, actor, safety_reviewed: bool = False, personal_data_checked: bool = False,
                  note: str = "") -> Story:
    errors = _publication_blockers(story, safety_reviewed=safety_reviewed,
                                   personal_data_checked=personal_data_checked)
    if errors:
        raise ValidationError(errors)
    before = snapshot(story)
    story.status, story.rejection_reason = StoryStatus.PUBLISHED, ""
    story.published_at = story.published_at or timezone.now()
    if story.needs_safety_review:
        story.safety_reviewed_by = actor
    _save(story)
    _record(story, action="published", actor=actor, before=before, note=note)
    return story


@transaction.atomic
def reject_story(story: Story, *, actor, reason: str) -> Story:
    if not reason.strip():
        raise ValidationError({"reason": "Give a reason, so other moderators know why."})
    before = snapshot(story)
    story.status, story.rejection_reason = StoryStatus.REJECTED, reason.strip()
    _save(story)
    _record(story, action="rejected", actor=actor, before=before, note=reason.strip())
    return story


@transaction.atomic
def unpublish_story(story: Story, *, actor, reason: str) -> Story:
    if story.status != StoryStatus.PUBLISHED:
        raise ValidationError({"reason": "Only a published story can be unpublished."})
    if not reason.strip():
        raise ValidationError({"reason": "Give a reason, so other moderators know why."})
    before = snapshot(story)
    story.status, story.rejection_reason = StoryStatus.REJECTED, reason.strip()
    _save(story)
    _record(story, action="unpublished", actor=actor, before=before, note=reason.strip())
    return story


# Lived experience evidence for the library ----------------------------------------------------

LIVED_EXPERIENCE_APPRAISAL = (
    "A personal account of lived experience, shared by the storyteller with their consent. It shows what peer "
    "support meant to one person and why; it is not a study or a trial, so it is not rated for quality of "
    "evidence and should be read beside research, not instead of it."
)


def _library_data(story: Story) -> dict:
    from peerhub.library.models import ResourceType, StudyDesign

    media_type = ResourceType.VIDEO_AUDIO if story.medium in NEEDS_LINK else ResourceType.REPORT
    return {"title": f"Lived experience story: {story.title}", "resource_type": media_type,
            "summary": story.body[:600], "url": settings.SITE_URL + story.get_absolute_url(),
            "organisation": "Peer Support Hub stories", "pub_year": story.published_at.year,
            "study_design": StudyDesign.LIVED_EXPERIENCE, "quality": "",
            "appraisal_rationale": LIVED_EXPERIENCE_APPRAISAL, "source": f"stories:{story.pk}"}


@transaction.atomic
def offer_to_library(story: Story, *, actor):
    """A library submission describing the story as lived experience evidence. Only openly
    published stories: the library is public."""
    from peerhub.library.services import submit_resource

    if story.status != StoryStatus.PUBLISHED or story.visibility != Visibility.OPEN:
        raise ValidationError("Only a story published openly can be offered to the library, which anyone can read.")
    if story.library_resource_id:
        raise ValidationError("This story has already been offered to the library.")
    resource = submit_resource(_library_data(story), submitter=actor, terms=list(story.hub_terms.all()),
                               note="Offered from the stories collection as lived experience evidence.")
    before = snapshot(story)
    story.library_resource = resource
    story.save(update_fields=["library_resource", "updated_at"])
    _record(story, action="offered to library", actor=actor, before=before)
    return resource


# Withdrawal -----------------------------------------------------------------------------------

def _erase_audit_history(subject_type: str, subject_id) -> None:
    """Audit events keep snapshots and differences of the record, which hold the story's text.
    A storyteller's withdrawal outranks the history: the events stay (who did what, when) but
    their content goes."""
    AuditEvent.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).update(
        snapshot={}, changes={}, note="")


def _remove_library_copy(story: Story) -> None:
    """The library record made from the story quotes it, so it goes too, with its history."""
    from peerhub.library.services import SUBJECT as RESOURCE_SUBJECT
    from peerhub.library.services import delete_resource

    resource = story.library_resource
    if resource is None:
        return
    story.library_resource = None
    story.save(update_fields=["library_resource"])
    pk = resource.pk
    delete_resource(resource, actor=None, note="The storyteller withdrew the story it came from.")
    _erase_audit_history(RESOURCE_SUBJECT, pk)


@transaction.atomic
def withdraw_story(story: Story) -> Story:
    """Unpublish at once and erase everything personal: the text, the links, the consent
    record's details, the search entry and the audit snapshots. A tombstone stays."""
    if story.status == StoryStatus.WITHDRAWN:
        return story
    _remove_library_copy(story)
    for name, empty in ERASED_FIELDS.items():
        setattr(story, name, empty)
    story.status, story.withdrawn_at = StoryStatus.WITHDRAWN, timezone.now()
    story.needs_safety_review, story.under_16 = False, False
    _save(story, terms=[], hub_terms=[], resources=[])
    _erase_audit_history(SUBJECT, story.pk)
    record_event(subject_type=SUBJECT, subject_id=story.pk, action="withdrawn", actor=None, before={}, after={},
                 note="Withdrawn by storyteller", actor_fallback=STORYTELLER_LABEL)
    return story


# The topography vocabularies ------------------------------------------------------------------

def _term_snapshot(term: TopographyTerm) -> dict:
    return {"dimension": term.dimension, "name": term.name, "slug": term.slug, "description": term.description,
            "position": term.position, "is_active": term.is_active}


def _unique_slug(dimension: str, name: str, exclude_pk=None) -> str:
    slug = slugify(name)[:120]
    if not slug:
        raise ValidationError({"name": "Enter a name with at least one letter or number."})
    clash = TopographyTerm.objects.filter(dimension=dimension, slug=slug).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"“{name}” is already in this list."})
    return slug


@transaction.atomic
def add_topography_term(dimension: str, *, name: str, description: str = "", actor) -> TopographyTerm:
    """A new term takes the next free position on its spoke, for ever: positions are never
    reused, so no fingerprint drawn before changes meaning."""
    used = TopographyTerm.objects.select_for_update().filter(dimension=dimension).values_list("position", flat=True)
    position = max(used, default=0) + 1
    if position > MAX_POSITIONS:
        raise ValidationError({"name": f"This list already has {MAX_POSITIONS} terms, the most a fingerprint can "
                                       "show. Rename or retire a term instead."})
    term = TopographyTerm(dimension=dimension, name=name.strip(), description=description.strip(),
                          position=position, slug=_unique_slug(dimension, name.strip()))
    term.full_clean()
    term.save()
    record_event(subject_type=TERM_SUBJECT, subject_id=term.pk, action="created", actor=actor, before={},
                 after=_term_snapshot(term))
    return term


@transaction.atomic
def update_topography_term(term: TopographyTerm, *, name: str, description: str, is_active: bool,
                           actor) -> TopographyTerm:
    """Renaming keeps the term's position, so fingerprints keep their shape."""
    before = _term_snapshot(term)
    term.slug = _unique_slug(term.dimension, name.strip(), exclude_pk=term.pk)
    term.name, term.description, term.is_active = name.strip(), description.strip(), is_active
    term.full_clean()
    term.save()
    for story in Story.objects.filter(terms=term).exclude(status=StoryStatus.WITHDRAWN):
        reindex(story)  # the term's name is searchable text of each story that carries it
    record_event(subject_type=TERM_SUBJECT, subject_id=term.pk, action="edited", actor=actor, before=before,
                 after=_term_snapshot(term))
    return term
