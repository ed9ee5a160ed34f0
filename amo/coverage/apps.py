from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from amo.enrollment import extensions


class CoverageConfig(AppConfig):
    name = "amo.coverage"
    label = "coverage"
    verbose_name = _("Coverage (rights of insured students)")

    def ready(self) -> None:
        # What enrollment's pages show of the rights, answered here (docs/decisions/0002-app-boundaries.md),
        # and what eligibility signals (decision 0013). The receivers import models: loaded once the
        # app registry is ready.
        from amo.coverage import receivers

        extensions.step_reader_register(extensions.RIGHTS, receivers.rights_of)
        receivers.connect()
