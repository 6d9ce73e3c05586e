"""The library's search parameters and facets: one definition used by the page, the JSON twin
and the API, so that all three accept and describe filters the same way."""

from dataclasses import dataclass, field

from peerhub.library.models import Access, Quality, ResourceType

PER_PAGE = 20
MAX_PER_PAGE = 100  # the API's per_page limit
MAX_PAGE = 10_000
FIRST_YEAR, LAST_YEAR = 1000, 2100  # the years a search filter accepts
SORTS = {
    "relevance": "Most relevant",
    "newest": "Newest first",
    "checked": "Recently checked",
}
# Taxonomy vocabularies shown as facets, in display order. Each is a URL parameter that takes
# term slugs; several values narrow the results (a resource must carry every chosen term).
VOCABULARY_FACETS = ["condition", "community", "format", "setting", "audience", "purpose", "challenge"]
# Single-valued fields shown as facets: URL parameter -> (label, choices).
CHOICE_FACETS = {
    "type": ("Type of resource", ResourceType),
    "quality": ("Quality of evidence", Quality),
    "access": ("Access", Access),
}
YEAR_BUCKETS = [  # (label, year_from, year_to)
    ("2020 onwards", 2020, None),
    ("2015 to 2019", 2015, 2019),
    ("2010 to 2014", 2010, 2014),
    ("2000 to 2009", 2000, 2009),
    ("Before 2000", None, 1999),
]


@dataclass
class SearchParams:
    q: str = ""
    terms: dict[str, list[str]] = field(default_factory=dict)  # vocabulary slug -> term slugs
    choices: dict[str, str] = field(default_factory=dict)  # facet parameter -> value
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def has_filters(self) -> bool:
        return bool(self.terms or self.choices or self.year_from or self.year_to)


def _whole_number(raw: str) -> int | None:
    """The number in plain ASCII digits, else None. str.isdigit() alone lets through "²" and
    5,000-digit strings, which int() then rejects with an exception (a 500)."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        return None
    return int(raw)


def _parse_year(raw: str, name: str, errors: dict) -> int | None:
    if not raw:
        return None
    if not FIRST_YEAR <= (_whole_number(raw) or 0) <= LAST_YEAR:
        errors[name] = f"Enter a year between {FIRST_YEAR} and {LAST_YEAR}, like 2019 (got “{raw[:20]}”)."
        return None
    return int(raw)


def _parse_page(raw: str, errors: dict) -> int:
    if not raw:
        return 1
    if not 1 <= (_whole_number(raw) or 0) <= MAX_PAGE:
        errors["page"] = f"Page must be a whole number from 1 to {MAX_PAGE}."
        return 1
    return int(raw)


def _parse_choices(querydict, errors: dict) -> dict[str, str]:
    chosen = {}
    for name, (label, choices) in CHOICE_FACETS.items():
        value = querydict.get(name, "")
        if not value:
            continue
        if value not in choices.values:
            errors[name] = f"“{value[:40]}” is not a known {label.lower()}."
            continue
        chosen[name] = value
    return chosen


def parse_search_params(querydict) -> tuple[SearchParams, dict[str, str]]:
    """Read search parameters from a QueryDict. Returns the usable parameters and, for any
    that could not be used, a message per parameter name (the page shows them; the API
    answers 422 with them)."""
    errors: dict[str, str] = {}
    params = SearchParams(q=querydict.get("q", "").strip())
    params.terms = {
        vocab: sorted(set(v for v in querydict.getlist(vocab) if v))
        for vocab in VOCABULARY_FACETS
        if any(querydict.getlist(vocab))
    }
    params.choices = _parse_choices(querydict, errors)
    params.year_from = _parse_year(querydict.get("year_from", ""), "year_from", errors)
    params.year_to = _parse_year(querydict.get("year_to", ""), "year_to", errors)
    if params.year_from and params.year_to and params.year_from > params.year_to:
        errors["year_to"] = "The end year must be the same as or after the start year."
        params.year_to = None
    sort = querydict.get("sort", "") or "relevance"
    if sort not in SORTS:
        errors["sort"] = f"Sort must be one of: {', '.join(SORTS)}."
        sort = "relevance"
    params.sort = sort
    params.page = _parse_page(querydict.get("page", ""), errors)
    return params, errors


def parse_per_page(querydict, errors: dict) -> int:
    """per_page for the API (the HTML page always shows PER_PAGE). Kept apart from
    parse_search_params so the page does not accept a parameter it never offers."""
    raw = querydict.get("per_page", "")
    if not raw:
        return PER_PAGE
    if not 1 <= (_whole_number(raw) or 0) <= MAX_PER_PAGE:
        errors["per_page"] = f"per_page must be a whole number from 1 to {MAX_PER_PAGE}."
        return PER_PAGE
    return int(raw)
