from django.urls import path

from peerhub.library import views, views_curate

app_name = "library"
urlpatterns = [
    path("", views.search, name="search"),
    path("search.json", views.search_json, name="search_json"),
    path("submit/", views_curate.submit, name="submit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>.json", views.detail_json, name="detail_json"),
    path("<int:pk>/export.ris", views.export_ris, name="export_ris"),
    path("<int:pk>/export.bib", views.export_bibtex, name="export_bibtex"),
]
