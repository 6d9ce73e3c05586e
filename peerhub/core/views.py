"""The site shell: home page, about page and friendly error pages."""

from django.shortcuts import render

from peerhub.library.models import QUALITY_MEANINGS, Quality
from peerhub.library.selectors import published_resources


def home(request):
    return render(request, "core/home.html", {"resource_count": published_resources().count()})


def about(request):
    meanings = [(Quality(level).label, text) for level, text in QUALITY_MEANINGS.items()]
    return render(request, "core/about.html", {"quality_meanings": meanings})


def _error(request, status: int, title: str, message: str):
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Sorry, we could not understand that request", "Check the address and try again.")


def permission_denied(request, exception=None):
    return _error(request, 403, "You do not have permission to do that",
                  "This action needs a different role. If you think you should have it, contact a hub administrator.")


def page_not_found(request, exception=None):
    return _error(request, 404, "Page not found",
                  "If you typed the web address, check it is correct. The page may have been removed.")


def server_error(request):
    return _error(request, 500, "Sorry, there is a problem with the service", "Try again later.")
