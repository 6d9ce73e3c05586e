"""The what-matters JSON API: published results, one exercise's detail and results, a survey's
questions, and submitting a whole response. Reads through the selectors, writes through the
services, access through peerhub.core.permissions, exactly as the pages."""

import math
from typing import Any

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from peerhub.accounts.api_auth import token_or_anonymous
from peerhub.core import permissions
from peerhub.library.api_schemas import ErrorOut, ValidationErrorOut
from peerhub.whatmatters import presentation, selectors, services
from peerhub.whatmatters.models import Mode
from peerhub.whatmatters.models import Status as ExerciseStatus

router = Router(tags=["what matters"])
OPTIONAL_TOKEN = {"security": [{}, {"ApiTokenAuth": []}]}








class ExerciseSummaryOut(Schema):
    id: int
    title: str
    summary: str
    mode: str = Field(description="survey or workshop")
    status: str = Field(description="open or closed (drafts are never listed)")
    responses: int = Field(description="Complete responses")


class FactorOut(Schema):
    code: str = Field(description="How answers refer to the factor, such as F3")
    label: str
    area: str
    origin: str = Field(description="national, hub_draft (the hub's own draft, not the national survey's list) "
                                    "or organiser")


class QuestionOut(Schema):
    key: str
    kind: str = Field(description="ranking, best_worst, rating, single, multiple, dots or moscow")
    prompt: str
    help_text: str
    defines_groups: bool
    options: list[str]
    scale_min: int
    scale_max: int
    votes: int
    design: list[list[str]] = Field(description="Best-worst sets, as factor codes")


class EstimateOut(Schema):
    estimate: float | None
    ci_l: float | None
    ci_u: float | None


class ItemOut(Schema):
    code: str
    label: str
    values: dict[str, EstimateOut] = Field(description="'all' and each shown group")


class GroupOut(Schema):
    name: str
    n: int


class ResultOut(Schema):
    question: str
    n: int
    suppressed: bool = Field(description="True when fewer people answered than the exercise's threshold")
    statistic: str
    groups: list[GroupOut] = Field(description="Groups shown; smaller groups are left out")
    items: list[ItemOut]
    headlines: list[str]


class ExerciseOut(ExerciseSummaryOut):
    min_group_size: int
    factors: list[FactorOut]
    questions: list[QuestionOut]
    results: list[ResultOut]


class SurveyOut(Schema):
    title: str
    summary: str
    consent_text: str = Field(description="Show this to the respondent; send consent=true only if they agree")
    factors: list[FactorOut]
    questions: list[QuestionOut]


class ResponseIn(Schema):
    consent: bool = Field(description="The respondent read the consent text and agreed")
    idempotency_key: str = Field(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                 description="A new random key per response; sending it again is answered 409")
    answers: dict[str, Any] = Field(description='Question key -> answer, e.g. {"q1": "Yes", "q2": [{"best": "F1", '
                                                '"worst": "F4"}, ...], "q3": ["F2", "F1", ...]}')


class ResponseOut(Schema):
    id: str = Field(description="The response's reference")
    group: str


def _number(value) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _summary(exercise) -> dict:
    return {"id": exercise.pk, "title": exercise.title, "summary": exercise.summary, "mode": exercise.mode,
            "status": exercise.status, "responses": getattr(exercise, "complete_count", 0)}


def _factors(exercise) -> list[dict]:
    return [{"code": f.code, "label": f.label, "area": f.area, "origin": f.origin}
            for f in selectors.factors_of(exercise)]


def _questions(exercise) -> list[dict]:
    return [{"key": q.key, "kind": q.kind, "prompt": q.prompt, "help_text": q.help_text,
             "defines_groups": q.defines_groups, "options": q.options, "scale_min": q.scale_min,
             "scale_max": q.scale_max, "votes": q.votes, "design": q.design} for q in selectors.questions_of(exercise)]


def _result(section) -> dict:
    result = section.result
    items = [{"code": m.code, "label": m.label,
              "values": {g: {"estimate": _number(c.value), "ci_l": _number(c.ci_l), "ci_u": _number(c.ci_u)}
                         for g, c in m.values.items()}} for m in result.measures]
    return {"question": result.question.key, "n": result.n, "suppressed": result.suppressed,
            "statistic": result.statistic, "groups": [{"name": g, "n": n} for g, n in result.groups],
            "items": items, "headlines": section.headlines}


@router.get("/what-matters/exercises", response=list[ExerciseSummaryOut], summary="Exercises with published results")
def list_exercises(request):
    return [_summary(exercise) for exercise in selectors.public_results()]


@router.get(
    "/what-matters/exercises/{exercise_id}",
    auth=token_or_anonymous,
    response={200: ExerciseOut, 401: ErrorOut, 404: ErrorOut},
    summary="One exercise, its questions and results",
    description="Published results for everyone; organisers and curators (with their token) also see unpublished "
    "ones. Groups smaller than the exercise's threshold are left out, as on the results page.",
    openapi_extra=OPTIONAL_TOKEN,
)
def get_exercise(request, exercise_id: int):
    exercise = permissions.get_exercise_results_for_user(request.auth, exercise_id)
    found = selectors.exercise_results(exercise)
    data = {**_summary(exercise), "responses": found.n, "min_group_size": exercise.min_group_size,
            "factors": _factors(exercise), "questions": _questions(exercise)}
    data["results"] = [_result(presentation.build_section(r)) for r in found.sections]
    return data


def _open_survey(key: str):
    exercise = selectors.exercise_by_public_key(key)
    if exercise is None or exercise.status == ExerciseStatus.DRAFT or exercise.mode != Mode.SURVEY:
        raise Http404("There is no survey with this key.")
    return exercise


@router.get("/what-matters/surveys/{key}", response={200: SurveyOut, 404: ErrorOut},
            summary="A survey's questions, by the key in its public link")
def get_survey(request, key: str):
    exercise = _open_survey(key)
    return {"title": exercise.title, "summary": exercise.summary, "consent_text": exercise.consent_text,
            "factors": _factors(exercise), "questions": _questions(exercise)}


@router.post(
    "/what-matters/surveys/{key}/responses",
    response={201: ResponseOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Send one complete response",
    description="Every question must be answered, in the forms shown in the answers field. The response is "
    "written once, in one go. A repeated idempotency_key is answered 409 and nothing more is written.",
)
def submit_response(request, key: str, payload: ResponseIn):
    exercise = _open_survey(key)
    try:
        response = services.submit_complete_response(exercise, payload.answers, consent=payload.consent,
                                                     token=payload.idempotency_key)
    except services.DuplicateSubmission as error:
        raise HttpError(409, str(error)) from None
    except services.ExerciseError as error:
        raise ValidationError([{"loc": ["body", *_where(str(error))], "msg": str(error), "type": "value_error"}]) \
            from None
    return Status(201, {"id": response.key, "group": response.group})


def _where(message: str) -> list[str]:
    """Answer errors start with the question key ("q3: ..."); point at that answer."""
    head, _, _ = message.partition(":")
    return ["answers", head] if head.startswith("q") and head[1:].isdigit() else []
