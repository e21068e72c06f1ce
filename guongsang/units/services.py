"""Writes to the unit tree. Views and commands call these; they own validation and transactions."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guongsang.accounts.models import User

from . import access
from .models import ALLOWED_PARENT_KINDS, Unit, UnitKind, encode_segment

REFORM_DATE = dt.date(2025, 7, 1)  # two-tier local government: districts abolished

# What a closed unit may be merged into: a district's work went to the province in 2025.
SUCCESSOR_KINDS = {
    UnitKind.DISTRICT: [UnitKind.PROVINCE, UnitKind.DISTRICT],
    UnitKind.COMMUNE: [UnitKind.COMMUNE],
    UnitKind.BRANCH: [UnitKind.BRANCH],
    UnitKind.GROUP: [UnitKind.GROUP, UnitKind.BRANCH],
}


def successor_kinds(kind: str) -> list[str]:
    return SUCCESSOR_KINDS.get(kind, [kind])


def check_parent_kind(kind: str, parent: Unit | None) -> None:
    allowed = ALLOWED_PARENT_KINDS.get(kind, set())
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        label = UnitKind(kind).label
        if parent is None:
            raise ValidationError(_("%(kind)s phải có đơn vị cấp trên.") % {"kind": label})
        raise ValidationError(
            _("Không thể đặt %(kind)s dưới %(parent)s (%(parent_kind)s).")
            % {"kind": label, "parent": parent.name, "parent_kind": parent.get_kind_display()}
        )


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    by: User | None = None,
    admin_code: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    note: str = "",
) -> Unit:
    """Create a unit under ``parent``; ``by`` (when given) must manage the parent's subtree."""
    code = (code or "").strip()
    name = " ".join((name or "").split())
    if not code:
        raise ValidationError({"code": _("Nhập mã đơn vị.")})
    if not name:
        raise ValidationError({"name": _("Nhập tên đơn vị.")})
    if kind not in UnitKind.values:
        raise ValidationError({"kind": _("Loại đơn vị không hợp lệ.")})
    if by is not None and (parent is None or not access.can(by, access.Perm.MANAGE, parent)):
        raise ValidationError(_("Bạn không có quyền thêm đơn vị vào đây."))
    check_parent_kind(kind, parent)
    if Unit.objects.filter(code__iexact=code).exists():
        raise ValidationError({"code": _("Mã đơn vị %(code)s đã có.") % {"code": code}})
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu.")})
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        admin_code=admin_code,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
        path=f"tmp{uuid.uuid4().hex}",
        depth=(parent.depth + 1) if parent else 0,
    )
    # Field checks only: code uniqueness and kinds were checked above, the path is generated.
    unit.clean_fields(exclude=["path", "parent", "successor", "name_folded"])
    unit.save()
    unit.path = (parent.path if parent else "") + encode_segment(unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by: User, name: str, note: str = "", valid_from=None) -> Unit:
    if not access.can(by, access.Perm.MANAGE, unit):
        raise ValidationError(_("Bạn không có quyền sửa đơn vị này."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Nhập tên đơn vị.")})
    unit.name = name
    unit.note = note
    unit.valid_from = valid_from
    unit.save()
    return unit


@transaction.atomic
def unit_close(
    *, unit: Unit, on: dt.date, successor: Unit | None, by: User | None = None, note: str = ""
) -> Unit:
    """Close ``unit`` on ``on`` (its last valid day is the day before) and, for a merger, name
    the unit it was merged into. Its own records stay attached to it; the successor's readers
    can read them through the access layer."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if by is not None:
        if not access.can(by, access.Perm.MANAGE, unit):
            raise ValidationError(_("Bạn không có quyền đóng đơn vị này."))
        if successor is not None and not access.can(by, access.Perm.MANAGE, successor):
            raise ValidationError(_("Bạn không có quyền với đơn vị kế thừa."))
    if unit.valid_to is not None:
        raise ValidationError(_("Đơn vị này đã hết hiệu lực."))
    if successor is not None:
        if successor.pk == unit.pk or successor.is_descendant_of(unit):
            raise ValidationError(
                {"successor": _("Đơn vị kế thừa không được là chính nó hoặc đơn vị cấp dưới.")}
            )
        if not successor.is_current(on):
            raise ValidationError({"successor": _("Đơn vị kế thừa phải còn hiệu lực.")})
        if successor.kind not in successor_kinds(unit.kind):
            raise ValidationError(
                {
                    "successor": _("Không thể sáp nhập %(kind)s vào %(other)s.")
                    % {"kind": unit.get_kind_display(), "other": successor.get_kind_display()}
                }
            )
    last_day = on - dt.timedelta(days=1)
    if unit.valid_from and last_day < unit.valid_from:
        raise ValidationError({"on": _("Ngày sáp nhập phải sau ngày thành lập.")})
    open_children = Unit.objects.subtree_of(unit, include_self=False).filter(valid_to__isnull=True)
    if successor is None and open_children.exists():
        raise ValidationError(
            _("Đơn vị còn đơn vị cấp dưới đang hoạt động: hãy chọn đơn vị kế thừa.")
        )
    unit.valid_to = last_day
    unit.successor = successor
    if note:
        unit.note = (unit.note + "\n" + note).strip()
    unit.save()
    return unit
