"""Curator pages for the search engine: the synonym list and search analytics."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from peerhub.core.permissions import curator_required
from peerhub.search.analytics import query_report
from peerhub.search.forms import SynonymForm
from peerhub.search.models import Synonym
from peerhub.search.services import delete_synonym, save_synonym

ANALYTICS_KIND = "library.resource"
PERIODS = {"7": "the last 7 days", "30": "the last 30 days", "365": "the last year"}


@require_safe
@curator_required
def synonyms(request):
    return render(request, "search/synonyms.html", {"synonyms": Synonym.objects.all()})


@require_http_methods(["GET", "POST"])
@curator_required
def synonym_form(request, pk=None):
    synonym = get_object_or_404(Synonym, pk=pk) if pk else None
    initial = {"phrases": synonym.phrases} if synonym else None
    form = SynonymForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_synonym(form.cleaned_data["phrases"], synonym)
        messages.success(request, f"Saved: {saved}.")
        return redirect("search:synonyms")
    return render(request, "search/synonym_form.html", {"form": form, "synonym": synonym})


@require_http_methods(["GET", "POST"])
@curator_required
def synonym_delete(request, pk):
    synonym = get_object_or_404(Synonym, pk=pk)
    if request.method == "POST":
        delete_synonym(synonym)
        messages.success(request, f"Deleted: {synonym}.")
        return redirect("search:synonyms")
    return render(request, "search/synonym_delete.html", {"synonym": synonym})


@require_safe
@curator_required
def analytics(request):
    period = request.GET.get("days", "30")
    period = period if period in PERIODS else "30"
    since = timezone.localdate() - datetime.timedelta(days=int(period) - 1)
    report = query_report(ANALYTICS_KIND, since)
    return render(request, "search/analytics.html", {"report": report, "period": period, "periods": PERIODS})
