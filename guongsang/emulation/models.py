"""Emulation clusters and blocks (cụm, khối thi đua), pledges, points tables and scoring.

An upper unit (the organiser: a province for its communes, the central union for the provinces)
groups the units below it into named clusters or blocks for a year, each with a leading and a
deputy unit. The units sign pledges; each scores itself against the year's points table, the
block's leader cross-checks, and the organiser's office fixes the final score, from which the
block is ranked. Past years stay as they were: every row belongs to its year."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

POINTS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))]


class BlockKind(models.TextChoices):
    CLUSTER = "cluster", _("Cụm thi đua")
    BLOCK = "block", _("Khối thi đua")


class Block(models.Model):
    organiser = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(
        _("loại"), max_length=8, choices=BlockKind.choices, default=BlockKind.CLUSTER
    )
    name = models.CharField(_("tên cụm, khối"), max_length=200)
    leader = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị cụm trưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deputy = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị cụm phó"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "year", "name"], name="emulation_block_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class BlockMember(models.Model):
    """A unit in a block; a unit is in one block of an organiser per year (``organiser`` and
    ``year`` copied from the block for that constraint)."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "year", "unit"], name="emulation_member_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} in {self.block_id}"


class Pledge(models.Model):
    """Giao ước thi đua: what a member unit signs for the year, with the signed document."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="pledges")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    document = models.FileField(_("văn bản giao ước đã ký"), upload_to="pledges/", blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block", "unit"], name="emulation_pledge_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.block_id}"


class PledgeTarget(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("chỉ tiêu"), max_length=500)
    # From a report form's indicator (its figures can then be compared), or free text.
    indicator = models.ForeignKey(
        "reports.Indicator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target = models.DecimalField(
        _("mức đăng ký"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class PointsTable(models.Model):
    """Bảng tiêu chí, thang điểm thi đua of an organiser for a year and a level. Frozen once a
    score uses it; a new version copies it."""

    issuing_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    level = models.CharField(_("cấp được chấm"), max_length=16)  # a UnitKind value
    name = models.CharField(_("tên bảng điểm"), max_length=300)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions"
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    # Bands by the final total (xuất sắc, tốt, khá; below: trung bình).
    excellent_from = models.DecimalField(
        _("xuất sắc từ"), max_digits=6, decimal_places=2, default=Decimal("95")
    )
    good_from = models.DecimalField(
        _("tốt từ"), max_digits=6, decimal_places=2, default=Decimal("85")
    )
    fair_from = models.DecimalField(
        _("khá từ"), max_digits=6, decimal_places=2, default=Decimal("70")
    )
    # Keys of ``ranking.TIE_BREAKS`` in order, comma-separated.
    tie_break = models.CharField(
        _("thứ tự xét khi bằng điểm"), max_length=100, default="fewer_penalties,more_bonus"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "level", "name", "version"],
                name="emulation_table_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"


class PointsGroup(models.Model):
    table = models.ForeignKey(PointsTable, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("mục"), max_length=10)
    title = models.CharField(_("tên nhóm tiêu chí"), max_length=300)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class CriterionKind(models.TextChoices):
    SCORED = "scored", _("Tiêu chí chấm điểm")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class PointsCriterion(models.Model):
    group = models.ForeignKey(PointsGroup, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("số"), max_length=10)
    text = models.CharField(_("tiêu chí"), max_length=500)
    kind = models.CharField(
        _("loại"), max_length=8, choices=CriterionKind.choices, default=CriterionKind.SCORED
    )
    max_points = models.DecimalField(
        _("điểm tối đa"), max_digits=6, decimal_places=2, validators=POINTS
    )
    evidence_required = models.BooleanField(_("cần minh chứng"), default=False)
    # What the system shows beside it for the unit and year (``figures.FIGURES`` key).
    figure = models.CharField(_("số liệu tham khảo"), max_length=40, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class ScoreState(models.TextChoices):
    DRAFT = "draft", _("Đơn vị đang tự chấm")
    SUBMITTED = "submitted", _("Đã gửi, chờ cụm trưởng chấm chéo")
    RETURNED = "returned", _("Trả lại đơn vị")
    CHECKED = "checked", _("Cụm trưởng đã chấm chéo")
    FINAL = "final", _("Đã chốt điểm")


class Score(models.Model):
    """One unit's scoring in its block for the year, in three steps: self, cross-check, final.
    ``version`` moves with every change, so a step taken on a stale page is refused."""

    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="scores")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    table = models.ForeignKey(PointsTable, on_delete=models.PROTECT, related_name="scores")
    state = models.CharField(max_length=10, choices=ScoreState.choices, default=ScoreState.DRAFT)
    self_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    check_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    final_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block", "unit"], name="emulation_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.block_id}"


class ScoreLine(models.Model):
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="lines")
    criterion = models.ForeignKey(PointsCriterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, validators=POINTS
    )
    self_note = models.TextField(blank=True)
    # [{"kind": "activity" | "report" | "exemplar" | "link", "id": 12, "label": "…"}]
    evidence = models.JSONField(default=list, blank=True)
    check_points = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, validators=POINTS
    )
    check_note = models.TextField(blank=True)
    final_points = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, validators=POINTS
    )
    final_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="emulation_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.score_id} · {self.criterion_id}"


class ScoreAction(models.TextChoices):
    SUBMIT = "submit", _("Gửi tự chấm")
    RETURN = "return", _("Trả lại")
    CHECK = "check", _("Chấm chéo")
    FINALISE = "finalise", _("Chốt điểm")


class ScoreStep(models.Model):
    """The append-only trail of a score."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=10, choices=ScoreAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.score_id} {self.action}"


