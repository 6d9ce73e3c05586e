from django.urls import path

from peerhub.search import views

app_name = "search"
urlpatterns = [
    path("synonyms/", views.synonyms, name="synonyms"),
    path("synonyms/add/", views.synonym_form, name="synonym_add"),
    path("synonyms/<int:pk>/", views.synonym_form, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
    path("analytics/", views.analytics, name="analytics"),
]
