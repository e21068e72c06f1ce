import factory

from guongsang.accounts.models import Membership, Role, User
from guongsang.units.models import Unit, UnitKind
from guongsang.units.services import unit_create

PASSWORD = "Mat-khau-thu-2026"


def make_unit(
    name: str, kind: str, parent: Unit | None = None, code: str | None = None, **kw
) -> Unit:
    make_unit.counter += 1
    return unit_create(
        code=code or f"U{make_unit.counter:05d}", name=name, kind=kind, parent=parent, **kw
    )


make_unit.counter = 0


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nông Thị Hoa {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user(
    unit: Unit | None, role: str | None = None, role_unit: Unit | None = None, **kw
) -> User:
    user = UserFactory(unit=unit, **kw)
    if role:
        Membership.objects.create(user=user, unit=role_unit or unit, role=role)
    return user


__all__ = ["PASSWORD", "Role", "UnitKind", "make_unit", "make_user", "UserFactory"]
