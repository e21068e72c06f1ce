from django.utils.functional import SimpleLazyObject

from .queries import unread_count


def unread(request):
    """The unread count in the header (``queries.unread_count``), only if a page uses it."""
    return {"nav_unread": SimpleLazyObject(lambda: unread_count(getattr(request, "user", None)))}