class Schedule(models.Model):
    """Lịch chấm điểm: an organiser's scoring of a year against one points table, with the
    three steps' deadlines. The self-scoring step is a task of a plan (``plans.Task`` managed
    by this app), so the compliance board and its reminders track it like any task."""

    organiser = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    table = models.ForeignKey(
        PointsTable, verbose_name=_("bảng điểm"), on_delete=models.PROTECT, related_name="+"
    )
    self_deadline = models.DateField(_("hạn tự chấm"))
    check_deadline = models.DateField(_("hạn chấm chéo"))
    final_deadline = models.DateField(_("hạn chốt điểm"))
    task = models.OneToOneField(
        "plans.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emulation_schedule",
    )
    # The cross-check step as a task of the same document, sent only to the blocks' leaders
    # and deputies (scope ``schedules.CHECK_SCOPE``); done once every score a unit checks is
    # checked.
    check_task = models.OneToOneField(
        "plans.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emulation_check_schedule",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "year"], name="emulation_schedule_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organiser_id} · {self.year}"


class BlockMeeting(models.Model):
    """The block's year-end meeting (họp cụm, khối): who attended, the vote on the leading
    unit, what it is proposed for, and the conclusions, from which the minutes are printed.
    The proposal goes through the commendation proposals (``proposal_item``)."""

    block = models.OneToOneField(Block, on_delete=models.CASCADE, related_name="meeting")
    held_on = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=200)
    chair_name = models.CharField(_("chủ trì"), max_length=100)
    secretary_name = models.CharField(_("thư ký"), max_length=100)
    units_present = models.PositiveSmallIntegerField(_("số đơn vị dự họp"))
    # {unit id (str): votes} for each unit voted for as the leading unit.
    tally = models.JSONField(default=dict, blank=True)
    votes_cast = models.PositiveSmallIntegerField(_("số phiếu"), default=0)
    leading_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị dẫn đầu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    award_type = models.ForeignKey(
        "awards.AwardType",
        verbose_name=_("đề nghị khen thưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposal_item = models.ForeignKey(
        "awards.ProposalItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    conclusion = models.TextField(_("ý kiến và kết luận"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.block_id} · {self.held_on}"
