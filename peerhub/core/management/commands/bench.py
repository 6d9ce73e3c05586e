"""`peerhub bench <name>`: the hub's benchmarks. Each module registers its benchmarks in
BENCHMARKS below as a dotted path to a module with `add_arguments(parser)` and
`run(options, write)`; they print figures and compare against a reference measured in the
same run (they are not timed unit tests)."""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

BENCHMARKS = {
    "search": "peerhub.search.bench.search",
    "relevance": "peerhub.search.bench.relevance",
    "http": "peerhub.search.bench.http",
    "directory": "peerhub.directory.bench",
    "import": "peerhub.library.importers.bench",
}


def _load(name: str):
    try:
        return import_module(BENCHMARKS[name])
    except ModuleNotFoundError as error:
        raise CommandError(f"The {name} benchmark is not available: {error}") from None


class Command(BaseCommand):
    help = "Run a benchmark: " + ", ".join(BENCHMARKS)

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="benchmark", required=True, metavar="{" + ",".join(BENCHMARKS) + "}")
        for name, path in BENCHMARKS.items():
            sub = subparsers.add_parser(name, help=f"benchmark: {name}")
            try:
                import_module(path).add_arguments(sub)
            except ModuleNotFoundError:
                continue

    def handle(self, *args, **options):
        _load(options["benchmark"]).run(options, self.stdout.write)
