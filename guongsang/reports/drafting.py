"""The draft of a báo cáo (sơ kết / tổng kết): the live figures of a unit's subtree for a period,
the roll-up of the units' submitted reports of a round and their narratives compiled under each
section, written as the body of a ``plans`` document of type Báo cáo. The officer edits the
draft there and issues it as a numbered document of the register; Word and PDF come from the
documents module's Decree 30/2020 layout (body lines starting with "|" are tables)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guongsang.accounts.models import User
from guongsang.exemplars.models import Category, SubjectKind
from guongsang.plans import services as plan_services
from guongsang.plans.models import DocType, Document, Organ
from guongsang.units.models import Unit

from . import figures, services
from .models import Aggregation, ReportState, Round, ValueType, format_number

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _n(value) -> str:
    return format_number(value or 0)


def _cell(text: str) -> str:
    """Table cells are separated by "|": a unit's text cannot open a new cell."""
    return " ".join(str(text).replace("|", "/").split())


def _row(*cells) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _change(now: int, before: int) -> str:
    diff = now - before
    if diff > 0:
        return _("tăng %(n)s") % {"n": _n(diff)}
    if diff < 0:
        return _("giảm %(n)s") % {"n": _n(-diff)}
    return _("bằng")


def period_text(start: dt.date, end: dt.date) -> str:
    return _("từ ngày %(start)s đến ngày %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }


def body_lines(summary: figures.Summary, rnd: Round | None = None) -> list[str]:
    """The body of the báo cáo, line by line (see ``plans.printing.body_blocks``)."""
    unit = summary.unit
    total, before = summary.total, summary.previous_total
    lines: list[str] = []
    ref = ""
    if rnd is not None and rnd.unit_id != unit.pk and rnd.task_id and rnd.task.document.symbol:
        ref = _("Thực hiện văn bản số %(symbol)s của %(unit)s, ") % {
            "symbol": rnd.task.document.symbol,
            "unit": rnd.unit.union_name,
        }
    lines.append(
        ref
        + _(
            "%(unit)s báo cáo kết quả công tác phát hiện, bồi dưỡng, tuyên truyền và nhân rộng "
            "điển hình tiên tiến %(period)s như sau:"
        )  # fmt: skip
        % {"unit": unit.union_name, "period": period_text(summary.start, summary.end)}
    )
    numbers = iter(ROMAN)
    lines.append(f"{next(numbers)}. " + _("KẾT QUẢ THỰC HIỆN"))

    # 1. Outreach by form.
    lines.append("1. " + _("Công tác tuyên truyền"))
    lines.append(
        _(
            "Trong kỳ tổ chức %(n)s hoạt động tuyên truyền với %(p)s lượt người tham dự, trong đó "
            "%(m)s lượt hội viên; so với cùng kỳ năm trước %(change)s hoạt động."
        )  # fmt: skip
        % {
            "n": _n(total.get("activities")),
            "p": _n(total.get("participants")),
            "m": _n(total.get("members")),
            "change": _change(total.get("activities", 0), before.get("activities", 0)),
        }
    )
    lines.append(
        _row(
            _("Hình thức"),
            _("Số hoạt động"),
            _("Lượt người tham dự"),
            _("Trong đó hội viên"),
            _("Cùng kỳ năm trước"),
        )
    )
    for form in summary.forms:
        key = f"@{form.slug}"
        if not (total.get("activities" + key) or before.get("activities" + key)):
            continue
        lines.append(
            _row(
                form.name,
                _n(total.get("activities" + key)),
                _n(total.get("participants" + key)),
                _n(total.get("members" + key)),
                _n(before.get("activities" + key)),
            )
        )
    lines.append(
        _row(
            _("Tổng cộng"),
            _n(total.get("activities")),
            _n(total.get("participants")),
            _n(total.get("members")),
            _n(before.get("activities")),
        )
    )

    # 2. Exemplars.
    lines.append("2. " + _("Phát hiện, bồi dưỡng, biểu dương và nhân rộng điển hình"))
    lines.append(
        _(
            "Phát hiện, giới thiệu %(d)s điển hình; công nhận %(r)s điển hình (cùng kỳ năm trước "
            "%(rb)s); nhân rộng %(rep)s lượt mô hình; đăng %(s)s bài viết về điển hình trên chuyên "
            "mục."
        )  # fmt: skip
        % {
            "d": _n(total.get("nominations.discovered")),
            "r": _n(total.get("exemplars.recognised")),
            "rb": _n(before.get("exemplars.recognised")),
            "rep": _n(total.get("replications")),
            "s": _n(total.get("stories.published")),
        }
    )
    lines.append(_row(_("Loại"), *[k.label for k in SubjectKind], _("Cộng")))
    for cat in Category:
        key = f"exemplars.recognised@{cat.value}"
        lines.append(
            _row(
                cat.label,
                *[_n(total.get(f"{key}.{k.value}")) for k in SubjectKind],
                _n(total.get(key)),
            )
        )

    # 3. By unit.
    if summary.rows:
        lines.append("3. " + _("Kết quả theo đơn vị"))
        lines.append(
            _row(
                _("Đơn vị"),
                _("Hoạt động"),
                _("Lượt người"),
                _("Điển hình công nhận"),
                _("Nhân rộng"),
                _("Bài viết"),
            )
        )
        for row in summary.rows:
            name = _("%(unit)s (trực tiếp)") % {"unit": row.unit.name} if row.own else row.unit.name
            lines.append(
                _row(
                    name,
                    _n(row.get("activities")),
                    _n(row.get("participants")),
                    _n(row.get("exemplars.recognised")),
                    _n(row.get("replications")),
                    _n(row.get("stories.published")),
                )
            )
        lines.append(
            _row(
                _("Tổng cộng"),
                _n(total.get("activities")),
                _n(total.get("participants")),
                _n(total.get("exemplars.recognised")),
                _n(total.get("replications")),
                _n(total.get("stories.published")),
            )
        )

    # 4. Plan tasks.
    lines.append("4. " + _("Thực hiện nhiệm vụ theo kế hoạch, văn bản chỉ đạo"))
    lines.append(
        _(
            "Nhiệm vụ đến hạn trong kỳ: %(on)s hoàn thành đúng hạn, %(late)s hoàn thành muộn, "
            "%(over)s quá hạn chưa hoàn thành."
        )  # fmt: skip
        % {
            "on": _n(total.get("tasks.on_time")),
            "late": _n(total.get("tasks.late")),
            "over": _n(total.get("tasks.overdue")),
        }
    )

    narratives: list[tuple[str, list[tuple[str, str]]]] = []
    if rnd is not None:
        indicators = services.form_indicators(rnd.form)
        rolled = services.rollup(indicators, services.round_q(rnd, unit))
        submitted = rnd.reports.filter(
            state=ReportState.SUBMITTED,
            unit_path__gte=unit.path,
            unit_path__lt=unit.path + "~",
        ).count()
        asked = rnd.task.assignments.count() if rnd.task_id else 0
        lines.append("5. " + _("Tổng hợp báo cáo của các đơn vị"))
        lines.append(
            _("Số đơn vị đã nộp báo cáo: %(n)s/%(total)s.")
            % {"n": _n(submitted), "total": _n(asked)}
        )
        numeric = [i for i in indicators if i.aggregation != Aggregation.TEXTS]
        if numeric:
            lines.append(_row(_("Chỉ tiêu"), _("Đơn vị tính"), _("Tổng hợp")))
            for ind in numeric:
                value = rolled[ind.pk].value
                if ind.aggregation == Aggregation.COUNT_YES:
                    count = int(value or 0)
                    shown = ngettext("%(n)s đơn vị", "%(n)s đơn vị", count) % {"n": _n(count)}
                elif ind.value_type == ValueType.BOOLEAN:
                    shown = _n(value)
                else:
                    shown = "" if value is None else format_number(value)
                lines.append(_row(ind.label, ind.measure, shown))
        narratives = [
            (ind.label, rolled[ind.pk].texts)
            for ind in indicators
            if ind.aggregation == Aggregation.TEXTS
        ]
    else:
        narratives = [
            (_("Kết quả nổi bật"), []),
            (_("Tồn tại, hạn chế"), []),
            (_("Nguyên nhân"), []),
            (_("Bài học kinh nghiệm"), []),
            (_("Phương hướng, nhiệm vụ thời gian tới"), []),
            (_("Kiến nghị, đề xuất"), []),
        ]
    for label, texts in narratives:
        lines.append(f"{next(numbers)}. {label.upper()}")
        if not texts:
            lines.append(_("(Đơn vị bổ sung nội dung.)"))
        for unit_name, text in texts:
            for i, para in enumerate(p for p in text.splitlines() if p.strip()):
                lines.append(f"- {unit_name}: {para.strip()}" if i == 0 else para.strip())
    return lines


def report_draft(
    *,
    by: User,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    rnd: Round | None = None,
    former_structure: bool = False,
) -> Document:
    """A Báo cáo draft of ``unit`` with the figures and narratives filled in. ``unit`` and
    ``rnd`` were fetched through the access layer; the documents module checks that ``by`` may
    issue documents for ``unit``."""
    summary = figures.summary(unit, start, end, former_structure=former_structure, unit_forms=False)
    if rnd is not None:
        # The type name "BÁO CÁO" is printed above the abstract: do not repeat it.
        abstract = rnd.title
        if abstract.casefold().startswith("báo cáo "):
            abstract = abstract[len("báo cáo ") :].strip()
            abstract = abstract[:1].upper() + abstract[1:]
    else:
        abstract = _(
            "Kết quả công tác phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến %(p)s"
        ) % {"p": period_text(start, end)}
    recipients = []
    if unit.parent_id:
        recipients.append(_("- Ban Thường vụ %(unit)s;") % {"unit": unit.parent.union_name})
    # "Lưu: VT" comes from the document's archive field, printed last by the documents module.
    recipients.append(_("- Thường trực %(unit)s;") % {"unit": unit.union_name})
    return plan_services.document_save(
        by=by,
        unit=unit,
        organ=Organ.BTV,
        doc_type=DocType.BC,
        abstract=abstract,
        body="\n".join(body_lines(summary, rnd)),
        recipients_text="\n".join(recipients),
    )
