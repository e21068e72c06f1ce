from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "guongsang.emulation"
    label = "emulation"
    verbose_name = _("Cụm, khối thi đua")
