"""Writes for what-matters exercises. Pages, the JSON API, imports and the demo all come here:
each write is one transaction, responses are written once, and repeated form submissions
(the same idempotency token) are detected."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from peerhub.audit.services import record_event
from peerhub.whatmatters import answers as answer_rules
from peerhub.whatmatters import blockdesign, instruments
from peerhub.whatmatters.models import (
    Answer,
    Exercise,
    Factor,
    FactorOrigin,
    Kind,
    Mode,
    Question,
    Response,
    ResponseStatus,
    Source,
    Status,
    SubmissionReceipt,
)
from peerhub.whatmatters.tokens import is_valid_form_token

SUBJECT = "whatmatters.exercise"
EXERCISE_FIELDS = ["title", "summary", "mode", "consent_text", "results_public", "min_group_size"]
QUESTION_FIELDS = [
    "kind", "prompt", "help_text", "defines_groups", "options", "scale_min", "scale_max",
    "scale_low_label", "scale_high_label", "votes", "set_size",
]
GROUP_SEPARATOR = " / "


class ExerciseError(ValueError):
    """A write that cannot be done; the message tells the person why, in plain English."""


class DuplicateSubmission(ExerciseError):
    """The same form (idempotency token) was sent again: the first one was kept."""


def snapshot(exercise: Exercise) -> dict:
    data = {name: getattr(exercise, name) for name in EXERCISE_FIELDS}
    data["status"] = exercise.status
    data["factors"] = list(exercise.factors.values_list("label", flat=True))
    data["questions"] = list(exercise.questions.values_list("prompt", flat=True))
    return data


def _record(exercise, action, actor, before, note=""):
    record_event(subject_type=SUBJECT, subject_id=exercise.pk, action=action, actor=actor,
                 before=before, after=snapshot(exercise), note=note)


# Building exercises ---------------------------------------------------------------------------

def is_locked(exercise: Exercise) -> bool:
    """Once anyone has answered, changing the questions or factors would make answers meaningless."""
    return exercise.responses.exists()


def ensure_editable(exercise: Exercise) -> None:
    if is_locked(exercise):
        raise ExerciseError("People have already answered, so the questions and factors can no longer change. "
                            "Create a new exercise to ask something different.")


def _apply(instance, data: dict, fields: list[str]) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


@transaction.atomic
def create_exercise(data: dict, *, organiser) -> Exercise:
    exercise = Exercise(organiser=organiser, consent_text=instruments.CONSENT)
    _apply(exercise, data, EXERCISE_FIELDS)
    exercise.full_clean()
    exercise.save()
    _record(exercise, "created", organiser, {})
    return exercise


@transaction.atomic
def update_exercise(exercise: Exercise, data: dict, *, actor) -> Exercise:
    before = snapshot(exercise)
    _apply(exercise, data, EXERCISE_FIELDS)
    exercise.full_clean()
    exercise.save()
    _record(exercise, "updated", actor, before)
    return exercise


@transaction.atomic
def create_from_template(key: str, *, organiser) -> Exercise:
    """A new draft exercise holding a shipped instrument's factors and questions, ready to edit."""
    if key not in instruments.TEMPLATES:
        raise ExerciseError(f"There is no template called “{key[:40]}”.")
    template = instruments.TEMPLATES[key]
    exercise = create_exercise({"title": template["title"], "summary": template["summary"],
                                "mode": template["mode"]}, organiser=organiser)
    exercise.template = key
    exercise.save(update_fields=["template"])
    _write_factors(exercise, template["factors"])
    for question in template["questions"]:
        _create_question(exercise, dict(question))
    return exercise


def parse_factor_lines(text: str) -> list[tuple[str, str]]:
    """'Area | label' or 'label' per line, blank lines ignored -> [(label, area)]."""
    rows = []
    for line in text.splitlines():
        area, _, label = line.rpartition("|")
        if label.strip():
            rows.append((" ".join(label.split()), " ".join(area.split())))
    return rows


def check_factor_rows(rows: list[tuple[str, str]]) -> None:
    if not rows:
        raise ExerciseError("Give at least one factor, one per line.")
    labels = [label.casefold() for label, _ in rows]
    repeated = next((label for label, _ in rows if labels.count(label.casefold()) > 1), None)
    if repeated:
        raise ExerciseError(f"“{repeated[:80]}” is listed more than once; list each factor once.")
    too_long = next((label for label, _ in rows if len(label) > 300), None)
    if too_long:
        raise ExerciseError(f"“{too_long[:60]}…” is too long; keep each factor under 300 characters.")


