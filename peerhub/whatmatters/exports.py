"""CSV downloads for an exercise's organisers: the estimates (long layout, one row per question x
statistic x item x group, low-count groups left out as on the results page) and the raw
responses (one row per respondent, in the layout the import reads)."""

import csv
import io

from peerhub.whatmatters import answers as answer_rules
from peerhub.whatmatters.stats.run import format_value

ESTIMATE_COLUMNS = ("question", "statistic", "item", "group", "estimate", "se", "df", "ci_l", "ci_u")
RESPONSE_COLUMNS = ("response", "source", "submitted_at", "group", "weight", "strata", "cluster", "fpc")


def _csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def estimates_csv(results) -> str:
    rows = [[row[c] if c in ("question", "statistic", "item", "group") else format_value(row[c])
             for c in ESTIMATE_COLUMNS] for section in results.sections for row in section.estimates]
    return _csv(ESTIMATE_COLUMNS, rows)


def responses_csv(questions: list, factors: list, responses: list, answers: list) -> str:
    """responses: complete Response rows; answers: their Answer rows."""
    codes = [f.code for f in factors]
    by_response: dict[int, dict[int, object]] = {}
    for answer in answers:
        by_response.setdefault(answer.response_id, {})[answer.question_id] = answer.value
    answer_columns = [c for q in questions for c in answer_rules.columns(q, codes)]
    rows = []
    for response in responses:
        given = by_response.get(response.pk, {})
        cells = {}
        for question in questions:
            cells.update(answer_rules.to_cells(question, given.get(question.pk), codes))
        rows.append([response.pk, response.source, response.submitted_at.isoformat() if response.submitted_at else "",
                     response.group, format_value(response.weight), response.strata, response.cluster,
                     "" if response.fpc is None else format_value(response.fpc), *[cells[c] for c in answer_columns]])
    return _csv((*RESPONSE_COLUMNS, *answer_columns), rows)
