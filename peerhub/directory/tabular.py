"""ORUK 3.0 tabular (CSV) layout: one CSV per HSDS table, linked by ids, as in the UK profile's
examples/csv. We convert between these tables and the nested JSON feed that exchange.py
exports and imports, so CSV goes through exactly the same import path and checks as JSON."""

import csv
import io
import zipfile
from pathlib import PurePosixPath

from peerhub.directory.documents import DocumentError
from peerhub.directory.oruk import (
    ADDRESS_SCALARS,
    LOCATION_SCALARS,
    ORGANIZATION_SCALARS,
    SCHEDULE_SCALARS,
    SERVICE_SCALARS,
)

# Table name -> columns we write, in the UK profile's order.
TABLES = {
    "organizations": ["id", *ORGANIZATION_SCALARS, "parent_organization_id"],
    "organization_identifiers": ["id", "organization_id", "identifier_scheme", "identifier_type", "identifier"],
    "services": ["id", "organization_id", *SERVICE_SCALARS],
    "locations": ["id", *LOCATION_SCALARS],
    "addresses": ["id", "location_id", *ADDRESS_SCALARS],
    "accessibility": ["id", "location_id", "description", "details", "url"],
    "service_at_location": ["id", "service_id", "location_id", "description"],
    "schedules": ["id", "service_id", "service_at_location_id", *SCHEDULE_SCALARS],
    "contacts": ["id", "service_id", "name", "title", "email"],
    "phones": ["id", "service_id", "contact_id", "number", "description"],
    "languages": ["id", "service_id", "name", "code", "note"],
    "cost_options": ["id", "service_id", "valid_from", "valid_to", "option", "amount", "amount_description"],
    "service_areas": ["id", "service_id", "name", "description", "extent", "extent_type", "uri", "service_area"],
    "funding": ["id", "service_id", "source"],
    "taxonomies": ["id", "name", "description", "uri", "version"],
    "taxonomy_terms": ["id", "code", "name", "description", "parent_id", "taxonomy", "taxonomy_id", "term_uri",
                       "term"],
    "attributes": ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value", "label"],
}
# The UK profile's examples also use these singular file names.
ALIASES = {"address": "addresses", "attribute": "attributes", "schedule": "schedules", "taxonomy": "taxonomies",
           "organization": "organizations", "service": "services", "location": "locations",
           "service_at_locations": "service_at_location"}
MAX_UNCOMPRESSED = 100 * 1024 * 1024


# Nested feed -> tables ----------------------------------------------------------------------------

def _row(table: str, record: dict, **extra) -> dict:
    values = {**record, **extra}
    return {column: values.get(column, "") for column in TABLES[table]}


class _Tables:
    """Collects rows; a record shared by several services (an organisation, a venue) is written once."""

    def __init__(self):
        self.rows = {name: {} for name in TABLES}

    def add(self, table: str, record: dict, **extra) -> None:
        self.rows[table].setdefault(record["id"], _row(table, record, **extra))

    def attributes(self, record: dict, entity: str) -> None:
        for attribute in record.get("attributes", []):
            self.add("attributes", attribute, link_id=record["id"], link_entity=entity)
            if "taxonomy_term" in attribute:
                self.add("taxonomy_terms", attribute["taxonomy_term"])


def _add_location(tables: _Tables, location: dict) -> None:
    tables.add("locations", location)
    for address in location.get("addresses", []):
        tables.add("addresses", address, location_id=location["id"])
    for access in location.get("accessibility", []):
        tables.add("accessibility", access, location_id=location["id"])
    tables.attributes(location, "location")


def _add_organization(tables: _Tables, org: dict) -> None:
    tables.add("organizations", org)
    for ident in org.get("organization_identifiers", []):
        tables.add("organization_identifiers", ident, organization_id=org["id"])
    tables.attributes(org, "organization")


def _add_service(tables: _Tables, service: dict) -> None:
    sid = service["id"]
    tables.add("services", service)
    _add_organization(tables, service["organization"])
    for sal in service.get("service_at_locations", []):
        tables.add("service_at_location", sal, service_id=sid)
        _add_location(tables, sal["location"])
        for schedule in sal.get("schedules", []):
            tables.add("schedules", schedule, service_at_location_id=sal["id"])
    for contact in service.get("contacts", []):
        tables.add("contacts", contact, service_id=sid)
        for phone in contact.get("phones", []):
            tables.add("phones", phone, contact_id=contact["id"])
    for table, key in [("schedules", "schedules"), ("phones", "phones"), ("languages", "languages"),
                       ("cost_options", "cost_options"), ("service_areas", "service_areas"), ("funding", "funding")]:
        for item in service.get(key, []):
            tables.add(table, item, service_id=sid)
    tables.attributes(service, "service")


def feed_to_tables(feed: dict) -> dict[str, list[dict]]:
    tables = _Tables()
    for taxonomy in feed.get("taxonomies", []):
        tables.add("taxonomies", taxonomy)
        for term in taxonomy.get("taxonomy_terms", []):
            tables.add("taxonomy_terms", term)
    for service in feed.get("services", []):
        _add_service(tables, service)
    return {name: list(rows.values()) for name, rows in tables.rows.items()}


