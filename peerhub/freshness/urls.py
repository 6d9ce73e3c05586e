from django.urls import path

from peerhub.freshness import views

app_name = "freshness"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/<slug:slug>/", views.band, name="band"),
    path("searches/", views.search_list, name="searches"),
    path("searches/new/", views.search_create, name="search_create"),
    path("searches/<int:pk>/edit/", views.search_edit, name="search_edit"),
    path("searches/<int:pk>/delete/", views.search_delete, name="search_delete"),
    path("searches/<int:pk>/run/", views.search_run, name="search_run"),
    path("check-links/", views.check_links_now, name="check_links"),
]
