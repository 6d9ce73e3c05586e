from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "peerhub.library"
    label = "library"
