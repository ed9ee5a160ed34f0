from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentialsConfig(AppConfig):
    name = "amo.referentials"
    label = "referentials"
    verbose_name = _("Referentials")
