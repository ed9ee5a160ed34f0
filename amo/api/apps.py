from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "amo.api"
    label = "api"
    verbose_name = "API"
