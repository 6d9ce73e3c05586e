"""Pages for providers: propose a new listing or a change, follow what happened to it, and
confirm a listing is still right from the yearly email. Writes go through
directory.submissions and directory.services; access rules live in core.permissions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from peerhub.core.permissions import contributor_required, get_listing_submission_for_user
from peerhub.directory import finder, freshness, selectors, submissions
from peerhub.directory.forms import ListingForm, listing_initial
from peerhub.directory.listing import listing_from_service
from peerhub.directory.services import confirm_still_right


def _bound(request):
    return request.POST if request.method == "POST" else None


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.error_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _service_or_404(pk):
    service = selectors.get_service(pk)
    if service is None:
        raise Http404("No such listing.")
    return service


@require_safe
@contributor_required
def my_listings(request):
    return render(request, "directory/provide/list.html", {"submissions": selectors.submissions_by(request.user)})


def _propose(request, form, service=None):
    """Save the proposal; on a problem the form is shown again with the reason by each field."""
    try:
        submission = submissions.submit_listing(form.listing(), submitter=request.user, service=service,
                                                note=form.cleaned_data["note"])
    except ValidationError as error:
        _add_errors(form, error)
        return None
    messages.success(request, "Thank you. A curator will check your listing before it is published. "
                              "We will show the outcome on this page.")
    return redirect("directory:submission", pk=submission.pk)


@require_http_methods(["GET", "POST"])
@contributor_required
def propose_new(request):
    form = ListingForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        response = _propose(request, form)
        if response:
            return response
    return render(request, "directory/provide/form.html", {"form": form, "service": None})


@require_http_methods(["GET", "POST"])
@contributor_required
def propose_update(request, pk):
    service = _service_or_404(pk)
    form = ListingForm(_bound(request), initial=listing_initial(listing_from_service(service)))
    if request.method == "POST" and form.is_valid():
        response = _propose(request, form, service)
        if response:
            return response
    return render(request, "directory/provide/form.html", {"form": form, "service": service})


@require_safe
def submission(request, pk):
    """The provider's view of their proposal (curators may look too); anyone else gets 404."""
    if not request.user.is_authenticated:
        raise Http404("No such submission.")
    found = get_listing_submission_for_user(request.user, pk)
    return render(request, "directory/provide/submission.html", {
        "submission": found, "changes": submissions.review_differences(found)})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link in the 'is this still right?' email. GET shows the listing and one button;
    only the button (POST) confirms, so mail scanners opening the link change nothing."""
    try:
        service = _service_or_404(freshness.service_id_from_token(token))
    except freshness.ConfirmLinkError as error:
        return render(request, "directory/confirm.html", {"problem": str(error)}, status=400)
    if request.method == "POST":
        confirm_still_right(service, actor=request.user, confirmed_by=freshness.reminder_address(service))
        return render(request, "directory/confirm.html", {"service": service, "confirmed": True})
    attributes = selectors.full_service_attributes([service]).get(service.id, [])
    return render(request, "directory/confirm.html", {"service": service,
                                                      "facts": finder.listing_facts(service, attributes)})
