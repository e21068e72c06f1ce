from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExemplarsConfig(AppConfig):
    name = "guongsang.exemplars"
    label = "exemplars"
    verbose_name = _("Điển hình tiên tiến")
