"""Writes for the library. Every change goes through here: it keeps the duplicate keys and the
search index in step and records the audit history, all inside one transaction."""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peerhub.audit.services import record_event, record_events_in_bulk
from peerhub.core.bulk import insert_new
from peerhub.library.identifiers import (
    normalise_doi,
    normalise_isbn,
    normalise_pmid,
    normalise_title,
    normalise_url,
)
from peerhub.library.models import Quality, Resource, Status, Term
from peerhub.search.registry import register
from peerhub.search.services import index_document, index_new_documents, remove_document, remove_kind

SUBJECT = "library.resource"
SEARCH_KIND = "library.resource"
EDITABLE_FIELDS = [
    "title", "summary", "description", "resource_type", "authors", "organisation", "pub_year", "pub_month",
    "pub_day", "url", "doi", "pmid", "isbn", "access", "licence", "study_design", "quality",
    "appraisal_rationale", "last_checked", "review_due", "is_example", "source",
]
# Gentle, documented ranking boosts (see README, "Search ranking").
QUALITY_BOOST = {Quality.HIGH: 1.15, Quality.MODERATE: 1.1, Quality.LOW: 1.05}
FRESH_DAYS, FRESH_BOOST = 365, 1.05
logger = logging.getLogger(__name__)


def snapshot(resource: Resource) -> dict:
    """The resource's editable state as JSON values (dates as ISO strings, terms as ids)."""
    data = {}
    for name in EDITABLE_FIELDS:
        value = getattr(resource, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["terms"] = sorted(resource.terms.values_list("pk", flat=True)) if resource.pk else []
    data["status"] = resource.status
    data["rejection_reason"] = resource.rejection_reason
    return data


def _clean_identifiers(resource: Resource) -> None:
    resource.doi = normalise_doi(resource.doi)
    resource.pmid = normalise_pmid(resource.pmid)
    resource.isbn = normalise_isbn(resource.isbn)
    resource.url_key = normalise_url(resource.url)
    resource.title_key = normalise_title(resource.title)


def ranking_boost(resource: Resource) -> float:
    """A gentle multiplier on text relevance: at most x1.15 for high-quality evidence and x1.05
    for a record checked in the last year (x1.21 together). Small on purpose: a better text
    match always wins over a slightly better record, but between equal matches the better
    evidence comes first."""
    boost = QUALITY_BOOST.get(resource.quality, 1.0)
    if resource.last_checked and (timezone.localdate() - resource.last_checked).days <= FRESH_DAYS:
        boost *= FRESH_BOOST
    return boost


def search_facets(resource: Resource, term_ids=None) -> list[str]:
    """The keys the search page filters and counts on (library.selectors reads the same keys).
    `term_ids` saves a query when the caller knows them (bulk loads)."""
    keys = [f"type:{resource.resource_type}"]
    keys += [f"{name}:{value}" for name, value in (("quality", resource.quality), ("access", resource.access)) if value]
    if resource.pub_year:
        keys.append(f"year:{resource.pub_year}")
    if term_ids is None:
        term_ids = resource.terms.values_list("pk", flat=True)
    return keys + [f"term:{pk}" for pk in term_ids]


def reindex(resource: Resource) -> None:
    index_document(
        SEARCH_KIND,
        resource.pk,
        title=resource.title,
        summary=resource.summary,
        body=resource.description,
        extra=" ".join([*resource.authors, resource.organisation]),
        is_public=resource.status == Status.PUBLISHED,
        boost=ranking_boost(resource),
        facets=search_facets(resource),
    )


@transaction.atomic
def reindex_all() -> int:
    """Every resource's entry written afresh: `peerhub rebuild_search_index` after a disaster."""
    remove_kind(SEARCH_KIND)
    count = 0
    for resource in Resource.objects.order_by("pk").iterator(chunk_size=500):
        reindex(resource)
        count += 1
    return count


register(SEARCH_KIND, reindex_all)


def _apply(resource: Resource, data: dict) -> None:
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(resource, name, data[name] if data[name] is not None else _empty_value(name))
    _clean_identifiers(resource)


def _empty_value(name: str):
    return None if name in {"pub_year", "pub_month", "pub_day", "last_checked", "review_due"} else ""


def _save_and_record(resource, *, actor, action, before, terms=None, note="", actor_fallback=""):
    resource.full_clean(exclude=["terms", "submitted_by"])
    resource.save()
    if terms is not None:
        resource.terms.set(terms)
    reindex(resource)
    return record_event(
        subject_type=SUBJECT, subject_id=resource.pk, action=action, actor=actor,
        before=before, after=snapshot(resource), note=note, actor_fallback=actor_fallback,
    )


@transaction.atomic
def submit_resource(data: dict, *, submitter=None, submitter_email: str = "", terms=(), note: str = "") -> Resource:
    """A contributor's or visitor's submission: it waits in the curator queue. The note to
    curators is kept on the "submitted" audit event."""
    resource = Resource(status=Status.SUBMITTED, submitter_email=submitter_email)
    if submitter is not None and submitter.is_authenticated:
        resource.submitted_by = submitter
        resource.submitter_email = submitter.email
    _apply(resource, data)
    _save_and_record(resource, actor=submitter, action="submitted", before={}, terms=list(terms),
                     note=note.strip(), actor_fallback=submitter_email)
    return resource


@transaction.atomic
def create_resource(data: dict, *, actor, terms=(), publish: bool = False, note: str = "") -> Resource:
    """A record created by a curator, a command or an import (optionally published at once)."""
    resource = Resource(status=Status.PUBLISHED if publish else Status.SUBMITTED)
    if publish:
        resource.published_at = timezone.now()
    _apply(resource, data)
    _save_and_record(resource, actor=actor, action="published" if publish else "created", before={},
                     terms=list(terms), note=note)
    return resource


def _index_fields(resource: Resource, term_ids) -> dict:
    """What reindex() writes for a resource, as index_new_documents takes it."""
    return {
        "object_id": resource.pk, "title": resource.title, "summary": resource.summary,
        "body": resource.description, "extra": " ".join([*resource.authors, resource.organisation]),
        "is_public": resource.status == Status.PUBLISHED, "boost": ranking_boost(resource),
        "facets": search_facets(resource, term_ids=term_ids),
    }


@transaction.atomic
def create_resources_in_bulk(items: list[tuple[dict, str]], *, actor, publish: bool = False) -> list[Resource]:
    """create_resource for many records at once (large imports): (data, note) pairs become
    resources without categories, with the same cleaned identifiers, search entries and
    "created"/"published" audit events, in a few queries and one transaction. The caller has
    validated each record (the import plan runs the model's checks); the database's own
    constraints still refuse a bad row, and then nothing is saved."""
    now = timezone.now()
    resources = []
    for data, _note in items:
        resource = Resource(status=Status.PUBLISHED if publish else Status.SUBMITTED,
                            published_at=now if publish else None)
        _apply(resource, data)
        resources.append(resource)
    insert_new(resources, batch_size=500)  # bulk_create without its per-value overhead
    index_new_documents(SEARCH_KIND, [_index_fields(r, term_ids=[]) for r in resources])
    action = "published" if publish else "created"
    record_events_in_bulk([
        {"subject_type": SUBJECT, "subject_id": r.pk, "action": action, "actor": actor, "before": {},
         "after": {**snapshot_without_terms(r), "terms": []}, "note": note}
        for r, (_data, note) in zip(resources, items, strict=True)
    ])
    return resources


@transaction.atomic
def load_published_resources(rows: list[tuple[int, dict, object, list[int]]], *, actor, note: str) -> list[Resource]:
    """Rebuild published resources from an open-data export: (id, data, published_at, term ids)
    rows keep their ids, publication times and categories, with search entries and a
    "published" audit event each, in a few queries. The caller has validated the data."""
    resources = []
    for pk, data, published_at, _term_ids in rows:
        resource = Resource(pk=pk, status=Status.PUBLISHED, published_at=published_at)
        _apply(resource, data)
        resources.append(resource)
    Resource.objects.bulk_create(resources, batch_size=500)
    through = Resource.terms.through
    through.objects.bulk_create([through(resource_id=pk, term_id=term_id) for pk, _d, _p, ids in rows
                                 for term_id in ids], batch_size=1000)
    pairs = list(zip(resources, rows, strict=True))
    index_new_documents(SEARCH_KIND, [_index_fields(r, term_ids=row[3]) for r, row in pairs])
    record_events_in_bulk([
        {"subject_type": SUBJECT, "subject_id": r.pk, "action": "published", "actor": actor, "before": {},
         "after": {**snapshot_without_terms(r), "terms": sorted(row[3])}, "note": note}
        for r, row in pairs
    ])
    return resources


def snapshot_without_terms(resource: Resource) -> dict:
    """snapshot() for a resource whose categories the caller knows (saves a query per record)."""
    data = {name: getattr(resource, name) for name in EDITABLE_FIELDS}
    data = {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in data.items()}
    return {**data, "status": resource.status, "rejection_reason": resource.rejection_reason}


@transaction.atomic
def update_resource(resource: Resource, data: dict, *, actor, terms=None, note: str = "") -> Resource:
    before = snapshot(resource)
    _apply(resource, data)
    _save_and_record(resource, actor=actor, action="edited", before=before, terms=terms, note=note)
    return resource


@transaction.atomic
def publish_resource(resource: Resource, *, actor, note: str = "") -> Resource:
    before = snapshot(resource)
    resource.status = Status.PUBLISHED
    resource.rejection_reason = ""
    resource.published_at = resource.published_at or timezone.now()
    _save_and_record(resource, actor=actor, action="published", before=before, note=note)
    _notify_submitter_of_decision(resource, before["status"])
    return resource


@transaction.atomic
def reject_resource(resource: Resource, *, actor, reason: str) -> Resource:
    if not reason.strip():
        raise ValueError("Give a reason, so the submitter knows why.")
    if resource.status == Status.PUBLISHED:
        raise ValueError("This resource is published. Unpublish it instead of rejecting it.")
    before = snapshot(resource)
    resource.status = Status.REJECTED
    resource.rejection_reason = reason.strip()
    _save_and_record(resource, actor=actor, action="rejected", before=before, note=reason.strip())
    _notify_submitter_of_decision(resource, before["status"])
    return resource


@transaction.atomic
def unpublish_resource(resource: Resource, *, actor, note: str = "") -> Resource:
    if resource.status != Status.PUBLISHED:
        raise ValueError("Only a published resource can be unpublished.")
    before = snapshot(resource)
    resource.status = Status.UNPUBLISHED
    _save_and_record(resource, actor=actor, action="unpublished", before=before, note=note)
    return resource


@transaction.atomic
def delete_resource(resource: Resource, *, actor, note: str = "") -> None:
    before = snapshot(resource)
    pk = resource.pk
    remove_document(SEARCH_KIND, pk)
    resource.delete()
    record_event(subject_type=SUBJECT, subject_id=pk, action="deleted", actor=actor, before=before, after={},
                 note=note)


@transaction.atomic
def restore_version(resource: Resource, event, *, actor) -> Resource:
    """Bring back the fields and categories a resource had after an earlier audit event.
    Its publication status is left as it is now: restoring content is not publishing."""
    before = snapshot(resource)
    data = {k: v for k, v in event.snapshot.items() if k in EDITABLE_FIELDS}
    for date_field in ("last_checked", "review_due"):
        if data.get(date_field):
            data[date_field] = timezone.datetime.fromisoformat(data[date_field]).date()
    _apply(resource, data)
    terms = live_term_ids(event.snapshot.get("terms", []))
    _save_and_record(resource, actor=actor, action="restored", before=before, terms=terms,
                     note=f"Restored the version of {timezone.localtime(event.at):%d %B %Y %H:%M}")
    return resource


def live_term_ids(term_ids) -> list[int]:
    """The terms as they are now: a term merged since is replaced by the one it was merged into,
    so restoring an old version never brings back a hidden category. One step is enough because
    taxonomy.merge_terms keeps every merged_into pointing at a live term."""
    rows = Term.objects.filter(pk__in=term_ids).values_list("pk", "merged_into")
    return sorted({merged_into or pk for pk, merged_into in rows})


# Decision emails ----------------------------------------------------------------------------

def _notify_submitter_of_decision(resource: Resource, previous_status: str) -> None:
    """Tell the person who suggested the resource what the curators decided. Only the first
    decision on a suggestion is sent; later re-publishing is a curator's housekeeping. Sent
    after commit, so nobody hears of a decision that was rolled back."""
    if previous_status != Status.SUBMITTED or not resource.submitter_email:
        return
    subject, body = _decision_email(resource)
    transaction.on_commit(partial(_send_email, subject, body, resource.submitter_email))


def _decision_email(resource: Resource) -> tuple[str, str]:
    greeting = f"Thank you for suggesting “{resource.title}” for the Peer Support Hub evidence library."
    if resource.status == Status.PUBLISHED:
        link = settings.SITE_URL + resource.get_absolute_url()
        return ("Your suggestion is now in the Peer Support Hub library",
                f"{greeting}\n\nA curator has checked it and published it. You can see it here:\n{link}\n")
    return ("Your suggestion for the Peer Support Hub library was not accepted",
            f"{greeting}\n\nA curator has checked it and decided not to add it to the library.\n\n"
            f"The reason they gave:\n{resource.rejection_reason}\n\n"
            f"You are welcome to suggest it again with more detail: {settings.SITE_URL}{reverse('library:submit')}\n")


def _send_email(subject: str, body: str, recipient: str) -> None:
    # The decision is already saved; a mail server being down must not turn it into an error page.
    try:
        EmailMessage(subject, body, None, [recipient]).send()
    except OSError:
        logger.exception("Could not send the decision email to %s", recipient)
