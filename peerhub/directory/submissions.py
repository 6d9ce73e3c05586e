"""Provider self-service: a signed-in provider proposes a new listing or a change, and a curator
approves or rejects it. Nothing reaches the public directory until approved; approval saves
through services.save_service_document, the one write path, and every step is in the audit
history (the submission's own, and the listing's when it is published)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peerhub.audit.services import record_event
from peerhub.directory import selectors
from peerhub.directory.documents import DocumentError
from peerhub.directory.listing import (
    DAY_NAMES,
    current_document,
    differences,
    listing_from_service,
    listing_to_document,
)
from peerhub.directory.models import ListingSubmission, Service, SubmissionStatus, TaxonomyTerm
from peerhub.directory.postcodes import PostcodeError
from peerhub.directory.services import save_service_document

SUBJECT = "directory.submission"
VENUE_FIELDS = {"address_1": "Enter the street address of the venue.", "city": "Enter the town or city.",
                "county": "Enter the county.", "postcode": "Enter the postcode of the venue."}


def _venue_problems(listing: dict) -> dict[str, str]:
    """A listing with a venue needs a whole address whose postcode we can place on the map."""
    problems = {name: message for name, message in VENUE_FIELDS.items() if not listing.get(name)}
    if listing.get("postcode") and "postcode" not in problems:
        try:
            place = selectors.locate_postcode(listing["postcode"])
        except PostcodeError as error:
            problems["postcode"] = str(error)
        else:
            listing["postcode"] = place.label
            listing["latitude"], listing["longitude"] = place.point.latitude, place.point.longitude
    return problems


def checked_listing(listing: dict) -> dict:
    """The listing made complete (map position from the postcode), or ValidationError by field."""
    listing = dict(listing)
    if listing.get("online_only"):
        for name in ("venue_name", "address_1", "city", "county", "postcode", "accessibility"):
            listing[name] = ""
        listing["latitude"] = listing["longitude"] = None
        problems = {}
    else:
        problems = _venue_problems(listing)
    if not any(code.startswith("delivery:") for code in listing.get("terms") or []):
        problems["delivery"] = "Say how people take part: in person, online or by phone."
    if problems:
        raise ValidationError(problems)
    return listing


def _record(submission: ListingSubmission, action: str, actor, before: dict, note: str = "") -> None:
    after = {"status": submission.status, "service": str(submission.service_id or "")}
    if action == "submitted":
        after.update(submission.proposed)
    record_event(subject_type=SUBJECT, subject_id=submission.id, action=action, actor=actor, before=before,
                 after=after, note=note)


def _as_update(listing: dict, service: Service) -> dict:
    """An update keeps the venue's exact position while its postcode is unchanged (the postcode
    gives only the centre of its area), and must change something."""
    current = listing_from_service(selectors.get_service(service.id))
    if listing.get("postcode") and listing["postcode"] == current.get("postcode"):
        listing["latitude"], listing["longitude"] = current["latitude"], current["longitude"]
    if not differences(current, listing):
        raise ValidationError("You have not changed anything. Change the details that are wrong, then send them.")
    return listing


@transaction.atomic
def submit_listing(listing: dict, *, submitter, service: Service | None = None, note: str = "") -> ListingSubmission:
    """A new listing (service None) or a proposed change to one, waiting for a curator."""
    proposed = checked_listing(listing)
    if service is not None:
        proposed = _as_update(proposed, service)
    submission = ListingSubmission.objects.create(service=service, proposed=proposed, note=note,
                                                  submitted_by=submitter)
    _record(submission, "submitted", submitter, {}, note)
    return submission


def _readable(value, term_names: dict) -> str:
    """A listing value as curators read it: names, not codes; "Yes"/"No"; blank as "Not given"."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(term_names.get(v, DAY_NAMES.get(v, v)) for v in value) or "Not given"
    return "Not given" if value in (None, "") else str(value)


def review_differences(submission: ListingSubmission) -> list[tuple[str, str, str]]:
    """What would change if approved, field by field, against the listing as it is now."""
    service = selectors.get_service(submission.service_id) if submission.service_id else None
    before = listing_from_service(service) if service else {}
    changes = differences(before, submission.proposed)
    codes = set(before.get("terms") or []) | set(submission.proposed.get("terms") or [])
    names = dict(TaxonomyTerm.objects.filter(code__in=codes).values_list("code", "name"))
    return [(label, _readable(old, names), _readable(new, names)) for label, old, new in changes]


def _require_waiting(submission: ListingSubmission) -> None:
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValueError(f"This submission has already been decided ({submission.get_status_display().lower()}).")


def merged_document(proposed: dict, base: dict | None) -> dict:
    """The provider's listing over the current record: what the form does not cover (contacts,
    funding, areas from an import) is kept, and the change counts as modified now."""
    doc = listing_to_document(proposed, base)
    if base is None:
        return doc
    organization = {**base.get("organization", {}), **doc["organization"]}
    # The form edits the charity number only; other registered identifiers stay as they were.
    organization["organization_identifiers"] = doc["organization"]["organization_identifiers"] + [
        i for i in base.get("organization", {}).get("organization_identifiers", [])
        if i.get("identifier_scheme") != "GB-CHC"]
    merged = {**base, **doc, "organization": organization}
    merged.pop("last_modified", None)
    return merged


def _publish(submission: ListingSubmission, actor) -> Service:
    current = selectors.get_service(submission.service_id) if submission.service_id else None
    doc = merged_document(submission.proposed, current_document(current) if current else None)
    try:
        result = save_service_document(doc, actor=actor, source=f"Provider submission {submission.id}",
                                       action="approved")
    except DocumentError as error:
        raise ValueError(f"The listing could not be published: {error}") from None
    return result.service


@transaction.atomic
def approve_submission(submission: ListingSubmission, *, actor) -> Service:
    """Publish the proposed listing. Raises ValueError if it was already decided."""
    submission = ListingSubmission.objects.select_for_update().get(pk=submission.pk)
    _require_waiting(submission)
    service = _publish(submission, actor)
    before = {"status": submission.status}
    submission.service, submission.status, submission.decided_at = service, SubmissionStatus.APPROVED, timezone.now()
    submission.save(update_fields=["service", "status", "decided_at"])
    _record(submission, "approved", actor, before)
    return service


@transaction.atomic
def reject_submission(submission: ListingSubmission, *, actor, reason: str) -> ListingSubmission:
    """Turn the proposal down with a reason the provider sees; nothing is published."""
    submission = ListingSubmission.objects.select_for_update().get(pk=submission.pk)
    _require_waiting(submission)
    if not reason.strip():
        raise ValueError("Give a reason, so the provider knows what to change.")
    before = {"status": submission.status}
    submission.status, submission.rejection_reason = SubmissionStatus.REJECTED, reason.strip()
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "rejection_reason", "decided_at"])
    _record(submission, "rejected", actor, before, reason.strip())
    return submission
