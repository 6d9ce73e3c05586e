"""Check the catalogue's links now (or enqueue the check for the worker with --enqueue)."""

from django.core.management.base import BaseCommand

from peerhub.freshness import selectors, services, tasks


class Command(BaseCommand):
    help = "Check the links due for a check (or every link with --all); flag those failing twice in a row."

    def add_arguments(self, parser):
        parser.add_argument("--all", dest="check_every", action="store_true",
                            help="Check every link, not only those due.")
        parser.add_argument("--enqueue", action="store_true", help="Leave the check to the background worker.")

    def handle(self, *args, check_every=False, enqueue=False, **options):
        if enqueue:
            result = tasks.check_links.enqueue(every_link=check_every)
            self.stdout.write(f"Enqueued the link check (job {result.id}).")
            return
        resources = selectors.all_checkable_links() if check_every else None
        self.stdout.write(str(services.check_links(resources)))
