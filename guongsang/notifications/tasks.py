"""E-mail of notifications, sent by the background worker, never inside a request.

``notify`` enqueues ``send_emails`` with the ids of the notifications to e-mail once its
transaction commits. The task re-reads them, sends each one, marks ``emailed_at`` on success
only, and queues the failures again after a growing delay, up to ``MAX_ATTEMPTS`` in all.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Seconds to wait before attempt 2, 3, 4, 5.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60)
BATCH_SIZE = 200


def _absolute(link: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{link}" if base and link.startswith("/") else link


def message_for(notification: Notification) -> tuple[str, str]:
    text = notification.text
    # A header must be one line.
    subject = _("[Gương Sáng] %(text)s") % {"text": " ".join(text[:120].split())}
    body = text + ("\n\n" + _absolute(notification.link) if notification.link else "")
    return subject, body


def enqueue_emails(notification_ids: list[int], *, attempt: int = 1) -> None:
    """Queue ``send_emails`` for these ids in batches. A queue that cannot be reached is logged,
    never raised: the caller (a request, or the task itself) goes on."""
    ids = list(notification_ids)
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        try:
            job = send_emails
            if attempt > 1 and job.get_backend().supports_defer:
                delay = RETRY_DELAYS[min(attempt - 2, len(RETRY_DELAYS) - 1)]
                job = job.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
            job.enqueue(notification_ids=chunk, attempt=attempt)
        except Exception:
            logger.exception("Could not queue e-mail of notifications %s", chunk)


@task()
def send_emails(*, notification_ids: list[int], attempt: int = 1) -> dict:
    """Send the e-mail of each notification not yet e-mailed; retry the failures later."""
    rows = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    sent: list[int] = []
    failed: list[int] = []
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        logger.warning("E-mail server unreachable (attempt %s)", attempt, exc_info=True)
        failed = [n.pk for n in rows if n.user.is_active and n.user.email]
    else:
        try:
            for notification in rows:
                user = notification.user
                if not user.is_active or not user.email:
                    continue
                subject, body = message_for(notification)
                message = EmailMessage(subject, body, None, [user.email], connection=connection)
                try:
                    delivered = message.send(fail_silently=False)
                except Exception:
                    logger.warning(
                        "E-mail of notification %s failed (attempt %s)",
                        notification.pk,
                        attempt,
                        exc_info=True,
                    )
                    delivered = 0
                if delivered:
                    sent.append(notification.pk)
                    Notification.objects.filter(pk=notification.pk).update(
                        emailed_at=timezone.now()
                    )
                else:
                    failed.append(notification.pk)
        finally:
            try:
                connection.close()
            except Exception:
                logger.warning("Closing the e-mail connection failed", exc_info=True)
    if failed:
        if attempt < MAX_ATTEMPTS:
            enqueue_emails(failed, attempt=attempt + 1)
        else:
            logger.error("Gave up e-mailing notifications %s after %s attempts", failed, attempt)
    return {"sent": len(sent), "failed": len(failed), "attempt": attempt}
