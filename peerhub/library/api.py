"""The library's JSON API. A thin layer: it reads through the selectors, writes through the
services, checks access through peerhub.core.permissions and shapes answers with the
serializers, exactly as the pages do."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as ModelValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Router, Status
from ninja.errors import HttpError, ValidationError

from peerhub.accounts.api_auth import api_token_auth, token_or_anonymous
from peerhub.accounts.models import Role
from peerhub.core import permissions
from peerhub.library import exports, selectors, services
from peerhub.library.api_schemas import (
    REQUEST_NAME_FOR,
    SEARCH_PARAMETERS,
    DuplicatesOut,
    ErrorOut,
    RejectIn,
    ResourceDetailOut,
    ResourceIn,
    ResourcePatchIn,
    SearchPageOut,
    ValidationErrorOut,
    VocabularyOut,
    resource_fields,
)
from peerhub.library.facets import parse_per_page, parse_search_params
from peerhub.library.serializers import resource_detail, search_page_dict, taxonomy_dict

router = Router(tags=["library"])

# Reads are open to visitors; a token (optional) lets its owner see their own drafts.
OPTIONAL_TOKEN = {"security": [{}, {"ApiTokenAuth": []}]}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def field_error(loc: list, msg: str, kind: str = "value_error") -> dict:
    return {"loc": loc, "msg": msg, "type": kind}


def reject_query_errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError([field_error(["query", name], msg) for name, msg in errors.items()])


def model_field_errors(exc: ModelValidationError) -> list[dict]:
    if not hasattr(exc, "error_dict"):
        return [field_error(["body"], msg) for msg in exc.messages]
    return [
        field_error(["body", REQUEST_NAME_FOR.get(name, name)], message, error.code or "invalid")
        for name, errors in exc.error_dict.items()
        for error in errors
        for message in error.messages
    ]


@contextmanager
def model_errors_as_422():
    """The model's own validation (run by the services) reported per request field, as 422.
    The services run it inside their transaction, so nothing is saved."""
    try:
        yield
    except ModelValidationError as exc:
        raise ValidationError(model_field_errors(exc)) from exc


def detail(resource) -> dict:
    return resource_detail(selectors.with_terms(resource))  # its terms loaded together, not one by one


def resolve_terms(requested: dict[str, list[str]]) -> list:
    """Term records for {vocabulary slug: [term slugs]}; every unknown slug is a 422."""
    lookup = selectors.term_lookup()
    unknown = [
        field_error(["body", "terms", vocab], f"There is no {vocab[:40]} called “{slug[:40]}”.")
        for vocab, slugs in requested.items()
        for slug in slugs
        if (vocab, slug) not in lookup
    ]
    if unknown:
        raise ValidationError(unknown)
    return [lookup[(vocab, slug)] for vocab, slugs in requested.items() for slug in slugs]


@router.get(
    "/resources",
    response={200: SearchPageOut, 422: ValidationErrorOut},
    summary="Search published resources",
    description="The same words, filters, sort and paging as the library's search page. "
    "Any parameter that cannot be used is answered with 422, naming it.",
    openapi_extra={"parameters": SEARCH_PARAMETERS},
)
def search_resources(request):
    params, errors = parse_search_params(request.GET)
    params.per_page = parse_per_page(request.GET, errors)
    reject_query_errors(errors)
    page = selectors.search_resources(params)
    reject_query_errors(page.errors)  # unknown term slugs, a page past the end, no searchable words
    return search_page_dict(page)


EXPORT_FORMAT_PARAMETER = {
    "in": "query", "name": "format", "required": True, "style": "form", "explode": True,
    "schema": {"type": "array", "items": {"type": "string"}, "contains": {"enum": list(exports.EXPORT_FORMATS)}},
    "description": "The file: ris (RIS), bibtex (BibTeX), csljson (CSL-JSON) or csv (CSV, safe to open in a "
                   "spreadsheet). `format` is also the format facet's parameter: repeat it to filter by that facet "
                   "too (format=csv&format=group).",
}
EXPORT_PARAMETERS = [EXPORT_FORMAT_PARAMETER,
                     *(p for p in SEARCH_PARAMETERS if p["name"] not in {"page", "per_page", "format"})]
EXPORT_COUNT_HEADERS = {
    "X-Total-Count": {"description": "How many resources match the search", "schema": {"type": "integer"}},
    "X-Exported-Count": {"description": f"How many the file holds: all of them, up to {exports.EXPORT_CAP:,}",
                         "schema": {"type": "integer"}},
}
EXPORT_RESPONSES = {200: {
    "description": "The file, as an attachment",
    "headers": EXPORT_COUNT_HEADERS,
    "content": {spec.content_type.split(";")[0]: {"schema": {"type": "string"}}
                for spec in exports.EXPORT_FORMATS.values()},
}}


def split_export_format(querydict) -> tuple[str, object]:
    """The file format, and the search parameters without it. `format` is also the name of the
    taxonomy's format facet (group, online…): a value that names a file format is the file
    format; any other value stays a facet filter, so both can be asked for at once."""
    values = querydict.getlist("format")
    chosen = [v for v in values if v in exports.EXPORT_FORMATS]
    if len(chosen) != 1:
        message = f"Give exactly one file format: format={' or format='.join(exports.EXPORT_FORMATS)}."
        raise ValidationError([field_error(["query", "format"], message)])
    search = querydict.copy()
    search.setlist("format", [v for v in values if v not in exports.EXPORT_FORMATS])
    return chosen[0], search


@router.get(
    "/resources/export",
    response={422: ValidationErrorOut},
    summary="Download every resource a search finds",
    description="The same words and filters as GET /resources, but all the matching resources in one file, in "
    f"the search's order, up to {exports.EXPORT_CAP:,} (X-Total-Count and X-Exported-Count say when a file "
    "holds fewer than matched). Any parameter that cannot be used is answered with 422, naming it.",
    openapi_extra={"parameters": EXPORT_PARAMETERS, "responses": EXPORT_RESPONSES},
)
def export_resources(request):  # registered before /resources/{resource_id}, which would claim "export"
    format_name, search = split_export_format(request.GET)
    found = exports.search_export(search)
    reject_query_errors(found.errors)
    spec = exports.EXPORT_FORMATS[format_name]
    response = HttpResponse(spec.write(found.resources), content_type=spec.content_type)
    filename = exports.export_filename(format_name, timezone.localdate())
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Total-Count"], response["X-Exported-Count"] = found.total, len(found.resources)
    return response


@router.get(
    "/resources/{resource_id}",
    auth=token_or_anonymous,
    response={200: ResourceDetailOut, **READ_ERRORS},
    summary="One resource",
    description="Published resources for everyone; a submitter also sees their own drafts (with their token).",
    openapi_extra=OPTIONAL_TOKEN,
)
def get_resource(request, resource_id: int):
    return detail(permissions.get_resource_for_user(request.auth, resource_id))


@router.get("/taxonomy", response=list[VocabularyOut], summary="Every vocabulary and its terms, as a tree")
def get_taxonomy(request):
    return taxonomy_dict()


def describe_duplicate(user, candidate) -> dict:
    """A likely duplicate, without naming a record the person may not see (someone else's draft)."""
    resource = candidate.resource
    visible = permissions.can_view_resource(user, resource)
    return {
        "id": resource.pk if visible else None,
        "title": resource.title if visible else None,
        "url": resource.get_absolute_url() if visible else None,
        "reason": candidate.reason,
    }


def duplicates_answer(user, candidates) -> dict:
    return {
        "detail": "The library seems to hold this resource already. If it is different, send the request "
        'again with "confirm_not_duplicate": true.',
        "duplicates": [describe_duplicate(user, c) for c in candidates],
    }


def likely_duplicates(data: dict) -> list:
    return selectors.find_duplicates(
        doi=data.get("doi") or "", pmid=data.get("pmid") or "", url=data.get("url") or "", title=data["title"]
    )


@router.post(
    "/resources",
    auth=api_token_auth,
    response={201: ResourceDetailOut, 409: DuplicatesOut, **WRITE_ERRORS},
    summary="Submit a resource for review",
    description="Any signed-up person (contributor or above). The resource waits for a curator; "
    "a likely duplicate is answered with 409 unless confirm_not_duplicate is true.",
)
def submit_resource(request, payload: ResourceIn):
    user = request.auth
    permissions.require_role(user, Role.CONTRIBUTOR)
    terms = resolve_terms(payload.terms)
    data = resource_fields(payload)
    candidates = [] if payload.confirm_not_duplicate else likely_duplicates(data)
    if candidates:
        return Status(409, duplicates_answer(user, candidates))
    with model_errors_as_422():
        resource = services.submit_resource(data, submitter=user, terms=terms)
    return Status(201, detail(resource))


@router.patch(
    "/resources/{resource_id}",
    auth=api_token_auth,
    response={200: ResourceDetailOut, **WRITE_ERRORS},
    summary="Edit a resource (curators)",
    description="Send only the fields to change. `terms`, when sent, replaces all categories.",
)
def update_resource(request, resource_id: int, payload: ResourcePatchIn):
    resource = permissions.get_resource_for_curator(request.auth, resource_id)
    terms = resolve_terms(payload.terms) if "terms" in payload.model_fields_set else None
    with model_errors_as_422():
        services.update_resource(resource, resource_fields(payload), actor=request.auth, terms=terms)
    return detail(resource)


@router.post(
    "/resources/{resource_id}/publish",
    auth=api_token_auth,
    response={200: ResourceDetailOut, **WRITE_ERRORS},
    summary="Publish a resource (curators)",
)
def publish_resource(request, resource_id: int):
    resource = permissions.get_resource_for_curator(request.auth, resource_id)
    with model_errors_as_422():
        services.publish_resource(resource, actor=request.auth)
    return detail(resource)


@router.post(
    "/resources/{resource_id}/reject",
    auth=api_token_auth,
    response={200: ResourceDetailOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Turn a submission down, saying why (curators)",
    description="A published resource cannot be rejected (409): unpublish it instead.",
)
def reject_resource(request, resource_id: int, payload: RejectIn):
    resource = permissions.get_resource_for_curator(request.auth, resource_id)
    with model_errors_as_422():
        try:
            services.reject_resource(resource, actor=request.auth, reason=payload.reason)
        except ValueError as refusal:  # the service refuses a step its state does not allow
            raise HttpError(409, str(refusal)) from refusal
    return detail(resource)

