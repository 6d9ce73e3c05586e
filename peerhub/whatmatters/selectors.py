"""Reads for what-matters exercises. Pages, the JSON API, exports and the directory call these."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from peerhub.accounts.models import Role
from peerhub.core.permissions import has_role
from peerhub.whatmatters import analysis
from peerhub.whatmatters.models import Answer, Exercise, Kind, Mode, Question, Response, ResponseStatus, Status

RANKED_KINDS = (Kind.BEST_WORST, Kind.RANKING)


@dataclass(frozen=True)
class Step:
    """One page of the online survey: a question, or one set of a best-worst question."""

    number: int
    question: Question
    set_index: int | None = None


@dataclass
class ExerciseResults:
    exercise: Exercise
    n: int
    threshold: int
    sections: list[analysis.QuestionResult] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)


def with_counts(queryset):
    return queryset.annotate(
        complete_count=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETE), distinct=True),
        question_count=Count("questions", distinct=True),
    )


def exercises_for_user(user):
    """The exercises a person organises; curators see everyone's."""
    exercises = Exercise.objects.select_related("organiser")
    if not has_role(user, Role.CURATOR):
        exercises = exercises.filter(organiser=user)
    return with_counts(exercises)


def public_results():
    """Exercises whose organisers chose to publish the results."""
    return with_counts(Exercise.objects.filter(results_public=True).exclude(status=Status.DRAFT))


def exercise_by_public_key(key: str) -> Exercise | None:
    return Exercise.objects.filter(public_key=key, mode=Mode.SURVEY).first() if key else None


def exercise_by_join_code(code: str) -> Exercise | None:
    code = "".join((code or "").split()).upper()
    return Exercise.objects.filter(join_code=code).first() if code else None


def questions_of(exercise: Exercise) -> list[Question]:
    return list(exercise.questions.all())


def factors_of(exercise: Exercise) -> list:
    return list(exercise.factors.all())


def survey_steps(questions: list[Question]) -> list[Step]:
    """Profile questions first, then one page per question; a best-worst question has a page per set."""
    pages = []
    for question in questions:
        if question.kind == Kind.BEST_WORST:
            pages.extend((question, index) for index in range(len(question.design)))
        else:
            pages.append((question, None))
    return [Step(number, question, index) for number, (question, index) in enumerate(pages, start=1)]


def step_is_answered(response: Response, step: Step) -> bool:
    value = response.draft.get(step.question.key)
    if step.set_index is None:
        return value is not None
    return isinstance(value, list) and len(value) > step.set_index and value[step.set_index] is not None


def first_unanswered_step(response: Response, steps: list[Step]) -> Step | None:
    return next((step for step in steps if not step_is_answered(response, step)), None)


def response_by_key(exercise: Exercise, key: str | None) -> Response | None:
    return Response.objects.filter(exercise=exercise, key=key).select_related("exercise").first() if key else None


def complete_responses(exercise: Exercise) -> tuple[list[Response], list[Answer]]:
    """Complete responses and their answers: two queries whatever the number of respondents."""
    responses = list(exercise.responses.filter(status=ResponseStatus.COMPLETE).order_by("pk"))
    answers = list(Answer.objects.filter(response__exercise=exercise, response__status=ResponseStatus.COMPLETE)
                   .only("response_id", "question_id", "value"))
    return responses, answers


def load_sample(exercise: Exercise) -> analysis.Sample:
    return analysis.build_sample(*complete_responses(exercise))


def exercise_results(exercise: Exercise, *, only: Question | None = None, threshold: int | None = None):
    """Every question's results (or one question's), through the statistics engine."""
    sample, factors = load_sample(exercise), factors_of(exercise)
    threshold = exercise.min_group_size if threshold is None else threshold
    questions = [only] if only is not None else questions_of(exercise)
    results = ExerciseResults(exercise, sample.n, threshold)
    results.sections = [analysis.analyse_question(q, factors, sample, threshold) for q in questions]
    results.sources = dict(exercise.responses.filter(status=ResponseStatus.COMPLETE)
                           .values_list("source").annotate(n=Count("pk")))
    return results


