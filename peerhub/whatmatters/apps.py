from django.apps import AppConfig


class WhatmattersConfig(AppConfig):
    name = "peerhub.whatmatters"
    label = "whatmatters"
    verbose_name = "What matters"
