"""Pages for organisers and readers of results: building an exercise, running a live workshop,
importing data, the results page and the CSV downloads. Reads go through the selectors, writes
through the services, access through peerhub.core.permissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from peerhub.core import permissions
from peerhub.whatmatters import exports, imports, instruments, presentation, selectors, services
from peerhub.whatmatters.forms import ExerciseForm, FactorsForm, ImportForm, QuestionForm, TemplateForm
from peerhub.whatmatters.models import Question, ResponseStatus, Status

CSV_TYPE = "text/csv; charset=utf-8"


@require_safe
def index(request):
    context = {"public": selectors.public_results()}
    if request.user.is_authenticated:
        context["mine"] = selectors.exercises_for_user(request.user)
    return render(request, "whatmatters/index.html", context)


@login_required
def create(request):
    permissions.require_organiser(request.user)
    form = ExerciseForm(request.POST or None, initial={"consent_text": instruments.CONSENT})
    if request.method == "POST" and form.is_valid():
        exercise = services.create_exercise(form.cleaned_data, organiser=request.user)
        messages.success(request, "Exercise created. Now add its factors and questions.")
        return redirect(exercise)
    return render(request, "whatmatters/exercise_form.html", {"form": form, "templates": TemplateForm()})


@login_required
@require_POST
def create_from_template(request):
    permissions.require_organiser(request.user)
    form = TemplateForm(request.POST)
    if not form.is_valid():
        blank = ExerciseForm(initial={"consent_text": instruments.CONSENT})
        return render(request, "whatmatters/exercise_form.html", {"form": blank, "templates": form}, status=400)
    exercise = services.create_from_template(form.cleaned_data["template"], organiser=request.user)
    messages.success(request, "Exercise created from the template. Check the factors and questions, then open it.")
    return redirect(exercise)


@login_required
@require_safe
def manage(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    context = {
        "exercise": exercise,
        "factors": selectors.factors_of(exercise),
        "questions": selectors.questions_of(exercise),
        "locked": services.is_locked(exercise),
        "complete": exercise.responses.filter(status=ResponseStatus.COMPLETE).count(),
        "public_url": request.build_absolute_uri(f"/what-matters/s/{exercise.public_key}/"),
        "join_url": request.build_absolute_uri("/what-matters/join/"),
        "statuses": Status,
    }
    return render(request, "whatmatters/manage.html", context)


@login_required
def edit(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    form = ExerciseForm(request.POST or None, instance=exercise)
    if request.method == "POST" and form.is_valid():
        services.update_exercise(exercise, form.cleaned_data, actor=request.user)
        messages.success(request, "Saved.")
        return redirect(exercise)
    return render(request, "whatmatters/exercise_form.html", {"form": form, "exercise": exercise})


def _factor_text(exercise) -> str:
    return "\n".join(f"{f.area} | {f.label}" if f.area else f.label for f in selectors.factors_of(exercise))


def _refuse(request, exercise, error) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(exercise)


@login_required
def factors(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    form = FactorsForm(request.POST or None, initial={"factors": _factor_text(exercise)})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_factors(exercise, form.cleaned_data["factors"], actor=request.user)
        except services.ExerciseError as error:
            form.add_error("factors", str(error))
        else:
            messages.success(request, "Factors saved.")
            return redirect(exercise)
    return render(request, "whatmatters/factors_form.html", {"form": form, "exercise": exercise,
                                                               "factors": selectors.factors_of(exercise)})


@login_required
def question_add(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(exercise, form.cleaned_data, actor=request.user)
        except services.ExerciseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Question added.")
            return redirect(exercise)
    return render(request, "whatmatters/question_form.html", {"form": form, "exercise": exercise})


@login_required
@require_POST
def question_delete(request, pk: int, question_pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    question = get_object_or_404(Question, pk=question_pk, exercise=exercise)
    try:
        services.delete_question(question, actor=request.user)
    except services.ExerciseError as error:
        return _refuse(request, exercise, error)
    messages.success(request, "Question removed.")
    return redirect(exercise)


@login_required
@require_POST
def status(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    try:
        services.set_status(exercise, request.POST.get("status", ""), actor=request.user)
    except services.ExerciseError as error:
        return _refuse(request, exercise, error)
    messages.success(request, f"The exercise is now: {exercise.get_status_display().lower()}.")
    return redirect(exercise)


@login_required
@require_safe
def facilitate(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    context = {"exercise": exercise, "questions": [q for q in selectors.questions_of(exercise) if not q.defines_groups],
               "live": _live_context(exercise), "join_url": request.build_absolute_uri("/what-matters/join/")}
    return render(request, "whatmatters/facilitate.html", context)


def _live_context(exercise) -> dict:
    live = selectors.live_round(exercise)
    section = presentation.build_section(live.result) if live.result is not None else None
    return {"round": live, "section": section}


@login_required
@require_safe
def facilitate_live(request, pk: int):
    """The part of the facilitator's screen that htmx refreshes every few seconds."""
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    return render(request, "whatmatters/partials/live.html", {"exercise": exercise, "live": _live_context(exercise)})


@login_required
@require_POST
def round_control(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    try:
        if request.POST.get("action") == "close":
            services.close_round(exercise, actor=request.user)
        else:
            chosen = request.POST.get("question", "")
            question = Question.objects.filter(exercise=exercise, pk=int(chosen)).first() if chosen.isdigit() else None
            if question is None:
                raise services.ExerciseError("Choose which question to open as the next round.")
            services.open_round(exercise, question, actor=request.user)
    except services.ExerciseError as error:
        messages.error(request, str(error))
    return redirect("whatmatters:facilitate", pk=exercise.pk)


@login_required
def import_data(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = imports.import_responses(exercise, upload.name, upload.read(), actor=request.user)
        except services.ExerciseError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Imported {done.rows} responses from {done.filename}.")
            return redirect(exercise)
    codes = [f.code for f in selectors.factors_of(exercise)]
    context = {"form": form, "exercise": exercise,
               "columns": imports.expected_columns(selectors.questions_of(exercise), codes)}
    return render(request, "whatmatters/import.html", context)


@require_safe
def results(request, pk: int):
    exercise = permissions.get_exercise_results_for_user(request.user, pk)
    found = selectors.exercise_results(exercise)
    sections = [(presentation.build_section(r), presentation.suppression_note(r, found.threshold))
                for r in found.sections]
    context = {"exercise": exercise, "results": found, "sections": sections,
               "can_organise": permissions.can_organise_exercise(request.user, exercise)}
    return render(request, "whatmatters/results.html", context)


def _download(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
@require_safe
def export_estimates(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    return _download(exports.estimates_csv(selectors.exercise_results(exercise)), f"exercise-{pk}-estimates.csv")


@login_required
@require_safe
def export_responses(request, pk: int):
    exercise = permissions.get_exercise_for_organiser(request.user, pk)
    content = exports.responses_csv(selectors.questions_of(exercise), selectors.factors_of(exercise),
                                    *selectors.complete_responses(exercise))
    return _download(content, f"exercise-{pk}-responses.csv")
