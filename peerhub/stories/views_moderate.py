"""Pages for moderators (curators): the queue, the edit view that shows what changed since
submission, publishing with its safety checks, and the topography vocabularies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from peerhub.core.permissions import (
    curator_required,
    get_story_for_curator,
    get_topography_term_for_curator,
)
from peerhub.stories import selectors, services
from peerhub.stories.forms import PublishForm, ReasonForm, StoryEditForm, TopographyTermForm, edit_initial
from peerhub.stories.models import Dimension
from peerhub.stories.safety import LABELS
from peerhub.stories.views import _bound, add_service_errors


@curator_required
def queue(request):
    return render(request, "stories/moderate/queue.html", {"stories": selectors.moderation_queue()})


def _edit_context(story, form, publish_form=None, reason_form=None) -> dict:
    return {
        "story": story, "form": form,
        "publish_form": publish_form or PublishForm(),
        "reason_form": reason_form or ReasonForm(),
        "changes": selectors.changes_since_submission(story),
        "findings": [(LABELS[f["kind"]], f["text"]) for f in story.personal_data_flags],
        "fingerprint": selectors.fingerprint(story),
        "description": selectors.describe_topography(story),
        "history": selectors.audit_history(story),
    }


@curator_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk: int):
    story = selectors.with_details(get_story_for_curator(request.user, pk))
    form = StoryEditForm(_bound(request), initial=edit_initial(story), story=story)
    if form.is_bound and form.is_valid():
        try:
            services.update_story(story, form.story_data(), actor=request.user, terms=form.topography_terms(),
                                  hub_terms=selectors.hub_terms_by_id(form.hub_term_ids()),
                                  resources=form.cleaned_data["resources"], service_ids=form.cleaned_data["services"],
                                  note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your changes are saved. Check what changed below.")
            return redirect("stories:moderate", pk=story.pk)
    return render(request, "stories/moderate/edit.html", _edit_context(story, form), status=400 if form.errors else 200)


def _refused(request, story, error: ValidationError, **forms):
    form = StoryEditForm(initial=edit_initial(story), story=story)
    context = _edit_context(story, form, **forms)
    context["action_errors"] = error.messages
    return render(request, "stories/moderate/edit.html", context, status=400)


@curator_required
@require_POST
def publish(request, pk: int):
    story = selectors.with_details(get_story_for_curator(request.user, pk))
    form = PublishForm(request.POST)
    form.is_valid()  # two optional checkboxes: always valid
    try:
        services.publish_story(story, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, story, error, publish_form=form)
    messages.success(request, "The story is published.")
    return redirect(story.get_absolute_url())


def _with_reason(request, pk: int, write, done: str):
    story = selectors.with_details(get_story_for_curator(request.user, pk))
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        write(story, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _refused(request, story, error, reason_form=form)
    messages.success(request, done)
    return redirect("stories:queue")


@curator_required
@require_POST
def reject(request, pk: int):
    return _with_reason(request, pk, services.reject_story, "The story was turned down.")


@curator_required
@require_POST
def unpublish(request, pk: int):
    return _with_reason(request, pk, services.unpublish_story, "The story is no longer published.")


@curator_required
@require_POST
def confirm_guardian(request, pk: int):
    story = selectors.with_details(get_story_for_curator(request.user, pk))
    try:
        services.confirm_guardian_consent(story, actor=request.user)
    except ValidationError as error:
        return _refused(request, story, error)
    messages.success(request, "The parent's or guardian's consent is recorded as confirmed.")
    return redirect("stories:moderate", pk=story.pk)


@curator_required
@require_POST
def offer_to_library(request, pk: int):
    story = selectors.with_details(get_story_for_curator(request.user, pk))
    try:
        resource = services.offer_to_library(story, actor=request.user)
    except ValidationError as error:
        return _refused(request, story, error)
    messages.success(request, f"Offered to the library as lived experience evidence (resource {resource.pk}). "
                              "It waits in the curators' queue.")
    return redirect("stories:moderate", pk=story.pk)


# The topography vocabularies ---------------------------------------------------------------

@curator_required
def topography_index(request):
    return render(request, "stories/moderate/topography.html", {"vocabularies": selectors.topography_vocabularies()})


@curator_required
@require_http_methods(["GET", "HEAD", "POST"])
def term_add(request, dimension: str):
    if dimension not in Dimension.values:
        raise Http404("There is no such dimension.")
    form = TopographyTermForm(_bound(request))
    del form.fields["is_active"]  # a new term is always offered
    if form.is_bound and form.is_valid():
        try:
            services.add_topography_term(dimension, name=form.cleaned_data["name"],
                                         description=form.cleaned_data["description"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{form.cleaned_data['name']}” is added.")
            return redirect("stories:topography")
    context = {"form": form, "dimension": Dimension(dimension), "term": None}
    return render(request, "stories/moderate/term_form.html", context, status=400 if form.errors else 200)


@curator_required
@require_http_methods(["GET", "HEAD", "POST"])
def term_edit(request, pk: int):
    term = get_topography_term_for_curator(request.user, pk)
    initial = {"name": term.name, "description": term.description, "is_active": term.is_active}
    form = TopographyTermForm(_bound(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.update_topography_term(term, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The term is saved.")
            return redirect("stories:topography")
    context = {"form": form, "dimension": Dimension(term.dimension), "term": term}
    return render(request, "stories/moderate/term_form.html", context, status=400 if form.errors else 200)