@transaction.atomic
def set_factors(exercise: Exercise, rows: list[tuple[str, str]], *, actor) -> None:
    """Replace the factor list. A factor kept by label keeps its code and origin (so 'the hub's
    own draft' stays labelled as such); best-worst sets are made again for the new list."""
    ensure_editable(exercise)
    check_factor_rows(rows)
    before = snapshot(exercise)
    existing = {factor.label: factor for factor in exercise.factors.all()}
    exercise.factors.exclude(label__in=[label for label, _ in rows]).delete()
    kept = [(label, area, existing[label].origin if label in existing else FactorOrigin.ORGANISER)
            for label, area in rows]
    _write_factors(exercise, kept, existing)
    for question in exercise.questions.filter(kind=Kind.BEST_WORST):
        _set_design(question, exercise)
        question.save(update_fields=["design"])
    _record(exercise, "factors changed", actor, before)


def _write_factors(exercise, rows, existing=None) -> None:
    existing = existing or {}
    used = [int(f.code[1:]) for f in existing.values()]
    next_number = max(used, default=0) + 1
    for order, (label, area, origin) in enumerate(rows):
        factor = existing.get(label)
        if factor is None:
            factor, next_number = Factor(exercise=exercise, code=f"F{next_number}", label=label), next_number + 1
        factor.area, factor.origin, factor.order = area, origin, order
        factor.save()


def _set_design(question: Question, exercise: Exercise) -> None:
    codes = list(exercise.factors.values_list("code", flat=True))
    try:
        design = blockdesign.make_design(len(codes), question.set_size)
    except blockdesign.DesignError as error:
        raise ExerciseError(str(error)) from None
    question.design = [[codes[i] for i in block] for block in design.sets]


def _next_key(exercise: Exercise) -> str:
    numbers = [int(key[1:]) for key in exercise.questions.values_list("key", flat=True) if key[1:].isdigit()]
    return f"q{max(numbers, default=0) + 1}"


def check_question(data: dict) -> None:
    kind = data.get("kind")
    if kind in (Kind.SINGLE, Kind.MULTIPLE) and len(data.get("options") or []) < 2:
        raise ExerciseError("A choice question needs at least two options, one per line.")
    if data.get("defines_groups") and kind != Kind.SINGLE:
        raise ExerciseError("Only a single-choice question can define the respondent groups.")
    if kind == Kind.RATING and data.get("scale_min", 1) >= data.get("scale_max", 5):
        raise ExerciseError("The top of the scale must be above the bottom.")


def _create_question(exercise: Exercise, data: dict) -> Question:
    check_question(data)
    question = Question(exercise=exercise, key=_next_key(exercise), order=exercise.questions.count() + 1)
    _apply(question, data, QUESTION_FIELDS)
    if question.kind == Kind.BEST_WORST:
        _set_design(question, exercise)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def add_question(exercise: Exercise, data: dict, *, actor) -> Question:
    ensure_editable(exercise)
    before = snapshot(exercise)
    question = _create_question(exercise, data)
    _record(exercise, "question added", actor, before)
    return question


@transaction.atomic
def delete_question(question: Question, *, actor) -> None:
    exercise = question.exercise
    ensure_editable(exercise)
    before = snapshot(exercise)
    question.delete()
    _record(exercise, "question removed", actor, before)


def check_ready(exercise: Exercise) -> None:
    """What must be true before people can answer."""
    questions = list(exercise.questions.all())
    if not any(not q.defines_groups for q in questions):
        raise ExerciseError("Add at least one question (besides the profile questions) before opening.")
    if any(q.uses_factors for q in questions) and not exercise.factors.exists():
        raise ExerciseError("Add the factors (or cards) before opening: some questions are about them.")


@transaction.atomic
def set_status(exercise: Exercise, status: str, *, actor) -> Exercise:
    if status not in Status.values:
        raise ExerciseError("Choose draft, open or closed.")
    if status == Status.OPEN:
        check_ready(exercise)
    before = snapshot(exercise)
    exercise.status = status
    if status != Status.OPEN:
        exercise.open_question = None  # a closed exercise has no live round
    exercise.save(update_fields=["status", "open_question", "updated_at"])
    _record(exercise, f"status {status}", actor, before)
    return exercise


