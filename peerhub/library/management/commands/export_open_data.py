"""`peerhub export_open_data DIR`: the hub's open data (published resources, the taxonomy and the
stories whose tellers agreed to open data) as JSON and CSV, with a Frictionless datapackage.json
and the licence. The same files the open data page offers as a zip."""

from django.core.management.base import BaseCommand, CommandError

from peerhub.library.opendata import DATA_FILES, LICENCE_FILE, write_open_data


class Command(BaseCommand):
    help = "Write the hub's open data (JSON, CSV, datapackage.json and the licence) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="Where to write the files (created if needed)")

    def handle(self, *args, **options):
        try:
            summary = write_open_data(options["folder"])
        except OSError as error:
            raise CommandError(f"The open data could not be written to {options['folder']}: {error}.") from error
        names = ", ".join([f.path for f in DATA_FILES] + ["datapackage.json", LICENCE_FILE])
        self.stdout.write(f"Wrote {names}")
        self.stdout.write(self.style.SUCCESS(
            f"Open data: {summary.resources} resources, {summary.vocabularies} vocabularies with "
            f"{summary.terms} terms, {summary.stories} stories, in {options['folder']}."))
