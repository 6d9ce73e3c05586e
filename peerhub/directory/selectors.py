"""Reads for the directory. The pages, the ORUK API, the exports and the benchmark all call these."""

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from peerhub.directory import geo, proximity
from peerhub.directory.hub_taxonomy import TAXONOMY_ID, term_id
from peerhub.directory.models import (
    Address,
    Attribute,
    ListingSubmission,
    Location,
    PostcodeCentroid,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    SubmissionStatus,
    Taxonomy,
    TaxonomyTerm,
)
from peerhub.directory.postcodes import PostcodeError, normalise, parse_postcode
from peerhub.search.selectors import text_match

SEARCH_KIND = "directory.service"
STALE_AFTER_DAYS = 365
# A listing not checked for a year ranks as if it were twice as far away (squared distance x4).
STALE_DISTANCE_FACTOR = 4.0
REMOTE_TERM_CODES = ["delivery:online", "delivery:phone"]


@dataclass
class ServiceFilters:
    """Every filter the API and the pages can combine; unset ones do nothing. All are ANDed."""

    search: str = ""
    term_ids: list[list[uuid.UUID]] = field(default_factory=list)  # each inner list: any of these terms
    taxonomy_id: uuid.UUID | None = None
    minimum_age: float | None = None  # ORUK: services whose minimum age is at least this
    maximum_age: float | None = None  # ORUK: services whose maximum age is at most this
    person_age: int | None = None  # pages: services a person of this age may join
    start_time: time | None = None
    end_time: time | None = None
    day: str = ""  # RFC 5545 two-letter code
    modified_after: datetime | None = None
    remote_only: bool = False
    active_only: bool = True


@dataclass(frozen=True)
class Place:
    label: str
    point: geo.Point
    precision: str  # "sector", "district" or "place"


def stale_cutoff() -> date:
    return timezone.localdate() - timedelta(days=STALE_AFTER_DAYS)


def is_stale(service) -> bool:
    return service.assured_date is None or service.assured_date < stale_cutoff()


# Places -------------------------------------------------------------------------------------

def locate_postcode(text: str) -> Place:
    """Sector centroid first (closer), then district; PostcodeError says why it failed."""
    parsed = parse_postcode(text)
    codes = [c for c in (parsed.sector, parsed.district) if c]
    found = {c.code: c for c in PostcodeCentroid.objects.filter(code__in=codes)}
    for code in codes:
        if code in found:
            centroid = found[code]
            return Place(parsed.label, geo.Point(centroid.latitude, centroid.longitude), centroid.kind)
    if not PostcodeCentroid.objects.exists():
        raise PostcodeError("Postcode search is not available yet: the postcode data has not been loaded.")
    raise PostcodeError(f"We could not find the postcode area {parsed.district}. Check it is a postcode in "
                        "England, Scotland or Wales.")


