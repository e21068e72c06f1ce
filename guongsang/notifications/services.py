"""Writes of notifications. Other apps call ``notify``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from guongsang.accounts.models import User

from .models import EmailPreference, Notification, NotificationKind
from .tasks import enqueue_emails


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
    transaction commits, queue the e-mail of those who have an address and did not turn that
    kind off (sent and retried by the background worker: ``tasks.send_emails``)."""
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
    emailed = {pk for pk, u in people.items() if u.email and pk not in muted}
    ids = [row.pk for row in rows if row.user_id in emailed]
    if ids:
        transaction.on_commit(lambda: enqueue_emails(ids))
    return rows


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
