"""The library's public pages: search with facets, a resource's page, its JSON twins and
reference downloads. Reads go through the selectors; access through core.permissions."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from peerhub.accounts.models import Role
from peerhub.core.permissions import get_resource_for_user, has_role
from peerhub.library import exports
from peerhub.library.facets import SORTS, parse_search_params
from peerhub.library.selectors import active_filters, relaxed_counts, resource_terms, search_resources, with_terms
from peerhub.library.serializers import quality_dict, resource_detail, search_page_dict

RIS_CONTENT_TYPE = "application/x-research-info-systems; charset=utf-8"
BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"


def _search_page(request):
    params, errors = parse_search_params(request.GET)
    return search_resources(params, errors)


@require_safe
def search(request):
    page = _search_page(request)
    filters = active_filters(page.params, page.term_lookup)
    context = {
        "page": page,
        "active_filters": filters,
        "sorts": SORTS,
        # Only a search with nothing found needs the extra counts, so others pay nothing.
        "relaxed": relaxed_counts(page.params, page.term_lookup) if not page.total else [],
    }
    return render(request, "library/search.html", context)


@require_safe
def search_json(request):
    page = _search_page(request)
    if page.errors:
        return JsonResponse({"errors": page.errors}, status=400)
    return JsonResponse(search_page_dict(page))


@require_safe
def detail(request, pk: int):
    resource = with_terms(get_resource_for_user(request.user, pk))
    context = {
        "resource": resource,
        "terms_by_vocabulary": resource_terms(resource),
        "citation": exports.citation(resource),
        "quality": quality_dict(resource.quality),
        "can_curate": has_role(request.user, Role.CURATOR),
    }
    return render(request, "library/detail.html", context)


@require_safe
def detail_json(request, pk: int):
    resource = with_terms(get_resource_for_user(request.user, pk))
    return JsonResponse(resource_detail(resource))


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@require_safe
def export_ris(request, pk: int):
    resource = get_resource_for_user(request.user, pk)
    return _download(exports.to_ris([resource]), RIS_CONTENT_TYPE, f"{exports.citation_key(resource)}.ris")


@require_safe
def export_bibtex(request, pk: int):
    resource = get_resource_for_user(request.user, pk)
    return _download(exports.to_bibtex([resource]), BIBTEX_CONTENT_TYPE, f"{exports.citation_key(resource)}.bib")
