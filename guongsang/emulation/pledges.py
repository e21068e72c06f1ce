"""Pledges (giao ước thi đua): what a block's member unit signs for the year, target by target
(free text, or an indicator of a report form the unit answers, with the value it signs for),
with the signed document checked by content (``core.uploads``).

Rights: the member unit's officers (EDIT on the unit) or the organiser's (EDIT on the
organiser) write it; a past year's pledge stays as it was."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.core.forms import has_control_characters
from guongsang.core.uploads import clean_upload
from guongsang.reports.models import Indicator, ValueType
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import Unit

from .models import Block, BlockMember, Pledge, PledgeTarget

# The signed pledge: a scan or photo, or the document itself.
DOCUMENT_KINDS = frozenset({"pdf", "jpg", "png", "docx"})
MAX_TARGETS = 30
TARGET_MAX = Decimal("999999999999.99")  # what PledgeTarget.target holds (14 digits, 2 places)
TEXT_MAX = PledgeTarget._meta.get_field("text").max_length


@dataclass
class Target:
    """One line of a pledge: ``text``, or an ``indicator`` (whose label stands for an empty
    text), with the ``target`` value signed for."""

    text: str = ""
    indicator: Indicator | None = None
    target: Decimal | None = None


def is_past(block: Block) -> bool:
    return block.year < timezone.localdate().year


def can_edit(user: User | None, block: Block, unit: Unit) -> bool:
    """May write ``unit``'s pledge in ``block`` (the caller knows the unit is a member)."""
    if is_past(block):
        return False
    return access.can(user, Perm.EDIT, unit) or access.can(user, Perm.EDIT, block.organiser)


def indicators_for(unit: Unit) -> QuerySet[Indicator]:
    """Indicators a unit may pledge against: those of the report forms issued by the unit or
    a unit above it (the forms it answers), numeric ones only (a value is signed for)."""
    paths = [*unit.ancestor_paths(), unit.path]
    return (
        Indicator.objects.filter(form__issuing_unit__path__in=paths)
        .exclude(value_type__in=[ValueType.TEXT, ValueType.BOOLEAN])
        .select_related("form")
        .order_by("form__code", "-form__version", "order", "pk")
    )


def _target(raw) -> Target:
    if isinstance(raw, Target):
        return raw
    if isinstance(raw, str):
        return Target(text=raw)
    if isinstance(raw, dict):
        return Target(
            text=raw.get("text") or "", indicator=raw.get("indicator"), target=raw.get("target")
        )
    raise ValidationError(_("Chỉ tiêu không hợp lệ."))


def _clean_targets(unit: Unit, targets: Iterable) -> list[PledgeTarget]:
    rows: list[PledgeTarget] = []
    errors: list[str] = []
    allowed: set[int] | None = None
    items = [_target(t) for t in targets]
    if len(items) > MAX_TARGETS:
        raise ValidationError({"targets": _("Tối đa %(n)s chỉ tiêu.") % {"n": MAX_TARGETS}})
    for n, item in enumerate(items, start=1):
        text = " ".join((item.text or "").split())
        indicator = item.indicator
        if indicator is not None:
            if allowed is None:
                allowed = set(indicators_for(unit).values_list("pk", flat=True))
            if indicator.pk not in allowed:
                errors.append(
                    _("Chỉ tiêu %(n)s: không thuộc biểu mẫu báo cáo của đơn vị.") % {"n": n}
                )
                continue
            text = text or indicator.label
        if not text:
            if item.target is not None:
                errors.append(_("Chỉ tiêu %(n)s: ghi nội dung chỉ tiêu.") % {"n": n})
            continue  # an empty line of the form
        if has_control_characters(text):
            errors.append(_("Chỉ tiêu %(n)s: có ký tự không hợp lệ.") % {"n": n})
            continue
        if len(text) > TEXT_MAX:
            errors.append(_("Chỉ tiêu %(n)s: không quá %(m)s ký tự.") % {"n": n, "m": TEXT_MAX})
            continue
        value = item.target
        if value is not None:
            value = Decimal(value)
            if not value.is_finite() or value < 0 or value > TARGET_MAX:
                errors.append(_("Chỉ tiêu %(n)s: mức đăng ký không hợp lệ.") % {"n": n})
                continue
            value = value.quantize(Decimal("0.01"))
        rows.append(PledgeTarget(order=len(rows), text=text, indicator=indicator, target=value))
    if errors:
        raise ValidationError({"targets": errors})
    return rows


@transaction.atomic
def pledge_save(
    *,
    by: User,
    block: Block,
    unit: Unit,
    signed_on=None,
    note: str = "",
    targets: Iterable = (),
    document=None,
    remove_document: bool = False,
) -> Pledge:
    """Create or replace ``unit``'s pledge in ``block``: its signing date, note and targets
    (the targets given replace the former ones), and the signed ``document`` (an upload,
    checked by content: PDF, JPG, PNG or DOCX within the size limit) replacing the former one,
    or ``remove_document``."""
    if not BlockMember.objects.filter(block=block, unit=unit).exists():
        raise ValidationError(_("Đơn vị không thuộc cụm, khối này."))
    if is_past(block):
        raise ValidationError(_("Giao ước thi đua của năm đã qua được giữ nguyên, không sửa được."))
    if not can_edit(by, block, unit):
        raise ValidationError(_("Bạn không thể sửa giao ước thi đua của đơn vị này."))
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if has_control_characters(note):
        errors["note"] = [_("Có ký tự không hợp lệ.")]
    if signed_on is not None and (
        signed_on > timezone.localdate() or not block.year - 1 <= signed_on.year <= block.year
    ):
        errors["signed_on"] = [
            _("Ngày ký phải trong năm %(y)s hoặc cuối năm trước, không sau hôm nay.")
            % {"y": block.year}
        ]
    try:
        rows = _clean_targets(unit, targets)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    clean = None
    if document is not None:
        try:
            clean = clean_upload(document, kinds=DOCUMENT_KINDS)
        except ValidationError as exc:
            errors["document"] = exc.messages
    if errors:
        raise ValidationError(errors)

    pledge = Pledge.objects.select_for_update().filter(block=block, unit=unit).first()
    if pledge is None:
        pledge = Pledge(block=block, unit=unit, created_by=by)
    old_file = pledge.document.name if pledge.document else ""
    pledge.signed_on, pledge.note = signed_on, note
    if clean is not None:
        # A random prefix: the stored name is not guessable, and ``stored_file`` drops it.
        pledge.document.save(
            f"{secrets.token_hex(8)}-{clean.name}", ContentFile(clean.data), save=False
        )
    elif remove_document:
        pledge.document = ""
    pledge.save()
    if old_file and old_file != (pledge.document.name or ""):
        storage = pledge.document.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    pledge.targets.all().delete()
    for row in rows:
        row.pledge = pledge
    PledgeTarget.objects.bulk_create(rows)
    return pledge


def pledges_for(user: User | None) -> QuerySet[Pledge]:
    """Pledges of the blocks the user reads (every member of a block sees the others')."""
    from .access import blocks_for

    return Pledge.objects.filter(block__in=blocks_for(user).values("pk")).select_related(
        "block__organiser", "unit"
    )


def get_pledge(user: User | None, pk) -> Pledge:
    return access.get_or_404(pledges_for(user), pk)
