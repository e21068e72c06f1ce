"""Writes of notifications. Other apps call ``notify``."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User

from .models import EmailPreference, Notification, NotificationKind


def _absolute(link: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{link}" if base and link.startswith("/") else link


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    text: str,
    link: str = "",
    kind: str = NotificationKind.GENERAL,
    unit=None,
) -> list[Notification]:
    """Create one in-app notification per active user (duplicates dropped) and, after the
    transaction commits, e-mail those who have an address and did not turn that kind off."""
    people = {u.pk: u for u in users if u is not None and u.is_active}
    if not people:
        return []
    rows = Notification.objects.bulk_create(
        [
            Notification(user_id=pk, kind=kind, text=text[:500], link=link, unit=unit)
            for pk in people
        ]
    )
    muted = set(
        EmailPreference.objects.filter(user_id__in=people, kind=kind, email=False).values_list(
            "user_id", flat=True
        )
    )
    recipients = [(u.pk, u.email) for u in people.values() if u.email and u.pk not in muted]
    if recipients:
        transaction.on_commit(lambda: _send_emails(recipients, text, link, kind))
    return rows


def _send_emails(recipients: list[tuple[int, str]], text: str, link: str, kind: str) -> None:
    subject = _("[Gương Sáng] %(text)s") % {"text": text[:120]}
    body = text + ("\n\n" + _absolute(link) if link else "")
    sent = []
    for user_id, address in recipients:
        if send_mail(subject, body, None, [address], fail_silently=True):
            sent.append(user_id)
    if sent:
        Notification.objects.filter(
            user_id__in=sent, kind=kind, text=text[:500], emailed_at__isnull=True
        ).update(emailed_at=timezone.now())


def mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise PermissionError
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_email_preferences(*, user: User, wanted: dict[str, bool]) -> None:
    for kind, email in wanted.items():
        if kind not in NotificationKind.values:
            continue
        EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
