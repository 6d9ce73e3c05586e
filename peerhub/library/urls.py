from django.urls import path

from peerhub.core import views as core_views

app_name = "library"
# Interim routes; the library views fill these in.
urlpatterns = [
    path("", core_views.home, name="search"),
    path("submit/", core_views.home, name="submit"),
    path("<int:pk>/", core_views.home, name="detail"),
]
