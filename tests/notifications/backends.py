"""E-mail backends that fail, for the retry tests."""

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """Refuses the first ``failures`` messages (SMTP-like error), then delivers to the outbox."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise OSError("421 Service not available")
        return super().send_messages(messages)


class DownBackend(BaseEmailBackend):
    """A server that cannot be reached at all."""

    def open(self):
        raise ConnectionRefusedError("connection refused")

    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")


__all__ = ["DownBackend", "FlakyBackend", "mail"]
