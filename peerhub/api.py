"""The hub's JSON API: one NinjaAPI, with a router per module. It serves its own OpenAPI 3
document at /api/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Peer Support Hub API",
    version="1.0.0",
    description="Read published peer support evidence without signing in. Writes need a bearer token "
    "of a user with the right role.",
    urls_namespace="api",
    docs_url=None,
)
