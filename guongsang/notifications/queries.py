from django.db.models import QuerySet
from django.http import Http404

from .models import EmailPreference, Notification, NotificationKind


def for_user(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def get_notification(user, pk) -> Notification:
    """A user's own notification, or 404 (same for someone else's)."""
    try:
        return for_user(user).get(pk=int(pk))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def email_preferences(user) -> dict[str, bool]:
    stored = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: stored.get(kind, True) for kind in NotificationKind.values}
