from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    """Keeping the catalogue fresh: harvesting saved searches, checking links, the curators'
    dashboard and their email digest."""

    name = "peerhub.freshness"
    label = "freshness"
    verbose_name = "Catalogue freshness"
