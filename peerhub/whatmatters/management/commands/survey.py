"""`peerhub survey estimate DATA.csv --design DESIGN.toml --out ESTIMATES.csv`: design-based survey
estimates that reproduce R's `survey` package, and `peerhub survey bws FOLDER --out OUT_FOLDER`:
best-worst scaling scores. The numbers come from peerhub.whatmatters.stats, as for pages and the API."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peerhub.whatmatters.stats import bws, run
from peerhub.whatmatters.stats.errors import SurveyInputError


def estimate(options, write) -> None:
    result = run.estimate_file(options["data"], options["design"])
    run.write_estimates(result.rows, options["out"])
    for note in result.notes:
        write(f"Warning: {note}")
    write(f"Wrote {len(result.rows)} estimates to {options['out']}")


def best_worst(options, write) -> None:
    written = bws.write_all(Path(options["folder"]), Path(options["out"]))
    for path in written:
        write(f"Wrote {path}")


ACTIONS = {"estimate": estimate, "bws": best_worst}


class Command(BaseCommand):
    help = "Survey statistics: design-based estimates (as R's survey package) and best-worst scaling scores."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{estimate,bws}")
        make = actions.add_parser("estimate", help="estimates from a data CSV and a design file (TOML)")
        make.add_argument("data", help="survey data, CSV with a header row")
        make.add_argument("--design", required=True, help="design file (TOML)")
        make.add_argument("--out", required=True, help="where to write the estimates (CSV)")
        scores = actions.add_parser("bws", help="best-worst scaling counts, scores and preference shares")
        scores.add_argument("folder", help="folder with bws_items, bws_design, bws_respondents, bws_responses CSVs")
        scores.add_argument("--out", required=True, help="folder to write bws_counts, bws_scores, bws_shares CSVs")

    def handle(self, *args, **options):
        try:
            ACTIONS[options["action"]](options, self.stdout.write)
        except SurveyInputError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"cannot write {error.filename}: {error.strerror}") from None
