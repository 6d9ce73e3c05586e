"""The collection map: the whole collection as two matrices, storyteller × purpose and
audience × purpose, with a count in each cell, filterable by condition and community. Any cell
can be exported as CSV: only published stories whose storyteller agreed to open data."""

import csv
import io
from dataclasses import dataclass

from peerhub.stories.models import Dimension, Story, TopographyTerm
from peerhub.stories.params import HUB_FACETS, StoryParams
from peerhub.stories.selectors import (
    FACET_LABELS,
    Tagging,
    hub_terms_of,
    readable_stories,
    stories_for_open_data,
    term_lookup,
    topography,
)

ROW_DIMENSIONS = [Dimension.STORYTELLER, Dimension.AUDIENCE]
COLUMN_DIMENSION = Dimension.PURPOSE
CSV_COLUMNS = ["id", "link", "title", "storyteller_name", "published", "medium", "storyteller", "purpose",
               "audience", "outcome", "actions", "condition", "community"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Cell:
    row: TopographyTerm
    column: TopographyTerm
    count: int


@dataclass
class Matrix:
    dimension: str
    label: str
    columns: list[TopographyTerm]
    rows: list[tuple[TopographyTerm, list[Cell]]]


def _shown_terms(dimension: str, tagging: Tagging) -> list[TopographyTerm]:
    """Active terms, and retired ones that stories still carry (so no story drops off the map)."""
    terms = TopographyTerm.objects.filter(dimension=dimension).order_by("position")
    return [t for t in terms if t.is_active or tagging.by_term.get(t.pk)]


def _filtered_ids(stories, params: StoryParams, lookup: dict, errors: dict) -> tuple[set[int], Tagging]:
    ids = set(stories.values_list("id", flat=True))
    tagging = Tagging.of(ids, lookup)
    for facet in HUB_FACETS:
        for slug in params.terms.get(facet, []):
            term = lookup.get((facet, slug))
            if term is None:
                errors[facet] = f"There is no {facet} called “{slug[:40]}”. Choose one from the list."
                continue
            ids &= tagging.stories_with(facet, term)
    return ids, tagging


def _matrix(dimension, ids: set[int], tagging: Tagging) -> Matrix:
    columns = _shown_terms(COLUMN_DIMENSION, tagging)
    rows = []
    for row in _shown_terms(dimension, tagging):
        in_row = tagging.by_term.get(row.pk, set()) & ids
        rows.append((row, [Cell(row, col, len(in_row & tagging.by_term.get(col.pk, set()))) for col in columns]))
    return Matrix(str(dimension), FACET_LABELS[str(dimension)], columns, rows)


def collection_map(user, params: StoryParams) -> tuple[list[Matrix], int, dict[str, str]]:
    """The two matrices for the stories this person may read, the number of stories counted,
    and any filter that could not be used."""
    errors: dict[str, str] = {}
    ids, tagging = _filtered_ids(readable_stories(user), params, term_lookup(), errors)
    return [_matrix(d, ids, tagging) for d in ROW_DIMENSIONS], len(ids), errors


def cell_export_stories(row_dimension: str, row_slug: str, purpose_slug: str, params: StoryParams):
    """The open-data stories in one cell, or None if the cell does not exist."""
    if row_dimension not in [str(d) for d in ROW_DIMENSIONS]:
        return None
    lookup = term_lookup()
    row, column = lookup.get((row_dimension, row_slug)), lookup.get((str(COLUMN_DIMENSION), purpose_slug))
    if row is None or column is None:
        return None
    errors: dict[str, str] = {}
    ids, tagging = _filtered_ids(stories_for_open_data(), params, lookup, errors)
    if errors:
        return None
    wanted = ids & tagging.by_term.get(row.pk, set()) & tagging.by_term.get(column.pk, set())
    return list(stories_for_open_data().filter(pk__in=wanted))


def _safe(value: str) -> str:
    """A spreadsheet would run a cell starting "=" as a formula; a leading quote stops that."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_row(story: Story, site_url: str) -> list[str]:
    dims = {slug: "; ".join(t.name for t in terms) for slug, _label, terms, _detail in topography(story)}
    hub = {v: "; ".join(t.name for t in hub_terms_of(story, v)) for v in HUB_FACETS}
    name = story.storyteller_name if story.is_named else ""
    published = story.published_at.date().isoformat() if story.published_at else ""
    values = [str(story.pk), site_url + story.get_absolute_url(), story.title, name, published,
              story.get_medium_display(), *[dims[str(d)] for d in Dimension], hub["condition"], hub["community"]]
    return [_safe(v) for v in values]


def stories_csv(stories, site_url: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(s, site_url) for s in stories)
    return out.getvalue()
