from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "amo.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from amo.documents import checks  # noqa: F401 - registers the check of the PDF libraries and fonts
