"""`peerhub bench search --docs N`: the library search page's work (words, filters, facet counts,
first page of 20 with its terms) over a fixed mix of queries, on the current kind of database,
in the benchmark's own database. In the same run, the same queries through tantivy (reference)
and through the straightforward single SQL statement (baseline)."""

import statistics
import time

from django.conf import settings
from django.db import connection

from peerhub.library.selectors import _filter_keys, _merged_into_map, search_resources, term_lookup
from peerhub.library.services import SEARCH_KIND
from peerhub.search import bitmaps
from peerhub.search.bench.benchdb import (
    BENCH_DIR,
    build_catalogue,
    catalogue_size,
    drop_bench_database,
    use_bench_database,
)
from peerhub.search.bench.catalogue import load_pool
from peerhub.search.bench.queries import query_mix
from peerhub.search.bench.reference import baseline_search, build_tantivy, expanded, tantivy_search
from peerhub.search.query import parse

TARGET_P95_MS = {100_000: 50, 1_000_000: 500}


def add_arguments(parser):
    parser.add_argument("--docs", type=int, default=100_000, help="resources in the catalogue (default 100,000)")
    parser.add_argument("--rebuild", action="store_true", help="build the benchmark database afresh")
    parser.add_argument("--no-baseline", action="store_true", help="skip the single-statement baseline")
    parser.add_argument("--keep", action="store_true",
                        help="on PostgreSQL, keep the benchmark database for the next run (dropped by default)")


def prepare(docs: int, rebuild: bool, write):
    """Switch to the benchmark database for `docs` resources, building it when needed."""
    name = f"search_{docs}"
    if rebuild:
        drop_bench_database(name)
    target = use_bench_database(name)
    write(f"Database: {connection.vendor} {target}")
    size = catalogue_size()
    if size not in (0, docs):
        drop_bench_database(name)
        use_bench_database(name)
        size = 0
    if size == 0:
        started = time.perf_counter()
        pool = build_catalogue(docs, write)
        write(f"Built {docs:,} resources in {time.perf_counter() - started:.0f} s")
        return pool
    write(f"Reusing the {docs:,} resources built earlier")
    return load_pool()


def percentiles(times: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return statistics.median(times), cuts[94], cuts[98]


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - started) * 1000, result


def _row(write, name: str, times: list[float]) -> tuple[float, float, float]:
    p50, p95, p99 = percentiles(times)
    write(f"  {name:<30} p50 {p50:8.1f}   p95 {p95:8.1f}   p99 {p99:8.1f}   max {max(times):8.1f}   ms")
    return p50, p95, p99


def _warm_up(write):
    elapsed, _ = _timed(lambda: bitmaps.snapshot().for_kind(SEARCH_KIND))
    write(f"Facet bitmaps loaded once per process in {elapsed:,.0f} ms")


def _hub_pass(mix, times: dict, notes: dict) -> list:
    """The hub over the whole mix; each query's page (totals are compared with tantivy's)."""
    pages = []
    for kind, params in mix:
        elapsed, page = _timed(search_resources, params)
        times["hub"].append(elapsed)
        notes["kinds"].setdefault(kind, []).append(elapsed)
        notes["any_word"] += page.any_word
        notes["bounded"] += page.ranking_bounded
        pages.append(page)
    return pages


def _tantivy_pass(mix, index, lookup, pages, times: dict, notes: dict) -> None:
    snapshot = bitmaps.snapshot()
    merged, groups = _merged_into_map(snapshot), snapshot.synonym_groups()
    for (_kind, params), page in zip(mix, pages, strict=True):
        query = expanded(parse(params.q), groups)
        elapsed, (total, _ids, _facets) = _timed(tantivy_search, index, query, _filter_keys(params, lookup, merged, {}))
        times["tantivy"].append(elapsed)
        if not page.any_word:
            notes["compared"] += 1
            notes["agree"] += total == page.total


def _baseline_pass(mix, lookup, times: dict) -> None:
    groups = bitmaps.snapshot().synonym_groups()
    for _kind, params in mix:
        elapsed, _total = _timed(baseline_search, expanded(parse(params.q), groups), params, lookup)
        times["baseline"].append(elapsed)


def _fresh() -> tuple[dict, dict]:
    return ({"hub": [], "tantivy": [], "baseline": []},
            {"any_word": 0, "bounded": 0, "agree": 0, "compared": 0, "kinds": {}})


def _passes(mix, index, lookup, baseline: bool) -> dict:
    times, notes = _fresh()
    pages = _hub_pass(mix, times, notes)
    _tantivy_pass(mix, index, lookup, pages, times, notes)
    if baseline:
        _baseline_pass(mix, lookup, times)
    return {"times": times, "notes": notes}


def _measure(mix, index, lookup, baseline: bool) -> dict:
    """Each engine runs the whole mix in its own pass, so each is timed with its own pages warm in
    the caches: interleaved, the single statement's scans pushed the hub's pages out of
    PostgreSQL's shared buffers between one hub query and the next. One untimed round of every
    pass first warms the operating system's and the database's caches (the issue allows warm
    caches; nothing of the hub's own is kept per query)."""
    _passes(mix, index, lookup, baseline)
    return _passes(mix, index, lookup, baseline)


def _report(write, docs: int, result: dict) -> None:
    times, notes = result["times"], result["notes"]
    write(f"\n{len(times['hub'])} queries, {docs:,} resources, {connection.vendor}:")
    hub = _row(write, "hub (search + facets + page)", times["hub"])
    ref = _row(write, "tantivy (reference)", times["tantivy"])
    base = _row(write, "single statement (baseline)", times["baseline"]) if times["baseline"] else None
    write(f"  hub / tantivy     p50 x{hub[0] / ref[0]:.1f}   p95 x{hub[1] / ref[1]:.1f}   p99 x{hub[2] / ref[2]:.1f}")
    if base:
        write(f"  baseline / hub    p50 x{base[0] / hub[0]:.1f}   p95 x{base[1] / hub[1]:.1f}   "
              f"p99 x{base[2] / hub[2]:.1f}")
    write("  hub p95 by kind of query: " + ", ".join(
        f"{kind} {percentiles(values)[1]:.1f}" for kind, values in notes["kinds"].items()) + " ms")
    write(f"  {notes['any_word']} queries fell back to any-word matching; {notes['bounded']} were ranked within "
          f"the bounded window; totals equal to tantivy's on {notes['agree']} of {notes['compared']} compared")
    target = TARGET_P95_MS.get(docs)
    if target:
        verdict = "met" if hub[1] <= target else "NOT met"
        write(f"  target p95 <= {target} ms: {verdict} (hub p95 {hub[1]:.1f} ms)")


def run(options, write):
    docs = options["docs"]
    pool = prepare(docs, options["rebuild"], write)
    started = time.perf_counter()
    index = build_tantivy(BENCH_DIR / f"tantivy_{connection.vendor}_{docs}")
    write(f"tantivy index ready in {time.perf_counter() - started:.0f} s")
    _warm_up(write)
    mix, lookup = query_mix(pool), term_lookup()
    write(f"Query mix: {len(mix)} queries (seeded), each with 0-2 filters; debug={settings.DEBUG}; "
          "each engine in its own pass, timed on the second round")
    _report(write, docs, _measure(mix, index, lookup, not options["no_baseline"]))
    if connection.vendor == "postgresql" and not options.get("keep"):
        # The server is shared: a scratch database of 100,000s of rows is not left behind.
        drop_bench_database(f"search_{docs}")
        write("Dropped the benchmark database (--keep to reuse it)")
