"""The public directory pages: find support, a listing, its printable referral summary, and a
shortlist to print for a patient. Reads go through finder/selectors; no logic lives here."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from peerhub.directory import finder, matters, selectors, shortlist
from peerhub.directory.forms import FindForm, PeopleLikeMeForm
from peerhub.directory.postcodes import ATTRIBUTION_LINES


def _params(form: FindForm) -> finder.FindParams:
    data = form.cleaned_data
    return finder.FindParams(
        where=data["where"].strip(), radius_miles=data["radius"] or finder.DEFAULT_RADIUS_MILES,
        condition=data["condition"], community=data["community"], format=data["format"],
        online_only=data["online_only"], age=data["age"], day=data["day"], after=data["after"],
        page=data["page"] or 1,
    )


@require_safe
def find(request):
    people = matters.people_like_me(request.GET.get("group"))
    form = FindForm(request.GET or None, groups=people.groups)
    result, card_facts = None, {}
    if form.is_bound and form.is_valid():
        result = finder.find_support(_params(form))
        for name, message in result.errors.items():
            form.add_error(name, message)
        card_facts = matters.facts_for_cards(people, result.nearby + result.remote, result.attributes)
    context = {"form": form, "result": result, "attribution": ATTRIBUTION_LINES, "people": people,
               "card_facts": card_facts, "shortlist": set(shortlist.shortlist_ids(request.session))}
    return render(request, "directory/find.html", context)


def _service_or_404(pk):
    service = selectors.get_service(pk)
    if service is None:
        raise Http404("No such listing.")
    return service


def _listing_context(request, service) -> dict:
    attributes = selectors.full_service_attributes([service])
    service_attributes = attributes.get(service.id, [])
    return {"service": service, "facts": finder.listing_facts(service, service_attributes),
            "stale": selectors.is_stale(service), "groups": finder.terms_by_group(service_attributes),
            "in_shortlist": service.id in shortlist.shortlist_ids(request.session), "attribution": ATTRIBUTION_LINES}


@require_safe
def detail(request, pk):
    service = _service_or_404(pk)
    context = _listing_context(request, service)
    attributes = selectors.full_service_attributes([service]).get(service.id, [])
    context["evidence"] = finder.related_evidence(attributes)
    people = matters.people_like_me(request.GET.get("group"))
    fact_map = matters.listing_fact_map(service, attributes, context["evidence"]) if people.top else {}
    context.update(people=people, people_form=PeopleLikeMeForm(request.GET or None, groups=people.groups),
                   factor_facts=matters.facts_by_factor(people, fact_map))
    return render(request, "directory/detail.html", context)


@require_safe
def referral(request, pk):
    return render(request, "directory/referral.html", _listing_context(request, _service_or_404(pk)))


@require_safe
def shortlist_page(request):
    cards = finder.listing_cards(shortlist.shortlist_ids(request.session))
    services = [c.service for c in cards]
    attributes = selectors.full_service_attributes(services) if services else {}
    items = [(s, finder.listing_facts(s, attributes.get(s.id, []))) for s in services]
    return render(request, "directory/shortlist.html", {"items": items, "attribution": ATTRIBUTION_LINES})


@require_POST
def shortlist_add(request, pk):
    service = _service_or_404(pk)
    if shortlist.add_to_shortlist(request.session, service.id):
        messages.success(request, f"Added “{service.name}” to your shortlist.")
    else:
        messages.error(request, f"Your shortlist is full ({shortlist.MAX_ITEMS} listings). Remove one first.")
    return redirect("directory:detail", pk=service.id)


@require_POST
def shortlist_remove(request, pk):
    service = _service_or_404(pk)
    shortlist.remove_from_shortlist(request.session, service.id)
    messages.success(request, f"Removed “{service.name}” from your shortlist.")
    return redirect("directory:shortlist")


@require_POST
def shortlist_clear(request):
    shortlist.clear_shortlist(request.session)
    messages.success(request, "Your shortlist is empty.")
    return redirect("directory:shortlist")
