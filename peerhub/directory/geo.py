"""Distance arithmetic for the proximity search.

The database side uses a flat-earth (equirectangular) approximation, which needs no
trigonometry in SQL (SQLite has none by default) and is accurate to well under 1% over the
distances people travel to a group in Great Britain. Distances shown to people use haversine."""

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_MILE = 1609.344
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def haversine_m(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def miles(metres: float) -> float:
    return metres / METRES_PER_MILE


def longitude_scale(origin: Point) -> float:
    """How much shorter a degree of longitude is than a degree of latitude at the origin."""
    return math.cos(math.radians(origin.latitude))


def bounding_box(origin: Point, radius_m: float) -> Box:
    dlat = radius_m / METRES_PER_DEGREE
    dlon = dlat / max(longitude_scale(origin), 0.01)
    return Box(origin.latitude - dlat, origin.latitude + dlat, origin.longitude - dlon, origin.longitude + dlon)


def radius_in_squared_degrees(radius_m: float) -> float:
    return (radius_m / METRES_PER_DEGREE) ** 2


def squared_degrees_to_metres(value: float) -> float:
    return math.sqrt(max(value, 0.0)) * METRES_PER_DEGREE


# A grid over the globe for the proximity index: 0.1 degree cells (about 11 km north-south and
# 7 km east-west in Great Britain). A search reads only the cells its bounding box touches,
# instead of the whole latitude band an index on latitude alone would scan.
CELL_DEGREES = 0.1
CELLS_PER_ROW = 10_000
MAX_SEARCH_CELLS = 2_500


def grid_cell(latitude: float, longitude: float) -> int:
    row = math.floor((latitude + 90) / CELL_DEGREES)
    column = math.floor((longitude + 180) / CELL_DEGREES)
    return row * CELLS_PER_ROW + column


def cells_in_box(box: Box) -> list[int] | None:
    """Every cell the box touches; None when there are too many to list (a very wide search)."""
    first, last = grid_cell(box.min_lat, box.min_lon), grid_cell(box.max_lat, box.max_lon)
    rows = range(first // CELLS_PER_ROW, last // CELLS_PER_ROW + 1)
    columns = range(first % CELLS_PER_ROW, last % CELLS_PER_ROW + 1)
    if len(rows) * len(columns) > MAX_SEARCH_CELLS:
        return None
    return [row * CELLS_PER_ROW + column for row in rows for column in columns]
