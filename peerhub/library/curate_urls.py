from django.urls import path

from peerhub.library import views_curate as views
from peerhub.library import views_import

app_name = "curate"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/restore/<int:event_id>/", views.restore, name="restore"),
    path("import/", views_import.upload, name="import_upload"),
    path("import/done/", views_import.done, name="import_done"),
    path("import/<str:token>/", views_import.preview, name="import_preview"),
    path("taxonomy/", views.taxonomy_index, name="taxonomy"),
    path("taxonomy/<slug:vocabulary>/add/", views.term_add, name="term_add"),
    path("taxonomy/terms/<int:pk>/edit/", views.term_edit, name="term_edit"),
    path("taxonomy/terms/<int:pk>/merge/", views.term_merge, name="term_merge"),
]
