"""Checks ORUK 3.0 responses against the official schema files, with no network.

The published OpenAPI document and schemas refer to each other by their GitHub URLs. We load
the local copies under exactly those URLs into a `referencing` registry, so every $ref resolves
offline. Beyond the JSON schemas, two rules the schemas cannot express are checked within each
record: two different objects may not share an id, and a term may not be its own parent.

`suite_results` checks a folder of sample responses the way the ORUK validator checks a live
API: each response must be valid, and so must the responses it leads to (a list leads to its
detail endpoint, a taxonomy to its terms, an organisation to its services)."""

import json
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI_URI = SCHEMA_BASE + "openapi.json"
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
PAGE_REF = OPENAPI_URI + "#/components/schemas/Page"


def _response_ref(path: str) -> str:
    pointer = path.replace("~", "~0").replace("/", "~1")
    return f"{OPENAPI_URI}#/paths/{pointer}/get/responses/200/content/application~1json/schema"


def _page_of(item_ref: str) -> dict:
    return {"allOf": [{"$ref": PAGE_REF}], "properties": {"contents": {"type": "array", "items": {"$ref": item_ref}}}}


# Each endpoint's response schema: the OpenAPI document's own where it defines one.
ENDPOINT_SCHEMAS = {
    "root": {"$ref": _response_ref("/")},
    "services": {"$ref": _response_ref("/services")},
    "service": {"$ref": _response_ref("/services/{id}")},
    "service_at_locations": {"$ref": _response_ref("/service_at_locations")},
    "service_at_location": {"$ref": SCHEMA_BASE + "compiled/service_at_location.json"},
    # The published OpenAPI points /service_at_locations/{id} at the service schema (a known bug,
    # which ORUK's own samples fail): the hub's responses are checked against this as well.
    "service_at_location_as_published": {"$ref": _response_ref("/service_at_locations/{id}")},
    "taxonomies": {"$ref": _response_ref("/taxonomies")},
    "taxonomy": {"$ref": _response_ref("/taxonomies/{id}")},
    "taxonomy_terms": {"$ref": _response_ref("/taxonomy_terms")},
    "taxonomy_term": {"$ref": _response_ref("/taxonomy_terms/{id}")},
    # The UK OpenAPI has no organisation endpoints; these mirror its pattern for the samples.
    "organizations": _page_of(SCHEMA_BASE + "compiled/organization_list.json"),
    "organization": {"$ref": SCHEMA_BASE + "compiled/organization.json"},
}
SAMPLE_ENDPOINTS = {
    "api_details": "root", "service_list": "services", "service_full": "service",
    "service_at_location_list": "service_at_locations", "service_at_location_full": "service_at_location",
    "taxonomy_list": "taxonomies", "taxonomy": "taxonomy", "taxonomy_term_list": "taxonomy_terms",
    "taxonomy_term": "taxonomy_term", "organization_list": "organizations", "organization": "organization",
    "organization_full": "organization",
}
LIST_DETAIL = {"services": "service", "service_at_locations": "service_at_location", "taxonomies": "taxonomy",
               "taxonomy_terms": "taxonomy_term", "organizations": "organization"}
NESTED_LINKS = {"taxonomy": ("taxonomy_terms", "taxonomy_term"), "organization": ("services", "service")}

format_checker = FormatChecker()


@format_checker.checks("uri")
def is_uri(value) -> bool:
    """RFC 3986: an absolute URI has a scheme and no spaces (jsonschema skips "uri" without
    an extra package, which would let "example_com" through)."""
    return not isinstance(value, str) or bool(URI_RE.match(value))


class StandardsMissing(RuntimeError):
    pass


def profile_dir(shared_dir=None) -> Path:
    return Path(shared_dir or settings.SHARED_DATA_DIR) / "standards" / "openreferral" / "uk-profile-3.0"


def samples_dir(shared_dir=None) -> Path:
    return Path(shared_dir or settings.SHARED_DATA_DIR) / "standards" / "openreferral" / "validator-samples"


