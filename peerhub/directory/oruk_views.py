"""The Open Referral UK 3.0 API: anonymous, read-only JSON under /oruk/.

Views only read parameters, call selectors and shape JSON with directory.oruk; every bad value
becomes a 400 JSON error that names the parameter."""

import uuid
from functools import wraps

from django.http import JsonResponse

from peerhub.directory import oruk, selectors
from peerhub.directory.api_params import (
    ParamError,
    check_page_in_range,
    page_document,
    paging,
    proximity_m,
    service_filters,
)
from peerhub.directory.postcodes import PostcodeError

ORUK_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
OPENAPI_URL = "https://docs.openreferraluk.org/en/latest/openapi30.json"


def json_response(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # ORUK feeds are public data meant for other sites' browsers to read.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(status: int, message: str, parameter: str = "") -> JsonResponse:
    body = {"error": message, "status": status}
    if parameter:
        body["parameter"] = parameter
    return json_response(body, status)


def oruk_endpoint(view):
    """GET only; ParamError and PostcodeError become 400 JSON errors."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return error_response(405, "This API is read-only: use GET.")
        try:
            return view(request, *args, **kwargs)
        except ParamError as error:
            return error_response(400, str(error), error.parameter)
        except PostcodeError as error:
            return error_response(400, str(error), "postcode")

    return wrapper


def _record_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ParamError("id", f"id must be a UUID, not “{raw[:40]}”.") from None


def _not_found(kind: str) -> JsonResponse:
    return error_response(404, f"There is no {kind} with that id.")


@oruk_endpoint
def root(request):
    return json_response({"version": ORUK_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL})


@oruk_endpoint
def services(request):
    page = paging(request.GET)
    result = selectors.service_id_page(service_filters(request.GET, allow_modified_after=True), page.offset,
                                       page.per_page)
    check_page_in_range(result.total, page)
    contents = [oruk.service_summary_json(s) for s in selectors.summary_services(result.ids)]
    return json_response(page_document(result.total, page, contents))


@oruk_endpoint
def service_detail(request, pk):
    service = selectors.get_service(_record_id(pk))
    if service is None:
        return _not_found("service")
    return json_response(oruk.service_json(service, selectors.full_service_attributes([service])))


@oruk_endpoint
def service_at_locations(request):
    page = paging(request.GET)
    filters = service_filters(request.GET)
    radius = proximity_m(request.GET)
    postcode = request.GET.get("postcode", "").strip()
    origin = selectors.locate_postcode(postcode).point if postcode else None
    result = selectors.service_at_location_id_page(filters, page.offset, page.per_page, origin=origin,
                                                   radius_m=radius)
    check_page_in_range(result.total, page)
    contents = [oruk.service_at_location_summary_json(s) for s in selectors.summary_service_at_locations(result.ids)]
    return json_response(page_document(result.total, page, contents))


@oruk_endpoint
def service_at_location_detail(request, pk):
    sal = selectors.service_at_location_detail(_record_id(pk))
    if sal is None:
        return _not_found("service at location")
    return json_response(oruk.service_at_location_detail_json(sal, selectors.full_service_attributes([sal.service])))


@oruk_endpoint
def taxonomies(request):
    page = paging(request.GET)
    total, rows = selectors.taxonomies_page(page.offset, page.per_page)
    check_page_in_range(total, page)
    return json_response(page_document(total, page, [oruk.taxonomy_json(t) for t in rows]))


@oruk_endpoint
def taxonomy_detail(request, pk):
    taxonomy = selectors.get_taxonomy(_record_id(pk))
    if taxonomy is None:
        return _not_found("taxonomy")
    return json_response(oruk.taxonomy_json(taxonomy, selectors.taxonomy_terms(taxonomy)))


@oruk_endpoint
def taxonomy_terms(request):
    page = paging(request.GET)
    taxonomy_id = request.GET.get("taxonomy_id", "").strip()
    total, rows = selectors.taxonomy_terms_page(page.offset, page.per_page,
                                                _record_id(taxonomy_id) if taxonomy_id else None)
    check_page_in_range(total, page)
    return json_response(page_document(total, page, [oruk.term_json(t) for t in rows]))


@oruk_endpoint
def taxonomy_term_detail(request, pk):
    term = selectors.get_taxonomy_term(_record_id(pk))
    if term is None:
        return _not_found("taxonomy term")
    return json_response(oruk.term_json(term))
