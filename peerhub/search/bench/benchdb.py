"""The benchmarks' own databases: a separate SQLite file under var/bench, or a separate
PostgreSQL database beside the configured one (its name + "_bench_<name>"). The dev database
is never touched. A database already built with the same catalogue is reused."""

import random
import time
from collections import Counter
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from peerhub.library.models import Resource, Status, Term
from peerhub.library.services import SEARCH_KIND, ranking_boost, search_facets
from peerhub.search.bench.catalogue import Doc, Pool, load_pool, make_doc, vocabulary
from peerhub.search.models import SearchEntry, SearchWord

BENCH_DIR = Path(settings.BASE_DIR) / "var" / "bench"
CHUNK = 5_000
SEED = 20_240_601
# PostgreSQL's full-text indexes (search migrations 0006 and 0008): (index, table, column).
GIN_INDEXES = [("search_searchentry_heading_gin", "search_searchentry", "heading"),
               ("search_match_document_gin", "search_match", "document"),
               ("search_match_pairs_gin", "search_match", "pairs")]
_CONFIGURED_NAMES: dict[str, str] = {}  # connection alias -> database name from the settings


def _admin(settings_dict: dict, sql: str, params=()):
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    dsn = {"host": settings_dict["HOST"], "port": settings_dict["PORT"], "user": settings_dict["USER"],
           "password": settings_dict["PASSWORD"], "dbname": "postgres"}
    with psycopg.connect(**{k: v for k, v in dsn.items() if v}, autocommit=True) as admin:
        # Execute first, then fetch only for a SELECT: putting execute() inside a conditional
        # expression once skipped CREATE/DROP DATABASE altogether (the bench then crashed with
        # 'database "<name>_bench_search_N" does not exist').
        cursor = admin.execute(sql, params or None)
        return cursor.fetchall() if sql.startswith("SELECT") else None


def _create_postgres_database(settings_dict: dict, name: str) -> None:
    if not _admin(settings_dict, "SELECT 1 FROM pg_database WHERE datname = %s", [name]):
        _admin(settings_dict, f'CREATE DATABASE "{name}"')


def _postgres_name(default, name: str) -> str:
    """The benchmark database's name beside the configured one. The configured name is kept on
    first use because use_bench_database() repoints the connection: deriving the name from the
    current one afterwards would give "<name>_bench_x_bench_x"."""
    configured = _CONFIGURED_NAMES.setdefault(default.alias, default.settings_dict["NAME"])
    return f"{configured}_bench_{name}"[:63]


def drop_bench_database(name: str) -> None:
    """Remove the benchmark database `name` (to build its catalogue afresh, or after a run on a
    shared PostgreSQL server)."""
    default = connections["default"]
    default.close()
    if connection.vendor == "postgresql":
        settings_dict = dict(default.settings_dict)
        target = _postgres_name(default, name)
        _create_postgres_database(settings_dict, target)  # so the DROP below always has something to drop
        _admin(settings_dict, f'DROP DATABASE "{target}" WITH (FORCE)')
    else:
        for suffix in ("", "-wal", "-shm"):
            (BENCH_DIR / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)


def use_bench_database(name: str) -> str:
    """Point the default connection at the benchmark database `name` and migrate it."""
    default = connections["default"]
    default.close()
    if connection.vendor == "postgresql":
        target = _postgres_name(default, name)
        _create_postgres_database(default.settings_dict, target)
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        target = str(BENCH_DIR / f"{name}.sqlite3")
    default.settings_dict["NAME"] = target
    call_command("migrate", verbosity=0)
    return target


def catalogue_size() -> int:
    return SearchEntry.objects.filter(kind=SEARCH_KIND).count()


def _resource(doc: Doc, today) -> Resource:
    return Resource(
        title=doc.title[0][:500], summary=doc.summary[0], description=doc.description[0],
        resource_type=doc.resource_type, authors=[a[0] for a in doc.authors], pub_year=doc.year,
        quality=doc.quality, access=doc.access, status=Status.PUBLISHED, published_at=timezone.now(),
        last_checked=today - timezone.timedelta(days=doc.checked_days_ago), source="bench",
    )


def _entry(resource: Resource, doc: Doc) -> SearchEntry:
    return SearchEntry(
        kind=SEARCH_KIND, object_id=str(resource.pk), title=doc.title[1], summary=doc.summary[1],
        body=doc.description[1], extra=" ".join(a[1] for a in doc.authors), is_public=True,
        boost=ranking_boost(resource), facets=" ".join(search_facets(resource, doc.term_ids)),
    )


def _insert_chunk(docs: list[Doc], counts: Counter) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        resources = Resource.objects.bulk_create([_resource(d, today) for d in docs])
        through = Resource.terms.through
        through.objects.bulk_create([through(resource_id=r.pk, term_id=t)
                                     for r, d in zip(resources, docs, strict=True) for t in d.term_ids])
        entries = SearchEntry.objects.bulk_create([_entry(r, d) for r, d in zip(resources, docs, strict=True)])
    for entry in entries:
        counts.update({t for text in (entry.title, entry.summary, entry.body, entry.extra) for t in text.split()})


def _before_load() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one index build at the end beats a million updates
            for name, _table, _column in GIN_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        else:
            cursor.execute("PRAGMA synchronous = OFF")


def _after_load() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for name, table, column in GIN_INDEXES:
                cursor.execute(f"CREATE INDEX {name} ON {table} USING gin ({column})")
            cursor.execute("VACUUM ANALYZE") if connection.get_autocommit() else cursor.execute("ANALYZE")
        else:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA synchronous = NORMAL")


def build_catalogue(count: int, write) -> Pool:
    """Insert `count` generated resources with their index entries and vocabulary."""
    pool, rng = load_pool(), random.Random(SEED)
    term_ids = list(Term.objects.filter(merged_into__isnull=True).values_list("pk", flat=True))
    counts: Counter = Counter()
    _before_load()
    started = time.perf_counter()
    for first in range(0, count, CHUNK):
        docs = [make_doc(rng, pool, term_ids) for _ in range(min(CHUNK, count - first))]
        _insert_chunk(docs, counts)
        if (first // CHUNK) % 20 == 19:
            write(f"  … {first + len(docs):,} resources in {time.perf_counter() - started:.0f} s")
    SearchWord.objects.bulk_create([SearchWord(kind=SEARCH_KIND, term=t, word=w, doc_count=n)
                                    for t, w, n in vocabulary(counts, pool.readable)], batch_size=5000)
    _after_load()
    return pool