def tables_to_zip(tables: dict[str, list[dict]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=TABLES[name], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()


# Tables -> nested feed ----------------------------------------------------------------------------

def _table_name(filename: str) -> str | None:
    stem = PurePosixPath(filename).stem.lower()
    name = ALIASES.get(stem, stem)
    return name if name in TABLES else None


def read_csv(name: str, data: bytes) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(f"{name} is not UTF-8 text: save it as CSV UTF-8 and try again.") from None
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as error:
        raise DocumentError(f"{name} is not a readable CSV file: {error}.") from None
    # Extra cells beyond the header come back under the key None; they are dropped.
    return [{key.strip(): (value or "").strip() for key, value in row.items() if isinstance(key, str)} for row in rows]


def _merge(rows: list[dict], more: list[dict]) -> None:
    seen = {row.get("id") for row in rows}
    rows.extend(row for row in more if not row.get("id") or row["id"] not in seen)


def zip_to_tables(data: bytes) -> dict[str, list[dict]]:
    """Every known table in a ZIP of CSVs (folders inside the ZIP are fine; other files ignored)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocumentError("This is not a ZIP file. Upload the CSV tables together in one .zip file.") from None
    members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")]
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        raise DocumentError("The CSV tables are too large to import here (over 100 MB unzipped).")
    tables: dict[str, list[dict]] = {}
    # Canonical file names first: where the UK profile's examples hold both address.csv and
    # addresses.csv, the same record must not be read twice.
    for member in sorted(members, key=lambda m: PurePosixPath(m.filename).stem.lower() in ALIASES):
        name = _table_name(member.filename)
        if name:
            _merge(tables.setdefault(name, []), read_csv(member.filename, archive.read(member)))
    if "services" not in tables:
        raise DocumentError("The ZIP has no services.csv, so there are no services to import.")
    return tables


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict = {}
    for row in rows:
        if row.get(key):
            grouped.setdefault(row[key], []).append(row)
    return grouped


class _Index:
    """The tables grouped by their links, to assemble each service's nested document."""

    def __init__(self, tables: dict[str, list[dict]]):
        get = lambda name: tables.get(name, [])  # noqa: E731
        self.organizations = {r["id"]: r for r in get("organizations") if r.get("id")}
        self.locations = {r["id"]: r for r in get("locations") if r.get("id")}
        self.terms = {r["id"]: r for r in get("taxonomy_terms") if r.get("id")}
        self.by_org = _by(get("organization_identifiers"), "organization_id")
        self.attributes = _by(get("attributes"), "link_id")
        self.by_location = {n: _by(get(n), "location_id") for n in ("addresses", "accessibility")}
        self.by_sal = _by(get("schedules"), "service_at_location_id")
        self.by_contact = _by(get("phones"), "contact_id")
        self.by_service = {n: _by(get(n), "service_id") for n in (
            "service_at_location", "schedules", "contacts", "phones", "languages", "cost_options",
            "service_areas", "funding")}

    def attributes_of(self, record_id: str) -> list[dict]:
        return [{**a, "taxonomy_term": self.terms[a["taxonomy_term_id"]]} if a.get("taxonomy_term_id") in self.terms
                else a for a in self.attributes.get(record_id, [])]

    def location(self, location_id: str) -> dict | None:
        row = self.locations.get(location_id)
        if row is None:
            return None
        return {**row, "addresses": self.by_location["addresses"].get(location_id, []),
                "accessibility": self.by_location["accessibility"].get(location_id, []),
                "attributes": self.attributes_of(location_id)}

    def organization(self, org_id: str) -> dict | None:
        row = self.organizations.get(org_id)
        if row is None:
            return None
        return {**row, "organization_identifiers": self.by_org.get(org_id, []),
                "attributes": self.attributes_of(org_id)}

    def _service_at_locations(self, sid: str) -> list[dict]:
        return [{**sal, "location": self.location(sal.get("location_id", "")),
                 "schedules": self.by_sal.get(sal.get("id", ""), [])}
                for sal in self.by_service["service_at_location"].get(sid, [])]

    def _contacts(self, sid: str) -> list[dict]:
        contacts = self.by_service["contacts"].get(sid, [])
        return [{**c, "phones": self.by_contact.get(c.get("id", ""), [])} for c in contacts]

    def service(self, row: dict) -> dict:
        sid = row["id"]
        schedules = [s for s in self.by_service["schedules"].get(sid, []) if not s.get("service_at_location_id")]
        phones = [p for p in self.by_service["phones"].get(sid, []) if not p.get("contact_id")]
        simple = {n: self.by_service[n].get(sid, []) for n in ("languages", "cost_options", "service_areas",
                                                                "funding")}
        return {**row, "organization": self.organization(row.get("organization_id", "")),
                "service_at_locations": self._service_at_locations(sid), "contacts": self._contacts(sid),
                "schedules": schedules, "phones": phones, **simple, "attributes": self.attributes_of(sid)}


def tables_to_feed(tables: dict[str, list[dict]]) -> dict:
    index = _Index(tables)
    taxonomies = [{**t, "taxonomy_terms": [term for term in index.terms.values() if term.get("taxonomy_id") == t["id"]]}
                  for t in tables.get("taxonomies", []) if t.get("id")]
    return {"taxonomies": taxonomies, "services": [index.service(row) for row in tables["services"]]}
