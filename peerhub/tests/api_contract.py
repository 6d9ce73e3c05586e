"""Checks an API answer against the served OpenAPI document: the status must be documented for
that operation, and the JSON body must validate against the schema the document names for it.
References are resolved inside the document only (a `referencing` registry), never fetched."""

import json

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

# An address that is never fetched: the registry holds the document under it. (A "urn:" would
# not do: relative references do not resolve against it.)
DOCUMENT_URI = "https://peerhub.invalid/api/openapi.json"


def served_document(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _pointer_part(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


def _registry(document: dict) -> Registry:
    return Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(document))


def response_schema_ref(document: dict, path: str, method: str, status: int) -> str:
    responses = document["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {path} answered {status}, which the document does not list"
    assert "application/json" in responses[str(status)]["content"]
    parts = ["paths", path, method.lower(), "responses", str(status), "content", "application/json", "schema"]
    return f"{DOCUMENT_URI}#/" + "/".join(_pointer_part(p) for p in parts)


def assert_documented(document: dict, path: str, method: str, response) -> dict:
    """The answer's JSON, after checking it against the document. Returns it for further asserts."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = json.loads(response.content)
    ref = response_schema_ref(document, path, method, response.status_code)
    validator = Draft202012Validator(
        {"$ref": ref}, registry=_registry(document), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{method} {path} {response.status_code}: " + "; ".join(
        f"{list(e.path)}: {e.message}" for e in errors[:5]
    )
    return body
