from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "guongsang.emulation"
    label = "emulation"
    verbose_name = _("Cụm, khối thi đua")

    def ready(self) -> None:
        # The cross-check task of a schedule goes to the blocks' leaders and deputies only.
        from guongsang.plans import services as plan_services

        from . import schedules

        plan_services.SCOPE_RESOLVERS[schedules.CHECK_SCOPE] = schedules.checker_units
