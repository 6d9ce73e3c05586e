"""The library's public pages: search with facets, a resource's page, its JSON twins and
reference downloads. Reads go through the selectors; access through core.permissions."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from peerhub.accounts.models import Role
from peerhub.core.permissions import get_resource_for_user, has_role
from peerhub.directory.selectors import services_for_library_terms
from peerhub.library import exports, opendata
from peerhub.library.facets import SORTS, parse_search_params
from peerhub.library.selectors import active_filters, relaxed_counts, resource_terms, search_resources, with_terms
from peerhub.library.serializers import quality_dict, resource_detail, search_page_dict
from peerhub.library.services import SEARCH_KIND
from peerhub.search.services import record_search

RIS_CONTENT_TYPE = "application/x-research-info-systems; charset=utf-8"
BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"


def _search_page(request):
    params, errors = parse_search_params(request.GET)
    page = search_resources(params, errors)
    if params.q and params.page == 1:  # one search counted once, not again for each page turned
        record_search(SEARCH_KIND, params.q, page.total, timezone.localdate())
    return page


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
        "export_formats": exports.EXPORT_FORMATS,
        "export_note": exports.cap_words(page.total),
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
        "local_services": services_for_library_terms([t.pk for t in resource.terms.all()]),
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


@require_safe
def export_results(request, extension: str):
    """The current search's results (every page, up to exports.EXPORT_CAP) as a reference file.
    The headers say how many matched and how many the file holds, so a capped file is plain."""
    format_name = exports.FORMAT_FOR_EXTENSION[extension]
    found = exports.search_export(request.GET)
    if found.errors:
        context = {"errors": found.errors, "search_query": request.GET.urlencode()}
        return render(request, "library/opendata_export_error.html", context, status=400)
    spec = exports.EXPORT_FORMATS[format_name]
    response = _download(spec.write(found.resources), spec.content_type,
                         exports.export_filename(format_name, timezone.localdate()))
    response["X-Total-Count"], response["X-Exported-Count"] = found.total, len(found.resources)
    return response


@require_safe
def open_data(request):
    context = {"files": opendata.DATA_FILES, "licence": opendata.LICENCE, "licence_file": opendata.LICENCE_FILE,
               "export_cap": exports.EXPORT_CAP}
    return render(request, "library/opendata.html", context)


@require_safe
def open_data_zip(request):
    """Built on request, in memory: the catalogue is small, and the file is then never stale."""
    response = HttpResponse(opendata.open_data_zip(), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"peer-support-hub-open-data-{timezone.localdate():%Y-%m-%d}.zip")
    return response
