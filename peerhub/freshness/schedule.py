"""The periodic part: find what is due and enqueue it for the worker. Run by
`peerhub run_scheduled_harvests` (from cron, or in a loop with --every next to the worker).
Each job is marked enqueued at once, so running the scheduler again before the worker has caught
up does not enqueue the same job twice."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from peerhub.freshness import selectors, services, tasks


@dataclass
class Enqueued:
    searches: list = field(default_factory=list)
    link_check: bool = False
    digest: bool = False

    def __str__(self) -> str:
        parts = [f"{len(self.searches)} saved search{'es' if len(self.searches) != 1 else ''}"]
        parts += ["the link check"] if self.link_check else []
        parts += ["the digest"] if self.digest else []
        return "Enqueued " + ", ".join(parts) + "."


def enqueue_due_harvests(now: datetime) -> list:
    due = selectors.due_saved_searches(now)
    for search in due:
        services.mark_enqueued(search, now)
        tasks.harvest_saved_search.enqueue(search.pk)
    return due


def _job_due(name: str, every: timedelta, now: datetime) -> bool:
    job = selectors.job(name)
    return job is None or job.last_enqueued_at is None or job.last_enqueued_at + every <= now


def enqueue_due_jobs(now: datetime, *, include_jobs: bool = True) -> Enqueued:
    """Due saved searches, and (unless include_jobs is False) the link check and the digest."""
    done = Enqueued(searches=enqueue_due_harvests(now))
    if not include_jobs:
        return done
    # Daily: each run checks only the links not checked within LINK_CHECK_INTERVAL_DAYS, so the
    # catalogue's links are spread over the days instead of all checked at once.
    if _job_due(services.LINK_CHECK_JOB, timedelta(days=1), now):
        services.mark_job_enqueued(services.LINK_CHECK_JOB, now)
        tasks.check_links.enqueue()
        done.link_check = True
    if _job_due(services.DIGEST_JOB, timedelta(days=settings.DIGEST_INTERVAL_DAYS), now):
        services.mark_job_enqueued(services.DIGEST_JOB, now)
        tasks.send_freshness_digest.enqueue()
        done.digest = True
    return done
