"""Email curators what needs attention: broken links, overdue reviews, records never checked,
failing saved searches. Uses Django's email framework (EMAIL_BACKEND; the console by default)."""

from django.core.management.base import BaseCommand

from peerhub.freshness import services, tasks


class Command(BaseCommand):
    help = "Email the freshness digest to every curator (nothing is sent when nothing needs attention)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Leave the sending to the background worker.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = tasks.send_freshness_digest.enqueue()
            self.stdout.write(f"Enqueued the digest (job {result.id}).")
            return
        self.stdout.write(services.send_digest())