@lru_cache(maxsize=4)
def registry(schema_root: str) -> Registry:
    root = Path(schema_root)
    if not (root / "openapi.json").exists():
        raise StandardsMissing(f"The ORUK 3.0 schema files are not in {root}.")
    resources = []
    for path in [*root.glob("*.json"), *(root / "compiled").glob("*.json")]:
        uri = SCHEMA_BASE + str(path.relative_to(root)).replace("\\", "/")
        resources.append((uri, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def validator(endpoint: str, shared_dir=None) -> Draft202012Validator:
    reg = registry(str(profile_dir(shared_dir) / "schema"))
    return Draft202012Validator(ENDPOINT_SCHEMAS[endpoint], registry=reg, format_checker=format_checker)


def _path(error) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "(document)"


def schema_errors(endpoint: str, payload, shared_dir=None) -> list[str]:
    found = validator(endpoint, shared_dir).iter_errors(payload)
    return sorted(f"{_path(e)}: {e.message[:200]}" for e in found)


def _objects_by_id(node, found: dict) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            found.setdefault(node["id"], []).append(node)
        for value in node.values():
            _objects_by_id(value, found)
    elif isinstance(node, list):
        for value in node:
            _objects_by_id(value, found)


def _shared_ids(record) -> list[str]:
    """Ids used by two different objects inside one record (a repeat of the same object is fine)."""
    found: dict = {}
    _objects_by_id(record, found)
    problems = []
    for record_id, objects in found.items():
        shapes = {json.dumps(_shallow(o), sort_keys=True) for o in objects}
        if len(shapes) > 1:
            problems.append(f"id {record_id} is used by {len(shapes)} different records.")
    return problems


def _shallow(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if not isinstance(v, dict | list)}


def _self_parents(record) -> list[str]:
    found: dict = {}
    _objects_by_id(record, found)
    return [f"term {i} is its own parent." for i, objs in found.items() if any(o.get("parent_id") == i for o in objs)]


def records_of(endpoint: str, payload) -> list:
    if endpoint in LIST_DETAIL and isinstance(payload, dict):
        return payload.get("contents") or []
    return [payload]


def record_errors(endpoint: str, payload) -> list[str]:
    problems = []
    for record in records_of(endpoint, payload):
        problems += _shared_ids(record) + _self_parents(record)
    return problems


def document_errors(endpoint: str, payload, shared_dir=None) -> list[str]:
    """Everything wrong with one response; an empty list means it conforms."""
    return schema_errors(endpoint, payload, shared_dir) + record_errors(endpoint, payload)


def empty_value_paths(node, path: str = "") -> list[str]:
    """Where a response holds null or "" (ORUK asks for empty optional fields to be left out)."""
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in empty_value_paths(v, f"{path}/{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in empty_value_paths(v, f"{path}/{i}")]
    return [path or "/"] if node is None or node == "" else []


def page_errors(payload: dict) -> list[str]:
    """The Page numbers must agree with each other and with the contents."""
    total, per_page_pages, size = payload["total_items"], payload["total_pages"], payload["size"]
    checks = [
        (size == len(payload["contents"]), "size differs from the number of contents"),
        (payload["first_page"] == (payload["page_number"] == 1), "first_page disagrees with page_number"),
        (payload["last_page"] == (payload["page_number"] >= per_page_pages), "last_page disagrees with total_pages"),
        (payload["empty"] == (total == 0), "empty disagrees with total_items"),
        (size <= total, "size is larger than total_items"),
    ]
    return [message for ok, message in checks if not ok]


# Sample suites -------------------------------------------------------------------------------

def load_suite(folder: Path) -> dict[str, tuple[str, object]]:
    """{file name: (endpoint, payload)} for the API responses in a sample folder."""
    suite = {}
    for path in sorted(folder.glob("*.json")):
        if path.stem in SAMPLE_ENDPOINTS:
            suite[path.name] = (SAMPLE_ENDPOINTS[path.stem], json.loads(path.read_text()))
    return suite


def _links(endpoint: str, payload) -> list[str]:
    if endpoint in LIST_DETAIL and records_of(endpoint, payload):
        return [LIST_DETAIL[endpoint]]
    key, target = NESTED_LINKS.get(endpoint, (None, None))
    if key and isinstance(payload, dict) and payload.get(key):
        return [target]
    return []


def suite_results(folder: Path, shared_dir=None) -> dict[str, list[str]]:
    """{file name: problems}; a response is rejected if it, or a response it leads to, is invalid."""
    suite = load_suite(folder)
    own = {name: document_errors(endpoint, payload, shared_dir) for name, (endpoint, payload) in suite.items()}
    by_endpoint = {endpoint: name for name, (endpoint, _) in suite.items()}
    results = {}
    for name in suite:
        results[name] = own[name] + _followed_errors(name, suite, own, by_endpoint, seen={name})
    return results


def _followed_errors(name, suite, own, by_endpoint, seen) -> list[str]:
    problems = []
    endpoint, payload = suite[name]
    for target in _links(endpoint, payload):
        linked = by_endpoint.get(target)
        if linked is None or linked in seen:
            continue
        deeper = own[linked] + _followed_errors(linked, suite, own, by_endpoint, seen | {linked})
        if deeper:
            problems.append(f"leads to {linked}, which is rejected: {deeper[0]}")
    return problems
