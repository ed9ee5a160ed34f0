from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "amo.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from amo.organisations.models import City
        from amo.organisations.selectors import city_names_ar

        def forget(**kwargs: object) -> None:
            city_names_ar.cache_clear()

        post_save.connect(forget, sender=City, dispatch_uid="city_names_ar_save")
        post_delete.connect(forget, sender=City, dispatch_uid="city_names_ar_delete")
