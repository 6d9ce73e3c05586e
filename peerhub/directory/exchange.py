"""Whole-directory exchange in ORUK 3.0 JSON: export every taxonomy and fully nested service,
and import such a feed (or a list of services, or an API page) through the one write path."""

from dataclasses import dataclass, field

from django.db import transaction

from peerhub.directory import oruk, selectors
from peerhub.directory.documents import DocumentError
from peerhub.directory.models import Taxonomy
from peerhub.directory.services import save_service_document, upsert_taxonomy

EXPORT_BATCH = 200


def export_feed() -> dict:
    taxonomies = [oruk.taxonomy_json(t, selectors.taxonomy_terms(t)) for t in Taxonomy.objects.order_by("id")]
    services = []
    ids = sorted(selectors.all_service_ids(), key=str)
    for start in range(0, len(ids), EXPORT_BATCH):
        batch = selectors.full_services(ids[start:start + EXPORT_BATCH])
        attributes = selectors.full_service_attributes(batch)
        services += [oruk.service_json(s, attributes) for s in batch]
    return {"version": "3.0", "taxonomies": taxonomies, "services": services}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _parts(data) -> tuple[list, list]:
    if isinstance(data, list):
        return [], data
    if isinstance(data, dict) and "contents" in data:
        return [], data["contents"]
    if isinstance(data, dict) and "services" in data:
        return data.get("taxonomies") or [], data["services"]
    raise DocumentError("This is not an ORUK feed: expected a list of services, a page with contents, "
                        "or an object with services.")


def import_feed(data, *, actor=None, source: str = "") -> ImportReport:
    """Each service saves in its own transaction, so one bad record is reported, not fatal."""
    taxonomies, services = _parts(data)
    report = ImportReport()
    with transaction.atomic():
        for doc in taxonomies:
            upsert_taxonomy(doc)
    for position, doc in enumerate(services, start=1):
        try:
            result = save_service_document(doc, actor=actor, source=source, action="imported")
        except DocumentError as error:
            name = doc.get("name", "") if isinstance(doc, dict) else ""
            report.errors.append(f"Service {position} {name!r}: {error}".replace(" ''", ""))
            continue
        report.created += result.created
        report.updated += not result.created
    return report
