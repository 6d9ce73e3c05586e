"""`peerhub import FILE...`: bibliographic exports into the library, through the same importer
functions the browser preview uses. Every file is read first; then all their records are
deduplicated together and saved in one transaction (all or nothing)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from peerhub.accounts.models import Role
from peerhub.library.importers.formats import FORMATS, read_file
from peerhub.library.importers.pipeline import ImportFailed, Outcome, import_files
from peerhub.library.importers.records import ImportFileError

SUMMARY_WORDS = [
    (Outcome.NEW, "new"), (Outcome.MERGED, "merged into existing records"),
    (Outcome.DUPLICATE, "duplicates within the import"), (Outcome.ERROR, "errors"),
]


def saving_progress(groups):
    # disable=None: a bar on a terminal, silence in logs and pipes.
    return tqdm(groups, desc="Saving", unit="record", disable=None)


def display_names(paths: list[str]) -> dict[str, str]:
    """Each file by its name, or with its folder's name when two files share a name (_baseline.ris)."""
    names = [Path(p).name for p in paths]
    return {p: Path(p).name if names.count(Path(p).name) == 1 else f"{Path(p).parent.name}/{Path(p).name}"
            for p in paths}


def parse_columns(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise CommandError(f"--column takes FIELD=HEADER, e.g. title=\"Article name\"; got “{pair}”.")
        mapping[field.strip()] = header.strip()
    return mapping


class Command(BaseCommand):
    help = ("Import bibliographic exports (RIS, MEDLINE/nbib, BibTeX, EndNote XML, CSL-JSON, EPPI-Reviewer JSON, "
            "CSV) into the library. Records wait in the curator queue unless --publish is given.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--publish", action="store_true", help="Publish the new records at once.")
        parser.add_argument("--format", help=f"Read the files as this format instead of detecting it: "
                                             f"{', '.join(FORMATS)}.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; save nothing.")
        parser.add_argument("--actor", metavar="EMAIL", help="The curator importing (needed unless --dry-run).")
        parser.add_argument("--no-dedupe", action="store_true", help="Import every record, even duplicates.")
        parser.add_argument("--column", action="append", default=[], metavar="FIELD=HEADER",
                            help="For CSV: the column holding a field, e.g. title=\"Article name\". Repeatable.")

    def handle(self, *args, **options):
        actor = self.find_actor(options["actor"], dry_run=options["dry_run"])
        parsed = self.read_files(options)
        try:
            report = import_files(
                parsed, actor=actor, publish=options["publish"], dedupe=not options["no_dedupe"],
                dry_run=options["dry_run"], progress=saving_progress,
            )
        except ImportFailed as error:
            raise CommandError(f"The import failed: {error}.") from error
        self.print_report(report, parsed, options["verbosity"])

    def find_actor(self, email: str | None, *, dry_run: bool):
        if not email:
            if dry_run:
                return None
            raise CommandError("Say who is importing: --actor curator@example.org (or use --dry-run).")
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"There is no account with the email address {email}.")
        if not user.has_role(Role.CURATOR):
            raise CommandError(f"{email} is not a curator, so cannot import into the library.")
        return user

    def read_files(self, options) -> list:
        parsed, failures = [], []
        mapping = parse_columns(options["column"]) or None
        names = display_names(options["files"])
        for path in tqdm(options["files"], desc="Reading", unit="file", disable=None):
            try:
                parsed.append(read_file(path, name=names[path], format=options["format"], csv_mapping=mapping))
            except ImportFileError as error:
                failures.append(f"{path}: {error}")
        if failures:
            raise CommandError("Nothing was imported, because these files cannot be read:\n  " + "\n  ".join(failures))
        return parsed

    def print_report(self, report, parsed, verbosity: int) -> None:
        summaries = report.by_file()
        for parsed_file in parsed:
            summary = summaries.get(parsed_file.name)
            counts = summary.counts if summary else {}
            words = ", ".join(f"{counts.get(status, 0)} {label}" for status, label in SUMMARY_WORDS)
            label = FORMATS[parsed_file.format].label
            self.stdout.write(f"{parsed_file.name} ({label}): {parsed_file.records_seen} records in the file: {words}")
            for warning in parsed_file.warnings:
                self.stdout.write(f"  warning: {warning}")
        self.print_details(report, verbosity)
        self.stdout.write(self.style.SUCCESS(self.closing_line(report)))

    def print_details(self, report, verbosity: int) -> None:
        """Errors always; duplicates, merges and warnings with --verbosity 2."""
        for outcome in report.outcomes:
            if outcome.status == Outcome.ERROR:
                self.stdout.write(self.style.ERROR(f"  {outcome.position}: {outcome.reason}"))
            elif verbosity >= 2 and outcome.status != Outcome.NEW:
                self.stdout.write(f"  {outcome.position}: {outcome.status}: {outcome.reason}")
            if verbosity >= 2:
                for warning in outcome.warnings:
                    self.stdout.write(f"  {outcome.position}: warning: {warning}")

    def closing_line(self, report) -> str:
        counts = report.counts()
        if report.dry_run:
            return "Dry run: nothing was saved."
        queue = "published" if report.publish else "waiting for review in the curator queue"
        return f"Saved: {counts[Outcome.NEW]} new records {queue}; {counts[Outcome.MERGED]} existing records matched."
