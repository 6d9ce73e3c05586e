"""`peerhub bench directory --services N`: how fast "groups near this postcode" is at scale.

The run builds its own temporary database (a new file on SQLite, a new database beside the
configured one on PostgreSQL), so the dev data is never read or touched, and drops it at the end.
It places N services at GB postcode sector centroids, weighted by how many postcodes each sector
holds (so cities are dense, as in a real directory), then times, for random postcodes:

- the real path: locate the postcode, the proximity selector with two need filters (a condition
  and "peer-led") nearest first within 10 miles, and the first page of results loaded;
- the reference: the bare bounding-box SQL on the same locations, nearest first, first page.

It prints p50/p95/p99 of both and their ratio. These are figures, not pass/fail tests."""

import random
import statistics
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from peerhub.directory import geo, selectors
from peerhub.directory.hub_taxonomy import term_id
from peerhub.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    PostcodeCentroid,
    PostcodeKind,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from peerhub.directory.postcodes import SECTOR_RE
from peerhub.directory.proximity import live_models, rebuild_entries
from peerhub.directory.selectors import ServiceFilters

PAGE_SIZE = 10
BATCH = 2000
SERVICES_PER_ORGANISATION = 5
TARGET_P95_MS = 20.0
TARGET_RATIO = 3.0
FORMAT_CODES = ["leadership:peer-led", "leadership:professionally-facilitated"]
SIZE_CODES = ["size:group", "size:one-to-one"]


def add_arguments(parser):
    parser.add_argument("--services", type=int, default=10_000, help="How many services to generate")
    parser.add_argument("--queries", type=int, default=300, help="Timed searches per measurement")
    parser.add_argument("--radius-miles", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20250101)


# The temporary database -----------------------------------------------------------------------

def _bench_database_name(connection) -> str:
    if connection.vendor == "sqlite":
        return str(Path(tempfile.gettempdir()) / f"peerhub-directory-bench-{uuid.uuid4().hex[:8]}.sqlite3")
    return f"{connection.settings_dict['NAME']}_directory_bench"


@contextmanager
def temporary_database(write):
    """Django's test-database machinery gives a migrated, empty database and drops it after."""
    connection = connections[DEFAULT_DB_ALIAS]
    old_name, old_test = connection.settings_dict["NAME"], dict(connection.settings_dict.get("TEST") or {})
    connection.settings_dict["TEST"] = {**old_test, "NAME": _bench_database_name(connection)}
    write(f"Creating a temporary {connection.vendor} database for the benchmark…")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        connection.settings_dict["TEST"] = old_test
        write("Temporary database removed.")


# Generated data -------------------------------------------------------------------------------

def load_sectors() -> list[PostcodeCentroid]:
    from peerhub.directory.services import load_postcode_centroids

    load_postcode_centroids(settings.SHARED_DATA_DIR)
    sectors = PostcodeCentroid.objects.filter(kind=PostcodeKind.SECTOR, postcode_count__gt=0)
    # A few codes in the data are not real postcode shapes (non-geographic ones such as "NPT 0").
    return [s for s in sectors if SECTOR_RE.match(s.code)]


def condition_codes() -> list[str]:
    codes = list(TaxonomyTerm.objects.filter(code__startswith="condition:").values_list("code", flat=True))
    return codes or ["condition"]


def _service_rows(rng, sector, organisation, index: int):
    """One service with its location, address and four hub terms."""
    today = timezone.localdate()
    service = Service(id=uuid.uuid4(), organization=organisation, name=f"Bench group {index}",
                      name_key=f"bench group {index}",
                      status=ServiceStatus.ACTIVE if rng.random() < 0.95 else ServiceStatus.INACTIVE,
                      assured_date=today - timedelta(days=rng.randrange(0, 730)), last_modified=timezone.now(),
                      postcode_key=sector.code.replace(" ", ""))
    location = Location(id=uuid.uuid4(), name=f"Venue {index}", latitude=sector.latitude + rng.uniform(-0.01, 0.01),
                        longitude=sector.longitude + rng.uniform(-0.015, 0.015))
    address = Address(location=location, address_1=f"{index} Bench Street", city="Benchtown", city_key="benchtown",
                      state_province="Benchshire", postal_code=f"{sector.code}AA")
    return service, location, address


def _attributes(rng, service, conditions) -> list[Attribute]:
    codes = [rng.choice(conditions), rng.choice(FORMAT_CODES), rng.choice(SIZE_CODES), "delivery:in-person"]
    return [Attribute(link_id=service.id, link_entity="service", link_type="service", taxonomy_term_id=term_id(c))
            for c in codes]


