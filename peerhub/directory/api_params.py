"""Query parameters of the ORUK 3.0 API, read strictly: a value we cannot use is an error that
names the parameter, never silently ignored (a consumer would otherwise get wrong results)."""

import math
import uuid
from dataclasses import dataclass
from datetime import time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from peerhub.directory import geo
from peerhub.directory.selectors import ServiceFilters, term_descendants

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PROXIMITY_M = 1_000_000
DAY_CODES = {"MO": "MO", "TU": "TU", "WE": "WE", "TH": "TH", "FR": "FR", "SA": "SA", "SU": "SU",
             "MONDAY": "MO", "TUESDAY": "TU", "WEDNESDAY": "WE", "THURSDAY": "TH", "FRIDAY": "FR",
             "SATURDAY": "SA", "SUNDAY": "SU"}


class ParamError(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


@dataclass
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _integer(params, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParamError(name, f"{name} must be a whole number, not “{raw[:30]}”.") from None
    if not low <= value <= high:
        raise ParamError(name, f"{name} must be between {low} and {high}.")
    return value


def paging(params) -> Paging:
    per_page = _integer(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    return Paging(_integer(params, "page", 1, 1, 10**6), per_page)


def _number(params, name: str) -> float | None:
    raw = params.get(name, "").strip()
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ParamError(name, f"{name} must be a number, not “{raw[:30]}”.") from None
    if not math.isfinite(value) or not 0 <= value <= 150:
        raise ParamError(name, f"{name} must be an age between 0 and 150.")
    return value


def _time(params, name: str) -> time | None:
    raw = params.get(name, "").strip()
    if raw == "":
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise ParamError(name, f"{name} must be a time like 09:30 or 18:00:00, not “{raw[:30]}”.") from None


def _uuid(params, name: str) -> uuid.UUID | None:
    raw = params.get(name, "").strip()
    if raw == "":
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ParamError(name, f"{name} must be a UUID, not “{raw[:40]}”.") from None


def _day(params) -> str:
    raw = params.get("day", "").strip().upper()
    if raw and raw not in DAY_CODES:
        raise ParamError("day", "day must be a day of the week: MO, TU, WE, TH, FR, SA or SU (or the full name).")
    return DAY_CODES.get(raw, "")


def _modified_after(params):
    raw = params.get("modified_after", "").strip()
    if raw == "":
        return None
    message = "modified_after must be a date and time like 2025-01-31T09:00:00Z."
    try:
        # A "+" in a query string arrives as a space: put the time-zone sign back.
        value = parse_datetime(raw.replace(" ", "+")) or (parse_date(raw) and parse_datetime(raw + "T00:00:00"))
    except ValueError:
        raise ParamError("modified_after", message) from None
    if not value:
        raise ParamError("modified_after", message)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def service_filters(params, *, allow_modified_after: bool = False) -> ServiceFilters:
    filters = ServiceFilters(search=params.get("search", "").strip()[:200])
    term = _uuid(params, "taxonomy_term_id")
    if term:
        filters.term_ids.append(term_descendants([term]))
    filters.taxonomy_id = _uuid(params, "taxonomy_id")
    filters.minimum_age, filters.maximum_age = _number(params, "minimum_age"), _number(params, "maximum_age")
    filters.start_time, filters.end_time = _time(params, "start_time"), _time(params, "end_time")
    filters.day = _day(params)
    if allow_modified_after:
        filters.modified_after = _modified_after(params)
    elif params.get("modified_after"):
        raise ParamError("modified_after", "modified_after is only available on /services.")
    return filters


def proximity_m(params) -> float | None:
    raw = params.get("proximity", "").strip()
    if raw == "":
        return None
    if not params.get("postcode", "").strip():
        raise ParamError("proximity", "proximity needs a postcode to measure from.")
    try:
        value = float(raw)
    except ValueError:
        raise ParamError("proximity", f"proximity must be a distance in metres, not “{raw[:30]}”.") from None
    if not math.isfinite(value) or not 0 < value <= MAX_PROXIMITY_M:
        raise ParamError("proximity", f"proximity must be more than 0 and at most {MAX_PROXIMITY_M} metres.")
    return value


def page_document(total: int, paging_: Paging, contents: list) -> dict:
    """The ORUK Page wrapper; the numbers always agree with each other and with contents."""
    total_pages = max(1, math.ceil(total / paging_.per_page))
    return {
        "total_items": total, "total_pages": total_pages, "page_number": paging_.page, "size": len(contents),
        "first_page": paging_.page == 1, "last_page": paging_.page >= total_pages, "empty": total == 0,
        "contents": contents,
    }


def check_page_in_range(total: int, paging_: Paging) -> None:
    total_pages = max(1, math.ceil(total / paging_.per_page))
    if paging_.page > total_pages:
        raise ParamError("page", f"page {paging_.page} is past the last page ({total_pages}).")


def distance_origin(place) -> geo.Point | None:
    return place.point if place else None
