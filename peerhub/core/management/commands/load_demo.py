"""Loads the demo data that `make run` shows: demo accounts, the library's example and real
records. Safe to run again: it adds only what is missing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peerhub.accounts.demo import DEMO_PASSWORD, load_demo_users
from peerhub.directory.demo import load_directory_demo
from peerhub.library.demo import load_library_demo
from peerhub.stories.demo import load_stories_demo
from peerhub.whatmatters.demo import load_whatmatters_demo


class Command(BaseCommand):
    help = "Load demo accounts and the demo catalogue (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data has a public password: load it only with DEBUG=true.")
        load_demo_users()
        self.stdout.write(self.style.SUCCESS(f"Library: {load_library_demo(settings.SHARED_DATA_DIR)}"))
        self.stdout.write(self.style.SUCCESS(f"Directory: {load_directory_demo(settings.SHARED_DATA_DIR)}"))
        self.stdout.write(self.style.SUCCESS(f"Stories: {load_stories_demo()}"))
        self.stdout.write(self.style.SUCCESS(f"What matters: {load_whatmatters_demo()}"))
        self.stdout.write(f"Demo curator login: curator@example.org / {DEMO_PASSWORD}")
