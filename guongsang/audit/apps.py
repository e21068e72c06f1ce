from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "guongsang.audit"
    label = "audit"
    verbose_name = _("Nhật ký hệ thống")

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import services

        # The client address of the request being served, for entries recorded by services
        # that are not handed the request (plumbing only: no rule runs here).
        request_started.connect(services.request_started, dispatch_uid="gs_audit_address")
        request_finished.connect(services.request_finished, dispatch_uid="gs_audit_address_end")
