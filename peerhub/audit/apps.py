from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "peerhub.audit"
    label = "audit"
