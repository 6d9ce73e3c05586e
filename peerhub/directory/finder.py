"""Reads behind the "Find peer support" pages: where the person is, what they need, nearby
listings in distance order and, separately, online and phone services (which distance must never
hide). Pages and the referral summary read listings through `listing_cards`."""

from dataclasses import dataclass, field
from datetime import time

from django.utils import timezone

from peerhub.directory import geo, selectors
from peerhub.directory.hub_taxonomy import term_id
from peerhub.directory.postcodes import PostcodeError, looks_like_postcode
from peerhub.directory.selectors import Place, ServiceFilters

PAGE_SIZE = 10
REMOTE_LIMIT = 20
RADIUS_CHOICES_MILES = [5, 10, 25, 50]
DEFAULT_RADIUS_MILES = 10


@dataclass
class FindParams:
    where: str = ""
    radius_miles: int = DEFAULT_RADIUS_MILES
    condition: str = ""  # hub term codes, e.g. condition:anxiety
    community: str = ""
    format: str = ""
    online_only: bool = False
    age: int | None = None
    day: str = ""
    after: time | None = None
    page: int = 1


@dataclass
class Card:
    service: object
    distance_miles: float | None = None
    location: object = None
    address: object = None


@dataclass
class FindResult:
    params: FindParams
    place: Place | None = None
    errors: dict[str, str] = field(default_factory=dict)
    not_covered: bool = False
    nearby: list[Card] = field(default_factory=list)
    nearby_total: int = 0
    remote: list[Card] = field(default_factory=list)
    remote_total: int = 0
    known_places: list[str] = field(default_factory=list)
    attributes: dict = field(default_factory=dict)  # service id -> its attributes, for the cards

    @property
    def page_count(self) -> int:
        return max(1, -(-self.nearby_total // PAGE_SIZE))

    @property
    def searched(self) -> bool:
        return bool(self.params.where or self.place)


def locate(where: str, result: FindResult) -> None:
    """Postcode (full, sector or district) or a town named in the directory's addresses."""
    if looks_like_postcode(where):
        try:
            result.place = selectors.locate_postcode(where)
        except PostcodeError as error:
            result.errors["where"] = str(error)
            result.not_covered = error.not_covered
        return
    result.place = selectors.locate_place(where)
    if result.place is None:
        result.errors["where"] = (f"We do not know a place called “{where[:60]}” in the directory. Try a postcode, "
                                  "or one of the towns listed below.")
        result.known_places = selectors.known_places()


def need_filters(params: FindParams) -> ServiceFilters:
    filters = ServiceFilters(person_age=params.age, day=params.day, start_time=params.after)
    for code in (params.condition, params.community, params.format):
        if code:
            filters.term_ids.append(selectors.term_descendants([term_id(code)]))
    return filters


def _cards(page: selectors.IdPage) -> list[Card]:
    sals = selectors.summary_service_at_locations(page.ids)
    services = {s.id: s for s in selectors.full_services(list(dict.fromkeys(s.service_id for s in sals)))}
    return [Card(services[sal.service_id], geo.miles(page.distances.get(sal.id, 0)), sal.location,
                 next(iter(sal.location.addresses.all()), None)) for sal in sals]


def find_support(params: FindParams) -> FindResult:
    result = FindResult(params)
    if params.where:
        locate(params.where, result)
    filters = need_filters(params)
    if result.place and not params.online_only:
        radius = params.radius_miles * geo.METRES_PER_MILE
        page = selectors.service_at_location_id_page(filters, (params.page - 1) * PAGE_SIZE, PAGE_SIZE,
                                                     origin=result.place.point, radius_m=radius, demote_stale=True)
        result.nearby, result.nearby_total = _cards(page), page.total
    if result.searched:
        filters.remote_only = True
        remote = selectors.service_id_page(filters, 0, REMOTE_LIMIT)
        result.remote = [Card(s) for s in selectors.full_services(remote.ids)]
        result.remote_total = remote.total
    services = [card.service for card in result.nearby + result.remote]
    result.attributes = selectors.attribute_map({s.id for s in services}) if services else {}
    return result


def listing_cards(ids) -> list[Card]:
    """Cards for chosen listings (the shortlist), in the order given."""
    return [Card(s) for s in selectors.full_services(ids)]


def checked_in_words(service) -> str:
    if service.assured_date is None:
        return "We do not know when these details were last checked."
    days = (timezone.localdate() - service.assured_date).days
    when = f"{service.assured_date.day} {service.assured_date:%B %Y}"
    if days < 1:
        return f"Last checked today, {when}."
    ago = f"{days // 30} months ago" if days >= 60 else f"{days} days ago" if days > 1 else "yesterday"
    ago = f"over {days // 365} year{'s' if days >= 730 else ''} ago" if days >= 365 else ago
    return f"Last checked on {when} ({ago})."


# What a listing page says -------------------------------------------------------------------

# Hub terms that match the evidence library's "format" vocabulary, for related evidence.
LIBRARY_FORMAT_SLUGS = {"leadership:peer-led": "peer-led", "leadership:professionally-facilitated":
                        "professionally-facilitated", "size:group": "group", "size:one-to-one": "one-to-one",
                        "delivery:online": "online", "delivery:phone": "telephone"}


def terms_by_group(attributes) -> dict[str, list]:
    groups: dict = {}
    for attribute in attributes:
        term = attribute.taxonomy_term
        groups.setdefault(term.code.split(":", 1)[0] if ":" in term.code else "other", []).append(term)
    return groups


def _age_words(service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return f"aged {int(low)} to {int(high)}"
    if low is not None:
        return f"aged {int(low)} and over"
    return f"aged up to {int(high)}" if high is not None else "of any age"


def who_for(service, groups) -> str:
    needs = [t.name for t in groups.get("condition", []) + groups.get("community", [])]
    about = f"People affected by {', '.join(needs)}" if needs else "Anyone"
    return f"{about}, {_age_words(service)}."


def similar_experiences(groups) -> str:
    codes = {t.code for terms in groups.values() for t in terms}
    if "size:group" in codes:
        meet = "Yes. You meet a group of people with similar experiences."
    elif "size:one-to-one" in codes:
        meet = "You meet one peer supporter who has similar experiences."
    else:
        meet = "Not stated."
    led = {"leadership:peer-led": " It is run by people with lived experience.",
           "leadership:professionally-facilitated": " A trained professional runs the sessions."}
    return meet + "".join(text for code, text in led.items() if code in codes)


def how_to_join(service, groups) -> str:
    parts = [t.description for t in groups.get("join-speed", []) + groups.get("referral", [])]
    contact = service.email or next((p.number for p in service.phones.all()), "")
    if contact:
        parts.append(f"Contact: {contact}.")
    return " ".join(parts) or "Contact the organisation to ask."


def cost_words(service) -> str:
    options = [c.option or c.amount_description for c in service.cost_options.all()]
    return "; ".join(o for o in options if o) or service.fees or "Not stated: ask the organisation."


def when_words(service) -> str:
    schedules = list(service.schedules.all())
    for sal in service.service_at_locations.all():
        schedules += list(sal.schedules.all())
    return " ".join(schedule_words(s) for s in schedules) or "Not stated: ask the organisation."


def schedule_words(schedule) -> str:
    from peerhub.directory.listing import DAY_NAMES

    days = [DAY_NAMES[c] + "s" for c in schedule.byday.split(",") if c in DAY_NAMES]
    times = f" from {schedule.opens_at:%H:%M} to {schedule.closes_at:%H:%M}" if schedule.opens_at and \
        schedule.closes_at else ""
    lead = f"{schedule.description}: " if schedule.description and days else schedule.description
    return f"{lead}{' and '.join(days)}{times}.".strip()


def where_words(service, groups) -> str:
    places = []
    for sal in service.service_at_locations.all():
        address = next(iter(sal.location.addresses.all()), None)
        if address:
            places.append(", ".join(p for p in [sal.location.name, address.address_1, address.city,
                                                address.postal_code] if p))
    remote = [t.name for t in groups.get("delivery", []) if t.code != "delivery:in-person"]
    return "; ".join(places + remote) or "Not stated: ask the organisation."


def accessibility_words(service) -> str:
    notes = [a.description for sal in service.service_at_locations.all() for a in sal.location.accessibility.all()]
    return " ".join(n for n in notes if n) or "Not stated: ask the organisation about access needs."


def listing_facts(service, attributes) -> list[tuple[str, str]]:
    """The ten things people asked to know about a listing, in plain English."""
    groups = terms_by_group(attributes)
    languages = ", ".join(la.name or la.code for la in service.languages.all()) or "Not stated."
    return [
        ("Who it is for", who_for(service, groups)),
        ("Will I meet people with similar experiences?", similar_experiences(groups)),
        ("How to join", how_to_join(service, groups)),
        ("Cost", cost_words(service)),
        ("When it meets", when_words(service)),
        ("Where", where_words(service, groups)),
        ("Accessibility", accessibility_words(service)),
        ("Languages", languages),
        ("Who runs it", service.organization.name),
        ("Last checked", checked_in_words(service)),
    ]


def library_term_ids(attributes) -> list[int]:
    from peerhub.library.models import Term

    ids = [a.taxonomy_term.library_term_id for a in attributes if a.taxonomy_term.library_term_id]
    slugs = [LIBRARY_FORMAT_SLUGS[a.taxonomy_term.code] for a in attributes
             if a.taxonomy_term.code in LIBRARY_FORMAT_SLUGS]
    ids += list(Term.objects.filter(vocabulary__slug="format", slug__in=slugs).values_list("pk", flat=True))
    return ids


def related_evidence(attributes, limit: int = 5) -> list:
    """Library resources about the listing's conditions or its format of peer support."""
    from peerhub.library.selectors import published_resources_with_any_term

    return published_resources_with_any_term(library_term_ids(attributes), limit=limit)
