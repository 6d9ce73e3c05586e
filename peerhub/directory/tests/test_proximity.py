"""The proximity index behind "nearest first": it must give exactly what a plain reading of the
records gives (same listings, same order, same totals), stay in step when records change, and
the benchmark's own pieces must run on the real selector."""

import random

import pytest

from peerhub.directory import bench, geo, selectors
from peerhub.directory.hub_taxonomy import term_id
from peerhub.directory.models import PostcodeCentroid, PostcodeKind, ProximityEntry, ServiceAtLocation
from peerhub.directory.selectors import ServiceFilters

RADIUS_M = 15 * geo.METRES_PER_MILE


@pytest.fixture
def generated(postcodes):
    sectors = [s for s in PostcodeCentroid.objects.filter(kind=PostcodeKind.SECTOR, code__startswith="LS")]
    for sector in sectors:
        sector.postcode_count = 1
    bench.generate_services(400, sectors, random.Random(7), lambda line: None)
    return sectors


def brute_force(filters: ServiceFilters, origin: geo.Point, radius_m: float) -> list:
    """Every located venue read from the records, filtered and ranked in Python."""
    cutoff, scale, limit = selectors.stale_cutoff(), geo.longitude_scale(origin), geo.radius_in_squared_degrees(
        radius_m)
    matching = set(selectors.apply_filters(ServiceAtLocation.objects.all(), filters, prefix="service__")
                   .values_list("id", flat=True))
    ranked = []
    for sal in ServiceAtLocation.objects.select_related("location", "service").filter(id__in=matching):
        d2 = (sal.location.latitude - origin.latitude) ** 2 + ((sal.location.longitude - origin.longitude) * scale) ** 2
        stale = sal.service.assured_date is None or sal.service.assured_date < cutoff
        if d2 <= limit:
            ranked.append((d2 * selectors.STALE_DISTANCE_FACTOR if stale else d2, str(sal.id), sal.id))
    return [sal_id for _, _, sal_id in sorted(ranked)]


@pytest.mark.parametrize("codes", [[], ["condition:mental-health"], ["condition:anxiety", "leadership:peer-led"]])
def test_the_index_gives_what_the_records_give(generated, codes):
    filters = ServiceFilters(term_ids=[selectors.term_descendants([term_id(c)]) for c in codes])
    for sector in generated[:15]:
        origin = geo.Point(sector.latitude, sector.longitude)
        expected = brute_force(filters, origin, RADIUS_M)
        page = selectors.service_at_location_id_page(filters, 0, 500, origin=origin, radius_m=RADIUS_M,
                                                      demote_stale=True)
        assert page.ids == expected and page.total == len(expected)
        second = selectors.service_at_location_id_page(filters, 5, 5, origin=origin, radius_m=RADIUS_M,
                                                        demote_stale=True)
        assert second.ids == expected[5:10] and second.total == len(expected)


def test_a_page_past_the_end_still_gives_the_total(generated):
    origin = geo.Point(generated[0].latitude, generated[0].longitude)
    first = selectors.service_at_location_id_page(ServiceFilters(), 0, 10, origin=origin, radius_m=RADIUS_M)
    beyond = selectors.service_at_location_id_page(ServiceFilters(), 10_000, 10, origin=origin, radius_m=RADIUS_M)
    assert beyond.ids == [] and beyond.total == first.total > 0


def test_rarer_filters_still_apply_near_a_place(generated):
    origin = geo.Point(generated[0].latitude, generated[0].longitude)
    filters = ServiceFilters(person_age=5)  # no generated service has an age range set, so all admit a child
    page = selectors.service_at_location_id_page(filters, 0, 500, origin=origin, radius_m=RADIUS_M, demote_stale=True)
    assert page.ids == brute_force(filters, origin, RADIUS_M) and page.total > 0
    filters = ServiceFilters(remote_only=True)  # generated groups are all in person
    assert selectors.service_at_location_id_page(filters, 0, 10, origin=origin, radius_m=RADIUS_M).total == 0


def test_the_index_follows_a_listing_through_the_write_path(demo):
    from peerhub.directory.exchange import export_feed, import_feed
    from peerhub.directory.services import confirm_still_right, delete_service

    leeds = next(s for s in export_feed()["services"] if s["name"] == "Leeds Hearing Voices Group")
    entry = ProximityEntry.objects.get(service_id=leeds["id"])
    assert entry.active and entry.term_keys.count("|") == len(leeds["attributes"]) + 1
    leeds["status"] = "inactive"
    leeds["service_at_locations"][0]["location"].update(latitude=55.95, longitude=-3.19)  # moved to Edinburgh
    import_feed([leeds])
    entry = ProximityEntry.objects.get(service_id=leeds["id"])
    assert not entry.active and entry.cell == geo.grid_cell(55.95, -3.19)
    service = entry.service
    confirm_still_right(service)
    assert ProximityEntry.objects.get(service_id=service.id).assured_date == service.assured_date
    delete_service(service, actor=None)
    assert not ProximityEntry.objects.filter(service_id=service.id).exists()


def test_the_benchmark_runs_the_real_selector_and_the_bare_query(generated):
    from django.db import connection

    sector = generated[0]
    found = bench.selector_search(f"{sector.code}AA", "condition:mental-health", RADIUS_M)
    assert 0 < len(found) <= bench.PAGE_SIZE and all(isinstance(s, ServiceAtLocation) for s in found)
    rows = bench.bare_search(connection, geo.Point(sector.latitude, sector.longitude), RADIUS_M)
    assert len(rows) == bench.PAGE_SIZE and [r[1] for r in rows] == sorted(r[1] for r in rows)
    figures = bench.percentiles([float(n) for n in range(1, 101)])
    assert figures == {"p50": pytest.approx(50.5), "p95": pytest.approx(95.05), "p99": pytest.approx(99.01)}
