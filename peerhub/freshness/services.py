"""Writes for freshness: saved searches and their runs, link checks, and the digest. Pages,
commands and background tasks all call these; harvested records enter the catalogue only through
the importer pipeline, as submissions waiting in the curator queue."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from peerhub.freshness import linkcheck, selectors
from peerhub.freshness.harvest import HARVESTERS
from peerhub.freshness.harvest.base import HarvestError, HarvestResult, Request, harvest_label
from peerhub.freshness.http import HarvestHTTPError, PoliteClient, build_client
from peerhub.freshness.models import LinkCheck, Outcome, SavedSearch, ScheduledJob, Source
from peerhub.library import services as library_services
from peerhub.library.importers.pipeline import ImportFailed, ImportReport, import_records
from peerhub.library.importers.pipeline import Outcome as ImportOutcome
from peerhub.library.models import Resource

logger = logging.getLogger(__name__)
LINK_CHECK_JOB, DIGEST_JOB = "link-check", "digest"


# Saved searches ------------------------------------------------------------------------------

def create_saved_search(data: dict, *, owner) -> SavedSearch:
    search = SavedSearch(owner=owner, **data)
    search.full_clean()
    search.save()
    return search


def update_saved_search(search: SavedSearch, data: dict) -> SavedSearch:
    for name, value in data.items():
        setattr(search, name, value)
    search.full_clean()
    search.save()
    return search


def delete_saved_search(search: SavedSearch) -> None:
    search.delete()


@dataclass
class RunSummary:
    """What one run of a saved search did, for the page, the command and the task's result."""

    search: SavedSearch
    ok: bool
    message: str
    counts: dict = field(default_factory=dict)


def _client_for(search: SavedSearch) -> PoliteClient:
    return PoliteClient(build_client(), min_interval=HARVESTERS[search.source].min_interval)


def harvest(search: SavedSearch, client: PoliteClient, today: date) -> HarvestResult:
    """Ask the source; only what it indexed since the last successful run, when there was one."""
    since = timezone.localdate(search.last_success_at) if search.last_success_at else None
    label = harvest_label(search.get_source_display(), search.query, today)
    request = Request(query=search.query, limit=search.max_records, label=label, since=since)
    options = {"result_format": search.result_format} if search.source == Source.EUROPEPMC else {}
    return HARVESTERS[search.source].run(client, request, **options)


def run_saved_search(search: SavedSearch, *, actor, client: PoliteClient | None = None) -> RunSummary:
    """Harvest, then import through the pipeline (deduplicated against the catalogue and the
    queue; new records wait for review). A failure is recorded on the search, never half-saved."""
    now = timezone.now()
    own_client = client is None
    client = client or _client_for(search)
    try:
        result = harvest(search, client, timezone.localdate(now))
        report = import_records(result.records, problems=result.problems, actor=actor or search.owner,
                                publish=False)
    except (HarvestError, HarvestHTTPError, ImportFailed) as error:
        return _record_run(search, now, RunSummary(search, False, f"The run failed: {error}."))
    finally:
        if own_client:
            client.close()
    return _record_run(search, now, _summary(search, result, report))


def _summary(search: SavedSearch, result: HarvestResult, report: ImportReport) -> RunSummary:
    counts = report.counts()
    numbers = {"hits": result.hits, "read": result.seen, "new": counts[ImportOutcome.NEW],
               "known": counts[ImportOutcome.MERGED], "repeated": counts[ImportOutcome.DUPLICATE],
               "unusable": counts[ImportOutcome.ERROR]}
    message = (f"{search.get_source_display()} found {numbers['hits']:,} and {numbers['read']:,} were read: "
               f"{numbers['new']} new for the curator queue, {numbers['known']} already in the catalogue or queue, "
               f"{numbers['repeated']} repeated within the run, {numbers['unusable']} could not be used.")
    if result.notes:
        message += " " + " ".join(f"{note}." for note in result.notes)
    return RunSummary(search, True, message, numbers)


def _record_run(search: SavedSearch, now: datetime, summary: RunSummary) -> RunSummary:
    search.last_run_at, search.last_failed = now, not summary.ok
    search.last_outcome = summary.message
    if summary.ok:
        search.last_success_at = now
    search.save(update_fields=["last_run_at", "last_failed", "last_outcome", "last_success_at"])
    log = logger.info if summary.ok else logger.warning
    log("Saved search %s (%s): %s", search.pk, search.name, summary.message)
    return summary