def locate_place(text: str) -> Place | None:
    """A town or city named in the directory's own addresses, placed at its listings' centre."""
    key = normalise(text).lower()
    points = list(
        Location.objects.filter(addresses__city_key=key, latitude__isnull=False)
        .values_list("latitude", "longitude").distinct()[:500]
    )
    if not points:
        return None
    label = Address.objects.filter(city_key=key).values_list("city", flat=True).first()
    mean = geo.Point(sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return Place(label, mean, "place")


def known_places(limit: int = 12) -> list[str]:
    return list(Address.objects.order_by("city").values_list("city", flat=True).distinct()[:limit])


# Filters -------------------------------------------------------------------------------------

def term_descendants(ids) -> list[uuid.UUID]:
    """The terms and every term below them, so "Mental health" also finds "Depression"."""
    rows = list(TaxonomyTerm.objects.values_list("id", "parent_id"))
    children: dict = {}
    for child, parent in rows:
        children.setdefault(parent, []).append(child)
    found, stack = set(), list(ids)
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return sorted(found)


def _with_any_term(term_ids, outer: str):
    return Exists(Attribute.objects.filter(link_id=OuterRef(outer), taxonomy_term_id__in=term_ids))


def _schedule_match(filters: ServiceFilters, outer: str):
    at_service = Q(service_id=OuterRef(outer)) | Q(service_at_location__service_id=OuterRef(outer))
    schedules = Schedule.objects.filter(at_service)
    if filters.day:
        schedules = schedules.filter(byday__contains=filters.day)
    if filters.start_time:
        schedules = schedules.filter(opens_at__gte=filters.start_time)
    if filters.end_time:
        schedules = schedules.filter(closes_at__lte=filters.end_time)
    return Exists(schedules)


def _age_q(filters: ServiceFilters, prefix: str) -> Q:
    q = Q()
    if filters.minimum_age is not None:
        q &= Q(**{f"{prefix}minimum_age__gte": filters.minimum_age})
    if filters.maximum_age is not None:
        q &= Q(**{f"{prefix}maximum_age__lte": filters.maximum_age})
    if filters.person_age is not None:
        age = filters.person_age
        q &= Q(**{f"{prefix}minimum_age__isnull": True}) | Q(**{f"{prefix}minimum_age__lte": age})
        q &= Q(**{f"{prefix}maximum_age__isnull": True}) | Q(**{f"{prefix}maximum_age__gte": age})
    return q


def apply_filters(qs, filters: ServiceFilters, prefix: str = ""):
    """Filter a Service queryset (prefix "") or a ServiceAtLocation one (prefix "service__")."""
    outer = f"{prefix}id"
    if filters.active_only:
        qs = qs.filter(**{f"{prefix}status": ServiceStatus.ACTIVE})
    for any_of in filters.term_ids:
        qs = qs.filter(_with_any_term(any_of, outer))
    if filters.remote_only:
        qs = qs.filter(_with_any_term([term_id(c) for c in REMOTE_TERM_CODES], outer))
    if filters.taxonomy_id:
        qs = qs.filter(Exists(Attribute.objects.filter(link_id=OuterRef(outer),
                                                       taxonomy_term__taxonomy_id=filters.taxonomy_id)))
    qs = qs.filter(_age_q(filters, prefix))
    if filters.day or filters.start_time or filters.end_time:
        qs = qs.filter(_schedule_match(filters, outer))
    if filters.modified_after:
        qs = qs.filter(**{f"{prefix}last_modified__gte": filters.modified_after})
    return qs


def search_scores(text: str) -> dict[uuid.UUID, float] | None:
    """{service id: relevance} for a text search; None when the text holds nothing searchable."""
    match = text_match(SEARCH_KIND, text)
    if match is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(match.sql, match.params)
        return {uuid.UUID(object_id): score for object_id, score in cursor.fetchall()}


# Pages of results ----------------------------------------------------------------------------

@dataclass
class IdPage:
    total: int
    ids: list[uuid.UUID]
    distances: dict[uuid.UUID, float] = field(default_factory=dict)  # metres, for located searches


def service_id_page(filters: ServiceFilters, offset: int, limit: int) -> IdPage:
    qs = apply_filters(Service.objects.all(), filters)
    scores = search_scores(filters.search) if filters.search else None
    if scores is not None:
        matched = list(qs.filter(id__in=list(scores)).values_list("id", flat=True))
        matched.sort(key=lambda sid: (-scores[sid], str(sid)))
        return IdPage(len(matched), matched[offset:offset + limit])
    if filters.search:  # only stop words: nothing can match
        return IdPage(0, [])
    return IdPage(qs.count(), list(qs.order_by("name", "id").values_list("id", flat=True)[offset:offset + limit]))


def _rarer_filters_sql(filters: ServiceFilters) -> tuple[str, list] | None:
    """The filters the proximity index cannot answer itself (ages, times, text…), as SQL for
    the ids of services that pass them; None when none is set."""
    rest = replace(filters, term_ids=[], active_only=False, search="")
    if rest == ServiceFilters(active_only=False) and not filters.search:
        return None
    qs = apply_filters(Service.objects.all(), rest)
    if filters.search:
        qs = qs.filter(id__in=list(search_scores(filters.search) or {}))
    return qs.values("id").query.sql_with_params()


def _nearest_query(filters: ServiceFilters, origin: geo.Point, radius_m, demote_stale: bool):
    return proximity.NearestQuery(
        origin=origin, radius_m=radius_m, active_only=filters.active_only, term_ids=filters.term_ids,
        services_sql=_rarer_filters_sql(filters), stale_before=stale_cutoff() if demote_stale else None,
        stale_factor=STALE_DISTANCE_FACTOR,
    )


def _nearest_page(query, offset: int, limit: int) -> IdPage:
    rows = proximity.nearest_rows(query, offset, limit)
    total = rows[0][2] if rows else (proximity.nearest_count(query) if offset else 0)
    return IdPage(total, [r[0] for r in rows], {r[0]: geo.squared_degrees_to_metres(r[1]) for r in rows})


def service_at_location_id_page(filters: ServiceFilters, offset: int, limit: int, *, origin: geo.Point | None = None,
                                 radius_m: float | None = None, demote_stale: bool = False) -> IdPage:
    """Services at locations, nearest first when there is an origin (within radius_m if given)."""
    if origin is not None:
        return _nearest_page(_nearest_query(filters, origin, radius_m, demote_stale), offset, limit)
    qs = apply_filters(ServiceAtLocation.objects.all(), filters, prefix="service__")
    if filters.search:
        qs = qs.filter(service_id__in=list(search_scores(filters.search) or {}))
    return IdPage(qs.count(), list(qs.order_by("service__name", "id").values_list("id", flat=True)
                                   [offset:offset + limit]))


# Loading records for output ----------------------------------------------------------------

def attribute_map(link_ids) -> dict[uuid.UUID, list[Attribute]]:
    found: dict = {}
    rows = Attribute.objects.filter(link_id__in=list(link_ids)).select_related("taxonomy_term").order_by(
        "taxonomy_term__order", "taxonomy_term__name")
    for attribute in rows:
        found.setdefault(attribute.link_id, []).append(attribute)
    return found


def _location_prefetch(prefix: str) -> list:
    return [f"{prefix}location__addresses", f"{prefix}location__accessibility", f"{prefix}schedules"]


def full_services(ids) -> list[Service]:
    """Services with everything the full ORUK document shows, in the order of `ids`."""
    qs = Service.objects.filter(id__in=list(ids)).select_related("organization").prefetch_related(
        "organization__organization_identifiers", "schedules", "service_areas", "languages", "funding",
        "cost_options", "contacts__phones", "phones",
        Prefetch("service_at_locations", ServiceAtLocation.objects.select_related("location")),
        *_location_prefetch("service_at_locations__"),
    )
    by_id = {s.id: s for s in qs}
    return [by_id[i] for i in ids if i in by_id]


def full_service_attributes(services) -> dict:
    ids = set()
    for service in services:
        ids |= {service.id, service.organization_id}
        ids |= {sal.location_id for sal in service.service_at_locations.all()}
    return attribute_map(ids)


def summary_services(ids) -> list[Service]:
    by_id = Service.objects.select_related("organization").in_bulk(list(ids))
    return [by_id[i] for i in ids if i in by_id]


def summary_service_at_locations(ids) -> list[ServiceAtLocation]:
    qs = ServiceAtLocation.objects.select_related("location", "service__organization").prefetch_related(
        "location__addresses")
    by_id = qs.in_bulk(list(ids))
    return [by_id[i] for i in ids if i in by_id]


def service_at_location_detail(pk) -> ServiceAtLocation | None:
    sal = ServiceAtLocation.objects.select_related("location", "service").filter(pk=pk).first()
    if sal is None:
        return None
    sal.service = full_services([sal.service_id])[0]
    sal = next(s for s in sal.service.service_at_locations.all() if s.id == sal.id)
    return sal


def get_service(pk) -> Service | None:
    found = full_services([pk])
    return found[0] if found else None


def all_service_ids() -> list[uuid.UUID]:
    return list(Service.objects.order_by("name", "id").values_list("id", flat=True))


# Taxonomies ----------------------------------------------------------------------------------

def taxonomies_page(offset: int, limit: int) -> tuple[int, list[Taxonomy]]:
    qs = Taxonomy.objects.order_by("name", "id")
    return qs.count(), list(qs[offset:offset + limit])


def taxonomy_terms_page(offset: int, limit: int, taxonomy_id=None) -> tuple[int, list[TaxonomyTerm]]:
    qs = TaxonomyTerm.objects.order_by("taxonomy_id", "order", "name", "id")
    if taxonomy_id:
        qs = qs.filter(taxonomy_id=taxonomy_id)
    return qs.count(), list(qs[offset:offset + limit])


def get_taxonomy(pk) -> Taxonomy | None:
    return Taxonomy.objects.filter(pk=pk).first()


def taxonomy_terms(taxonomy) -> list[TaxonomyTerm]:
    return list(taxonomy.terms.order_by("order", "name", "id"))


def get_taxonomy_term(pk) -> TaxonomyTerm | None:
    return TaxonomyTerm.objects.filter(pk=pk).first()


def hub_term_groups() -> dict[str, list[TaxonomyTerm]]:
    """The hub taxonomy's terms by group code ("delivery", "condition"…), for forms and filters."""
    groups: dict = {}
    for term in TaxonomyTerm.objects.filter(taxonomy_id=TAXONOMY_ID).exclude(code="").order_by("order", "name"):
        if ":" in term.code:
            groups.setdefault(term.code.split(":", 1)[0], []).append(term)
    return groups


def stale_services():
    """Listings past their check date, oldest first: the curators' follow-up list."""
    cutoff = stale_cutoff()
    return Service.objects.filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff)).select_related(
        "organization").order_by(F("assured_date").asc(nulls_first=True), "name")


