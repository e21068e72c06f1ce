from django.utils.functional import SimpleLazyObject


def nav(request):
    def can_manage():
        from guongsang.units import access

        return bool(access.scope_paths(request.user, access.Perm.MANAGE))

    return {"nav_can_manage": SimpleLazyObject(can_manage)}
