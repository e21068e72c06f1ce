from django.utils.functional import SimpleLazyObject

from guongsang.units import access


def _section(request) -> str:
    """Which entry of the main navigation is the current page's (``""`` for none)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name == "units:search":
        return "search"
    if match.view_name == "accounts:password_change":
        return ""
    return match.app_name


def nav(request):
    """The main navigation's state: which section is open and whether the accounts entry shows
    (here, not in ``core``, because it asks the access layer)."""

    def can_manage():
        return bool(access.scope_paths(request.user, access.Perm.MANAGE))

    return {
        "nav_can_manage": SimpleLazyObject(can_manage),
        "nav_section": SimpleLazyObject(lambda: _section(request)),
    }
