from django.urls import include, path

from peerhub.api import api

urlpatterns = [
    path("", include("peerhub.core.urls")),
    path("accounts/", include("peerhub.accounts.urls")),
    path("library/", include("peerhub.library.urls")),
    path("curate/search/", include("peerhub.search.urls")),
    path("curate/freshness/", include("peerhub.freshness.urls")),
    path("curate/", include("peerhub.library.curate_urls")),
    path("directory/", include("peerhub.directory.urls")),
    path("oruk/", include("peerhub.directory.oruk_urls")),
    path("what-matters/", include("peerhub.whatmatters.urls")),
    path("stories/", include("peerhub.stories.urls")),
    path("api/", api.urls),
]

handler400 = "peerhub.core.views.bad_request"
handler403 = "peerhub.core.views.permission_denied"
handler404 = "peerhub.core.views.page_not_found"
handler500 = "peerhub.core.views.server_error"
