"""Curator pages: the freshness dashboard, saved searches (add, change, delete, run now) and
"check links now". Reads go through selectors, writes through services; slow work (harvesting,
link checking) is enqueued for the background worker, so no page waits on a remote site."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.views.decorators.http import require_POST

from peerhub.core.permissions import curator_required, get_saved_search_for_curator
from peerhub.freshness import selectors, services, tasks
from peerhub.freshness.forms import SavedSearchForm, initial_for

BAND_PAGE_SIZE = 50


@curator_required
def dashboard(request):
    today = timezone.localdate()
    return render(request, "freshness/dashboard.html", {
        "attention": selectors.attention(today), "ageing": selectors.ageing(today), "today": today,
        "link_job": selectors.job(services.LINK_CHECK_JOB), "searches": selectors.saved_searches(),
    })


@curator_required
def band(request, slug):
    age_band = selectors.BANDS_BY_SLUG.get(slug)
    if age_band is None:
        raise Http404("No such group of records.")
    records = selectors.in_band(age_band, timezone.localdate())
    page = Paginator(records, BAND_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "freshness/band.html", {"band": age_band, "page": page})


@curator_required
def search_list(request):
    return render(request, "freshness/searches.html", {"searches": selectors.saved_searches()})


def _bound(request):
    # `request.POST or None` would treat a POST with every field empty as no submission at all.
    return request.POST if request.method == "POST" else None


def _save(form, write) -> bool:
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        for name, field_errors in getattr(error, "error_dict", {None: error.error_list}).items():
            form.add_error(name if name in form.fields else None, field_errors)
        return False
    return True


@curator_required
def search_create(request):
    form = SavedSearchForm(_bound(request))
    if form.is_valid() and _save(form, lambda data: services.create_saved_search(data, owner=request.user)):
        messages.success(request, f"Saved the search “{form.cleaned_data['name']}”.")
        return redirect("freshness:searches")
    return render(request, "freshness/search_form.html", {"form": form, "search": None})


@curator_required
def search_edit(request, pk):
    search = get_saved_search_for_curator(request.user, pk)
    form = SavedSearchForm(_bound(request), initial=initial_for(search))
    if form.is_valid() and _save(form, lambda data: services.update_saved_search(search, data)):
        messages.success(request, f"Saved the changes to “{search.name}”.")
        return redirect("freshness:searches")
    return render(request, "freshness/search_form.html", {"form": form, "search": search})


@curator_required
def search_delete(request, pk):
    search = get_saved_search_for_curator(request.user, pk)
    if request.method == "POST":
        services.delete_saved_search(search)
        messages.success(request, f"Deleted the saved search “{search.name}”. Records it found stay in the library.")
        return redirect("freshness:searches")
    return render(request, "freshness/search_delete.html", {"search": search})


@require_POST
@curator_required
def search_run(request, pk):
    search = get_saved_search_for_curator(request.user, pk)
    services.mark_enqueued(search, timezone.now())
    result = tasks.harvest_saved_search.enqueue(search.pk, request.user.pk)
    messages.success(request, _run_message(result, f"“{search.name}” is running in the background. "
                                                   "Its new records will appear in the curator queue."))
    return redirect("freshness:searches")


@require_POST
@curator_required
def check_links_now(request):
    services.mark_job_enqueued(services.LINK_CHECK_JOB, timezone.now())
    result = tasks.check_links.enqueue(every_link=True)
    messages.success(request, _run_message(result, "The link check is running in the background. "
                                                   "Refresh this page in a few minutes to see what it found."))
    return redirect("freshness:dashboard")


def _run_message(result, pending: str) -> str:
    """With the immediate backend the job has already finished: say what it did."""
    if result.status == TaskResultStatus.SUCCESSFUL:
        return result.return_value
    if result.status == TaskResultStatus.FAILED:
        return "The job failed. The error is in the server log; try again later."
    return pending