@dataclass(frozen=True)
class LiveRound:
    question: Question | None
    participants: int
    answers: int
    result: analysis.QuestionResult | None


def live_round(exercise: Exercise, question: Question | None = None) -> LiveRound:
    """What the facilitator's screen shows: who has joined and the open round's answers so far.
    Everyone together only (groups are for the results page, where small groups are suppressed)."""
    question = question or exercise.open_question
    participants = exercise.responses.filter(status=ResponseStatus.COMPLETE).count()
    if question is None:
        return LiveRound(None, participants, 0, None)
    sample = load_sample(exercise)
    sample.groups = [""] * sample.n  # no group breakdown on a shared screen
    result = analysis.analyse_question(question, factors_of(exercise), sample, 1)
    return LiveRound(question, participants, result.n, result)


def answered_round(response: Response, question: Question | None) -> bool:
    return question is not None and Answer.objects.filter(response=response, question=question).exists()


# For the directory ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FactorFact:
    place: int
    label: str
    value: float
    ci_l: float
    ci_u: float


@dataclass(frozen=True)
class TopFactors:
    """The factors that matter most to one group, and where the numbers come from."""

    group: str
    n: int
    exercise: Exercise
    question: Question
    statistic: str
    factors: list[FactorFact]


def top_factors_for_group(group: str, limit: int = analysis.TOP_SIX) -> TopFactors | None:
    """The factors that matter most to people in `group` (a respondent group label, such as
    "Yes, I have used peer support"; case does not matter), from the newest exercise with
    published results where that group is large enough to be shown. None when there is none."""
    wanted = " ".join((group or "").split()).casefold()
    if not wanted:
        return None
    for question in _published_ranked_questions():
        found = _group_facts(question, wanted, limit)
        if found is not None:
            return found
    return None


def published_groups() -> list[str]:
    """The respondent groups that top_factors_for_group can speak for: groups in exercises with
    published results and a ranked question, with at least the exercise's minimum group size
    (smaller groups are never shown). One query; names deduplicated ignoring case, sorted."""
    ranked = Question.objects.filter(kind__in=RANKED_KINDS).values("exercise_id")
    rows = (Response.objects.filter(status=ResponseStatus.COMPLETE, exercise__results_public=True,
                                    exercise_id__in=ranked)
            .exclude(exercise__status=Status.DRAFT).exclude(group="")
            .values("exercise_id", "group", "exercise__min_group_size").annotate(n=Count("pk")))
    names: dict[str, str] = {}
    for row in rows:
        if row["n"] >= row["exercise__min_group_size"]:
            names.setdefault(row["group"].casefold(), row["group"])
    return sorted(names.values(), key=str.casefold)


def _published_ranked_questions():
    return (Question.objects.filter(exercise__results_public=True, kind__in=RANKED_KINDS)
            .exclude(exercise__status=Status.DRAFT).select_related("exercise")
            .order_by("-exercise__created_at", "kind", "order"))


def _group_facts(question: Question, wanted: str, limit: int) -> TopFactors | None:
    exercise = question.exercise
    if not Response.objects.filter(exercise=exercise, status=ResponseStatus.COMPLETE, group__iexact=wanted).exists():
        return None
    section = exercise_results(exercise, only=question).sections[0]
    name, n = next(((g, n) for g, n in section.groups if g.casefold() == wanted), (None, 0))
    if name is None:
        return None
    facts = [FactorFact(place, m.label, float(m.values[name].value), float(m.values[name].ci_l),
                        float(m.values[name].ci_u))
             for place, m in enumerate(section.ranked(name)[:limit], start=1)]
    return TopFactors(name, n, exercise, question, section.statistic, facts)
