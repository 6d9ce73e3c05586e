from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peerhub.core"
    label = "core"
