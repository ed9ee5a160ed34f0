from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentialsConfig(AppConfig):
    name = "amo.referentials"
    label = "referentials"
    verbose_name = _("Referentials")

    def ready(self) -> None:
        # The layers below (documents, notifications) read the parameters through this reader.
        from amo.common import clock
        from amo.common.regime import regime_reader_register
        from amo.referentials.selectors import regime_in_force

        regime_reader_register(lambda: regime_in_force(clock.today()))
