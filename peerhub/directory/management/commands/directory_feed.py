"""Export the whole directory as an ORUK 3.0 feed (JSON, or CSV tables in a ZIP), or import one
from a file (.json or .zip of CSV tables) or from another hub's ORUK API (an http(s) address)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peerhub.directory.documents import DocumentError
from peerhub.directory.exchange import export_csv_zip, export_feed, feed_from_file, fetch_feed, import_feed


class Command(BaseCommand):
    help = ("export [FILE]: write the directory as ORUK JSON (or CSV tables with --format csv, or a FILE "
            "ending .zip); import SOURCE: load a .json feed, a .zip of ORUK CSV tables, or an ORUK API's "
            "services address (https://…/services).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("path", nargs="?", help="File or address to read (import) or write (export; default "
                                                    "stdout)")
        parser.add_argument("--format", choices=["json", "csv"], help="Export format (default: from the file name)")

    def handle(self, *args, **options):
        if options["action"] == "export":
            return self._export(options["path"], options["format"])
        if not options["path"]:
            raise CommandError("Give the feed file or address to import.")
        self._import(options["path"])

    def _export(self, path, fmt):
        as_csv = fmt == "csv" or (fmt is None and path and path.lower().endswith(".zip"))
        if as_csv and not path:
            raise CommandError("CSV tables are written as a ZIP file: give the file name to write.")
        if as_csv:
            Path(path).write_bytes(export_csv_zip())
            return
        text = json.dumps(export_feed(), ensure_ascii=False, indent=1)
        if path:
            Path(path).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)

    def _read(self, source: str):
        if source.startswith(("http://", "https://")):
            return fetch_feed(source), f"feed {source}"
        return feed_from_file(source, Path(source).read_bytes()), f"file {source}"

    def _import(self, source):
        try:
            feed, label = self._read(source)
            report = import_feed(feed, source=label)
        except (OSError, DocumentError) as error:
            raise CommandError(f"Could not import {source}: {error}") from None
        self.stdout.write(f"{report.created} created, {report.updated} updated, {len(report.errors)} rejected.")
        for problem in report.errors:
            self.stdout.write(self.style.WARNING(problem))
