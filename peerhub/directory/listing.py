"""A listing as providers and curators see it: one flat set of plain fields, mapped to and from
the HSDS records. Provider submissions store this shape, curators compare it field by field, and
the audit history keeps it as each version's snapshot."""

import uuid

from django.utils import timezone

from peerhub.directory import oruk
from peerhub.directory.hub_taxonomy import term_id
from peerhub.directory.models import Service, TaxonomyTerm
from peerhub.directory.selectors import full_service_attributes

DAYS = [("MO", "Monday"), ("TU", "Tuesday"), ("WE", "Wednesday"), ("TH", "Thursday"), ("FR", "Friday"),
        ("SA", "Saturday"), ("SU", "Sunday")]
DAY_NAMES = dict(DAYS)
# Field order and the labels curators see in the difference table.
LABELS = {
    "organisation_name": "Organisation", "organisation_description": "About the organisation",
    "charity_number": "Registered charity number", "name": "Name of the group or service",
    "description": "What happens", "url": "Website", "email": "Email", "phone": "Phone",
    "online_only": "Online or phone only (no venue)", "venue_name": "Venue", "address_1": "Street address",
    "city": "Town or city", "county": "County", "postcode": "Postcode", "latitude": "Latitude",
    "longitude": "Longitude", "accessibility": "Accessibility", "minimum_age": "Youngest age",
    "maximum_age": "Oldest age", "terms": "Categories", "days": "Days", "opens_at": "Starts", "closes_at": "Ends",
    "schedule_description": "When it meets", "cost": "Cost", "languages": "Languages",
}


def _first(items):
    return next(iter(items), None)


def _venue(service: Service):
    sal = _first(service.service_at_locations.all())
    location = sal.location if sal else None
    address = _first(location.addresses.all()) if location else None
    access = _first(location.accessibility.all()) if location else None
    return sal, location, address, access


def _time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _age(value) -> int | None:
    return int(value) if value is not None else None


def _schedule_fields(service: Service) -> dict:
    schedule = _first(service.schedules.all())
    if schedule is None:
        return {"days": [], "opens_at": "", "closes_at": "", "schedule_description": ""}
    return {"days": [c for c in schedule.byday.split(",") if c in DAY_NAMES], "opens_at": _time(schedule.opens_at),
            "closes_at": _time(schedule.closes_at), "schedule_description": schedule.description}


def _identifier(service: Service) -> str:
    found = [i for i in service.organization.organization_identifiers.all() if i.identifier_scheme == "GB-CHC"]
    return found[0].identifier if found else ""


def _venue_fields(service: Service) -> dict:
    _, location, address, access = _venue(service)
    return {
        "online_only": location is None, "venue_name": location.name if location else "",
        "address_1": address.address_1 if address else "", "city": address.city if address else "",
        "county": address.state_province if address else "", "postcode": address.postal_code if address else "",
        "latitude": location.latitude if location else None, "longitude": location.longitude if location else None,
        "accessibility": access.description if access else "",
    }


def listing_from_service(service: Service) -> dict:
    """The flat listing of a service loaded with selectors.full_services."""
    cost = _first(service.cost_options.all())
    phone = _first(service.phones.all())
    attributes = full_service_attributes([service]).get(service.id, [])
    return {
        "organisation_name": service.organization.name, "organisation_description": service.organization.description,
        "charity_number": _identifier(service), "name": service.name, "description": service.description,
        "url": service.url, "email": service.email, "phone": phone.number if phone else "",
        **_venue_fields(service),
        "minimum_age": _age(service.minimum_age), "maximum_age": _age(service.maximum_age),
        "terms": sorted(a.taxonomy_term.code or str(a.taxonomy_term_id) for a in attributes),
        **_schedule_fields(service),
        "cost": (cost.option if cost else "") or service.fees,
        "languages": ", ".join(la.name for la in service.languages.all()),
    }


def differences(before: dict, after: dict) -> list[tuple[str, object, object]]:
    """(label, before, after) for every field that changed, in form order."""
    return [(label, before.get(key), after.get(key)) for key, label in LABELS.items()
            if before.get(key) != after.get(key)]


# Flat listing -> ORUK document ---------------------------------------------------------------

def _id(base: dict | None, key: str) -> str:
    """Keep the existing record's id when updating, so ids stay stable in feeds."""
    return (base or {}).get(key) or str(uuid.uuid4())


def _first_doc(doc: dict | None, *path) -> dict:
    current = doc or {}
    for key in path:
        value = current.get(key) if isinstance(current, dict) else None
        current = value[0] if isinstance(value, list) and value else value if isinstance(value, dict) else {}
    return current or {}


