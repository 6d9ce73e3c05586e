"""Pages for people answering, with no account: the online survey (a public link, one question
per page, save and resume by a signed link or cookie) and a live workshop joined with a short
code. Every write goes through services, which check answers and detect repeated forms."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from peerhub.whatmatters import selectors, services
from peerhub.whatmatters.forms import AnswerForm, ConsentForm, JoinForm, ProfileForm
from peerhub.whatmatters.models import ResponseStatus, Status
from peerhub.whatmatters.tokens import resume_cookie_name, sign_response_key, unsign_response_key

COOKIE_AGE = 60 * 60 * 24 * 30


def _survey(key: str):
    exercise = selectors.exercise_by_public_key(key)
    if exercise is None or exercise.status == Status.DRAFT:
        raise Http404("There is no survey at this address. Check the link you were given.")
    return exercise


def _current_response(request, exercise):
    key = unsign_response_key(request.COOKIES.get(resume_cookie_name(exercise), ""), exercise)
    return selectors.response_by_key(exercise, key)


def _remember(request, response, http_response):
    """The signed cookie that brings the person back to their own answers (no account needed)."""
    http_response.set_cookie(resume_cookie_name(response.exercise), sign_response_key(response), max_age=COOKIE_AGE,
                             httponly=True, samesite="Lax", secure=request.is_secure())
    return http_response


def _resume_url(request, response) -> str:
    path = reverse("whatmatters:survey_resume", args=[response.exercise.public_key, sign_response_key(response)])
    return request.build_absolute_uri(path)


@require_http_methods(["GET", "POST"])
def survey_start(request, key: str):
    exercise = _survey(key)
    response = _current_response(request, exercise)
    if response is not None and request.method == "GET":
        return _next_page(exercise, response)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.start_response(exercise, consent=True, token=form.cleaned_data["form_token"])
        except services.ExerciseError as error:
            form.add_error(None, str(error))
        else:
            return _remember(request, response, _next_page(exercise, response))
    return render(request, "whatmatters/survey_start.html", {"exercise": exercise, "form": form})


def _next_page(exercise, response):
    if response.status == ResponseStatus.COMPLETE:
        return redirect("whatmatters:survey_done", key=exercise.public_key)
    step = selectors.first_unanswered_step(response, selectors.survey_steps(selectors.questions_of(exercise)))
    if step is None:
        return redirect("whatmatters:survey_check", key=exercise.public_key)
    return redirect("whatmatters:survey_step", key=exercise.public_key, number=step.number)


def _response_or_start(request, exercise):
    response = _current_response(request, exercise)
    if response is None:
        messages.info(request, "Start here. If you began before, use the link you saved to carry on.")
    return response


@require_http_methods(["GET", "POST"])
def survey_step(request, key: str, number: int):
    exercise = _survey(key)
    response = _response_or_start(request, exercise)
    if response is None:
        return redirect("whatmatters:survey_start", key=key)
    if response.status == ResponseStatus.COMPLETE:
        return redirect("whatmatters:survey_done", key=key)
    steps = selectors.survey_steps(selectors.questions_of(exercise))
    if not 1 <= number <= len(steps):
        raise Http404("There is no such page in this survey.")
    return _answer_step(request, exercise, response, steps, steps[number - 1])


def _step_initial(response, step) -> dict:
    value = response.draft.get(step.question.key)
    if value is None or step.question.kind not in ("single", "multiple", "rating"):
        return {}
    return {"answer": str(value) if not isinstance(value, list) else value}


def _answer_step(request, exercise, response, steps, step):
    factors = selectors.factors_of(exercise)
    form = AnswerForm(request.POST or None, question=step.question, factors=factors, set_index=step.set_index,
                      initial=_step_initial(response, step))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft_answer(response, step.question, form.value, token=form.cleaned_data["form_token"],
                                       set_index=step.set_index)
        except services.DuplicateSubmission:
            pass  # the first copy of this page was saved; carry on as if this one was
        except services.ExerciseError as error:
            form.add_error(None, str(error))
            return _render_step(request, exercise, response, steps, step, form)
        return _next_page(exercise, selectors.response_by_key(exercise, response.key))
    return _render_step(request, exercise, response, steps, step, form)


def _render_step(request, exercise, response, steps, step, form):
    context = {"exercise": exercise, "form": form, "step": step, "total": len(steps),
               "previous": step.number - 1 if step.number > 1 else None, "resume_url": _resume_url(request, response)}
    return render(request, "whatmatters/survey_step.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def survey_check(request, key: str):
    exercise = _survey(key)
    response = _response_or_start(request, exercise)
    if response is None:
        return redirect("whatmatters:survey_start", key=key)
    form = ConsentForm(request.POST or None, initial={"consent": True})
    form.fields.pop("consent")  # consent was given at the start and is recorded with the response
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_response(response, token=form.cleaned_data["form_token"])
        except services.DuplicateSubmission as error:
            messages.info(request, str(error))
        except services.ExerciseError as error:
            messages.error(request, str(error))
            return _next_page(exercise, response)
        return redirect("whatmatters:survey_done", key=key)
    steps = selectors.survey_steps(selectors.questions_of(exercise))
    missing = [s for s in steps if not selectors.step_is_answered(response, s)]
    return render(request, "whatmatters/survey_check.html", {"exercise": exercise, "form": form, "missing": missing,
                                                             "resume_url": _resume_url(request, response)})


@require_safe
def survey_done(request, key: str):
    exercise = _survey(key)
    return render(request, "whatmatters/survey_done.html", {"exercise": exercise})


@require_safe
def survey_resume(request, key: str, signed: str):
    exercise = _survey(key)
    response = selectors.response_by_key(exercise, unsign_response_key(signed, exercise))
    if response is None:
        messages.error(request, "This link to carry on has expired or is not complete. You can start again here.")
        return redirect("whatmatters:survey_start", key=key)
    return _remember(request, response, _next_page(exercise, response))


# Live workshops ---------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def join(request):
    form = JoinForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        exercise = selectors.exercise_by_join_code(form.cleaned_data["code"])
        if exercise is not None and exercise.mode == "workshop" and exercise.status == Status.OPEN:
            return redirect("whatmatters:workshop", code=exercise.join_code)
        form.add_error("code", "There is no open workshop with that code. Check the code on the screen.")
    return render(request, "whatmatters/join.html", {"form": form}, status=400 if form.errors else 200)


def _workshop(code: str):
    exercise = selectors.exercise_by_join_code(code)
    if exercise is None or exercise.mode != "workshop" or exercise.status == Status.DRAFT:
        raise Http404("There is no workshop with that code.")
    return exercise


@require_http_methods(["GET", "POST"])
def workshop(request, code: str):
    exercise = _workshop(code)
    participant = _current_response(request, exercise)
    if participant is None:
        return _join_workshop(request, exercise)
    question = exercise.open_question
    if question is None or selectors.answered_round(participant, question):
        return render(request, "whatmatters/workshop_wait.html", {"exercise": exercise, "answered": question})
    return _answer_round(request, exercise, participant, question)


def _join_workshop(request, exercise):
    profile = [q for q in selectors.questions_of(exercise) if q.defines_groups]
    form = ProfileForm(request.POST or None, questions=profile)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.join_workshop(exercise, form.profile(), consent=True,
                                                 token=form.cleaned_data["form_token"])
        except services.ExerciseError as error:
            form.add_error(None, str(error))
        else:
            return _remember(request, participant, redirect("whatmatters:workshop", code=exercise.join_code))
    return render(request, "whatmatters/workshop_join.html", {"exercise": exercise, "form": form},
                  status=400 if form.errors else 200)


def _answer_round(request, exercise, participant, question):
    form = AnswerForm(request.POST or None, question=question, factors=selectors.factors_of(exercise))
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_round(participant, question, form.value, token=form.cleaned_data["form_token"])
        except services.DuplicateSubmission as error:
            messages.info(request, str(error))
        except services.ExerciseError as error:
            form.add_error(None, str(error))
            return _render_round(request, exercise, question, form)
        else:
            messages.success(request, "Thank you: your answer is in.")
        return redirect("whatmatters:workshop", code=exercise.join_code)
    return _render_round(request, exercise, question, form)


def _render_round(request, exercise, question, form):
    return render(request, "whatmatters/workshop_round.html", {"exercise": exercise, "question": question,
                                                               "form": form}, status=400 if form.errors else 200)


@require_safe
def workshop_status(request, code: str):
    """Polled by htmx while a participant waits: says when a new round is open."""
    exercise = _workshop(code)
    participant = _current_response(request, exercise)
    question = exercise.open_question
    ready = participant is not None and question is not None and not selectors.answered_round(participant, question)
    return render(request, "whatmatters/partials/workshop_status.html", {"exercise": exercise, "ready": ready})