# Provider submissions ------------------------------------------------------------------------

def submissions_waiting():
    """The curators' queue, oldest first."""
    return ListingSubmission.objects.filter(status=SubmissionStatus.SUBMITTED).select_related(
        "service", "submitted_by").order_by("created_at", "id")


def recently_decided_submissions(limit: int = 20) -> list[ListingSubmission]:
    return list(ListingSubmission.objects.exclude(status=SubmissionStatus.SUBMITTED).select_related(
        "service", "submitted_by").order_by("-decided_at", "-id")[:limit])


def submissions_by(user) -> list[ListingSubmission]:
    """A provider's own submissions, newest first."""
    return list(ListingSubmission.objects.filter(submitted_by=user).select_related("service").order_by(
        "-created_at", "-id"))


def listing_history(service_id) -> list:
    from peerhub.audit.selectors import history_for

    return history_for("directory.service", service_id)


def submission_history(submission_id) -> list:
    from peerhub.audit.selectors import history_for

    return history_for("directory.submission", submission_id)


def services_for_library_terms(term_ids, limit: int = 5) -> list[Service]:
    """Active listings about any of these library terms (their conditions or communities, or a
    matching format of peer support), for "Local support" beside a library resource."""
    from peerhub.directory.finder import LIBRARY_FORMAT_SLUGS
    from peerhub.library.models import Term

    format_slugs = set(Term.objects.filter(pk__in=term_ids, vocabulary__slug="format").values_list("slug", flat=True))
    codes = [code for code, slug in LIBRARY_FORMAT_SLUGS.items() if slug in format_slugs]
    wanted = Q(taxonomy_term__library_term_id__in=list(term_ids)) | Q(taxonomy_term__code__in=codes)
    ids = Attribute.objects.filter(wanted, link_entity="service").values("link_id")
    qs = Service.objects.filter(id__in=ids, status=ServiceStatus.ACTIVE).select_related("organization")
    return list(qs.order_by("name")[:limit])
