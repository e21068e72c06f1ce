from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_fts_triggers(sender, using, **kwargs):
    from django.db import connections

    from .search import ensure_fts_triggers

    ensure_fts_triggers(connections[using])


class ExemplarsConfig(AppConfig):
    name = "guongsang.exemplars"
    label = "exemplars"
    verbose_name = _("Điển hình tiên tiến")

    def ready(self):
        # SQLite: a future migration that rebuilds exemplars_subject would drop the FTS triggers.
        post_migrate.connect(_ensure_fts_triggers, sender=self, dispatch_uid="exemplars_fts")
