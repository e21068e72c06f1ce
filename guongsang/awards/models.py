"""Commendation: the catalogue of emulation titles and forms of commendation (as data, with
their eligibility and council vote rules and prize multiples), the dated base salary, and the
award history of every subject.

The catalogue is the union's, one for every level: which levels may confer an entry is part of
the entry. Every value the law leaves open (caps, thresholds, multiples) is a field, not code."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guongsang.core.text import fold


class AwardKind(models.TextChoices):
    TITLE = "title", _("Danh hiệu thi đua")
    FORM = "form", _("Hình thức khen thưởng")
    # A recognised initiative (sáng kiến) is held like a title: the prerequisite of some titles.
    INITIATIVE = "initiative", _("Sáng kiến được công nhận")


class VoteBase(models.TextChoices):
    """What the approval share of a council vote is a share of."""

    MEMBERS = "members", _("Tổng số thành viên hội đồng")
    PRESENT = "present", _("Số thành viên có mặt")
    VALID = "valid", _("Số phiếu hợp lệ")


SHARE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class AwardType(models.Model):
    """An entry of the catalogue: "Chiến sĩ thi đua cơ sở", "Bằng khen", "Kỷ niệm chương …"."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("loại"), max_length=16, choices=AwardKind.choices)
    for_collective = models.BooleanField(_("cho tập thể"), default=False)
    for_individual = models.BooleanField(_("cho cá nhân"), default=False)
    for_household = models.BooleanField(_("cho hộ gia đình"), default=False)
    # Unit kinds (``units.UnitKind`` values) whose union may confer it, e.g. ["province"].
    conferring_levels = models.JSONField(_("cấp được tặng"), default=list, blank=True)
    # Council vote rule: the session is valid with ``quorum`` of all members present; a
    # candidate passes with at least ``approval`` of ``vote_base`` voting yes.
    quorum = models.DecimalField(
        _("tỷ lệ có mặt tối thiểu"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.6667"),
        validators=SHARE,
    )
    approval = models.DecimalField(
        _("tỷ lệ tán thành tối thiểu"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.5"),
        validators=SHARE,
    )
    vote_base = models.CharField(
        _("tỷ lệ tính trên"), max_length=10, choices=VoteBase.choices, default=VoteBase.MEMBERS
    )
    secret_ballot = models.BooleanField(_("bỏ phiếu kín"), default=True)
    # Prize as a multiple of the base salary in force on the decision's date; none: no prize.
    prize_multiple = models.DecimalField(
        _("hệ số tiền thưởng"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)
    note = models.TextField(_("căn cứ, ghi chú"), blank=True)

    class Meta:
        ordering = ["kind", "rank", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def applies_to(self, subject_kind: str) -> bool:
        return bool(getattr(self, f"for_{subject_kind}", False))


class RuleKind(models.TextChoices):
    # ``other`` held in the same year (``years`` = 0) or in the year before (``years`` = 1).
    REQUIRES = "requires", _("Phải có danh hiệu, sáng kiến trong năm")
    # ``other`` held in each of the ``years`` consecutive years ending with the proposal's year
    # or with the year before (``ends_year_before``).
    STREAK = "streak", _("Phải có danh hiệu liên tục nhiều năm")
    # Holders of this entry in a unit's subtree and year ≤ ``share`` of the holders of ``other``.
    SHARE_CAP = "share_cap", _("Tỷ lệ tối đa so với số được tặng danh hiệu khác")
    # Not the same entry within ``years`` years before.
    NOT_WITHIN = "not_within", _("Không trùng hình thức trong số năm")


class Severity(models.TextChoices):
    WARN = "warn", _("Cảnh báo")
    BLOCK = "block", _("Chặn")


class EligibilityRule(models.Model):
    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("loại điều kiện"), max_length=16, choices=RuleKind.choices)
    other = models.ForeignKey(
        AwardType,
        verbose_name=_("danh hiệu liên quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    years = models.PositiveSmallIntegerField(_("số năm"), default=0)
    # For a streak: the run ends with the year before the proposal's (e.g. Chiến sĩ thi đua toàn
    # quốc, considered the year after the second provincial title) or with the proposal's year
    # itself (Chiến sĩ thi đua cấp tỉnh, considered in the year of the third CSTĐ cơ sở).
    ends_year_before = models.BooleanField(
        _("chuỗi năm kết thúc ở năm trước năm đề nghị"), default=True
    )
    share = models.DecimalField(
        _("tỷ lệ tối đa"), max_digits=5, decimal_places=4, null=True, blank=True, validators=SHARE
    )
    severity = models.CharField(
        _("mức"), max_length=8, choices=Severity.choices, default=Severity.WARN
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["award_type", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.award_type}: {self.get_kind_display()}"


class BaseSalary(models.Model):
    """Mức lương cơ sở from a date; a prize uses the amount in force on its decision's date."""

    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    amount = models.DecimalField(
        _("mức lương cơ sở (đồng)"),
        max_digits=12,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("1"))],
    )
    basis = models.CharField(_("căn cứ"), max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.amount} ({self.valid_from:%d/%m/%Y})"


class AwardSource(models.TextChoices):
    MANUAL = "manual", _("Nhập tay")
    IMPORT = "import", _("Nhập từ Excel")
    MIGRATED = "migrated", _("Chuyển từ danh hiệu đã ghi")
    DECISION = "decision", _("Theo quyết định khen thưởng")


class Award(models.Model):
    """One award a subject received: a title, a form of commendation or a recognised initiative,
    in a year, by a decision of a conferring body. ``award_type`` is empty only for a text that
    matched no catalogue entry (kept as written in ``name``)."""

    subject = models.ForeignKey(
        "exemplars.Subject", on_delete=models.CASCADE, related_name="awards"
    )
    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("danh hiệu, hình thức"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    name = models.CharField(_("danh hiệu, hình thức (như ghi)"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False)
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    conferred_by = models.CharField(_("cơ quan, cấp tặng"), max_length=200, blank=True)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=AwardSource.choices, default=AwardSource.MANUAL
    )
    # The subject's unit path: share caps count holders in a subtree without a join.
    unit_path = models.CharField(max_length=255, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "award_type", "year"],
                condition=models.Q(award_type__isnull=False),
                name="award_once_a_year",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "year"], name="award_subject_year_idx"),
            models.Index(fields=["award_type", "year", "unit_path"], name="award_type_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too
        (with ``subject`` and its ``unit`` loaded)."""
        if self.award_type_id and not self.name:
            self.name = self.award_type.name
        self.name = " ".join(self.name.split())
        self.name_folded = fold(self.name)
        if not self.unit_path:
            self.unit_path = self.subject.unit_path or self.subject.unit.path


# ---- proposals (đề nghị khen thưởng) -------------------------------------------------------------
class CommendationRound(models.Model):
    """A round of commendation (đợt xét khen thưởng) opened by a unit for its subtree, e.g.
    "Tổng kết năm 2026" or "Sơ kết 5 năm thực hiện Kế hoạch 53": units below propose subjects
    up the tree by ``deadline``; the round's unit reviews and puts the list before its council."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên đợt"), max_length=300)
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    # The achievements' period: "propose the exemplars recognised in it" reads it.
    period_start = models.DateField(_("thành tích từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn gửi đề nghị"))
    # What may be proposed in this round; none: every active entry the unit's level may confer.
    award_types = models.ManyToManyField(
        AwardType, verbose_name=_("danh hiệu, hình thức được đề nghị"), blank=True, related_name="+"
    )
    note = models.TextField(_("hướng dẫn"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-deadline", "-pk"]
        indexes = [models.Index(fields=["unit", "year"], name="comm_round_unit_idx")]

    def __str__(self) -> str:
        return self.title


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ cấp trên xét")
    RETURNED = "returned", _("Bị trả lại")
    REJECTED = "rejected", pgettext_lazy("proposal state", "Không chấp nhận")
    # Reached the round's unit and accepted there: its items go before the council.
    ACCEPTED = "accepted", _("Đã tiếp nhận")


class Proposal(models.Model):
    """One unit's proposal in a round (its tờ trình and list): drafted by the unit, submitted
    to the level above, which forwards it up to the round's unit, returns or rejects it."""

    round = models.ForeignKey(CommendationRound, on_delete=models.PROTECT, related_name="proposals")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị đề nghị"), on_delete=models.PROTECT, related_name="+"
    )
    # Where it waits now (the reviewing unit), moved up by each forward.
    at_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    # Optimistic concurrency: each change checks the version the user saw and increments it.
    version = models.PositiveIntegerField(default=0)
    # The tờ trình (type TTr) in the documents module, made when the proposal is submitted.
    document = models.OneToOneField(
        "plans.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Derived paths (``COLLATE "C"`` on PostgreSQL): scope and queue ranges without a join.
    unit_path = models.CharField(max_length=255, editable=False, default="")
    at_path = models.CharField(max_length=255, editable=False, default="", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="proposal_once_per_round")
        ]
        indexes = [
            models.Index(fields=["round", "unit_path"], name="proposal_round_path_idx"),
            models.Index(fields=["at_path", "state"], name="proposal_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        if Proposal.unit.field.is_cached(self) or not self.unit_path:
            self.unit_path = self.unit.path
        if self.at_unit_id is None:
            self.at_path = ""
        elif Proposal.at_unit.field.is_cached(self) or not self.at_path:
            self.at_path = self.at_unit.path

    @property
    def editable(self) -> bool:
        return self.state in (ProposalState.DRAFT, ProposalState.RETURNED)


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("Chờ xét")
    PASSED = "passed", _("Được hội đồng thông qua")
    FAILED = "failed", _("Không được thông qua")
    AWARDED = "awarded", _("Đã có quyết định khen thưởng")


class ProposalItem(models.Model):
    """A subject proposed for an award type in a proposal, with its dossier."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="items")
    subject = models.ForeignKey(
        "exemplars.Subject", on_delete=models.PROTECT, related_name="proposal_items"
    )
    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("danh hiệu, hình thức"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The nomination whose achievement report and evidence the dossier starts from, if any.
    nomination = models.ForeignKey(
        "exemplars.Nomination", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(_("tóm tắt thành tích"), max_length=500, blank=True)
    achievements = models.TextField(_("báo cáo thành tích"), blank=True)
    # The eligibility findings when the proposal was last submitted (awards.eligibility):
    # [{"kind", "severity", "ok", "message"}], kept as they were said.
    eligibility = models.JSONField(default=list, blank=True)
    outcome = models.CharField(
        _("kết quả"), max_length=10, choices=ItemOutcome.choices, default=ItemOutcome.PENDING
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "subject", "award_type"], name="proposal_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.award_type}"


def proposal_file_path(instance: "ProposalFile", filename: str) -> str:
    return f"awards/proposals/{instance.item.proposal_id}/{filename}"


class ProposalFile(models.Model):
    """Evidence for an item's dossier, checked by content on upload (``core.uploads``) and
    served only through the access layer."""

    item = models.ForeignKey(ProposalItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=proposal_file_path, max_length=300)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ProposalAction(models.TextChoices):
    SUBMIT = "submit", _("Gửi đề nghị")
    FORWARD = "forward", _("Chuyển cấp trên")
    RETURN = "return", _("Trả lại")
    REJECT = "reject", pgettext_lazy("review action", "Không chấp nhận")
    ACCEPT = "accept", _("Tiếp nhận")


class ProposalStep(models.Model):
    """The trail of a proposal: append-only (services create rows, never change them)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=10, choices=ProposalAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("lý do, ý kiến"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y})"


# ---- council (Hội đồng Thi đua - Khen thưởng) and its e-ballot -----------------------------------
class Council(models.Model):
    """The emulation and commendation council of a union level."""

    unit = models.OneToOneField(
        "units.Unit", verbose_name=_("cấp Hội"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên hội đồng"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch")
    VICE = "vice", _("Phó Chủ tịch")
    SECRETARY = "secretary", _("Thư ký")
    MEMBER = "member", _("Ủy viên")


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("chức danh"), max_length=10, choices=CouncilRole.choices)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    active = models.BooleanField(_("đang là thành viên"), default=True)

    class Meta:
        ordering = ["council", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class SessionState(models.TextChoices):
    DRAFT = "draft", _("Chuẩn bị")
    OPEN = "open", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc")


class Session(models.Model):
    """A council meeting: an agenda of proposal items, attendance, and (while open) voting."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sessions")
    round = models.ForeignKey(
        CommendationRound, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    title = models.CharField(_("tên phiên họp"), max_length=300)
    date = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=8, choices=SessionState.choices, default=SessionState.DRAFT
    )
    # Members in the council when the session opened (the base of "all members").
    member_count = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The biên bản họp and the biên bản kiểm phiếu (both type BB) in the documents module, made
    # at closing.
    minutes = models.OneToOneField(
        "plans.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    count_minutes = models.OneToOneField(
        "plans.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Who attended; an absent member's written vote is entered by the secretary."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("có mặt"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} ({'có mặt' if self.present else 'vắng'})"


class AgendaItem(models.Model):
    """A proposal item before the session; the tally is frozen at closing."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda")
    item = models.ForeignKey(ProposalItem, on_delete=models.PROTECT, related_name="agenda_entries")
    order = models.PositiveIntegerField(default=0)
    yes = models.PositiveSmallIntegerField(null=True, blank=True)
    no = models.PositiveSmallIntegerField(null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["session", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "item"], name="agenda_item_once")]

    def __str__(self) -> str:
        return str(self.item)


class BallotCast(models.Model):
    """*That* a member voted in a session (or that her written vote was entered): never what.
    No time is kept (a moment could pair it with a ballot); the unique key makes a second vote
    fail whatever the concurrency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="casts")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    written = models.BooleanField(default=False)  # entered by the secretary for an absentee

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="ballot_once")]

    def __str__(self) -> str:
        return f"{self.member} đã bỏ phiếu"


class Ballot(models.Model):
    """*What* was voted, with no member and no time: a random id, and the hash of the receipt
    code given to the voter, so she can find her ballot in the published tally."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ballots")
    receipt_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Phiếu {self.receipt_hash[:8]}"


class Choice(models.TextChoices):
    YES = "yes", _("Đồng ý")
    NO = "no", _("Không đồng ý")
    ABSTAIN = "abstain", _("Không biểu quyết")


class BallotChoice(models.Model):
    # A random id too: a sequence would give away the order the ballots came in.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "agenda_item"], name="ballot_choice_once")
        ]

    def __str__(self) -> str:
        return self.get_choice_display()


# ---- decisions (quyết định khen thưởng) -----------------------------------------------------------
class Decision(models.Model):
    """A decision of commendation: a QĐ document of the council's unit with the list of the
    items its session passed. Issuing it numbers the document and writes every line into the
    subjects' award history."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("cấp quyết định"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.OneToOneField(
        "plans.Document", on_delete=models.PROTECT, related_name="award_decision"
    )
    year = models.PositiveSmallIntegerField(_("năm khen thưởng"))
    issued_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.document)


class DecisionLine(models.Model):
    """One awardee of a decision; the prize is fixed at issuing, from the multiple and the base
    salary in force on the decision's date."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    item = models.OneToOneField(
        ProposalItem, on_delete=models.PROTECT, related_name="decision_line"
    )
    subject = models.ForeignKey("exemplars.Subject", on_delete=models.PROTECT, related_name="+")
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="+")
    prize_multiple = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    prize_amount = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    award = models.OneToOneField(
        Award, on_delete=models.SET_NULL, null=True, blank=True, related_name="decision_line"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["decision", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} · {self.award_type}"


class Certificate(models.Model):
    """The printed Giấy khen / Bằng khen of one decision line, with a code that opens the public
    verification page ``/xac-minh/<code>``: random, long enough never to be guessed or walked
    through (16 characters of 32: 80 bits)."""

    line = models.OneToOneField(DecisionLine, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(max_length=20, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code
