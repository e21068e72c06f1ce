"""Fetching commendation objects for a user: built only on guongsang.units.access.

The award history of a subject belongs to the subject's unit: it is read with VIEW and written
with ``RECORD`` on that unit, fetched through the same range filter as everything else, and
"missing" and "not yours" are the same 404. The catalogue and the base salary are the union's,
one for every level: everyone signed in reads them; only the central union's admins (and
superusers) change them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.exemplars import access as ex_access
from guongsang.exemplars.models import Subject
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import Unit, UnitKind

from .models import Award

# Entering a subject's past awards is data entry of the subject's unit, as recording its
# titles was before (staff record "Gia đình văn hóa" before they submit a nomination).
RECORD = Perm.EDIT


def subjects_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[Subject]:
    return ex_access.subjects_for(user, perm)


def get_subject(user: User | None, pk, perm: Perm = Perm.VIEW) -> Subject:
    return access.get_or_404(subjects_for(user, perm), pk)


def awards_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[Award]:
    """Awards of the subjects in the user's scope: a range on the stored ``unit_path``."""
    return Award.objects.filter(access.scope_q(user, perm, "unit_")).select_related(
        "award_type", "subject"
    )


def get_award(user: User | None, pk, perm: Perm = RECORD) -> Award:
    return access.get_or_404(awards_for(user, perm), pk)


def can_record(user: User | None, subject: Subject) -> bool:
    return access.can(user, RECORD, subject.unit)


def can_edit_catalogue(user: User | None) -> bool:
    """Superusers, and whoever holds MANAGE on a root unit of kind central (the central union's
    admins): the catalogue, its rules and the base salary are the whole union's."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = user.__dict__.setdefault("_gs_scope", {})
    if "_catalogue_editor" not in cache:
        paths = access.scope_paths(user, Perm.MANAGE)
        cache["_catalogue_editor"] = (
            bool(paths)
            and Unit.objects.filter(
                path__in=paths, kind=UnitKind.CENTRAL, parent__isnull=True
            ).exists()
        )
    return cache["_catalogue_editor"]


def require_catalogue_editor(user: User | None) -> None:
    """For services: ``user=None`` is the operator (migrations, demo) and passes."""
    if user is not None and not can_edit_catalogue(user):
        raise ValidationError(
            _("Chỉ quản trị viên Trung ương Hội được sửa danh mục khen thưởng và lương cơ sở.")
        )
