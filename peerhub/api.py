"""The hub's JSON API: one NinjaAPI, with a router per module. It serves its own OpenAPI 3
document at /api/openapi.json.

Every answer is JSON, errors included: the handlers below turn each kind of failure into a
status code and a `detail`, so a client never receives an HTML error page."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from peerhub.library.api import router as library_router
from peerhub.stories.api import router as stories_router
from peerhub.whatmatters.api import router as whatmatters_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Peer Support Hub API",
    version="1.0.0",
    description="Read published peer support evidence without signing in. Writes need a bearer token "
    "of a user with the right role (create one on your account page), sent as "
    "`Authorization: Bearer <token>`. Errors are JSON with a `detail`; a 422 lists each problem with "
    "its location (`loc`) and message (`msg`).",
    urls_namespace="api",
    docs_url=None,  # Swagger UI needs inline scripts, which the site's strict CSP forbids
)

# ninja reports a JSON body under the name of the view's parameter ("payload"); clients never
# see that name, so it is left out: ["body", "payload", "title"] becomes ["body", "title"].
BODY_PARAMETER = "payload"


def client_location(loc) -> list:
    loc = list(loc)
    if loc[:2] == ["body", BODY_PARAMETER]:
        return ["body", *loc[2:]]
    return loc


def _answer(request, status: int, data: dict):
    return api.create_response(request, data, status=status)


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    errors = [
        {"loc": client_location(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": str(e.get("type", "invalid"))}
        for e in exc.errors
    ]
    return _answer(request, 422, {"detail": errors})


@api.exception_handler(ModelValidationError)
def invalid_record(request, exc: ModelValidationError):
    """A fallback: routers map model errors to request fields themselves where they can."""
    fields = exc.message_dict.items() if hasattr(exc, "error_dict") else [("body", exc.messages)]
    errors = [{"loc": ["body", name], "msg": msg, "type": "invalid"} for name, msgs in fields for msg in msgs]
    return _answer(request, 422, {"detail": errors})


@api.exception_handler(AuthenticationError)
def not_signed_in(request, exc: AuthenticationError):
    response = _answer(request, 401, {"detail": "Send a valid API token: Authorization: Bearer <token>."})
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(PermissionDenied)
def not_allowed(request, exc: PermissionDenied):
    return _answer(request, 403, {"detail": str(exc) or "You do not have permission to do that."})


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return _answer(request, 404, {"detail": str(exc) or "Not found."})


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _answer(request, exc.status_code, {"detail": str(exc)})


@api.exception_handler(Exception)
def unexpected(request, exc: Exception):
    # A bug, not bad input: logged in full, answered in JSON like everything else here.
    logger.exception("Unhandled error in API request %s %s", request.method, request.path)
    return _answer(request, 500, {"detail": "Sorry, something went wrong on our side."})


api.add_router("/", library_router)
api.add_router("/", whatmatters_router)
api.add_router("/", stories_router)
# Add other modules' routers above this line: the fallback below must be registered last.

# It only answers paths no router claims, so an unknown /api/ address is a JSON 404, not the
# site's HTML page.
fallback = Router()


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False)
def unknown_address(request, rest: str):
    raise Http404("There is no API endpoint at this address. See /api/openapi.json.")


api.add_router("/", fallback)