def _save_batch(rows: dict) -> None:
    for model in (Organization, Service, Location, Address, ServiceAtLocation, Attribute):
        model.objects.bulk_create(rows.get(model, []), batch_size=BATCH)
    # The same builder services.reindex uses, run per batch rather than per service.
    rebuild_entries(live_models(), [service.id for service in rows[Service]])


def generate_services(count: int, sectors, rng, write) -> None:
    conditions = condition_codes()
    placed = rng.choices(sectors, weights=[s.postcode_count for s in sectors], k=count)
    for start in range(0, count, BATCH):
        rows: dict = {}
        for index in range(start, min(start + BATCH, count)):
            if index % SERVICES_PER_ORGANISATION == 0:
                org = Organization(name=f"Bench organisation {index}", name_key=f"bench organisation {index}")
                rows.setdefault(Organization, []).append(org)
            service, location, address = _service_rows(rng, placed[index], org, index)
            sal = ServiceAtLocation(service=service, location=location)
            for model, row in ((Service, service), (Location, location), (Address, address),
                               (ServiceAtLocation, sal)):
                rows.setdefault(model, []).append(row)
            rows.setdefault(Attribute, []).extend(_attributes(rng, service, conditions))
        _save_batch(rows)
    write(f"Generated {count:,} services at {len({s.code for s in placed}):,} postcode sectors.")


def refresh_statistics(connection) -> None:
    """Fresh planner statistics (and on PostgreSQL the visibility map index-only scans need),
    as a live database's autovacuum keeps them. VACUUM cannot run inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# Timed searches -------------------------------------------------------------------------------

def selector_search(postcode: str, condition: str, radius_m: float) -> list:
    """What the find page does for one search, through the real selectors."""
    place = selectors.locate_postcode(postcode)
    filters = ServiceFilters(term_ids=[selectors.term_descendants([term_id(condition)]),
                                       [term_id("leadership:peer-led")]])
    page = selectors.service_at_location_id_page(filters, 0, PAGE_SIZE, origin=place.point, radius_m=radius_m,
                                                 demote_stale=True)
    return selectors.summary_service_at_locations(page.ids)


BARE_SQL = """
SELECT id, (latitude - %s) * (latitude - %s) + (longitude - %s) * %s * (longitude - %s) * %s AS d2
FROM directory_location
WHERE latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s
ORDER BY d2 LIMIT %s"""


def bare_search(connection, point: geo.Point, radius_m: float) -> list:
    """The reference: the bounding-box query alone, no filters, no joins, no count."""
    box, scale = geo.bounding_box(point, radius_m), geo.longitude_scale(point)
    params = [point.latitude, point.latitude, point.longitude, scale, point.longitude, scale,
              box.min_lat, box.max_lat, box.min_lon, box.max_lon, PAGE_SIZE]
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, params)
        return cursor.fetchall()


def timed(function, inputs) -> list[float]:
    for item in inputs[:20]:  # warm caches and query plans first
        function(item)
    times = []
    for item in inputs:
        start = time.perf_counter()
        function(item)
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentiles(times: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def _searches(rng, sectors, count: int) -> list[tuple[str, geo.Point, str]]:
    """Random postcodes where people live, each with a random condition."""
    conditions = condition_codes()
    chosen = rng.choices(sectors, weights=[s.postcode_count for s in sectors], k=count)
    return [(f"{s.code}AA", geo.Point(s.latitude, s.longitude), rng.choice(conditions)) for s in chosen]


def _line(label: str, figures: dict) -> str:
    return f"  {label:<34} p50 {figures['p50']:7.2f} ms   p95 {figures['p95']:7.2f} ms   p99 {figures['p99']:7.2f} ms"


def report(write, vendor: str, count: int, real: dict, bare: dict) -> None:
    ratio = real["p95"] / bare["p95"] if bare["p95"] else float("inf")
    write(f"Directory search, {count:,} services, {vendor}:")
    write(_line("postcode + proximity + 2 filters", real))
    write(_line("bare bounding-box SQL (reference)", bare))
    write(f"  ratio at p95: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x); "
          f"p95 target <= {TARGET_P95_MS:.0f} ms: {'met' if real['p95'] <= TARGET_P95_MS else 'NOT met'}")


def run(options, write):
    rng = random.Random(options["seed"])
    radius = options["radius_miles"] * geo.METRES_PER_MILE
    with temporary_database(write) as connection:
        sectors = load_sectors()
        generate_services(options["services"], sectors, rng, write)
        refresh_statistics(connection)
        searches = _searches(rng, sectors, options["queries"])
        real = timed(lambda s: selector_search(s[0], s[2], radius), searches)
        bare = timed(lambda s: bare_search(connection, s[1], radius), searches)
        report(write, connection.vendor, options["services"], percentiles(real), percentiles(bare))
