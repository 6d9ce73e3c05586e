from django.urls import path

from peerhub.directory import views, views_curate, views_provider

app_name = "directory"
urlpatterns = [
    path("", views.find, name="find"),
    path("listing/<uuid:pk>/", views.detail, name="detail"),
    path("listing/<uuid:pk>/referral/", views.referral, name="referral"),
    path("listing/<uuid:pk>/shortlist/add/", views.shortlist_add, name="shortlist_add"),
    path("listing/<uuid:pk>/shortlist/remove/", views.shortlist_remove, name="shortlist_remove"),
    path("listing/<uuid:pk>/update/", views_provider.propose_update, name="propose_update"),
    path("shortlist/", views.shortlist_page, name="shortlist"),
    path("shortlist/clear/", views.shortlist_clear, name="shortlist_clear"),
    path("provide/", views_provider.my_listings, name="my_listings"),
    path("provide/new/", views_provider.propose_new, name="propose_new"),
    path("provide/<uuid:pk>/", views_provider.submission, name="submission"),
    path("confirm/<str:token>/", views_provider.confirm, name="confirm"),
    path("curate/", views_curate.dashboard, name="curate"),
    path("curate/submissions/<uuid:pk>/", views_curate.review, name="curate_review"),
    path("curate/submissions/<uuid:pk>/approve/", views_curate.approve, name="curate_approve"),
    path("curate/submissions/<uuid:pk>/reject/", views_curate.reject, name="curate_reject"),
    path("curate/stale/", views_curate.stale, name="curate_stale"),
    path("curate/stale/<uuid:pk>/remind/", views_curate.send_reminder, name="curate_remind"),
    path("curate/import/", views_curate.import_page, name="curate_import"),
    path("curate/export.json", views_curate.export_json, name="curate_export_json"),
    path("curate/export.zip", views_curate.export_csv, name="curate_export_csv"),
]
