"""Curator pages for the directory: the queue of provider submissions and the review page
(field-level difference, approve, reject with a reason), stale listings with "send reminder",
importing ORUK feeds and exporting the whole directory. Reads go through selectors, writes
through directory.submissions / freshness / exchange; access rules live in core.permissions."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peerhub.core.permissions import (
    curator_required,
    get_directory_service_for_curator,
    get_listing_submission_for_curator,
)
from peerhub.directory import exchange, freshness, selectors, submissions
from peerhub.directory.documents import DocumentError
from peerhub.directory.forms import ImportForm, RejectForm

STALE_PAGE_SIZE = 50
QUEUE_LIMIT = 100


@require_safe
@curator_required
def dashboard(request):
    waiting = selectors.submissions_waiting()
    return render(request, "directory/curate/dashboard.html", {
        "waiting": list(waiting[:QUEUE_LIMIT]), "waiting_count": waiting.count(),
        "decided": selectors.recently_decided_submissions(), "stale_count": selectors.stale_services().count(),
    })


def _render_review(request, submission, reject_form=None, status=200):
    history = selectors.submission_history(submission.pk)
    if submission.service_id:
        history += selectors.listing_history(submission.service_id)
    return render(request, "directory/curate/review.html", {
        "submission": submission, "changes": submissions.review_differences(submission),
        "reject_form": reject_form or RejectForm(), "history": sorted(history, key=lambda e: e.at, reverse=True),
    }, status=status)


@require_safe
@curator_required
def review(request, pk):
    return _render_review(request, get_listing_submission_for_curator(request.user, pk))


@require_POST
@curator_required
def approve(request, pk):
    submission = get_listing_submission_for_curator(request.user, pk)
    try:
        service = submissions.approve_submission(submission, actor=request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("directory:curate_review", pk=submission.pk)
    messages.success(request, f"“{service.name}” is published in the directory.")
    return redirect("directory:curate")


@require_POST
@curator_required
def reject(request, pk):
    submission = get_listing_submission_for_curator(request.user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _render_review(request, submission, form, status=400)
    try:
        submissions.reject_submission(submission, actor=request.user, reason=form.cleaned_data["reason"])
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("directory:curate_review", pk=submission.pk)
    messages.success(request, "The submission was not accepted. The provider can see your reason.")
    return redirect("directory:curate")


@require_safe
@curator_required
def stale(request):
    page = Paginator(selectors.stale_services(), STALE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/curate/stale.html", {"page": page})


@require_POST
@curator_required
def send_reminder(request, pk):
    service = get_directory_service_for_curator(request.user, pk)
    try:
        address = freshness.send_reminder(service, actor=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    except OSError as error:  # the mail server refused or could not be reached
        messages.error(request, f"The email about “{service.name}” could not be sent: {error}. Try again later.")
    else:
        messages.success(request, f"Reminder sent to {address} about “{service.name}”.")
    return redirect("directory:curate_stale")


def _import(request, form) -> exchange.ImportReport:
    data = form.cleaned_data
    if data["feed_url"]:
        feed, source = exchange.fetch_feed(data["feed_url"]), f"feed {data['feed_url']}"
    else:
        upload = data["feed_file"]
        feed, source = exchange.feed_from_file(upload.name, upload.read()), f"upload {upload.name}"
    return exchange.import_feed(feed, actor=request.user, source=source)


@require_http_methods(["GET", "POST"])
@curator_required
def import_page(request):
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = _import(request, form)
        except DocumentError as error:
            form.add_error("feed_url" if form.cleaned_data["feed_url"] else "feed_file", str(error))
    return render(request, "directory/curate/import.html", {"form": form, "report": report},
                  status=400 if form.errors else 200)


def _download(content, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"peer-support-directory-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@curator_required
def export_json(request):
    text = json.dumps(exchange.export_feed(), ensure_ascii=False, indent=1)
    return _download(text.encode(), "application/json; charset=utf-8", "json")


@require_safe
@curator_required
def export_csv(request):
    return _download(exchange.export_csv_zip(), "application/zip", "zip")
