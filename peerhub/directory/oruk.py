"""Records to Open Referral UK 3.0 JSON. One shape for the API, the exports and the pages'
JSON, so a feed the hub exports is exactly what it serves.

ORUK consumers treat null and "" as data, so every empty optional field is left out (`compact`).
Callers load records through selectors.prefetch_full_services / prefetch_list_services, so these
functions never query."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

SERVICE_SCALARS = [
    "name", "description", "url", "email", "status", "fees", "accreditations", "minimum_age", "maximum_age",
    "assured_date", "assurer_email", "alert", "last_modified",
]
ORGANIZATION_SCALARS = ["name", "description", "email", "website", "logo", "uri"]
LOCATION_SCALARS = ["location_type", "name", "description", "latitude", "longitude", "external_identifier",
                    "external_identifier_type"]
ADDRESS_SCALARS = ["attention", "address_1", "address_2", "city", "region", "state_province", "postal_code",
                   "country", "address_type"]
SCHEDULE_SCALARS = ["valid_from", "valid_to", "dtstart", "freq", "interval", "byday", "bymonthday", "description",
                    "opens_at", "closes_at", "schedule_link", "attending_type", "notes"]
EMPTY = (None, "", [], {})


def compact(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in EMPTY}


def json_value(value):
    """Python values as ORUK writes them: ISO dates, hh:mm:ss times, numbers not strings."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return int(value) if value == int(value) else float(value)
    return value


def scalars(record, names: list[str]) -> dict:
    return {name: json_value(getattr(record, name)) for name in names}


def term_json(term) -> dict:
    return compact({
        "id": str(term.id), "name": term.name, "description": term.description,
        "parent_id": str(term.parent_id) if term.parent_id else None,
        "taxonomy": term.taxonomy_name, "taxonomy_id": str(term.taxonomy_id) if term.taxonomy_id else None,
        "term_uri": term.term_uri, "term": term.term, "code": term.code,
    })


def taxonomy_json(taxonomy, terms=None) -> dict:
    data = compact({"id": str(taxonomy.id), "name": taxonomy.name, "description": taxonomy.description,
                    "uri": taxonomy.uri, "version": taxonomy.version})
    if terms:
        data["taxonomy_terms"] = [term_json(t) for t in terms]
    return data


def attribute_json(attribute) -> dict:
    return compact({
        "id": str(attribute.id), "link_id": str(attribute.link_id), "link_type": attribute.link_type,
        "link_entity": attribute.link_entity, "taxonomy_term_id": str(attribute.taxonomy_term_id),
        "value": attribute.value, "label": attribute.label, "taxonomy_term": term_json(attribute.taxonomy_term),
    })


def attributes_for(record, attributes: dict) -> list[dict]:
    return [attribute_json(a) for a in attributes.get(record.id, [])]


def organization_json(org, attributes: dict, *, full: bool) -> dict:
    data = {"id": str(org.id), **scalars(org, ORGANIZATION_SCALARS),
            "parent_organization_id": str(org.parent_organization_id) if org.parent_organization_id else None}
    if full:
        data["organization_identifiers"] = [
            compact({"id": str(i.id), "organization_id": str(org.id), "identifier_scheme": i.identifier_scheme,
                     "identifier_type": i.identifier_type, "identifier": i.identifier})
            for i in org.organization_identifiers.all()
        ]
        data["attributes"] = attributes_for(org, attributes)
    return compact(data)


def service_summary_json(service) -> dict:
    """The one-to-one fields: what list endpoints carry (compiled/service_list.json)."""
    data = {"id": str(service.id), "organization_id": str(service.organization_id),
            **scalars(service, SERVICE_SCALARS),
            "organization": organization_json(service.organization, {}, full=False)}
    return compact(data)


def address_json(address) -> dict:
    return compact({"id": str(address.id), "location_id": str(address.location_id),
                    **scalars(address, ADDRESS_SCALARS)})


