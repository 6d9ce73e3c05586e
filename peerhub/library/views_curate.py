"""Pages for suggesting a resource, and for curators: the queue, editing, publishing,
history and the taxonomy. Reads go through selectors, writes through services; every access
rule is a helper in peerhub.core.permissions."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerhub.core.permissions import (
    can_view_resource,
    curator_required,
    get_resource_for_curator,
    get_term_for_curator,
)
from peerhub.library import services, taxonomy
from peerhub.library.forms import (
    SUBMISSION_VOCABULARIES,
    CurateForm,
    MergeForm,
    RejectForm,
    SubmissionForm,
    TermForm,
    UnpublishForm,
    curate_initial,
)
from peerhub.library.history import history_event, resource_history
from peerhub.library.models import Resource, Status
from peerhub.library.selectors import (
    curator_queue,
    find_duplicates,
    recently_decided,
    submission_note,
)

QUEUE_PAGE_SIZE = 50
SUBMITTED_SESSION_KEY = "library_submitted"


def _bound(request):
    # `request.POST or None` would treat a POST with every field empty as no submission at all.
    return request.POST if request.method == "POST" else None


def _add_service_errors(form, error: ValidationError) -> None:
    """Errors the services found (e.g. a clash with another record) shown on the form's fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, field_errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, field_errors)


def _saved(form, write) -> bool:
    try:
        write()
    except ValidationError as error:
        _add_service_errors(form, error)
        return False
    return True


# Suggesting a resource -----------------------------------------------------------------------

@dataclass
class DuplicateNotice:
    """One likely duplicate, as this person may see it: its title and link only if they may
    view the record; otherwise just that it exists and whether it is waiting for review."""

    reason: str
    resource: Resource | None
    waiting: bool


def _duplicate_notices(user, candidates) -> list[DuplicateNotice]:
    return [
        DuplicateNotice(c.reason, c.resource if can_view_resource(user, c.resource) else None,
                        c.resource.status == Status.SUBMITTED)
        for c in candidates
    ]


def _duplicates_for(form, exclude_pk=None):
    data = form.cleaned_data
    return find_duplicates(doi=data.get("doi", ""), pmid=data.get("pmid", ""), url=data.get("url", ""),
                           title=data.get("title", ""), exclude_pk=exclude_pk)


def _render_submit(request, form, duplicates=()):
    return render(request, "library/submit.html", {
        "form": form, "duplicates": _duplicate_notices(request.user, duplicates),
    })


def _save_submission(request, form):
    email = form.cleaned_data.get("email", "")
    resource = services.submit_resource(form.resource_data(), submitter=request.user, submitter_email=email,
                                        terms=form.term_ids(), note=form.cleaned_data["note"])
    request.session[SUBMITTED_SESSION_KEY] = {"title": resource.title, "email": resource.submitter_email}
    return redirect(f"{reverse('library:submit')}?sent=1")


def _submitted(request):
    """The confirmation page, shown once after a suggestion is saved (post/redirect/get)."""
    sent = request.session.pop(SUBMITTED_SESSION_KEY, None)
    if sent is None:
        return redirect("library:submit")
    return render(request, "library/submit_done.html", {"sent": sent})


def submit(request):
    """Suggest a resource. Likely duplicates are shown first; the person can then go ahead."""
    if request.method == "GET" and request.GET.get("sent"):
        return _submitted(request)
    form = SubmissionForm(_bound(request), vocabularies=taxonomy.vocabulary_trees(SUBMISSION_VOCABULARIES),
                          needs_email=not request.user.is_authenticated)
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_for(form)
        if duplicates and not form.cleaned_data["not_duplicate"]:
            return _render_submit(request, form, duplicates)
        return _save_submission(request, form)
    return _render_submit(request, form)


# The queue -----------------------------------------------------------------------------------

@curator_required
def queue(request):
    page = Paginator(curator_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "curate/queue.html", {
        "page": page,
        "rejected": recently_decided(Status.REJECTED),
        "unpublished": recently_decided(Status.UNPUBLISHED),
    })


# Editing and decisions -----------------------------------------------------------------------

def _render_edit(request, resource, form, *, reject_form=None, unpublish_form=None, status=200):
    return render(request, "curate/edit.html", {
        "resource": resource,
        "form": form,
        "reject_form": reject_form or RejectForm(),
        "unpublish_form": unpublish_form or UnpublishForm(),
        "duplicates": find_duplicates(doi=resource.doi, pmid=resource.pmid, url=resource.url,
                                      title=resource.title, exclude_pk=resource.pk),
        "submission_note": submission_note(resource),
        "statuses": Status,
    }, status=status)


def _edit_form(data, resource) -> CurateForm:
    trees = taxonomy.vocabulary_trees()
    return CurateForm(data, initial=curate_initial(resource, trees), vocabularies=trees)


@curator_required
def edit(request, pk):
    resource = get_resource_for_curator(request.user, pk)
    form = _edit_form(_bound(request), resource)
    if request.method == "POST" and form.is_valid():
        def save():
            services.update_resource(resource, form.resource_data(), actor=request.user, terms=form.term_ids(),
                                     note=form.cleaned_data["change_note"])

        if _saved(form, save):
            messages.success(request, "Your changes have been saved.")
            return redirect("curate:edit", pk=resource.pk)
    return _render_edit(request, resource, form)


