"""The stories' JSON API: the same selectors and access rules as the pages. Visitors see only
openly published stories; the token of a confirmed professional (or a curator) also shows stories
shared only with professionals. No answer ever holds a storyteller's email, or a name they did not give."""

from datetime import datetime

from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError

from peerhub.accounts.api_auth import token_or_anonymous
from peerhub.core import permissions
from peerhub.library.api_schemas import ChoiceOut, ErrorOut, TermRefOut, ValidationErrorOut
from peerhub.stories import selectors
from peerhub.stories.models import Medium, StoryStatus
from peerhub.stories.params import TERM_FACETS, parse_per_page, parse_story_params
from peerhub.stories.serializers import story_detail, story_page_dict, vocabularies_dict

router = Router(tags=["stories"])
OPTIONAL_TOKEN = {"security": [{}, {"ApiTokenAuth": []}]}










class TopographyTermOut(Schema):
    slug: str
    name: str
    position: int = Field(description="The term's fixed place on its fingerprint spoke")


class DimensionOut(Schema):
    terms: list[TopographyTermOut]
    detail: str | None = Field(description="The storyteller's own words")


class TopographyOut(Schema):
    storyteller: DimensionOut
    purpose: DimensionOut
    audience: DimensionOut
    outcome: DimensionOut
    actions: DimensionOut




class StorySummaryOut(Schema):
    id: int
    url: str = Field(description="Path of the story's page on this site")
    title: str
    storyteller_name: str | None = Field(description="Only when the storyteller chose to be named")
    medium: ChoiceOut
    visibility: ChoiceOut
    published_at: datetime | None
    is_example: bool = Field(description="A fictitious example, not a real person's story")
    topography: TopographyOut
    topography_description: str
    condition: list[TermRefOut]
    community: list[TermRefOut]


class ResourceRefOut(Schema):
    id: int
    title: str
    url: str


class StoryDetailOut(StorySummaryOut):
    body: str
    media_url: str | None = Field(description="A link to the video, recording, book or event; never embedded")
    transcript: str | None
    fingerprint_svg: str = Field(description="The topography as an accessible SVG glyph")
    needs_signposting: bool = Field(description="The story mentions crisis, self-harm or abuse: show where to get help")
    resources: list[ResourceRefOut]
    service_ids: list[str]


class StoryFacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class StoryFacetOut(Schema):
    name: str
    label: str
    values: list[StoryFacetValueOut]


class StoryPageOut(Schema):
    total: int
    page: int
    per_page: int
    results: list[StorySummaryOut]
    facets: list[StoryFacetOut]


class VocabularyTermOut(TopographyTermOut):
    description: str | None
    is_active: bool


class TopographyVocabularyOut(Schema):
    dimension: str
    label: str
    terms: list[VocabularyTermOut]


def _array(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "style": "form", "explode": True,
            "description": description, "schema": {"type": "array", "items": {"type": "string"}}}


SEARCH_PARAMETERS = [
    {"name": "q", "in": "query", "required": False, "description": "Words to find in titles, stories and transcripts",
     "schema": {"type": "string", "maxLength": 500}},
    *[_array(name, f"Term slugs of {name}; each value narrows the results") for name in TERM_FACETS],
    {"name": "medium", "in": "query", "required": False, "schema": {"type": "string", "enum": list(Medium.values)}},
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]


def _reject(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError([{"loc": ["query", k], "msg": v, "type": "value_error"} for k, v in errors.items()])


@router.get("/stories", auth=token_or_anonymous, response={200: StoryPageOut, 401: ErrorOut, 422: ValidationErrorOut},
            summary="Search stories", openapi_extra={**OPTIONAL_TOKEN, "parameters": SEARCH_PARAMETERS},
            description="The same words and filters as the stories page. Visitors see openly published stories; "
                        "a confirmed professional's token also shows those shared only with professionals.")
def search_stories(request):
    params, errors = parse_story_params(request.GET)
    params.per_page = parse_per_page(request.GET, errors)
    _reject(errors)
    page = selectors.search_stories(request.auth, params)
    _reject(page.errors)
    return story_page_dict(page)


@router.get("/stories/topography", response=list[TopographyVocabularyOut],
            summary="The five topography vocabularies and their terms, in fingerprint order")
def get_topography(request):
    return vocabularies_dict()


@router.get("/stories/{story_id}", auth=token_or_anonymous,
            response={200: StoryDetailOut, 401: ErrorOut, 404: ErrorOut, 410: ErrorOut, 422: ValidationErrorOut},
            summary="One story", openapi_extra=OPTIONAL_TOKEN,
            description="A withdrawn story answers 410: the storyteller withdrew it and its content is erased.")
def get_story(request, story_id: int):
    story = permissions.get_story_for_user(request.auth, story_id)
    if story.is_withdrawn:
        raise HttpError(410, "This story was withdrawn by the storyteller.")
    if story.status != StoryStatus.PUBLISHED:
        raise HttpError(404, "No such story.")  # drafts are for the moderation pages, not the API
    return story_detail(story)
