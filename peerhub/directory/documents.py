"""ORUK 3.0 JSON to field values: the reading half of oruk.py, used by every import.

Each function checks one part of a document and returns plain field dicts ready for the models,
or raises DocumentError naming the field that is wrong, so an import can say exactly which
record failed and why."""

import uuid
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from peerhub.directory.models import LocationType, ServiceStatus


class DocumentError(ValueError):
    pass


def as_uuid(value, where: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise DocumentError(f"{where} must be a UUID, not “{str(value)[:60]}”.") from None


def optional_uuid(value, where: str) -> uuid.UUID | None:
    return None if value in (None, "") else as_uuid(value, where)


def as_date(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise DocumentError(f"{where} must be a date like 2025-01-31, not “{str(value)[:40]}”.") from None


def as_time(value, where: str) -> time | None:
    if value in (None, ""):
        return None
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise DocumentError(f"{where} must be a time like 18:30:00, not “{str(value)[:40]}”.") from None


def as_datetime(value, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value)) if isinstance(value, str) else None
    if parsed is None:
        raise DocumentError(f"{where} must be a date and time like 2025-01-31T09:00:00Z.")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def as_number(value, where: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DocumentError(f"{where} must be a number, not “{str(value)[:40]}”.") from None
    if not number.is_finite():
        raise DocumentError(f"{where} must be a finite number.")
    return number


def as_float(value, where: str) -> float | None:
    number = as_number(value, where)
    return None if number is None else float(number)


def text(value, where: str, *, required: bool = False, limit: int | None = None) -> str:
    if value is None or value == "":
        if required:
            raise DocumentError(f"{where} is required.")
        return ""
    if not isinstance(value, str | int | float):
        raise DocumentError(f"{where} must be text.")
    value = str(value).strip()
    if limit and len(value) > limit:
        raise DocumentError(f"{where} must be {limit} characters or fewer.")
    return value


def choice(value, allowed, where: str, default: str) -> str:
    if value in (None, ""):
        return default
    if value not in allowed:
        raise DocumentError(f"{where} must be one of {', '.join(allowed)}, not “{str(value)[:40]}”.")
    return value


def items(doc: dict, key: str, where: str) -> list[dict]:
    value = doc.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise DocumentError(f"{where}.{key} must be a list of objects.")
    return value


def record_id(doc: dict, where: str) -> uuid.UUID:
    return as_uuid(doc.get("id"), f"{where}.id")


def service_fields(doc: dict) -> dict:
    where = "service"
    return {
        "name": text(doc.get("name"), f"{where}.name", required=True, limit=255),
        "description": text(doc.get("description"), f"{where}.description"),
        "url": text(doc.get("url"), f"{where}.url", limit=1000),
        "email": text(doc.get("email"), f"{where}.email", limit=254),
        "status": choice(doc.get("status"), ServiceStatus.values, f"{where}.status", ServiceStatus.ACTIVE),
        "fees": text(doc.get("fees"), f"{where}.fees"),
        "accreditations": text(doc.get("accreditations"), f"{where}.accreditations"),
        "minimum_age": as_float(doc.get("minimum_age"), f"{where}.minimum_age"),
        "maximum_age": as_float(doc.get("maximum_age"), f"{where}.maximum_age"),
        "assured_date": as_date(doc.get("assured_date"), f"{where}.assured_date"),
        "assurer_email": text(doc.get("assurer_email"), f"{where}.assurer_email", limit=254),
        "alert": text(doc.get("alert"), f"{where}.alert"),
        "last_modified": as_datetime(doc.get("last_modified"), f"{where}.last_modified"),
    }


def organization_fields(doc: dict) -> dict:
    where = "organization"
    return {
        "name": text(doc.get("name"), f"{where}.name", required=True, limit=255),
        "description": text(doc.get("description"), f"{where}.description", required=True),
        "email": text(doc.get("email"), f"{where}.email", limit=254),
        "website": text(doc.get("website"), f"{where}.website", limit=1000),
        "logo": text(doc.get("logo"), f"{where}.logo", limit=1000),
        "uri": text(doc.get("uri"), f"{where}.uri", limit=1000),
        "parent_organization_id": optional_uuid(doc.get("parent_organization_id"), f"{where}.parent_organization_id"),
    }


def identifier_fields(doc: dict) -> dict:
    where = "organization_identifier"
    return {
        "id": record_id(doc, where),
        "identifier_scheme": text(doc.get("identifier_scheme"), f"{where}.identifier_scheme", limit=60),
        "identifier_type": text(doc.get("identifier_type"), f"{where}.identifier_type", required=True, limit=120),
        "identifier": text(doc.get("identifier"), f"{where}.identifier", required=True, limit=120),
    }


def location_fields(doc: dict) -> dict:
    where = "location"
    return {
        "id": record_id(doc, where),
        "location_type": choice(doc.get("location_type"), LocationType.values, f"{where}.location_type",
                                LocationType.PHYSICAL),
        "name": text(doc.get("name"), f"{where}.name", limit=255),
        "description": text(doc.get("description"), f"{where}.description"),
        "latitude": as_float(doc.get("latitude"), f"{where}.latitude"),
        "longitude": as_float(doc.get("longitude"), f"{where}.longitude"),
        "external_identifier": text(doc.get("external_identifier"), f"{where}.external_identifier", limit=120),
        "external_identifier_type": text(doc.get("external_identifier_type"), f"{where}.external_identifier_type",
                                         limit=60),
    }


def address_fields(doc: dict) -> dict:
    where = "address"
    fields = {"id": record_id(doc, where)}
    for name, required, limit in [("attention", False, 255), ("address_1", True, 255), ("address_2", False, 255),
                                  ("city", True, 120), ("region", False, 120), ("state_province", True, 120),
                                  ("postal_code", True, 20), ("country", True, 2)]:
        fields[name] = text(doc.get(name), f"{where}.{name}", required=required, limit=limit)
    fields["address_type"] = choice(doc.get("address_type"), LocationType.values, f"{where}.address_type",
                                    LocationType.PHYSICAL)
    fields["city_key"] = fields["city"].lower()
    return fields


def accessibility_fields(doc: dict) -> dict:
    where = "accessibility"
    return {"id": record_id(doc, where),
            "description": text(doc.get("description") or doc.get("accessibility"), f"{where}.description"),
            "details": text(doc.get("details"), f"{where}.details"),
            "url": text(doc.get("url"), f"{where}.url", limit=1000)}


def schedule_fields(doc: dict) -> dict:
    where = "schedule"
    interval = as_number(doc.get("interval"), f"{where}.interval")
    return {
        "id": record_id(doc, where),
        "valid_from": as_date(doc.get("valid_from"), f"{where}.valid_from"),
        "valid_to": as_date(doc.get("valid_to"), f"{where}.valid_to"),
        "dtstart": as_date(doc.get("dtstart"), f"{where}.dtstart"),
        "freq": choice(doc.get("freq"), ["WEEKLY", "MONTHLY"], f"{where}.freq", ""),
        "interval": int(interval) if interval is not None else None,
        "byday": text(doc.get("byday"), f"{where}.byday", limit=60).upper(),
        "bymonthday": text(doc.get("bymonthday"), f"{where}.bymonthday", limit=60),
        "description": text(doc.get("description"), f"{where}.description"),
        "opens_at": as_time(doc.get("opens_at"), f"{where}.opens_at"),
        "closes_at": as_time(doc.get("closes_at"), f"{where}.closes_at"),
        "schedule_link": text(doc.get("schedule_link"), f"{where}.schedule_link", limit=1000),
        "attending_type": text(doc.get("attending_type"), f"{where}.attending_type", limit=255),
        "notes": text(doc.get("notes"), f"{where}.notes"),
    }


def cost_option_fields(doc: dict) -> dict:
    where = "cost_option"
    return {"id": record_id(doc, where), "valid_from": as_date(doc.get("valid_from"), f"{where}.valid_from"),
            "valid_to": as_date(doc.get("valid_to"), f"{where}.valid_to"),
            "option": text(doc.get("option"), f"{where}.option", limit=255),
            "amount": as_number(doc.get("amount"), f"{where}.amount"),
            "amount_description": text(doc.get("amount_description"), f"{where}.amount_description", limit=255)}


def language_fields(doc: dict) -> dict:
    where = "language"
    return {"id": record_id(doc, where), "name": text(doc.get("name"), f"{where}.name", limit=120),
            "code": text(doc.get("code"), f"{where}.code", limit=12), "note": text(doc.get("note"), f"{where}.note")}


def service_area_fields(doc: dict) -> dict:
    where = "service_area"
    fields = {"id": record_id(doc, where)}
    for name, limit in [("name", 255), ("description", None), ("extent", None), ("extent_type", 30),
                        ("uri", 1000), ("service_area", None)]:
        fields[name] = text(doc.get(name), f"{where}.{name}", limit=limit)
    return fields


def contact_fields(doc: dict) -> dict:
    where = "contact"
    return {"id": record_id(doc, where), "name": text(doc.get("name"), f"{where}.name", limit=255),
            "title": text(doc.get("title"), f"{where}.title", limit=255),
            "email": text(doc.get("email"), f"{where}.email", limit=254)}


def phone_fields(doc: dict) -> dict:
    where = "phone"
    return {"id": record_id(doc, where), "number": text(doc.get("number"), f"{where}.number", required=True, limit=60),
            "description": text(doc.get("description"), f"{where}.description")}


def funding_fields(doc: dict) -> dict:
    return {"id": record_id(doc, "funding"), "source": text(doc.get("source"), "funding.source")}


def term_fields(doc: dict) -> dict:
    where = "taxonomy_term"
    return {
        "id": record_id(doc, where),
        "name": text(doc.get("name"), f"{where}.name", required=True, limit=255),
        "description": text(doc.get("description"), f"{where}.description"),
        "parent_id": optional_uuid(doc.get("parent_id"), f"{where}.parent_id"),
        "taxonomy_id": optional_uuid(doc.get("taxonomy_id"), f"{where}.taxonomy_id"),
        "taxonomy_name": text(doc.get("taxonomy"), f"{where}.taxonomy", limit=255),
        "term_uri": text(doc.get("term_uri"), f"{where}.term_uri", limit=1000),
        "term": text(doc.get("term"), f"{where}.term", limit=255),
        "code": text(doc.get("code"), f"{where}.code", limit=160),
    }


def taxonomy_fields(doc: dict) -> dict:
    where = "taxonomy"
    return {"id": record_id(doc, where), "name": text(doc.get("name"), f"{where}.name", required=True, limit=255),
            "description": text(doc.get("description"), f"{where}.description"),
            "uri": text(doc.get("uri"), f"{where}.uri", limit=1000),
            "version": text(doc.get("version"), f"{where}.version", limit=30)}


def attribute_fields(doc: dict) -> dict:
    where = "attribute"
    term = doc.get("taxonomy_term")
    term_id = doc.get("taxonomy_term_id") or (term or {}).get("id")
    if not term_id:
        raise DocumentError(f"{where} needs a taxonomy_term_id or a taxonomy_term.")
    return {"id": record_id(doc, where), "taxonomy_term_id": as_uuid(term_id, f"{where}.taxonomy_term_id"),
            "link_type": text(doc.get("link_type"), f"{where}.link_type", limit=60),
            "value": text(doc.get("value"), f"{where}.value", limit=255),
            "label": text(doc.get("label"), f"{where}.label", limit=255),
            "term": term_fields(term) if isinstance(term, dict) else None}
