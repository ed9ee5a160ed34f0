from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from amo.enrollment import extensions, signals


class ContributionsConfig(AppConfig):
    name = "amo.contributions"
    label = "contributions"
    verbose_name = _("Contributions")

    def ready(self) -> None:
        # Reactions to the earlier step, owned here (docs/decisions/0002-app-boundaries.md). The
        # receivers import models: loaded once the app registry is ready.
        from amo.contributions import receivers

        signals.registration_validated.connect(receivers.due_for_validated, dispatch_uid="contributions.due")
        extensions.step_reader_register(extensions.CONTRIBUTION, receivers.contribution_status)
