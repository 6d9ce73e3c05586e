"""Export the whole directory as an ORUK 3.0 JSON feed, or import one from a file."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from peerhub.directory.documents import DocumentError
from peerhub.directory.exchange import export_feed, import_feed


class Command(BaseCommand):
    help = "export: write the directory as ORUK JSON; import FILE: load an ORUK JSON feed."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("path", nargs="?", help="File to read (import) or write (export; default stdout)")

    def handle(self, *args, **options):
        if options["action"] == "export":
            return self._export(options["path"])
        if not options["path"]:
            raise CommandError("Give the feed file to import.")
        self._import(options["path"])

    def _export(self, path):
        text = json.dumps(export_feed(), ensure_ascii=False, indent=1)
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)

    def _import(self, path):
        try:
            with open(path, encoding="utf-8") as handle:
                report = import_feed(json.load(handle), source=f"file {path}")
        except (OSError, json.JSONDecodeError, DocumentError) as error:
            raise CommandError(f"Could not import {path}: {error}") from None
        self.stdout.write(f"{report.created} created, {report.updated} updated, {len(report.errors)} rejected.")
        for problem in report.errors:
            self.stdout.write(self.style.WARNING(problem))
