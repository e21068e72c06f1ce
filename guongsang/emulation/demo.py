"""The Cao Bằng emulation demo: the province's communes of the year in four clusters with their
leaders and deputies, a 100-point table for the communes (five groups, plus bonus and penalty
items), the members' pledges, and the year's scoring under way: a schedule whose công văn
is issued (self-scoring due a week before "today", so the compliance board shows the late
units) and scores in every state (see ``_state_of``).

Runs after the units demo (and, when they are loaded, the reports demo, whose annual form's
indicators some pledges sign for). Loading it again adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from guongsang.accounts.models import Membership, Role, User
from guongsang.core.text import fold
from guongsang.outreach.models import Activity
from guongsang.plans import services as plan_services
from guongsang.plans.models import Assignment
from guongsang.reports.models import Indicator
from guongsang.units.models import PATH_END, Unit, UnitKind

from . import pledges, schedules, services
from .models import (
    Block,
    BlockMember,
    CriterionKind,
    PointsTable,
    Schedule,
    Score,
    ScoreAction,
    ScoreStep,
)

# The communes of the demo logins open cluster 1: Đông Khê leads it, Tân Giang is its deputy.
FIRST = ["Xã Đông Khê", "Phường Tân Giang", "Phường Thục Phán"]
CLUSTERS = [
    ("Cụm thi đua số 1", "Các phường và xã trung tâm, phía Đông Nam của tỉnh."),
    ("Cụm thi đua số 2", "Các xã biên giới phía Bắc."),
    ("Cụm thi đua số 3", "Các xã phía Đông."),
    ("Cụm thi đua số 4", "Các xã phía Tây và Tây Nam."),
]

S, B, P = CriterionKind.SCORED, CriterionKind.BONUS, CriterionKind.PENALTY
# (code, title, [(code, text, kind, max points, evidence required, figure)])
TABLE = [
    ("I", "Công tác tuyên truyền, giáo dục", [
        ("1.1", "Tuyên truyền, phổ biến chủ trương, nghị quyết của Đảng, chính sách, pháp luật "
                "của Nhà nước, nghị quyết của Hội cho hội viên, phụ nữ (mỗi chi hội ít nhất một "
                "hoạt động mỗi quý)", S, 8, True, "activities.per_branch"),
        ("1.2", "Tuyên truyền gương điển hình tiên tiến, người tốt việc tốt trên chuyên mục, "
                "đài truyền thanh, mạng xã hội", S, 6, False, "stories.published"),
        ("1.3", "Số lượt hội viên, phụ nữ tham gia các hoạt động tuyên truyền", S, 6, False,
         "participants"),
    ]),
    ("II", "Phong trào thi đua và xây dựng điển hình", [
        ("2.1", "Triển khai phong trào thi đua “Phụ nữ tích cực học tập, lao động sáng tạo, xây "
                "dựng gia đình hạnh phúc”", S, 10, True, ""),
        ("2.2", "Thực hiện cuộc vận động “Xây dựng gia đình 5 không, 3 sạch”", S, 8, False, ""),
        ("2.3", "Phát hiện, bồi dưỡng, giới thiệu điển hình tiên tiến, mô hình mới, nhân tố mới",
         S, 8, True, "exemplars.recognised"),
        ("2.4", "Ký kết và thực hiện giao ước thi đua của cụm", S, 4, False, ""),
    ]),
    ("III", "Xây dựng tổ chức Hội", [
        ("3.1", "Phát triển hội viên mới, đạt chỉ tiêu được giao", S, 8, False, ""),
        ("3.2", "Chi hội sinh hoạt định kỳ, nội dung sinh hoạt phong phú, thiết thực", S, 7,
         False, ""),
        ("3.3", "Đào tạo, bồi dưỡng cán bộ Hội cơ sở, chi hội trưởng", S, 5, False, ""),
        ("3.4", "Thu, nộp hội phí và quản lý quỹ Hội đúng quy định", S, 5, False, ""),
    ]),
    ("IV", "Công tác phối hợp, hỗ trợ phụ nữ phát triển kinh tế", [
        ("4.1", "Hỗ trợ phụ nữ tiếp cận vốn vay, thành lập tổ hợp tác, hợp tác xã do phụ nữ "
                "quản lý", S, 8, True, ""),
        ("4.2", "Phối hợp các ngành hỗ trợ hộ nghèo, phụ nữ có hoàn cảnh khó khăn", S, 7, False,
         ""),
    ]),
    ("V", "Công tác chỉ đạo, báo cáo", [
        ("5.1", "Thực hiện các nhiệm vụ trong kế hoạch của Hội cấp trên đúng hạn", S, 5, False,
         "tasks.on_time"),
        ("5.2", "Báo cáo định kỳ, chuyên đề đầy đủ, đúng hạn, số liệu chính xác", S, 5, False,
         "reports.on_time"),
    ]),
    ("VI", "Điểm thưởng, điểm trừ", [
        ("6.1", "Có mô hình mới, cách làm hay được Hội cấp trên công nhận, nhân rộng", B, 3,
         True, ""),
        ("6.2", "Được cấp trên khen thưởng chuyên đề trong năm", B, 2, True, ""),
        ("6.3", "Báo cáo chậm hoặc sai số liệu (mỗi lần trừ 1 điểm)", P, 3, False, ""),
        ("6.4", "Để xảy ra vụ việc phức tạp, đơn thư vượt cấp liên quan đến tổ chức Hội", P, 2,
         False, ""),
    ]),
]  # fmt: skip

# Free-text targets (rotated) and, when the reports demo is loaded, the indicators of its
# annual form with a target value.
TEXTS = [
    "100% chi hội tổ chức sinh hoạt định kỳ hằng tháng",
    "Phát triển ít nhất 30 hội viên mới",
    "Vận động 80% hộ hội viên đăng ký xây dựng gia đình “5 không, 3 sạch”",
    "Hỗ trợ 5 hộ phụ nữ nghèo phát triển kinh tế",
    "Thành lập mới 1 tổ hợp tác do phụ nữ quản lý",
]
INDICATORS = [("TT", 24), ("PH", 3), ("HDAT", 120)]
ANNUAL_FORM = "KH53-NAM"
TABLE_NAME = "Bảng chấm điểm thi đua Hội LHPN các xã, phường năm {year}"
UNPLEDGED = 3  # the last members of cluster 4 have not recorded their pledge yet


def _members(province: Unit, today: dt.date) -> list[list[Unit]]:
    communes = list(
        Unit.objects.subtree_of(province)
        .current(today)
        .filter(kind=UnitKind.COMMUNE, parent=province)
        .order_by("path")
    )
    first = [c for name in FIRST for c in communes if c.name == name]
    ordered = first + [c for c in communes if c not in first]
    size = -(-len(ordered) // len(CLUSTERS))  # ceiling
    groups = [ordered[n * size : (n + 1) * size] for n in range(len(CLUSTERS))]
    return [g for g in groups if g]


def _blocks(admin: User, province: Unit, year: int, today: dt.date) -> list[Block]:
    existing = list(Block.objects.filter(organiser=province, year=year).order_by("name"))
    if existing:
        return existing
    made = []
    for (name, note), members in zip(CLUSTERS, _members(province, today), strict=False):
        made.append(
            services.block_save(
                by=admin,
                organiser=province,
                year=year,
                name=name,
                kind="cluster",
                members=members,
                leader=members[0],
                deputy=members[1] if len(members) > 1 else None,
                note=note,
            )
        )
    return made


def _table(admin: User, province: Unit, year: int) -> PointsTable:
    name = TABLE_NAME.format(year=year)
    table = PointsTable.objects.filter(issuing_unit=province, year=year, name=name).first()
    if table is not None:
        return table
    table = services.table_create(
        by=admin, issuing_unit=province, year=year, level=UnitKind.COMMUNE, name=name
    )
    for code, title, criteria in TABLE:
        group = services.group_add(by=admin, table=table, code=code, title=title)
        for c_code, text, kind, points, evidence, figure in criteria:
            services.criterion_add(
                by=admin,
                group=group,
                code=c_code,
                text=text,
                kind=kind,
                max_points=Decimal(points),
                evidence_required=evidence,
                figure=figure,
            )
    return table


def _pledges(admin: User, blocks: list[Block], year: int, today: dt.date) -> None:
    signed = min(today, dt.date(year, 2, 25))  # the clusters' signing conference
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            form__code=ANNUAL_FORM, code__in=[code for code, _v in INDICATORS]
        ).order_by("form__version")
    }
    have = set(pledges.Pledge.objects.filter(block__in=blocks).values_list("block_id", "unit_id"))
    for b, block in enumerate(blocks):
        members = [m.unit for m in block.members.select_related("unit").order_by("order", "pk")]
        if b == len(blocks) - 1 and len(members) > UNPLEDGED:
            members = members[:-UNPLEDGED]
        for n, unit in enumerate(members):
            if (block.pk, unit.pk) in have:
                continue
            targets = [pledges.Target(text=TEXTS[(n + k) % len(TEXTS)]) for k in range(3)]
            for code, value in INDICATORS[: 1 + n % len(INDICATORS)]:
                if code in indicators:
                    targets.append(
                        pledges.Target(indicator=indicators[code], target=Decimal(value + n % 5))
                    )
            pledges.pledge_save(
                by=admin,
                block=block,
                unit=unit,
                signed_on=signed,
                note=f"Ký tại Hội nghị ký kết giao ước thi đua cụm năm {year}.",
                targets=targets,
            )


@transaction.atomic
def load_emulation_demo(today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    province = Unit.objects.filter(code="04", kind=UnitKind.PROVINCE).first()
    admin = User.objects.filter(username="tinh.thuongtruc").first()
    if province is None or admin is None:
        return
    year = today.year
    blocks = _blocks(admin, province, year, today)
    table = _table(admin, province, year)
    _pledges(admin, blocks, year, today)
    schedule = _schedule(admin, province, table, today)
    _scores(admin, province, blocks, table, schedule, today)


# ---- the scoring cycle ----------------------------------------------------------------------
# What each member of a cluster has done by the demo's "today" (by its order in the cluster).
# Cluster 1 (the demo logins'): the leader's own score checked by the deputy, most members
# submitted (the leader's cross-check queue), Thục Phán returned, two drafts, two not started.
# Cluster 2: every score final (a ranked block). Cluster 3: half way. Cluster 4: barely begun.
DRAFT, SUBMITTED, RETURNED, CHECKED, FINAL = "draft", "submitted", "returned", "checked", "final"


def _state_of(block_index: int, n: int) -> str | None:
    if block_index == 0:
        if n == 0:
            return CHECKED
        if n == 2:
            return RETURNED
        return {10: DRAFT, 11: DRAFT, 12: None, 13: None}.get(n, SUBMITTED)
    if block_index == 1:
        return FINAL
    if block_index == 2:
        return CHECKED if n <= 3 else SUBMITTED if n <= 7 else DRAFT if n <= 9 else None
    return DRAFT if n <= 2 else None


# Cluster 2's final scores, by member: (the scored criteria's own points, bonus points, cut at
# the cross-check, penalty set when the province fixes the points). Final totals 97 (xuất sắc),
# 91, 90 and 90 (a tie: Xã Huy Giáp, without penalty, ranks before Xã Ca Thành), 88,5 … 85,5
# (tốt) and 78 (khá).
FINALS = [
    ("94.5", {"6.1": 3}, "0.5", {}),
    ("91", {}, "0", {}),
    ("89", {"6.2": 1}, "0", {}),
    ("89", {"6.1": 2}, "0", {"6.3": 1}),
    ("89.5", {}, "1", {}),
    ("87.5", {}, "0", {}),
    ("87", {}, "1", {}),
    ("92.5", {}, "0", {}),
    ("86", {}, "0.5", {}),
    ("90", {}, "0.5", {}),
    ("93", {}, "0", {}),
    ("80.5", {}, "1.5", {"6.3": 1}),
    ("88", {}, "0", {}),
    ("91.5", {}, "0", {}),
]

SELF_NOTES = {
    "1.1": "{a}/{b} chi hội tổ chức tuyên truyền hằng quý; {c} buổi tuyên truyền Luật Phòng, "
    "chống bạo lực gia đình.",
    "1.2": "{c} tin, bài về gương phụ nữ tiêu biểu trên đài truyền thanh và trang Facebook Hội.",
    "1.3": "{p} lượt hội viên, phụ nữ tham gia.",
    "2.1": "Phát động phong trào tại hội nghị đầu năm; sơ kết 6 tháng, biểu dương {c} tập thể, "
    "cá nhân.",
    "2.3": "Giới thiệu {e} điển hình tiên tiến, trong đó {f} phụ nữ dân tộc thiểu số phát triển "
    "kinh tế giỏi.",
    "3.1": "Kết nạp {h} hội viên mới / chỉ tiêu 30.",
    "3.4": "Thu hội phí đạt {r}%, nộp đủ về Hội cấp trên.",
    "4.1": "Phối hợp Ngân hàng Chính sách xã hội giải ngân cho {k} hộ hội viên vay vốn.",
    "6.1": "Mô hình “Tổ phụ nữ tiết kiệm” được Hội LHPN tỉnh công nhận, nhân rộng.",
    "6.2": "Được Ban Thường vụ Hội LHPN tỉnh tặng Giấy khen chuyên đề.",
}
LINKS = {
    "1.1": "Biên bản sinh hoạt chi hội các quý",
    "2.1": "Kế hoạch và báo cáo sơ kết phong trào thi đua",
    "2.3": "Danh sách điển hình tiên tiến được giới thiệu",
    "4.1": "Danh sách hộ vay vốn có xác nhận của ngân hàng",
    "6.1": "Quyết định công nhận mô hình",
    "6.2": "Giấy khen chuyên đề",
}
CHECK_NOTE = "Trừ {cut} điểm: biên bản sinh hoạt của {k} chi hội chưa đủ chữ ký, đề nghị bổ sung."
CHECKED_NOTE = "Kiểm tra hồ sơ minh chứng đầy đủ, thống nhất điểm tự chấm."
PENALTY_NOTE = "Báo cáo sơ kết 6 tháng gửi chậm so với quy định (trừ 1 điểm)."
RETURN_REASON = (
    "Tiêu chí 1.1 chưa kèm biên bản sinh hoạt chi hội quý III; số hội viên mới ở tiêu chí 3.1 "
    "chưa khớp với báo cáo 6 tháng. Đề nghị bổ sung minh chứng, rà soát lại và gửi lại."
)
LINK_ROOT = "https://hoilhpn.caobang.gov.vn/minh-chung"
HALF = Decimal("0.5")


def _day(today: dt.date, offset: int, start: dt.date) -> dt.date:
    """``today`` moved by ``offset`` days, kept between ``start`` and ``today``."""
    return min(max(today + dt.timedelta(days=offset), start), today)


def _later(day: dt.date, days: int, today: dt.date) -> dt.date:
    return min(day + dt.timedelta(days=days), max(today, day))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _spread(criteria, target: Decimal, n: int) -> dict:
    """The scored criteria's points adding up to ``target``: each at its maximum, then half
    points taken off in turn (from a criterion that depends on ``n``), none below half its
    maximum."""
    points = {c.code: c.max_points for c in criteria}
    short = sum(points.values()) - target
    codes = [c.code for c in criteria]
    k = n
    while short > 0:
        code = codes[k % len(codes)]
        floor = next(c.max_points for c in criteria if c.code == code) / 2
        if points[code] - HALF >= floor:
            points[code] -= HALF
            short -= HALF
        k += 4  # coprime with the 15 scored criteria: each in turn
    return points


def _note(code: str, n: int) -> str:
    template = SELF_NOTES.get(code)
    if template is None:
        return ""
    b = 8 + n % 7
    return template.format(
        a=b - (n % 3 == 1),
        b=b,
        c=3 + n % 5,
        p=f"{1200 + 97 * (n % 11):,}".replace(",", "."),
        e=2 + n % 3,
        f=1 + n % 2,
        h=24 + (n * 5) % 13,
        r=92 + n % 9,
        k=3 + n % 4,
    )


def _evidence(code: str, unit: Unit, year: int, activities: list[dict]) -> list[dict]:
    """What a unit cites: its own activities of the year for the outreach and the movement
    (as ``services.evidence_candidates`` lists them), else a link to its scanned papers."""
    if code in ("1.1", "2.1") and activities:
        return activities[:2]
    slug = fold(unit.name).replace(" ", "-")
    return [
        {
            "kind": "link",
            "url": f"{LINK_ROOT}/{year}/{slug}/{code}",
            "label": f"{LINKS.get(code, 'Hồ sơ minh chứng')} năm {year}",
        }
    ]


def _self_entries(score, criteria, target, bonus, n, year, activities, *, part=False) -> dict:
    scored = [c for c in criteria if c.kind == S]
    points = _spread(scored, Decimal(target), n)
    if part:  # a draft: the first groups only
        scored = scored[: len(scored) // 2]
    entries = {}
    for c in scored + [c for c in criteria if c.code in bonus]:
        value = points[c.code] if c.kind == S else Decimal(bonus[c.code])
        entry = {"points": value, "note": _note(c.code, n)}
        if c.evidence_required and value > 0:
            entry["evidence"] = _evidence(c.code, score.unit, year, activities)
        entries[c.pk] = entry
    return entries


def _schedule(admin: User, province: Unit, table: PointsTable, today: dt.date):
    existing = Schedule.objects.filter(organiser=province, year=table.year).first()
    if existing is not None:
        return existing
    start = dt.date(table.year, 1, 1)
    schedule = schedules.schedule_create(
        by=admin,
        organiser=province,
        year=table.year,
        table=table,
        self_deadline=_day(today, -7, start),
        check_deadline=today + dt.timedelta(days=7),
        final_deadline=today + dt.timedelta(days=18),
    )
    issued = min(_day(today, -40, start), timezone.localdate())
    plan_services.document_issue(document=schedule.task.document, by=admin, on=issued)
    return schedule


def _officers(units: list[Unit], admin: User) -> dict[int, User]:
    """Each unit's officer who scores (a staff member first), else the province's."""
    out: dict[int, User] = {}
    for m in (
        Membership.objects.filter(unit__in=units, role__in=[Role.STAFF, Role.ADMIN])
        .select_related("user")
        .order_by("unit_id", "-role", "pk")  # "staff" sorts after "admin": staff first
    ):
        out.setdefault(m.unit_id, m.user)
    return {u.pk: out.get(u.pk, admin) for u in units}


def _activities(province: Unit, year: int) -> list[tuple[str, dict]]:
    rows = Activity.objects.filter(
        unit_path__gte=province.path,
        unit_path__lt=province.path + PATH_END,
        date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    ).order_by("-date", "-pk")
    return [
        (
            a["unit_path"],
            {
                "kind": "activity",
                "id": a["pk"],
                "label": f"{a['title']} ({a['date']:%d/%m/%Y})"[:300],
            },
        )
        for a in rows.values("pk", "title", "date", "unit_path")
    ]


def _scores(admin: User, province: Unit, blocks: list[Block], table, schedule, today) -> None:
    members = list(
        BlockMember.objects.filter(block__in=blocks)
        .select_related("unit", "block")
        .order_by("block__name", "order", "pk")
    )
    have = set(Score.objects.filter(block__in=blocks).values_list("block_id", "unit_id"))
    index = {b.pk: i for i, b in enumerate(blocks)}
    todo = []
    position: dict[int, int] = {}
    for m in members:
        n = position[m.block_id] = position.get(m.block_id, -1) + 1
        state = _state_of(index[m.block_id], n)
        if state is not None and (m.block_id, m.unit_id) not in have:
            todo.append((m, n, state))
    if not todo:
        return
    criteria = services.criteria_of(table)
    by_code = {c.code: c for c in criteria}
    units = [m.unit for m in members]
    officers = _officers(units, admin)
    activities = _activities(province, table.year)
    start = schedule.task.document.issued_on or dt.date(table.year, 1, 1)
    for m, n, state in todo:
        block, unit = m.block, m.unit
        b = index[block.pk]
        by = officers[unit.pk]
        own = [a for path, a in activities if path.startswith(unit.path)]
        if b == 1:
            target, bonus, cut, penalty = FINALS[n % len(FINALS)]
        else:
            k = 7 * b + n
            target, bonus = Decimal(83) + HALF * ((k * 7) % 17), {}
            if k % 5 == 1:
                bonus = {"6.2": 1}
            cut, penalty = ("0.5" if k % 2 else "0"), {}
        score = services.score_open(by=by, block=block, unit=unit, table=table)
        entries = _self_entries(
            score, criteria, target, bonus, n, table.year, own, part=state == DRAFT
        )
        score = services.score_self(by=by, score=score, version=score.version, entries=entries)
        if state == DRAFT:
            continue
        score = services.score_submit(by=by, score=score, version=score.version)
        late = n % 6 == 5
        submitted = _day(today, (n % 3 - 6) if late else -(8 + n % 12), start)
        days = {"submitted_at": _at(submitted, 9 + n % 7)}
        steps = {ScoreAction.SUBMIT: days["submitted_at"]}
        checker = officers[block.deputy_id if unit.pk == block.leader_id else block.leader_id]
        if state == RETURNED:
            services.score_return(
                by=checker, score=score, version=score.version, reason=RETURN_REASON
            )
            steps[ScoreAction.RETURN] = _at(_later(submitted, 3, today), 15)
        if state in (CHECKED, FINAL):
            entries = {}
            if Decimal(cut) > 0:
                c = by_code["3.2"]
                line = score.lines.get(criterion=c)
                entries[c.pk] = {
                    "points": line.self_points - Decimal(cut),
                    "note": CHECK_NOTE.format(cut=str(cut).replace(".", ","), k=1 + n % 3),
                }
            else:
                c = by_code["1.1"]
                line = score.lines.get(criterion=c)
                entries[c.pk] = {"points": line.self_points, "note": CHECKED_NOTE}
            score = services.score_check(
                by=checker, score=score, version=score.version, entries=entries
            )
            checked = _later(submitted, 3 + n % 4, today)
            days["checked_at"] = steps[ScoreAction.CHECK] = _at(checked, 14)
            if state == FINAL:
                entries = {
                    by_code[code].pk: {"points": Decimal(points), "note": PENALTY_NOTE}
                    for code, points in penalty.items()
                }
                score = services.score_finalise(
                    by=admin, score=score, version=score.version, entries=entries
                )
                days["finalised_at"] = steps[ScoreAction.FINALISE] = _at(
                    _later(checked, 2, today), 16
                )
        # The steps happened over the past weeks, not all now: date them as the demo tells.
        Score.objects.filter(pk=score.pk).update(**days)
        for action, at in steps.items():
            ScoreStep.objects.filter(score=score, action=action).update(at=at)
        if state != RETURNED:
            Assignment.objects.filter(task_id=schedule.task_id, recipient__unit_id=unit.pk).update(
                done_at=days["submitted_at"]
            )
