from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "amo.coverage"
    label = "coverage"
    verbose_name = _("Coverage (rights of insured students)")

    def ready(self) -> None:
        from amo.coverage import receivers

        receivers.connect()
