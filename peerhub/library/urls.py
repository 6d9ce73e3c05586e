from django.urls import path, re_path

from peerhub.library import views, views_curate

app_name = "library"
urlpatterns = [
    path("", views.search, name="search"),
    path("search.json", views.search_json, name="search_json"),
    re_path(r"^export\.(?P<extension>ris|bib|json|csv)$", views.export_results, name="export_results"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/peer-support-hub-open-data.zip", views.open_data_zip, name="open_data_zip"),
    path("submit/", views_curate.submit, name="submit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>.json", views.detail_json, name="detail_json"),
    path("<int:pk>/export.ris", views.export_ris, name="export_ris"),
    path("<int:pk>/export.bib", views.export_bibtex, name="export_bibtex"),
]
