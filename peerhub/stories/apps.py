from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "peerhub.stories"
    label = "stories"
    verbose_name = "Stories"
