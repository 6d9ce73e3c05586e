"""The stories list's parameters: one parser for the page, the map's links and the API, so all
three accept and describe filters the same way."""

from dataclasses import dataclass, field

from peerhub.stories.models import DIMENSION_ORDER, Medium

PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_QUERY_CHARS = 500
HUB_FACETS = ["condition", "community"]  # vocabularies of the library's taxonomy
# Every multi-valued filter, in the order the page lists them. Several values narrow the
# results: a story must carry every chosen term.
TERM_FACETS = [str(d) for d in DIMENSION_ORDER] + HUB_FACETS


@dataclass
class StoryParams:
    q: str = ""
    terms: dict[str, list[str]] = field(default_factory=dict)  # facet name -> slugs
    medium: str = ""
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def has_filters(self) -> bool:
        return bool(self.terms or self.medium)


def _whole_number(raw: str, low: int, high: int) -> int | None:
    # isascii() as well as isdigit(): "²" passes isdigit() but int() rejects it.
    if raw.isascii() and raw.isdigit() and len(raw) <= 9 and low <= int(raw) <= high:
        return int(raw)
    return None


def parse_story_params(querydict) -> tuple[StoryParams, dict[str, str]]:
    """The usable parameters, and a message for each one that could not be used."""
    errors: dict[str, str] = {}
    params = StoryParams(q=querydict.get("q", "").strip())
    if len(params.q) > MAX_QUERY_CHARS:
        errors["q"] = f"Your search was too long. Only the first {MAX_QUERY_CHARS} characters were used."
        params.q = params.q[:MAX_QUERY_CHARS]
    params.terms = {name: sorted({v for v in querydict.getlist(name) if v}) for name in TERM_FACETS
                    if any(querydict.getlist(name))}
    medium = querydict.get("medium", "")
    if medium and medium not in Medium.values:
        errors["medium"] = f"“{medium[:40]}” is not a kind of story we know. Choose from the list."
    else:
        params.medium = medium
    page = querydict.get("page", "")
    params.page = _whole_number(page, 1, MAX_PAGE) if page else 1
    if params.page is None:
        errors["page"] = f"Page must be a whole number from 1 to {MAX_PAGE}."
        params.page = 1
    return params, errors


def parse_per_page(querydict, errors: dict) -> int:
    raw = querydict.get("per_page", "")
    if not raw:
        return PER_PAGE
    value = _whole_number(raw, 1, MAX_PER_PAGE)
    if value is None:
        errors["per_page"] = f"per_page must be a whole number from 1 to {MAX_PER_PAGE}."
        return PER_PAGE
    return value
