from django.utils.functional import SimpleLazyObject

from .queries import request_unread_count


def unread(request):
    """The unread count in the header (``queries.unread_count``), only if a page uses it."""
    return {"nav_unread": SimpleLazyObject(lambda: request_unread_count(request))}
