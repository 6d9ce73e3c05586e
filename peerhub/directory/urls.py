from django.urls import path

from peerhub.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.find, name="find"),
    path("listing/<uuid:pk>/", views.detail, name="detail"),
    path("listing/<uuid:pk>/referral/", views.referral, name="referral"),
    path("listing/<uuid:pk>/shortlist/add/", views.shortlist_add, name="shortlist_add"),
    path("listing/<uuid:pk>/shortlist/remove/", views.shortlist_remove, name="shortlist_remove"),
    path("shortlist/", views.shortlist_page, name="shortlist"),
    path("shortlist/clear/", views.shortlist_clear, name="shortlist_clear"),
]
