from django.urls import path

from peerhub.stories import views, views_moderate

app_name = "stories"
urlpatterns = [
    path("", views.story_list, name="list"),
    path("tell/", views.submit, name="submit"),
    path("tell/thank-you/", views.submitted, name="submitted"),
    path("compare/", views.compare, name="compare"),
    path("map/", views.collection_map, name="map"),
    path("map/export.csv", views.export_cell, name="export_cell"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("<int:pk>/", views.detail, name="detail"),
    path("moderate/", views_moderate.queue, name="queue"),
    path("moderate/<int:pk>/", views_moderate.edit, name="moderate"),
    path("moderate/<int:pk>/publish/", views_moderate.publish, name="publish"),
    path("moderate/<int:pk>/reject/", views_moderate.reject, name="reject"),
    path("moderate/<int:pk>/unpublish/", views_moderate.unpublish, name="unpublish"),
    path("moderate/<int:pk>/guardian/", views_moderate.confirm_guardian, name="confirm_guardian"),
    path("moderate/<int:pk>/offer/", views_moderate.offer_to_library, name="offer"),
    path("topography/", views_moderate.topography_index, name="topography"),
    path("topography/<slug:dimension>/add/", views_moderate.term_add, name="term_add"),
    path("topography/terms/<int:pk>/edit/", views_moderate.term_edit, name="term_edit"),
]