def _refused(request, resource, error: ValueError):
    messages.error(request, str(error))
    return redirect("curate:edit", pk=resource.pk)


@require_POST
@curator_required
def publish(request, pk):
    resource = get_resource_for_curator(request.user, pk)
    services.publish_resource(resource, actor=request.user)
    messages.success(request, f"“{resource.title}” is published. It now appears in the library search.")
    return redirect("curate:queue")


@require_POST
@curator_required
def reject(request, pk):
    resource = get_resource_for_curator(request.user, pk)
    reject_form = RejectForm(request.POST)
    if not reject_form.is_valid():
        return _render_edit(request, resource, _edit_form(None, resource), reject_form=reject_form)
    try:
        services.reject_resource(resource, actor=request.user, reason=reject_form.cleaned_data["reason"])
    except ValueError as error:
        return _refused(request, resource, error)
    messages.success(request, f"“{resource.title}” was not accepted. The person who suggested it will see why.")
    return redirect("curate:queue")


@require_POST
@curator_required
def unpublish(request, pk):
    resource = get_resource_for_curator(request.user, pk)
    unpublish_form = UnpublishForm(request.POST)
    if not unpublish_form.is_valid():
        return _render_edit(request, resource, _edit_form(None, resource), unpublish_form=unpublish_form)
    try:
        services.unpublish_resource(resource, actor=request.user, note=unpublish_form.cleaned_data["note"])
    except ValueError as error:
        return _refused(request, resource, error)
    messages.success(request, f"“{resource.title}” is unpublished. It no longer appears in the library search.")
    return redirect("curate:edit", pk=resource.pk)


# History -------------------------------------------------------------------------------------

@curator_required
def history(request, pk):
    resource = get_resource_for_curator(request.user, pk)
    return render(request, "curate/history.html", {"resource": resource, "entries": resource_history(resource)})


@require_POST
@curator_required
def restore(request, pk, event_id):
    resource = get_resource_for_curator(request.user, pk)
    event = history_event(resource, event_id)
    if event is None or not event.snapshot:
        raise Http404("No such version.")
    services.restore_version(resource, event, actor=request.user)
    messages.success(request, "That version has been restored. Its publication status was not changed.")
    return redirect("curate:history", pk=resource.pk)


# Taxonomy ------------------------------------------------------------------------------------

@curator_required
def taxonomy_index(request):
    return render(request, "curate/taxonomy.html", {"trees": taxonomy.vocabulary_trees()})


@curator_required
def term_add(request, vocabulary):
    vocab = taxonomy.vocabulary_by_slug(vocabulary)
    if vocab is None:
        raise Http404("No such vocabulary.")
    form = TermForm(_bound(request), tree=taxonomy.vocabulary_tree(vocab))
    if request.method == "POST" and form.is_valid() and _saved(form, lambda: taxonomy.add_term(
            vocab, actor=request.user, **_term_fields(vocab, form))):
        messages.success(request, f"“{form.cleaned_data['name']}” has been added to {vocab.name}.")
        return redirect(f"{reverse('curate:taxonomy')}#{vocab.slug}")
    return render(request, "curate/term_form.html", {"form": form, "vocabulary": vocab, "term": None})


def _term_fields(vocabulary, form) -> dict:
    parent_id = form.cleaned_data["parent"]
    parent = taxonomy.live_terms_of(vocabulary).filter(pk=parent_id).first() if parent_id else None
    return {"name": form.cleaned_data["name"], "parent": parent, "description": form.cleaned_data["description"]}


@curator_required
def term_edit(request, pk):
    term = get_term_for_curator(request.user, pk)
    initial = {"name": term.name, "parent": term.parent_id, "description": term.description}
    form = TermForm(_bound(request), initial=initial, tree=taxonomy.vocabulary_tree(term.vocabulary))
    if request.method == "POST" and form.is_valid() and _saved(form, lambda: taxonomy.update_term(
            term, actor=request.user, **_term_fields(term.vocabulary, form))):
        messages.success(request, f"“{term.name}” has been saved.")
        return redirect(f"{reverse('curate:taxonomy')}#{term.vocabulary.slug}")
    return render(request, "curate/term_form.html", {"form": form, "vocabulary": term.vocabulary, "term": term})


@curator_required
def term_merge(request, pk):
    """Choose the term to merge into, then confirm on a second page before anything changes."""
    source = get_term_for_curator(request.user, pk)
    form = MergeForm(_bound(request), tree=taxonomy.vocabulary_tree(source.vocabulary), source=source)
    if request.method != "POST" or not form.is_valid():
        return render(request, "curate/term_merge.html", {"form": form, "source": source})
    target = taxonomy.live_terms_of(source.vocabulary).filter(pk=form.cleaned_data["target"]).first()
    if not form.cleaned_data["confirmed"]:
        return render(request, "curate/term_merge_confirm.html", {
            "source": source, "target": target, "summary": taxonomy.merge_summary(source),
        })
    if not _saved(form, lambda: taxonomy.merge_terms(source, target, request.user)):
        return render(request, "curate/term_merge.html", {"form": form, "source": source})
    messages.success(request, f"“{source.name}” has been merged into “{target.name}”.")
    return redirect(f"{reverse('curate:taxonomy')}#{source.vocabulary.slug}")
