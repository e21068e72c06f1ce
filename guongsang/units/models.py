from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guongsang.core.text import fold

# Width of one path segment (base 36): 36**6 units is far more than the union will ever hold.
SEGMENT_WIDTH = 6
PATH_END = "~"  # sorts after every segment character in bytewise ("C") order
# A province's path: the central union's segment and its own (the rollups by province).
PROVINCE_WIDTH = 2 * SEGMENT_WIDTH


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Trung ương Hội")
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Huyện, thị xã, thành phố thuộc tỉnh (trước 01/7/2025)")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    BRANCH = "branch", _("Chi hội")
    GROUP = "group", _("Tổ phụ nữ")
    DEPARTMENT = "department", _("Ban chuyên môn")
    AFFILIATE = "affiliate", _("Đơn vị trực thuộc")


# Which kinds may sit directly under which.
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    UnitKind.CENTRAL: {None},
    UnitKind.PROVINCE: {UnitKind.CENTRAL},
    UnitKind.DISTRICT: {UnitKind.PROVINCE},
    UnitKind.COMMUNE: {UnitKind.PROVINCE, UnitKind.DISTRICT},
    UnitKind.BRANCH: {UnitKind.COMMUNE},
    UnitKind.GROUP: {UnitKind.BRANCH},
    UnitKind.DEPARTMENT: {UnitKind.CENTRAL, UnitKind.PROVINCE, UnitKind.DISTRICT},
    UnitKind.AFFILIATE: {UnitKind.CENTRAL, UnitKind.PROVINCE, UnitKind.DISTRICT},
}

# Kinds whose union is named "Hội LHPN <place>".
PLACE_KINDS = {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE}


def encode_segment(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rem = divmod(number, 36)
        out = digits[rem] + out
    return out.rjust(SEGMENT_WIDTH, "0")


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: "Unit", include_self: bool = True):
        qs = self.filter(path__gte=unit.path, path__lt=unit.path + PATH_END)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )

    def search(self, query: str):
        from guongsang.core.text import search_tokens

        qs = self
        for token in search_tokens(query):
            qs = qs.filter(name_folded__contains=token)
        return qs


class Unit(models.Model):
    """A node of the union's tree: central, province, (historic) district, commune, branch, group,
    or a department / affiliated unit. ``path`` is a materialised path of fixed-width segments;
    subtree queries are range scans on its index (``path >= p AND path < p || '~'``)."""

    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    admin_code = models.CharField(_("mã hành chính"), max_length=16, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    # The successor's path, kept by ``fill_derived``: the access layer finds the units merged
    # into a subtree with one range scan on its index, without a join.
    successor_path = models.CharField(max_length=255, blank=True, default="", editable=False)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["parent", "name_folded"], name="unit_parent_name_idx"),
            models.Index(
                fields=["successor_path"],
                name="unit_successor_path_idx",
                condition=~models.Q(successor_path=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too."""
        self.name = " ".join(self.name.split())
        self.name_folded = fold(self.name)
        if self.successor_id is None:
            self.successor_path = ""
        elif self.successor is not None:
            self.successor_path = self.successor.path

    @property
    def union_name(self) -> str:
        """How the union of this place is named on documents: "Hội LHPN xã Đông Khê"."""
        if self.kind == UnitKind.CENTRAL:
            return self.name
        if self.kind in PLACE_KINDS:
            return f"Hội LHPN {self.name[:1].lower()}{self.name[1:]}"
        return self.name

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    @property
    def is_closed(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()

    def is_descendant_of(self, other: "Unit", include_self: bool = True) -> bool:
        if self.path == other.path:
            return include_self
        return self.path.startswith(other.path)

    def ancestor_paths(self) -> list[str]:
        return [self.path[:i] for i in range(SEGMENT_WIDTH, len(self.path), SEGMENT_WIDTH)]


class StructureStamp(models.Model):
    """One row whose ``value`` grows with every committed change of the units or the
    memberships (database triggers, migration ``units/0004``: any way of writing counts, the
    ORM, a bulk load, psql). A page that shows only the tree and the user's roles (the home
    page) is kept rendered under the value it was read with and rendered again once it moved.
    Read by ``units.queries.structure_stamp``. The price: writers of units and memberships
    wait for each other on this row until their transactions end (the longest, a 5,000-row unit
    import, holds it about 3 s)."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
