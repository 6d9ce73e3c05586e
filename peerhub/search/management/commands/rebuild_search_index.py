"""`peerhub rebuild_search_index [--kind KIND]`: rebuild the search index from the records, for
disasters (a restored backup, a changed analyser). Each module registered how to reindex its kind."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from peerhub.search.registry import registered_kinds


class Command(BaseCommand):
    help = "Rebuild the search index from the records of every registered kind (or one)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="Only this kind, e.g. library.resource")

    def handle(self, *args, **options):
        kinds = registered_kinds()
        chosen = [options["kind"]] if options["kind"] else sorted(kinds)
        unknown = [k for k in chosen if k not in kinds]
        if unknown:
            raise CommandError(f"Unknown kind {unknown[0]!r}. Registered: {', '.join(sorted(kinds))}.")
        for kind in chosen:
            self.stdout.write(f"{kind}: {kinds[kind]()} entries indexed")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # compact the FTS5 segments after many writes
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