@transaction.atomic
def open_round(exercise: Exercise, question: Question, *, actor) -> None:
    """In a live workshop, let participants answer this question now (one round at a time)."""
    if exercise.mode != Mode.WORKSHOP or exercise.status != Status.OPEN:
        raise ExerciseError("Rounds can be opened only in a live workshop that is open.")
    if question.exercise_id != exercise.pk or question.defines_groups:
        raise ExerciseError("Choose one of this workshop's questions (profile questions are asked on joining).")
    exercise.open_question = question
    exercise.save(update_fields=["open_question", "updated_at"])
    record_event(subject_type=SUBJECT, subject_id=exercise.pk, action="round opened", actor=actor,
                 before={}, after={"question": question.key})


@transaction.atomic
def close_round(exercise: Exercise, *, actor) -> None:
    if exercise.open_question_id is None:
        raise ExerciseError("No round is open.")
    key = exercise.open_question.key
    exercise.open_question = None
    exercise.save(update_fields=["open_question", "updated_at"])
    record_event(subject_type=SUBJECT, subject_id=exercise.pk, action="round closed", actor=actor,
                 before={"question": key}, after={})


# Responding -----------------------------------------------------------------------------------

def _claim(exercise: Exercise, token: str, response: Response | None) -> None:
    """Record the form's idempotency token inside the caller's transaction; a second use is a
    duplicate. The unique constraint (not a prior read) decides, so two racing requests cannot both win."""
    if not is_valid_form_token(token):
        raise ExerciseError("This form has expired or was changed. Please reload the page and try again.")
    try:
        with transaction.atomic():
            SubmissionReceipt.objects.create(exercise=exercise, token=token, response=response)
    except IntegrityError:
        raise DuplicateSubmission("We already have this answer: it was sent twice, so we kept the first one.") from None


def _ensure_open(exercise: Exercise) -> None:
    if exercise.status != Status.OPEN:
        raise ExerciseError("This exercise is not taking answers at the moment.")


def _ensure_consent(consent: bool) -> None:
    if consent is not True:
        raise ExerciseError("Confirm that you have read the information and agree to take part.")


def _codes(exercise: Exercise) -> list[str]:
    return list(exercise.factors.values_list("code", flat=True))


@transaction.atomic
def start_response(exercise: Exercise, *, consent: bool, token: str) -> Response:
    """An online respondent's unfinished response, with the consent they gave recorded."""
    _ensure_open(exercise)
    _ensure_consent(consent)
    response = Response.objects.create(exercise=exercise, source=Source.ONLINE, consent_text=exercise.consent_text,
                                       consented_at=timezone.now())
    _claim(exercise, token, response)
    return response


def _locked_response(response: Response) -> Response:
    """The row locked for this transaction, so two concurrent sends cannot both write it."""
    return Response.objects.select_for_update().get(pk=response.pk)


@transaction.atomic
def save_draft_answer(response: Response, question: Question, value, *, token: str, set_index=None) -> None:
    """Keep one page's answer until the person sends the whole survey (nothing counts before)."""
    _ensure_open(response.exercise)
    response = _locked_response(response)
    if response.status == ResponseStatus.COMPLETE:
        raise DuplicateSubmission("You have already sent your answers. Thank you.")
    _claim(response.exercise, token, response)
    try:
        response.draft[question.key] = _draft_value(response, question, value, set_index)
    except answer_rules.AnswerError as error:
        raise ExerciseError(str(error)) from None
    response.save(update_fields=["draft"])


def _draft_value(response: Response, question: Question, value, set_index):
    if set_index is None:
        return answer_rules.clean_answer(question, value, _codes(response.exercise))
    choices = list(_draft_sets(response.draft.get(question.key), len(question.design)))
    choices[set_index] = answer_rules.clean_choice(question, set_index, value)
    return choices


def _draft_sets(current, count: int) -> list:
    return current if isinstance(current, list) and len(current) == count else [None] * count


def unanswered(response: Response, questions: list[Question]) -> list[Question]:
    """Questions whose draft answer is missing or no longer valid, in asking order."""
    codes = _codes(response.exercise)
    missing = []
    for question in questions:
        try:
            answer_rules.clean_answer(question, response.draft.get(question.key), codes)
        except answer_rules.AnswerError:
            missing.append(question)
    return missing


