"""The proximity index (models.ProximityEntry): building its rows, and the query over it that
the nearest-first search runs. Rows are rebuilt from the records by services.reindex whenever a
service is saved or confirmed; a data migration builds them for existing records.

The builders take the model classes as arguments so the migration can pass its historical ones."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from peerhub.directory import geo
from peerhub.directory.hub_taxonomy import term_key

BUILD_BATCH = 1000


def _valid_point(latitude, longitude) -> bool:
    # Some published examples carry impossible positions (latitude 100); such venues cannot be near anyone.
    return latitude is not None and longitude is not None and -90 <= latitude <= 90 and -180 <= longitude <= 180


def entry_rows(models, service_ids) -> list:
    """Unsaved entries for these services' located venues. `models` maps names to classes."""
    ids = list(service_ids)
    services = {row["id"]: row for row in models["Service"].objects.filter(id__in=ids).values(
        "id", "status", "assured_date")}
    keys: dict = {}
    for link_id, term_id in models["Attribute"].objects.filter(link_id__in=ids).values_list(
            "link_id", "taxonomy_term_id"):
        keys.setdefault(link_id, set()).add(term_key(term_id))
    venues = models["ServiceAtLocation"].objects.filter(service_id__in=ids).values_list(
        "id", "service_id", "location__latitude", "location__longitude")
    return [models["ProximityEntry"](
        service_at_location_id=sal_id, service_id=service_id, cell=geo.grid_cell(lat, lon), latitude=lat,
        longitude=lon, active=services[service_id]["status"] == "active",
        assured_date=services[service_id]["assured_date"],
        term_keys="|" + "|".join(sorted(keys.get(service_id, ()))) + "|",
    ) for sal_id, service_id, lat, lon in venues if _valid_point(lat, lon)]


def rebuild_entries(models, service_ids) -> None:
    ids = list(service_ids)
    for start in range(0, len(ids), BUILD_BATCH):
        batch = ids[start:start + BUILD_BATCH]
        models["ProximityEntry"].objects.filter(service_id__in=batch).delete()
        models["ProximityEntry"].objects.bulk_create(entry_rows(models, batch), batch_size=BUILD_BATCH)


def live_models() -> dict:
    from peerhub.directory import models

    return {name: getattr(models, name) for name in ("Service", "Attribute", "ServiceAtLocation", "ProximityEntry")}


def refresh_for(service) -> None:
    """This service's entries, and those of every service sharing one of its venues (a moved
    venue moves them all)."""
    from peerhub.directory.models import ServiceAtLocation

    venues = ServiceAtLocation.objects.filter(service_id=service.id).values("location_id")
    ids = set(ServiceAtLocation.objects.filter(location_id__in=venues).values_list("service_id", flat=True))
    rebuild_entries(live_models(), ids | {service.id})


# The query -------------------------------------------------------------------------------------

# Written as SQL because the ORM spent over ten times longer building this query than the
# database spent running it. Plain SQL that SQLite and PostgreSQL both run: the inner query
# reads only the proximity index (cells, then latitude, then the other columns inside each
# index row); the window count gives the total with the page in one round trip.
NEAREST_SQL = """
SELECT service_at_location_id, d2, COUNT(*) OVER () FROM (
    SELECT service_at_location_id, assured_date,
           (latitude - %s) * (latitude - %s) + ((longitude - %s) * %s) * ((longitude - %s) * %s) AS d2
    FROM directory_proximityentry WHERE {where}
) AS near {within}
ORDER BY {rank}, service_at_location_id LIMIT %s OFFSET %s"""
RANK_DEMOTING_STALE = "CASE WHEN assured_date IS NULL OR assured_date < %s THEN d2 * %s ELSE d2 END"


@dataclass
class NearestQuery:
    """Everything the nearest-first query needs, already reduced to SQL values."""

    origin: geo.Point
    radius_m: float | None = None
    active_only: bool = True
    term_ids: list = field(default_factory=list)  # each inner list: any of these terms
    services_sql: tuple[str, list] | None = None  # SELECT id FROM services passing the rarer filters
    stale_before: date | None = None  # demote listings assured before this
    stale_factor: float = 1.0


class _Where:
    def __init__(self):
        self.parts, self.params = ["1 = 1"], []

    def add(self, sql: str, *params) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(self.parts)


def _area(where: _Where, origin: geo.Point, radius_m: float) -> None:
    box = geo.bounding_box(origin, radius_m)
    cells = geo.cells_in_box(box)
    if cells is not None:
        where.add(f"cell IN ({', '.join(['%s'] * len(cells))})", *cells)
    where.add("latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s", box.min_lat, box.max_lat, box.min_lon,
              box.max_lon)


def _where(query: NearestQuery) -> _Where:
    where = _Where()
    if query.radius_m is not None:
        _area(where, query.origin, query.radius_m)
    if query.active_only:
        where.add("active = %s", True)
    for any_of in query.term_ids:
        likes = " OR ".join(["term_keys LIKE %s"] * len(any_of)) or "1 = 0"
        where.add(f"({likes})", *[f"%|{term_key(t)}|%" for t in any_of])
    if query.services_sql is not None:
        where.add(f"service_id IN ({query.services_sql[0]})", *query.services_sql[1])
    return where


def nearest_rows(query: NearestQuery, offset: int, limit: int) -> list[tuple]:
    """(service_at_location_id, squared distance in degrees, total matches), nearest first."""
    origin, scale = query.origin, geo.longitude_scale(query.origin)
    where = _where(query)
    params = [origin.latitude, origin.latitude, origin.longitude, scale, origin.longitude, scale, *where.params]
    within = ""
    if query.radius_m is not None:
        within = "WHERE d2 <= %s"
        params.append(geo.radius_in_squared_degrees(query.radius_m))
    rank = "d2"
    if query.stale_before is not None:
        rank = RANK_DEMOTING_STALE
        params += [connection.ops.adapt_datefield_value(query.stale_before), query.stale_factor]
    sql = NEAREST_SQL.format(where=where.sql(), within=within, rank=rank)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [(uuid.UUID(str(sal_id)), d2, total) for sal_id, d2, total in cursor.fetchall()]


def nearest_count(query: NearestQuery) -> int:
    """The total alone, for a page past the last match (the window count then has no row)."""
    rows = nearest_rows(query, 0, 1)
    return rows[0][2] if rows else 0
