"""Enqueue the scheduled work that is due: saved searches (daily or weekly), the daily link check
and the digest. The django-tasks-db worker (`peerhub db_worker`) then runs them. Run it from cron
(see peerhub/freshness/README-freshness.md) or keep it running with --every."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from peerhub.freshness.schedule import enqueue_due_jobs


class Command(BaseCommand):
    help = "Enqueue the saved searches, link check and digest that are due, for the background worker."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS",
                            help="Keep running, looking for due work every SECONDS (at least 60).")
        parser.add_argument("--harvests-only", action="store_true",
                            help="Enqueue only the saved searches, not the link check or the digest.")

    def handle(self, *args, every=None, harvests_only=False, **options):
        if every is not None and every < 60:
            raise CommandError("--every must be at least 60 seconds.")
        while True:
            done = enqueue_due_jobs(timezone.now(), include_jobs=not harvests_only)
            self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M}: {done}")
            if every is None:
                return
            time.sleep(every)
