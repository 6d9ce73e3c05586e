"""Request and response shapes of the library API.

Responses mirror the dicts of peerhub.library.serializers field for field, so the API and the
pages' JSON twins describe a record the same way; ninja checks every answer against them.
Requests use the same public names as responses ("link", "publication_date"), translated to
model fields by `resource_fields`."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints, field_validator

from peerhub.library.facets import (
    CHOICE_FACETS,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_PAGE,
    MAX_PER_PAGE,
    PER_PAGE,
    SORTS,
    VOCABULARY_FACETS,
)
from peerhub.library.models import Access, Quality, ResourceType, StudyDesign

PUBLICATION_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SortName = Annotated[str, Field(json_schema_extra={"enum": list(SORTS)})]


# --- Responses -----------------------------------------------------------------------------


class ChoiceOut(Schema):
    value: str
    label: str


class QualityOut(ChoiceOut):
    meaning: str = Field(description="What this level of evidence quality means, in plain English")


class TermRefOut(Schema):
    slug: str
    name: str


class ExportLinksOut(Schema):
    ris: str = Field(description="Path of the RIS citation file")
    bibtex: str = Field(description="Path of the BibTeX citation file")


class ResourceSummaryOut(Schema):
    id: int
    url: str = Field(description="Path of the resource's page on this site")
    title: str
    summary: str | None
    resource_type: ChoiceOut
    authors: list[str]
    organisation: str | None
    year: int | None
    publication_date: str | None = Field(
        description="As precise as known: 2021, 2021-05 or 2021-05-03", pattern=PUBLICATION_DATE_PATTERN
    )
    access: ChoiceOut | None
    quality: QualityOut | None
    is_example: bool = Field(description="A hand-written example, not a real publication")
    last_checked: date | None
    terms: dict[str, list[TermRefOut]] = Field(description="Categories, keyed by vocabulary slug")


class ResourceDetailOut(ResourceSummaryOut):
    description: str | None
    link: str | None = Field(description="The resource itself, elsewhere on the web")
    doi: str | None
    pmid: str | None
    isbn: str | None
    licence: str | None
    study_design: ChoiceOut | None
    appraisal_rationale: str | None
    review_due: date | None
    published_at: datetime | None
    status: ChoiceOut
    citation: str
    exports: ExportLinksOut


class FacetValueOut(Schema):
    value: str = Field(description="The value to pass in the facet's query parameter")
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str = Field(description="The query parameter this facet filters on ('year': year_from/year_to)")
    label: str
    truncated: int = Field(description="How many further values exist beyond those listed")
    values: list[FacetValueOut]


class SearchPageOut(Schema):
    query: str
    query_words: str | None = Field(description="The query restated in words")
    filters: dict[str, list[str] | int | str] = Field(description="The filters in force, keyed by query parameter")
    sort: SortName
    page: int
    per_page: int
    total: int
    page_count: int
    results: list[ResourceSummaryOut]
    facets: list[FacetOut]
    errors: dict[str, str] = Field(description="Always empty here: parameter problems are answered with 422")


class TermNodeOut(Schema):
    slug: str
    name: str
    description: str | None
    children: list["TermNodeOut"]


class VocabularyOut(Schema):
    slug: str = Field(description="Also the search parameter that filters on this vocabulary")
    name: str
    question: str | None
    terms: list[TermNodeOut]


# --- Errors --------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description='Where the problem is, e.g. ["query", "page"] or ["body", "title"]')
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class DuplicateOut(Schema):
    id: int | None = Field(description="Null when the matching record is one you may not see")
    title: str | None
    url: str | None
    reason: str


class DuplicatesOut(Schema):
    detail: str
    duplicates: list[DuplicateOut]


# --- Requests ------------------------------------------------------------------------------

NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _texts(value):
    """Every string inside a value (list items, dict keys and values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _storable(text: str) -> bool:
    """False for a NUL character (PostgreSQL refuses it) or half of a surrogate pair (no
    database can encode it). Both would otherwise fail only when saving, as a 500."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _StrictIn(Schema):
    """Unknown fields are refused rather than ignored, so a client learns at once that, say,
    "status" cannot be set this way; so is text the database could not store."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _only_storable_text(cls, value):
        if not all(_storable(text) for text in _texts(value)):
            raise ValueError("Text cannot contain NUL characters (\\u0000) or unpaired surrogates (\\ud800-\\udfff).")
        return value


class _ResourceFieldsIn(_StrictIn):
    """Fields a submitter may give."""

    summary: str | None = None
    description: str | None = None
    authors: list[str] = Field(default_factory=list, description="Author names, in order")
    organisation: str | None = None
    publication_date: str | None = Field(
        None, description="As precise as known: 2021, 2021-05 or 2021-05-03", pattern=PUBLICATION_DATE_PATTERN
    )
    link: str | None = Field(None, description="Web address of the resource itself")
    doi: str | None = None
    pmid: str | None = None
    isbn: str | None = None
    access: Access | None = None
    licence: str | None = None
    terms: dict[str, list[str]] = Field(
        default_factory=dict, description="Categories: term slugs keyed by vocabulary slug (see /api/taxonomy)"
    )

    @field_validator("publication_date")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value:
            parts = [int(p) for p in value.split("-")]
            date(parts[0], *(parts[1:] + [1, 1])[:2])  # ValueError ("month must be in 1..12") becomes a 422
        return value


class ResourceIn(_ResourceFieldsIn):
    title: NonBlank
    resource_type: ResourceType
    confirm_not_duplicate: bool = Field(
        False, description="Submit even though the library seems to hold this resource already (see 409)"
    )


class ResourcePatchIn(_ResourceFieldsIn):
    """Any subset of the fields; those left out keep their value, null clears one."""

    title: NonBlank | None = None
    resource_type: ResourceType | None = None
    study_design: StudyDesign | None = None
    quality: Quality | None = None
    appraisal_rationale: str | None = None
    last_checked: date | None = None
    review_due: date | None = None
    is_example: bool = False
    source: str | None = None


class RejectIn(_StrictIn):
    reason: NonBlank = Field(description="Why it was not accepted; the submitter sees this")


# Request names that differ from the model's field names.
MODEL_NAME_FOR = {"link": "url"}
REQUEST_NAME_FOR = {"url": "link", "pub_year": "publication_date", "pub_month": "publication_date",
                    "pub_day": "publication_date"}
NOT_MODEL_FIELDS = {"terms", "confirm_not_duplicate", "publication_date"}


def _date_parts(value: str | None) -> dict:
    parts = [int(p) for p in value.split("-")] if value else []
    parts += [None] * (3 - len(parts))
    return dict(zip(["pub_year", "pub_month", "pub_day"], parts, strict=True))


def resource_fields(payload: Schema) -> dict:
    """The fields the client actually sent, under the model's names (what services expect)."""
    sent = payload.model_dump(exclude_unset=True)
    data = {MODEL_NAME_FOR.get(name, name): value for name, value in sent.items() if name not in NOT_MODEL_FIELDS}
    if "publication_date" in sent:
        data.update(_date_parts(sent["publication_date"]))
    return data


# --- Search parameters, for the OpenAPI document -------------------------------------------
# The search endpoint reads request.GET with parse_search_params (the page's own parser), so
# ninja does not see these parameters; they are described here from the same constants.


def _query_param(name: str, schema: dict, description: str) -> dict:
    return {"in": "query", "name": name, "required": False, "schema": schema, "description": description}


def _filter_parameters() -> list[dict]:
    year = {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}
    choices = [_query_param(name, {"type": "string", "enum": list(choices.values)}, label)
               for name, (label, choices) in CHOICE_FACETS.items()]
    years = [_query_param("year_from", year, "Published in or after this year"),
             _query_param("year_to", year, "Published in or before this year")]
    return choices + years


def _vocabulary_parameters() -> list[dict]:
    array = {"type": "array", "items": {"type": "string"}}
    return [
        {**_query_param(vocab, array, f"Term slugs of the '{vocab}' vocabulary (see /api/taxonomy). Repeat the "
                                      "parameter for several; a resource must have every one."),
         "style": "form", "explode": True}
        for vocab in VOCABULARY_FACETS
    ]


def _paging_parameters() -> list[dict]:
    return [
        _query_param("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}, "Order of results"),
        _query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number"),
        _query_param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": PER_PAGE},
                     "Results per page"),
    ]


def _search_parameters() -> list[dict]:
    words = _query_param("q", {"type": "string"}, 'Words to look for: "exact phrase", a OR b, -exclude, prefix*')
    return [words, *_filter_parameters(), *_vocabulary_parameters(), *_paging_parameters()]


SEARCH_PARAMETERS = _search_parameters()
