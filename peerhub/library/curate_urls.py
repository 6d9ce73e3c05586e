from django.urls import path

from peerhub.core import views as core_views

app_name = "curate"
# Interim routes; the curation views fill these in.
urlpatterns = [
    path("", core_views.home, name="queue"),
]
