from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "peerhub.search"
    label = "search"
