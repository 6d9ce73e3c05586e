from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "peerhub.directory"
    label = "directory"
    verbose_name = "Directory of local peer support"
