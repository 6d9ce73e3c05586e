from django.urls import path

from peerhub.directory import oruk_views as views

app_name = "oruk"
urlpatterns = [
    path("", views.root, name="root"),
    path("services", views.services, name="services"),
    path("services/<str:pk>", views.service_detail, name="service"),
    path("service_at_locations", views.service_at_locations, name="service_at_locations"),
    path("service_at_locations/<str:pk>", views.service_at_location_detail, name="service_at_location"),
    path("taxonomies", views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:pk>", views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:pk>", views.taxonomy_term_detail, name="taxonomy_term"),
]
