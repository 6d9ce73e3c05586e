"""The stories' public pages: the list with facets, a story's page, compare, the collection map
and its CSV export, telling a story and withdrawing it. Reads go through the selectors, writes
through the services; access through peerhub.core.permissions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from peerhub.accounts.models import Role
from peerhub.core.permissions import get_story_for_user, has_role
from peerhub.stories import collection, selectors, services
from peerhub.stories.consent import CONSENT_STATEMENT
from peerhub.stories.forms import StorySubmissionForm
from peerhub.stories.params import parse_story_params
from peerhub.stories.safety import describe_findings, story_findings

SUBMITTED_SESSION_KEY = "stories_submitted"


@require_safe
def story_list(request):
    params, errors = parse_story_params(request.GET)
    page = selectors.search_stories(request.user, params, errors)
    return render(request, "stories/list.html", {"page": page})


def _story_context(request, story) -> dict:
    selectors.with_details(story)
    return {
        "story": story,
        "topography": selectors.topography(story),
        "fingerprint": selectors.fingerprint(story),
        "description": selectors.describe_topography(story),
        "conditions": selectors.hub_terms_of(story, "condition"),
        "communities": selectors.hub_terms_of(story, "community"),
        "resources": selectors.visible_resources(story),
        "services": selectors.linked_services(story),
        "can_moderate": has_role(request.user, Role.CURATOR),
    }


@require_safe
def detail(request, pk: int):
    story = get_story_for_user(request.user, pk)
    if story.is_withdrawn:
        return render(request, "stories/tombstone.html", {"story": story}, status=410)
    return render(request, "stories/detail.html", _story_context(request, story))


@require_safe
def compare(request):
    stories, error = selectors.stories_to_compare(request.user, request.GET.getlist("story"))
    cards = [{"story": s, "fingerprint": selectors.fingerprint(s), "description": selectors.describe_topography(s),
              "topography": selectors.topography(s)} for s in stories]
    return render(request, "stories/compare.html", {"cards": cards, "error": error}, status=400 if error else 200)


@require_safe
def collection_map(request):
    params, errors = parse_story_params(request.GET)
    matrices, total, map_errors = collection.collection_map(request.user, params)
    context = {"matrices": matrices, "total": total, "errors": {**errors, **map_errors}, "params": params,
               "vocabularies": [(slug, label, terms, (params.terms.get(slug) or [""])[0])
                                for slug, label, terms in selectors.hub_filter_choices()]}
    return render(request, "stories/map.html", context)


@require_safe
def export_cell(request):
    params, errors = parse_story_params(request.GET)
    stories = collection.cell_export_stories(request.GET.get("row", ""), request.GET.get("row_term", ""),
                                             request.GET.get("purpose", ""), params)
    if stories is None or errors:
        raise Http404("There is no such cell on the collection map. Go back to the map and choose a cell.")
    response = HttpResponse(collection.stories_csv(stories, settings.SITE_URL), content_type="text/csv; charset=utf-8")
    filename = f"stories-{request.GET['row_term']}-{request.GET['purpose']}.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _bound(request):
    # `request.POST or None` would treat a POST with every field empty as no submission at all.
    return request.POST if request.method == "POST" else None


def add_service_errors(form, error: ValidationError) -> None:
    """The services' validation shown on the form's fields (or above the form)."""
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def _save_submission(form):
    try:
        return services.submit_story(form.story_data(), terms=form.topography_terms(),
                                     hub_terms=selectors.hub_terms_by_id(form.hub_term_ids()))
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request):
    form = StorySubmissionForm(_bound(request))
    findings = []
    if form.is_bound and form.is_valid():
        findings = story_findings(form.story_data())
        # Likely personal details: warn first; the storyteller may remove them or send as it is.
        story = _save_submission(form) if not findings or form.cleaned_data["send_as_is"] else None
        if story is not None:
            request.session[SUBMITTED_SESSION_KEY] = {"crisis": story.needs_safety_review,
                                                      "personal_data": describe_findings(story.personal_data_flags)}
            return redirect("stories:submitted")
    context = {"form": form, "findings": findings, "findings_words": describe_findings(findings),
               "consent_statement": CONSENT_STATEMENT}
    return render(request, "stories/submit.html", context)


@require_safe
def submitted(request):
    outcome = request.session.get(SUBMITTED_SESSION_KEY)
    if outcome is None:
        return redirect("stories:submit")
    return render(request, "stories/submitted.html", {"outcome": outcome})


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, token: str):
    story = services.story_for_withdrawal_token(token)
    if story is None:
        raise Http404("This withdrawal link is not valid. Check you copied the whole link from the email.")
    if request.method == "POST" and not story.is_withdrawn:
        services.withdraw_story(story)
        return render(request, "stories/withdrawn.html", {"story": story, "just_now": True})
    if story.is_withdrawn:
        return render(request, "stories/withdrawn.html", {"story": story, "just_now": False})
    return render(request, "stories/withdraw_confirm.html", {"story": story, "today": timezone.localdate()})