def location_json(location, attributes: dict, *, full: bool) -> dict:
    data = {"id": str(location.id), **scalars(location, LOCATION_SCALARS),
            "addresses": [address_json(a) for a in location.addresses.all()]}
    if full:
        data["accessibility"] = [
            compact({"id": str(a.id), "location_id": str(location.id), "description": a.description,
                     "details": a.details, "url": a.url, "accessibility": a.description})
            for a in location.accessibility.all()
        ]
        data["attributes"] = attributes_for(location, attributes)
    return compact(data)


def schedule_json(schedule) -> dict:
    return compact({
        "id": str(schedule.id), "service_id": str(schedule.service_id) if schedule.service_id else None,
        "service_at_location_id": str(schedule.service_at_location_id) if schedule.service_at_location_id else None,
        **scalars(schedule, SCHEDULE_SCALARS),
    })


def service_at_location_json(sal, attributes: dict, *, full: bool) -> dict:
    data = {"id": str(sal.id), "service_id": str(sal.service_id), "location_id": str(sal.location_id),
            "description": sal.description, "location": location_json(sal.location, attributes, full=full)}
    if full:
        data["schedules"] = [schedule_json(s) for s in sal.schedules.all()]
    return compact(data)


def phone_json(phone) -> dict:
    return compact({
        "id": str(phone.id), "service_id": str(phone.service_id) if phone.service_id else None,
        "contact_id": str(phone.contact_id) if phone.contact_id else None,
        "number": phone.number, "description": phone.description,
    })


def contact_json(contact) -> dict:
    return compact({"id": str(contact.id), "service_id": str(contact.service_id) if contact.service_id else None,
                    "name": contact.name,
                    "title": contact.title, "email": contact.email,
                    "phones": [phone_json(p) for p in contact.phones.all()]})


def _children(service) -> dict:
    sid = str(service.id)
    return {
        "languages": [compact({"id": str(la.id), "service_id": sid, "name": la.name, "code": la.code,
                               "note": la.note}) for la in service.languages.all()],
        "service_areas": [compact({"id": str(a.id), "service_id": sid, "name": a.name, "description": a.description,
                                   "extent": a.extent, "extent_type": a.extent_type, "uri": a.uri,
                                   "service_area": a.service_area}) for a in service.service_areas.all()],
        "funding": [compact({"id": str(f.id), "service_id": sid, "source": f.source}) for f in service.funding.all()],
        "cost_options": [compact({"id": str(c.id), "service_id": sid, **scalars(c, [
            "valid_from", "valid_to", "option", "amount", "amount_description"])}) for c in service.cost_options.all()],
        "contacts": [contact_json(c) for c in service.contacts.all()],
        "phones": [phone_json(p) for p in service.phones.all() if p.contact_id is None],
        "schedules": [schedule_json(s) for s in service.schedules.all()],
    }


def service_json(service, attributes: dict) -> dict:
    """The fully nested service (compiled/service.json)."""
    data = {
        "id": str(service.id), "organization_id": str(service.organization_id), **scalars(service, SERVICE_SCALARS),
        "organization": organization_json(service.organization, attributes, full=True),
        "service_at_locations": [service_at_location_json(s, attributes, full=True)
                                 for s in service.service_at_locations.all()],
        **_children(service),
        "attributes": attributes_for(service, attributes),
    }
    return compact(data)


def service_at_location_detail_json(sal, attributes: dict) -> dict:
    """GET /service_at_locations/{id}. The published OpenAPI wrongly points this at the service
    schema, so besides the service_at_location shape we repeat the service's name, status and
    organisation at the top level: the document then satisfies both schemas."""
    data = service_at_location_json(sal, attributes, full=True)
    # The nested service leaves out its own service_at_locations: this one is the document.
    data["service"] = {k: v for k, v in service_json(sal.service, attributes).items() if k != "service_at_locations"}
    service = sal.service
    data.update({"name": service.name, "status": service.status, "organization_id": str(service.organization_id)})
    return data


def service_at_location_summary_json(sal) -> dict:
    data = service_at_location_json(sal, {}, full=False)
    data["service"] = service_summary_json(sal.service)
    return data
