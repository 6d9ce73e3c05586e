"""Load the GB postcode sector and district centroids into the lookup table (safe to rerun)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peerhub.directory.postcodes import ATTRIBUTION_LINES
from peerhub.directory.services import load_postcode_centroids


class Command(BaseCommand):
    help = "Load GB postcode sector and district centroids from the shared data folder."

    def add_arguments(self, parser):
        parser.add_argument("--shared-dir", default=str(settings.SHARED_DATA_DIR))

    def handle(self, *args, **options):
        try:
            count = load_postcode_centroids(options["shared_dir"])
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} postcode sectors and districts."))
        self.stdout.write("\n".join(ATTRIBUTION_LINES))
