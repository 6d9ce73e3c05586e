"""`peerhub import_open_data DIR`: rebuild a fresh hub's published catalogue and taxonomy from an
open-data export (the JSON files `export_open_data` writes), all or nothing. Resources, vocabularies
and terms keep their ids where the hub has them free. Stories are not loaded: their consent
belongs to the hub where they were told."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from peerhub.accounts.models import Role
from peerhub.library.opendata import OpenDataError, load_open_data


class Command(BaseCommand):
    help = "Rebuild a fresh hub's published resources and taxonomy from an open-data export folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="A folder written by export_open_data")
        parser.add_argument("--actor", metavar="EMAIL", help="The curator loading it, for the audit history")

    def handle(self, *args, **options):
        actor = self.find_actor(options["actor"])
        try:
            summary = load_open_data(options["folder"], actor=actor)
        except OpenDataError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {summary.resources} published resources and {summary.vocabularies} vocabularies with "
            f"{summary.terms} terms from {options['folder']}."))

    def find_actor(self, email: str | None):
        if not email:
            return None  # the audit history then says the change came from a command
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None or not user.has_role(Role.CURATOR):
            raise CommandError(f"{email} is not a curator's account.")
        return user
