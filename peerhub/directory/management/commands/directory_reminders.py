"""Email "is this still right?" to providers of listings a year old or within a month of it.
Run daily (cron); a listing is reminded at most once a month."""

from django.core.management.base import BaseCommand

from peerhub.directory.freshness import send_due_reminders


class Command(BaseCommand):
    help = "Send 'is this still right?' emails for listings near or over 12 months since last checked."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be emailed; send nothing")

    def handle(self, *args, **options):
        run = send_due_reminders(dry_run=options["dry_run"])
        verb = "would be sent" if options["dry_run"] else "sent"
        self.stdout.write(f"{len(run.sent)} reminder{'s' if len(run.sent) != 1 else ''} {verb}, "
                          f"{len(run.failed)} failed.")
        for line in run.sent:
            self.stdout.write(f"  {line}")
        for line in run.failed:
            self.stdout.write(self.style.WARNING(f"  {line}"))
