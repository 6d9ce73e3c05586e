"""Writes for the directory. Imports, provider submissions approved by curators, the demo loader
and confirmations all save through `save_service_document`, so one path keeps the records, the
search index and the audit history in step, inside one transaction."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from peerhub.audit.services import record_event
from peerhub.directory import documents as d
from peerhub.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    PostcodeCentroid,
    PostcodeKind,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from peerhub.directory.proximity import refresh_for
from peerhub.directory.selectors import SEARCH_KIND, full_services, is_stale
from peerhub.search.services import index_document, remove_document

SUBJECT = "directory.service"
# Stale listings rank lower in text search too (the proximity search demotes them itself).
STALE_BOOST = 0.8


@dataclass
class SaveResult:
    service: Service
    created: bool


def name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def postcode_key(postcode: str) -> str:
    return re.sub(r"\s+", "", postcode.upper())[:10]


def audit_snapshot(service: Service) -> dict:
    """The listing as curators read it in the history (the same flat fields as submissions)."""
    from peerhub.directory.listing import listing_from_service

    return listing_from_service(full_services([service.id])[0])


def reindex(service: Service) -> None:
    """Bring the text search index and the proximity index in step with the saved records."""
    refresh_for(service)
    terms = TaxonomyTerm.objects.filter(attributes__link_id=service.id).values_list("name", flat=True)
    cities = Address.objects.filter(location__service_at_locations__service=service).values_list("city", flat=True)
    index_document(
        SEARCH_KIND, service.id, title=service.name, summary=service.description, body=" ".join(terms),
        extra=" ".join([service.organization.name, *cities]), is_public=service.status == "active",
        boost=STALE_BOOST if is_stale(service) else 1.0,
    )


# Organisations -------------------------------------------------------------------------------

def _identifiers(doc: dict) -> list[dict]:
    return [d.identifier_fields(i) for i in d.items(doc, "organization_identifiers", "organization")]


def _find_organization(org_id, fields: dict, identifiers: list[dict]) -> Organization | None:
    """Same id, else a shared registered identifier (charity or company number), else same name."""
    found = Organization.objects.filter(id=org_id).first()
    for ident in identifiers if found is None else []:
        match = OrganizationIdentifier.objects.filter(
            identifier_scheme=ident["identifier_scheme"], identifier=ident["identifier"]).select_related(
            "organization").first()
        if match:
            return match.organization
    return found or Organization.objects.filter(name_key=name_key(fields["name"])).first()


def upsert_organization(doc: dict) -> Organization:
    if not isinstance(doc, dict):
        raise d.DocumentError("service.organization is required: every service needs the organisation that runs it.")
    org_id = d.record_id(doc, "organization")
    fields, identifiers = d.organization_fields(doc), _identifiers(doc)
    org = _find_organization(org_id, fields, identifiers) or Organization(id=org_id)
    for name, value in fields.items():
        setattr(org, name, value)
    org.name_key = name_key(org.name)
    org.save()
    ident_ids = [i["id"] for i in identifiers]
    OrganizationIdentifier.objects.filter(id__in=ident_ids).exclude(organization=org).delete()
    org.organization_identifiers.exclude(id__in=ident_ids).delete()
    for ident in identifiers:
        OrganizationIdentifier.objects.update_or_create(id=ident.pop("id"), defaults={**ident, "organization": org})
    replace_attributes(org.id, "organization", d.items(doc, "attributes", "organization"))
    return org


# Taxonomy terms and attributes ---------------------------------------------------------------

def upsert_term(fields: dict) -> TaxonomyTerm:
    term_id = fields.pop("id")
    term, _ = TaxonomyTerm.objects.update_or_create(id=term_id, defaults=fields)
    return term


def _term_for(attribute: dict) -> None:
    """An attribute may point at a term the hub does not hold yet: a feed then carries the term
    inside the attribute, and we keep it so the link is not lost."""
    if TaxonomyTerm.objects.filter(id=attribute["taxonomy_term_id"]).exists():
        return
    if attribute["term"] is None:
        raise d.DocumentError(f"attribute {attribute['id']} points at an unknown taxonomy term without including it.")
    upsert_term({**attribute["term"], "id": attribute["taxonomy_term_id"]})


def replace_attributes(link_id, entity: str, docs: list[dict]) -> None:
    parsed = [d.attribute_fields(a) for a in docs]
    Attribute.objects.filter(link_id=link_id).delete()
    Attribute.objects.filter(id__in=[a["id"] for a in parsed]).delete()
    for attribute in parsed:
        _term_for(attribute)
    Attribute.objects.bulk_create([
        Attribute(id=a["id"], link_id=link_id, link_entity=entity, taxonomy_term_id=a["taxonomy_term_id"],
                  link_type=a["link_type"] or entity, value=a["value"], label=a["label"]) for a in parsed
    ])


def upsert_taxonomy(doc: dict) -> Taxonomy:
    fields = d.taxonomy_fields(doc)
    taxonomy, _ = Taxonomy.objects.update_or_create(id=fields.pop("id"), defaults=fields)
    for term_doc in d.items(doc, "taxonomy_terms", "taxonomy"):
        upsert_term({**d.term_fields(term_doc), "taxonomy_id": taxonomy.id})
    return taxonomy


# Services ------------------------------------------------------------------------------------

def _first_postcode(doc: dict) -> str:
    for sal in doc.get("service_at_locations") or []:
        for address in (sal.get("location") or {}).get("addresses") or []:
            if address.get("postal_code"):
                return postcode_key(str(address["postal_code"]))
    return ""


def _find_service(service_id, fields: dict, postcode: str) -> Service | None:
    """Same id, else the same name at the same postcode (the same group listed twice)."""
    found = Service.objects.filter(id=service_id).first()
    if found is None and postcode:
        found = Service.objects.filter(name_key=name_key(fields["name"]), postcode_key=postcode).first()
    return found


def _clear_children(service: Service) -> list:
    old_locations = list(service.service_at_locations.values_list("location_id", flat=True))
    for related in (service.schedules, service.service_at_locations, service.contacts, service.phones,
                    service.languages, service.cost_options, service.service_areas, service.funding):
        related.all().delete()
    return old_locations


def _bulk(model, rows: list[dict], **common) -> None:
    """Create rows keeping their feed ids; a row with the same id elsewhere is replaced."""
    model.objects.filter(id__in=[r["id"] for r in rows]).delete()
    model.objects.bulk_create([model(**r, **common) for r in rows])


def _save_location(doc: dict) -> Location:
    fields = d.location_fields(doc)
    location, _ = Location.objects.update_or_create(id=fields.pop("id"), defaults=fields)
    location.addresses.all().delete()
    _bulk(Address, [d.address_fields(a) for a in d.items(doc, "addresses", "location")], location=location)
    location.accessibility.all().delete()
    _bulk(Accessibility, [d.accessibility_fields(a) for a in d.items(doc, "accessibility", "location")],
          location=location)
    replace_attributes(location.id, "location", d.items(doc, "attributes", "location"))
    return location


def _save_service_at_locations(service: Service, doc: dict) -> None:
    for sal_doc in d.items(doc, "service_at_locations", "service"):
        if not isinstance(sal_doc.get("location"), dict):
            raise d.DocumentError("service_at_location.location is required: say where the service is offered.")
        location = _save_location(sal_doc["location"])
        sal_id = d.record_id(sal_doc, "service_at_location")
        ServiceAtLocation.objects.filter(id=sal_id).delete()
        sal = ServiceAtLocation.objects.create(id=sal_id, service=service, location=location,
                                               description=d.text(sal_doc.get("description"), "sal.description"))
        _bulk(Schedule, [d.schedule_fields(s) for s in d.items(sal_doc, "schedules", "service_at_location")],
              service_at_location=sal)


def _save_contacts(service: Service, doc: dict) -> None:
    for contact_doc in d.items(doc, "contacts", "service"):
        fields = d.contact_fields(contact_doc)
        _bulk(Contact, [fields], service=service)
        _bulk(Phone, [d.phone_fields(p) for p in d.items(contact_doc, "phones", "contact")],
              contact_id=fields["id"])


def _save_children(service: Service, doc: dict) -> None:
    old_locations = _clear_children(service)
    _save_service_at_locations(service, doc)
    _save_contacts(service, doc)
    for key, model, parse in [("schedules", Schedule, d.schedule_fields), ("phones", Phone, d.phone_fields),
                              ("languages", Language, d.language_fields),
                              ("cost_options", CostOption, d.cost_option_fields),
                              ("service_areas", ServiceArea, d.service_area_fields),
                              ("funding", Funding, d.funding_fields)]:
        _bulk(model, [parse(item) for item in d.items(doc, key, "service")], service=service)
    # Locations this service no longer uses, and no other service uses, go too.
    Location.objects.filter(id__in=old_locations, service_at_locations__isnull=True).delete()
    replace_attributes(service.id, "service", d.items(doc, "attributes", "service"))


def _apply_service_fields(service: Service, fields: dict, doc: dict) -> None:
    for name, value in fields.items():
        setattr(service, name, value)
    service.last_modified = fields["last_modified"] or timezone.now()
    service.name_key = name_key(service.name)
    service.postcode_key = _first_postcode(doc)


@transaction.atomic
def save_service_document(doc: dict, *, actor=None, source: str = "", is_example: bool | None = None,
                          action: str = "") -> SaveResult:
    """Create or update a service from a fully nested ORUK service document. Any error raises
    DocumentError and the transaction leaves nothing half-saved."""
    if not isinstance(doc, dict):
        raise d.DocumentError("Each service must be a JSON object.")
    service_id = d.record_id(doc, "service")
    fields = d.service_fields(doc)
    existing = _find_service(service_id, fields, _first_postcode(doc))
    before = audit_snapshot(existing) if existing else {}
    service = existing or Service(id=service_id)
    service.organization = upsert_organization(doc.get("organization"))
    _apply_service_fields(service, fields, doc)
    if is_example is not None:
        service.is_example = is_example
    service.save()
    _save_children(service, doc)
    reindex(service)
    record_event(subject_type=SUBJECT, subject_id=service.id, action=action or ("edited" if existing else "created"),
                 actor=actor, before=before, after=audit_snapshot(service), note=source)
    return SaveResult(service, existing is None)


@transaction.atomic
def delete_service(service: Service, *, actor, note: str = "") -> None:
    before = audit_snapshot(service)
    remove_document(SEARCH_KIND, service.id)
    Attribute.objects.filter(link_id=service.id).delete()
    locations = list(service.service_at_locations.values_list("location_id", flat=True))
    pk = service.id
    service.delete()
    Location.objects.filter(id__in=locations, service_at_locations__isnull=True).delete()
    record_event(subject_type=SUBJECT, subject_id=pk, action="deleted", actor=actor, before=before, after={},
                 note=note)


@transaction.atomic
def confirm_still_right(service: Service, *, actor=None, confirmed_by: str = "") -> Service:
    """The provider says the listing is still right: it is assured today."""
    before = {"assured_date": service.assured_date.isoformat() if service.assured_date else None}
    service.assured_date = timezone.localdate()
    service.last_modified = timezone.now()
    service.save(update_fields=["assured_date", "last_modified"])
    reindex(service)
    record_event(subject_type=SUBJECT, subject_id=service.id, action="confirmed", actor=actor, before=before,
                 after={"assured_date": service.assured_date.isoformat()},
                 note="Provider confirmed the listing is still right", actor_fallback=confirmed_by)
    return service


# Postcodes -----------------------------------------------------------------------------------

POSTCODE_FILES = [("postcode_sector_centroids.csv", "sector", PostcodeKind.SECTOR),
                  ("postcode_district_centroids.csv", "outward_code", PostcodeKind.DISTRICT)]


def postcode_data_dir(shared_dir) -> Path:
    return Path(shared_dir) / "data" / "uk-postcode-centroids"


def _centroid_rows(path: Path, code_column: str, kind: str) -> list[PostcodeCentroid]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [PostcodeCentroid(code=row[code_column].strip().upper(), kind=kind, latitude=float(row["latitude"]),
                                 longitude=float(row["longitude"]), postcode_count=int(row["postcode_count"] or 0))
                for row in csv.DictReader(handle)]


@transaction.atomic
def load_postcode_centroids(shared_dir) -> int:
    """Replace the centroid table from the shared CSVs. Returns how many rows it now holds."""
    folder = postcode_data_dir(shared_dir)
    missing = [name for name, _, _ in POSTCODE_FILES if not (folder / name).exists()]
    if missing:
        raise FileNotFoundError(f"Postcode data not found in {folder}: {', '.join(missing)}")
    rows = [row for name, column, kind in POSTCODE_FILES for row in _centroid_rows(folder / name, column, kind)]
    PostcodeCentroid.objects.all().delete()
    PostcodeCentroid.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def ensure_postcode_centroids(shared_dir) -> int:
    """Load the centroids once (the demo loader calls this lazily)."""
    count = PostcodeCentroid.objects.count()
    return count or load_postcode_centroids(shared_dir)