def mark_enqueued(search: SavedSearch, now: datetime) -> None:
    SavedSearch.objects.filter(pk=search.pk).update(last_enqueued_at=now)


# Link checking -------------------------------------------------------------------------------

@dataclass
class LinkCheckSummary:
    checked: int = 0
    ok: int = 0
    uncertain: int = 0
    broken: int = 0
    flagged: int = 0

    def __str__(self) -> str:
        return (f"Checked {self.checked} link{'s' if self.checked != 1 else ''}: {self.ok} working, "
                f"{self.broken} failing, {self.uncertain} could not be confirmed; "
                f"{self.flagged} flagged to curators (failing {settings.LINK_FLAG_AFTER_FAILURES} times in a row).")


def check_links(resources=None, *, transport=None) -> LinkCheckSummary:
    """Check the given records' links (by default every link due for a check) and record each."""
    resources = list(selectors.links_due_for_check(timezone.now()) if resources is None else resources)
    results = linkcheck.check_all(
        [r.url for r in resources], timeout=settings.LINK_CHECK_TIMEOUT_SECONDS,
        per_host=settings.LINK_CHECK_PER_HOST, concurrency=settings.LINK_CHECK_CONCURRENCY, transport=transport,
    )
    summary, now = LinkCheckSummary(), timezone.now()
    for resource in resources:
        check = record_link_check(resource, results[resource.url], now)
        summary.checked += 1
        setattr(summary, check.outcome, getattr(summary, check.outcome) + 1)
        summary.flagged += check.flagged
    _finish_job(LINK_CHECK_JOB, str(summary))
    return summary


@transaction.atomic
def record_link_check(resource: Resource, result: linkcheck.LinkResult, at: datetime) -> LinkCheck:
    """Keep the check; count broken checks in a row (an unconfirmed one neither breaks nor mends
    the run); a working link updates the record's "last checked" date through the library."""
    previous = selectors.latest_check(resource)
    failures = previous.failures_in_row if previous else 0
    failures = failures + 1 if result.outcome == Outcome.BROKEN else 0 if result.outcome == Outcome.OK else failures
    check = LinkCheck.objects.create(
        resource=resource, url=result.url, checked_at=at, outcome=result.outcome, status_code=result.status_code,
        final_url=result.final_url[:2000], method=result.method, error=result.error[:300],
        elapsed_ms=result.elapsed_ms, failures_in_row=failures,
    )
    if result.outcome == Outcome.OK:
        confirm_checked(resource, timezone.localdate(at), result)
    return check


def confirm_checked(resource: Resource, day: date, result: linkcheck.LinkResult) -> None:
    if resource.last_checked == day:
        return  # already confirmed today: no new version in the record's history
    note = f"The link checker confirmed the web address works ({result.method} answered {result.status_code})."
    library_services.update_resource(resource, {"last_checked": day}, actor=None, note=note)


# The digest ----------------------------------------------------------------------------------

def digest_message(today: date) -> tuple[str, str] | None:
    """The digest's subject and body, or None when nothing needs attention."""
    attention = selectors.attention(today, limit=20)
    if not attention.anything:
        return None
    body = render_to_string("freshness/digest_email.txt", {"attention": attention, "site_url": settings.SITE_URL,
                                                             "today": today})
    return f"Peer Support Hub: what needs attention ({today:%-d %B %Y})", body


def send_digest(today: date | None = None) -> str:
    """Email the digest to every curator; says what it did."""
    today = today or timezone.localdate()
    message, recipients = digest_message(today), [user.email for user in selectors.curators()]
    if message is None:
        outcome = "Nothing needs attention, so no digest was sent."
    elif not recipients:
        outcome = "There are no curator accounts to send the digest to."
    else:
        EmailMessage(message[0], message[1], None, [settings.DEFAULT_FROM_EMAIL], bcc=recipients).send()
        outcome = f"Sent the digest to {len(recipients)} curator{'s' if len(recipients) != 1 else ''}."
    _finish_job(DIGEST_JOB, outcome)
    return outcome


# Scheduled jobs ------------------------------------------------------------------------------

def mark_job_enqueued(name: str, now: datetime) -> None:
    ScheduledJob.objects.update_or_create(name=name, defaults={"last_enqueued_at": now})


def _finish_job(name: str, outcome: str) -> None:
    ScheduledJob.objects.update_or_create(name=name, defaults={"last_finished_at": timezone.now(),
                                                               "last_outcome": outcome})
