from django.utils.functional import SimpleLazyObject


def unread(request):
    """The unread count in the header: one COUNT on an indexed column, only if a page uses it."""

    def count():
        from .queries import unread_count

        return unread_count(getattr(request, "user", None))

    return {"nav_unread": SimpleLazyObject(count)}