def group_label(profile_questions: list[Question], values: dict) -> str:
    """The respondent's group: their answers to the profile questions, joined."""
    return GROUP_SEPARATOR.join(str(values[q.key]) for q in profile_questions if values.get(q.key) is not None)


def _write_answers(response: Response, questions: list[Question], values: dict) -> None:
    Answer.objects.bulk_create(
        [Answer(response=response, question=q, value=values[q.key]) for q in questions if values.get(q.key) is not None]
    )


@transaction.atomic
def submit_response(response: Response, *, token: str) -> Response:
    """Send an online response: every answer is checked again and written in one go."""
    _ensure_open(response.exercise)
    response = _locked_response(response)
    if response.status == ResponseStatus.COMPLETE:
        raise DuplicateSubmission("You have already sent your answers. Thank you.")
    questions = list(response.exercise.questions.all())
    if unanswered(response, questions):
        raise ExerciseError("Some questions are not answered yet. Answer them, then send your answers.")
    _claim(response.exercise, token, response)
    _complete(response, questions, response.draft)
    return response


def _complete(response: Response, questions: list[Question], values: dict) -> None:
    _write_answers(response, questions, values)
    response.group = group_label([q for q in questions if q.defines_groups], values)
    response.status, response.submitted_at = ResponseStatus.COMPLETE, timezone.now()
    response.save(update_fields=["group", "status", "submitted_at", "draft"])


def clean_all(exercise: Exercise, questions: list[Question], values: dict, *, required: list[Question]) -> dict:
    """Every given answer checked; `required` questions must be answered. Errors name the question key."""
    codes, cleaned = _codes(exercise), {}
    unknown = sorted(set(values) - {q.key for q in questions})
    if unknown:
        raise ExerciseError(f"There is no question “{unknown[0][:20]}” in this exercise.")
    for question in questions:
        value = values.get(question.key)
        if value is None and question not in required:
            continue
        try:
            cleaned[question.key] = answer_rules.clean_answer(question, value, codes)
        except answer_rules.AnswerError as error:
            raise ExerciseError(f"{question.key}: {error}") from None
    return cleaned


@transaction.atomic
def submit_complete_response(exercise: Exercise, values: dict, *, consent: bool, token: str,
                             source: str = Source.API) -> Response:
    """A whole response in one request (the API): all questions answered, written at once."""
    _ensure_open(exercise)
    _ensure_consent(consent)
    questions = list(exercise.questions.all())
    cleaned = clean_all(exercise, questions, values, required=questions)
    response = Response.objects.create(exercise=exercise, source=source, consent_text=exercise.consent_text,
                                       consented_at=timezone.now())
    _claim(exercise, token, response)
    _complete(response, questions, cleaned)
    return response


@transaction.atomic
def join_workshop(exercise: Exercise, profile: dict, *, consent: bool, token: str) -> Response:
    """A participant joins a live workshop by answering the profile questions (their group)."""
    if exercise.mode != Mode.WORKSHOP:
        raise ExerciseError("This code is not for a live workshop.")
    _ensure_open(exercise)
    _ensure_consent(consent)
    profile_questions = list(exercise.questions.filter(defines_groups=True))
    cleaned = clean_all(exercise, profile_questions, profile, required=profile_questions)
    response = Response.objects.create(exercise=exercise, source=Source.WORKSHOP, consent_text=exercise.consent_text,
                                       consented_at=timezone.now())
    _claim(exercise, token, response)
    _complete(response, profile_questions, cleaned)
    return response


@transaction.atomic
def answer_round(response: Response, question: Question, value, *, token: str) -> Answer:
    """A participant's answer to the open round, written once."""
    exercise = Exercise.objects.select_for_update().get(pk=response.exercise_id)
    if exercise.open_question_id != question.pk:
        raise ExerciseError("This round has closed. Your facilitator will open the next one.")
    _claim(exercise, token, response)
    if Answer.objects.filter(response=response, question=question).exists():
        raise DuplicateSubmission("You have already answered this round. Thank you.")
    try:
        cleaned = answer_rules.clean_answer(question, value, _codes(exercise))
    except answer_rules.AnswerError as error:
        raise ExerciseError(str(error)) from None
    return Answer.objects.create(response=response, question=question, value=cleaned)
