"""Attach external survey microdata to an exercise: a CSV file with one row per respondent, a
`weight` column, optional `strata`, `cluster` and `fpc` columns (the survey design), and the
answer columns laid out as the raw-responses export writes them. The whole file is checked
first and written in one transaction, or nothing is written."""

import csv
import hashlib
import io
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from peerhub.audit.services import record_event
from peerhub.whatmatters import answers as answer_rules
from peerhub.whatmatters.models import Answer, DataImport, Exercise, Response, ResponseStatus, Source
from peerhub.whatmatters.services import SUBJECT, ExerciseError, group_label

DESIGN_COLUMNS = ("weight", "strata", "cluster", "fpc")
# Written by the raw-responses export and ignored here, so an export can be imported elsewhere.
EXPORT_ONLY_COLUMNS = ("response", "source", "submitted_at", "group")
MAX_BYTES = 5 * 1024 * 1024
MAX_ERRORS = 10  # list the first few problems; a file with hundreds usually has one cause


class ImportProblems(ExerciseError):
    def __init__(self, problems: list[str]):
        super().__init__("The file was not imported: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    weight: float
    strata: str
    cluster: str
    fpc: float | None
    values: dict


def expected_columns(questions, codes) -> list[str]:
    return [*DESIGN_COLUMNS, *[c for q in questions for c in answer_rules.columns(q, codes)]]


def read_rows(content: bytes) -> tuple[list[str], list[dict]]:
    if len(content) > MAX_BYTES:
        raise ExerciseError("The file is larger than 5 MB. Split it into smaller files.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExerciseError("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.") from None
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    if not reader.fieldnames or not rows:
        raise ExerciseError("The file has no rows under its header row.")
    return [name.strip() for name in reader.fieldnames], rows


def _check_header(header: list[str], questions, codes) -> None:
    if "weight" not in header:
        raise ExerciseError("The file needs a “weight” column (use 1 for every row if the data are unweighted).")
    known = {*EXPORT_ONLY_COLUMNS, *expected_columns(questions, codes)}
    unknown = [name for name in header if name not in known]
    if unknown:
        raise ExerciseError(f"The file has column(s) this exercise does not ask about: {', '.join(unknown[:5])}. "
                            "Download the raw responses CSV to see the expected columns.")


def _number(text: str, name: str, positive: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise answer_rules.AnswerError(f"{name} “{text[:20]}” is not a number") from None
    if not math.isfinite(value) or (positive and value <= 0):
        raise answer_rules.AnswerError(f"{name} must be a positive number, not “{text[:20]}”")
    return value


def _parse_row(row: dict, questions, codes) -> Row:
    row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
    weight = _number(row.get("weight", ""), "weight", True)
    fpc = _number(row["fpc"], "fpc", True) if row.get("fpc") else None
    values = {}
    for question in questions:
        value = answer_rules.from_cells(question, row, codes)
        if value is None and question.defines_groups:
            raise answer_rules.AnswerError(f"{question.key} (a profile question) must be answered")
        values[question.key] = value
    if not any(v is not None for q, v in zip(questions, values.values(), strict=True) if not q.defines_groups):
        raise answer_rules.AnswerError("the row answers no questions")
    return Row(weight, row.get("strata", ""), row.get("cluster", ""), fpc, values)


def parse(exercise: Exercise, content: bytes) -> list[Row]:
    questions, codes = list(exercise.questions.all()), list(exercise.factors.values_list("code", flat=True))
    header, raw_rows = read_rows(content)
    _check_header(header, questions, codes)
    rows, problems = [], []
    for line, raw in enumerate(raw_rows, start=2):
        try:
            rows.append(_parse_row(raw, questions, codes))
        except answer_rules.AnswerError as error:
            problems.append(f"line {line}: {error}")
    if problems:
        raise ImportProblems(problems[:MAX_ERRORS] + ([f"and {len(problems) - MAX_ERRORS} more"]
                                                      if len(problems) > MAX_ERRORS else []))
    return rows


@transaction.atomic
def import_responses(exercise: Exercise, filename: str, content: bytes, *, actor) -> DataImport:
    digest = hashlib.sha256(content).hexdigest()
    if DataImport.objects.filter(exercise=exercise, digest=digest).exists():
        raise ExerciseError("This file has already been imported into this exercise.")
    rows = parse(exercise, content)
    questions = list(exercise.questions.all())
    profile = [q for q in questions if q.defines_groups]
    for row in rows:
        _write(exercise, row, questions, profile)
    data_import = DataImport.objects.create(exercise=exercise, filename=filename[:200], rows=len(rows),
                                            digest=digest, imported_by=actor)
    record_event(subject_type=SUBJECT, subject_id=exercise.pk, action="data imported", actor=actor,
                 before={}, after={"file": filename[:200], "rows": len(rows)})
    return data_import


def _write(exercise: Exercise, row: Row, questions, profile) -> None:
    response = Response.objects.create(
        exercise=exercise, source=Source.IMPORT, status=ResponseStatus.COMPLETE, submitted_at=timezone.now(),
        group=group_label(profile, row.values), weight=row.weight, strata=row.strata, cluster=row.cluster,
        fpc=row.fpc,
    )
    Answer.objects.bulk_create(
        [Answer(response=response, question=q, value=row.values[q.key]) for q in questions
         if row.values[q.key] is not None]
    )