def _organization_doc(data: dict, base: dict | None) -> dict:
    org = _first_doc(base, "organization")
    doc = {"id": _id(org, "id"), "name": data["organisation_name"], "description": data["organisation_description"],
           "organization_identifiers": []}
    if data.get("charity_number"):
        ident = _first_doc(org, "organization_identifiers")
        doc["organization_identifiers"] = [{"id": _id(ident, "id"), "identifier_scheme": "GB-CHC",
                                            "identifier_type": "Registered charity number",
                                            "identifier": data["charity_number"]}]
    return doc


def _location_doc(data: dict, base: dict | None) -> list[dict]:
    if data.get("online_only"):
        return []
    sal, location = _first_doc(base, "service_at_locations"), _first_doc(base, "service_at_locations", "location")
    address, access = _first_doc(location, "addresses"), _first_doc(location, "accessibility")
    location_doc = {
        "id": _id(location, "id"), "location_type": "physical", "name": data.get("venue_name", ""),
        "latitude": data.get("latitude"), "longitude": data.get("longitude"),
        "addresses": [{"id": _id(address, "id"), "address_1": data["address_1"], "city": data["city"],
                       "state_province": data["county"], "postal_code": data["postcode"], "country": "GB",
                       "address_type": "physical"}],
        "accessibility": [{"id": _id(access, "id"), "description": data["accessibility"]}]
        if data.get("accessibility") else [],
    }
    return [{"id": _id(sal, "id"), "location": location_doc}]


def _schedule_docs(data: dict, base: dict | None) -> list[dict]:
    if not (data.get("days") or data.get("schedule_description")):
        return []
    schedule = _first_doc(base, "schedules")
    return [{"id": _id(schedule, "id"), "freq": "WEEKLY", "byday": ",".join(data.get("days") or []),
             "opens_at": data.get("opens_at") or None, "closes_at": data.get("closes_at") or None,
             "description": data.get("schedule_description", "")}]


def _term_ids_for(codes: list[str]) -> dict[str, str]:
    """Hub terms are named by code; terms from imported taxonomies (which have none) by id."""
    found = dict(TaxonomyTerm.objects.filter(code__in=codes).values_list("code", "id"))
    ids = [c for c in codes if c not in found and _is_uuid(c)]
    found.update({str(pk): pk for pk in TaxonomyTerm.objects.filter(id__in=ids).values_list("id", flat=True)})
    return {code: str(pk) for code, pk in found.items()}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _attribute_docs(data: dict, base_service_id: str) -> list[dict]:
    codes = data.get("terms") or []
    known = _term_ids_for(codes)
    return [{"id": str(uuid.uuid5(uuid.UUID(base_service_id), code)), "taxonomy_term_id": known[code],
             "link_type": "service"} for code in codes if code in known]


def _simple_docs(data: dict, base: dict | None) -> dict:
    phone, cost = _first_doc(base, "phones"), _first_doc(base, "cost_options")
    languages = [name.strip() for name in (data.get("languages") or "").split(",") if name.strip()]
    return {
        "phones": [{"id": _id(phone, "id"), "number": data["phone"]}] if data.get("phone") else [],
        "cost_options": [{"id": _id(cost, "id"), "option": data["cost"]}] if data.get("cost") else [],
        "languages": [{"id": str(uuid.uuid4()), "name": name} for name in languages],
    }


def listing_to_document(data: dict, base: dict | None = None, *, assured=None) -> dict:
    """An ORUK service document for this listing; `base` is the current document when updating."""
    service_id = _id(base, "id")
    return {
        "id": service_id, "name": data["name"], "description": data.get("description", ""),
        "url": data.get("url", ""), "email": data.get("email", ""), "status": (base or {}).get("status", "active"),
        "minimum_age": data.get("minimum_age"), "maximum_age": data.get("maximum_age"),
        "assured_date": (assured or timezone.localdate()).isoformat(),
        "assurer_email": data.get("email", ""),
        "organization": _organization_doc(data, base),
        "service_at_locations": _location_doc(data, base),
        "schedules": _schedule_docs(data, base),
        **_simple_docs(data, base),
        "attributes": _attribute_docs(data, service_id),
    }


def current_document(service: Service) -> dict:
    return oruk.service_json(service, full_service_attributes([service]))


def hub_term_code_ids(codes) -> list[uuid.UUID]:
    return [term_id(code) for code in codes]
