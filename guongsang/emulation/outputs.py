"""Outputs of the emulation scoring:

- the rankings (a block's, or the organiser's overall) as XLSX, every cell through
  ``core.spreadsheets.append_row`` (a unit's name is text, never a formula);
- the block's year-end minutes (biên bản họp cụm, khối thi đua) and one unit's scoring table
  as DOCX in the Decree 30/2020 layout, printed by ``plans.printing`` from an unsaved
  ``plans.Document`` (as ``awards.dossier`` prints a tờ trình not yet in the register): body
  lines starting with "|" are tables."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guongsang.core.text import slugify_vi
from guongsang.plans import printing
from guongsang.plans import services as plan_services
from guongsang.plans.models import DocType, Document, Organ

from . import meetings, ranking
from .models import BlockMeeting, Score, ScoreState
from .services import criteria_of, points_text


def _points(value: Decimal | None) -> str:
    return "—" if value is None else points_text(value)


def _cell(text) -> str:
    """Table cells are separated by "|": a unit's or a note's text cannot open a new cell."""
    return " ".join(str(text if text is not None else "").replace("|", "/").split())


def _row(*cells) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def stem(what: str, name: str, pk: int) -> str:
    return f"{what}-{slugify_vi(name) or 'don-vi'}-{pk}"


# ---- rankings (XLSX) ------------------------------------------------------------------------
RANK_HEADINGS = (
    gettext_lazy("Xếp hạng"),
    gettext_lazy("Đơn vị"),
    gettext_lazy("Cụm, khối"),
    gettext_lazy("Tự chấm"),
    gettext_lazy("Chấm chéo"),
    gettext_lazy("Điểm chốt"),
    gettext_lazy("Điểm thưởng"),
    gettext_lazy("Điểm trừ"),
    gettext_lazy("Xếp loại"),
)
PENDING_HEADINGS = (
    gettext_lazy("Đơn vị"),
    gettext_lazy("Cụm, khối"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Tự chấm"),
    gettext_lazy("Chấm chéo"),
)


def _number(value: Decimal | None):
    return "" if value is None else value


def ranking_xlsx(title: str, table: ranking.Table) -> bytes:
    """The ranked units, then the units not yet final ("chưa chốt điểm") apart, with what the
    reader may see of their scores."""
    from openpyxl import Workbook

    from guongsang.core.spreadsheets import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "Xep hang"
    append_row(ws, [title], bold=True)
    append_row(ws, [str(h) for h in RANK_HEADINGS], bold=True)
    for row in table.rows:
        s = row.score
        append_row(
            ws,
            [
                row.rank,
                s.unit.name,
                s.block.name,
                _number(s.self_total),
                _number(s.check_total),
                _number(s.final_total),
                row.bonus,
                row.penalty,
                row.band_label,
            ],
        )
    if table.pending:
        append_row(ws, [])
        append_row(ws, [_("Chưa chốt điểm")], bold=True)
        append_row(ws, [str(h) for h in PENDING_HEADINGS], bold=True)
        for p in table.pending:
            s = p.score
            append_row(
                ws,
                [
                    p.unit.name,
                    p.block.name if p.block else "",
                    s.get_state_display() if s else _("Chưa có bảng điểm"),
                    _number(s.self_total) if s else "",
                    _number(s.check_total) if s else "",
                ],
            )
    for letter, width in zip("ABCDEFGHI", (10, 36, 28, 10, 10, 10, 10, 10, 14), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- the minutes of the block's meeting (DOCX) ------------------------------------------------
def _issuer(block):
    """The minutes are headed by the leader unit (the block's host), else the organiser."""
    return block.leader or block.organiser


def _role(block, unit) -> str:
    if unit.pk == block.leader_id:
        return _("Cụm trưởng")
    if unit.pk == block.deputy_id:
        return _("Cụm phó")
    return _("Thành viên")


def minutes_lines(meeting: BlockMeeting) -> list[str]:
    """The body of the biên bản họp cụm, khối thi đua."""
    block = meeting.block
    members = [m.unit for m in block.members.select_related("unit").order_by("order", "pk")]
    table = ranking.block_table(block, Score.objects.filter(state=ScoreState.FINAL))
    kind = block.get_kind_display().lower()
    lines = [
        _(
            "Hôm nay, ngày %(d)s, tại %(place)s, %(block)s do %(o)s tổ chức họp tổng kết công tác "
            "thi đua năm %(y)s, bình xét đơn vị dẫn đầu và đề nghị khen thưởng."
        )
        % {
            "d": meeting.held_on.strftime("%d/%m/%Y"),
            "place": meeting.place,
            "block": block.name,
            "o": block.organiser.union_name,
            "y": block.year,
        },
        "I. " + _("THÀNH PHẦN"),
        _("Chủ trì: %(n)s.") % {"n": meeting.chair_name},
        _("Thư ký: %(n)s.") % {"n": meeting.secretary_name},
        _("Số đơn vị dự họp: %(p)s/%(n)s đơn vị trong %(k)s:")
        % {"p": meeting.units_present, "n": len(members), "k": kind},
        _row(_("STT"), _("Đơn vị"), _("Vai trò")),
    ]
    for i, unit in enumerate(members, 1):
        lines.append(_row(i, unit.union_name, _role(block, unit)))
    lines.append("II. " + _("KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM %(y)s") % {"y": block.year})
    if table.rows:
        lines.append(
            _row(
                _("Xếp hạng"),
                _("Đơn vị"),
                _("Tự chấm"),
                _("Chấm chéo"),
                _("Điểm chốt"),
                _("Xếp loại"),
            )
        )
        for r in table.rows:
            s = r.score
            lines.append(
                _row(
                    r.rank,
                    s.unit.name,
                    _points(s.self_total),
                    _points(s.check_total),
                    _points(s.final_total),
                    r.band_label,
                )
            )
    else:
        lines.append(_("Chưa có đơn vị nào được chốt điểm."))
    if table.pending:
        lines.append(
            _("Chưa chốt điểm: %(u)s.") % {"u": ", ".join(p.unit.name for p in table.pending)}
        )
    lines.append("III. " + _("BÌNH XÉT ĐƠN VỊ DẪN ĐẦU"))
    lines.append(_("Số phiếu bầu: %(n)s.") % {"n": meeting.votes_cast})
    rows = meetings.tally_rows(meeting, members)
    if rows:
        lines.append(_row(_("STT"), _("Đơn vị"), _("Số phiếu"), _("Tỷ lệ (%)")))
        for i, (unit, votes, share) in enumerate(rows, 1):
            lines.append(_row(i, unit.name, votes, f"{share:g}".replace(".", ",")))
    if meeting.leading_unit_id:
        votes = (meeting.tally or {}).get(str(meeting.leading_unit_id), 0)
        lines.append(
            _("Đơn vị dẫn đầu %(k)s năm %(y)s: %(u)s (%(v)s/%(n)s phiếu).")
            % {
                "k": kind,
                "y": block.year,
                "u": meeting.leading_unit.union_name,
                "v": votes,
                "n": meeting.votes_cast,
            }
        )
    if meeting.award_type_id:
        lines.append(
            _("%(k)s thống nhất đề nghị %(o)s xét tặng “%(t)s” cho %(u)s.")
            % {
                "k": kind[:1].upper() + kind[1:],
                "o": block.organiser.union_name,
                "t": meeting.award_type.name,
                "u": meeting.leading_unit.union_name if meeting.leading_unit_id else "—",
            }
        )
    lines.append("IV. " + _("Ý KIẾN VÀ KẾT LUẬN"))
    conclusion = [line.strip() for line in (meeting.conclusion or "").splitlines() if line.strip()]
    lines.extend(conclusion or [_("Không có ý kiến khác.")])
    lines.append(_("Cuộc họp kết thúc cùng ngày; biên bản được lập và thông qua tại cuộc họp."))
    lines.append(_row(_("THƯ KÝ"), _("CHỦ TRÌ")))
    lines.append(_row(meeting.secretary_name, meeting.chair_name))
    return lines


def minutes_document(meeting: BlockMeeting) -> Document:
    block = meeting.block
    issuer = _issuer(block)
    recipients = [
        _("- Các đơn vị trong %(k)s;") % {"k": block.get_kind_display().lower()},
        _("- %(o)s (b/c);") % {"o": block.organiser.union_name},
    ]
    return Document(
        unit=issuer,
        organ=Organ.BTV,
        doc_type=DocType.BB,
        place=plan_services.default_place(issuer),
        issued_on=meeting.held_on,  # the date line of a biên bản is the meeting's day
        abstract=_("Họp %(b)s năm %(y)s") % {"b": block.name, "y": block.year},
        body="\n".join(minutes_lines(meeting)),
        recipients_text="\n".join(recipients),
        archive="VT",
    )


def minutes_docx(meeting: BlockMeeting) -> bytes:
    return printing.to_docx(minutes_document(meeting))


# ---- one unit's scoring table (DOCX) -------------------------------------------------------------
def score_lines(score: Score) -> list[str]:
    lines_by_criterion = {line.criterion_id: line for line in score.lines.all()}
    block = score.block
    lines = [
        _(
            "Kết quả chấm điểm thi đua năm %(y)s của %(u)s trong %(b)s (%(o)s tổ chức), theo "
            "“%(t)s”. Trạng thái: %(s)s."
        )
        % {
            "y": block.year,
            "u": score.unit.union_name,
            "b": block.name,
            "o": block.organiser.union_name,
            "t": str(score.table),
            "s": score.get_state_display(),
        },
        _row(
            _("Số"),
            _("Tiêu chí"),
            _("Điểm tối đa"),
            _("Tự chấm"),
            _("Chấm chéo"),
            _("Điểm chốt"),
            _("Ghi chú"),
        ),
    ]
    group = None
    for criterion in criteria_of(score.table):
        if criterion.group_id != group:
            group = criterion.group_id
            lines.append(
                _row(criterion.group.code, criterion.group.title.upper(), "", "", "", "", "")
            )
        line = lines_by_criterion.get(criterion.pk)
        notes = []
        if line is not None:
            for label, text in (
                (_("Tự chấm"), line.self_note),
                (_("Chấm chéo"), line.check_note),
                (_("Chốt"), line.final_note),
            ):
                if text.strip():
                    notes.append(f"{label}: {text.strip()}")
            evidence = [str(e.get("label", "")) for e in line.evidence or [] if e.get("label")]
            if evidence:
                notes.append(_("Minh chứng: %(e)s") % {"e": "; ".join(evidence)})
        sign = {"bonus": "+", "penalty": "−"}.get(criterion.kind, "")
        lines.append(
            _row(
                criterion.code,
                f"{criterion.text} ({criterion.get_kind_display().lower()})"
                if sign
                else criterion.text,
                sign + points_text(criterion.max_points),
                _points(line.self_points if line else None),
                _points(line.check_points if line else None),
                _points(line.final_points if line else None),
                " ".join(notes),
            )
        )
    lines.append(
        _row(
            "",
            _("TỔNG CỘNG"),
            "",
            _points(score.self_total),
            _points(score.check_total),
            _points(score.final_total),
            "",
        )
    )
    if score.state == ScoreState.FINAL and score.final_total is not None:
        lines.append(
            _("Xếp loại: %(b)s.")
            % {"b": dict(ranking.BANDS)[ranking.band(score.table, score.final_total)]}
        )
    return lines


def score_document(score: Score) -> Document:
    unit = score.unit
    return Document(
        unit=unit,
        organ=Organ.BTV,
        doc_type=DocType.BC,
        place=plan_services.default_place(unit),
        abstract=_("Kết quả chấm điểm thi đua năm %(y)s") % {"y": score.block.year},
        body="\n".join(score_lines(score)),
        recipients_text=_("- %(o)s;") % {"o": score.block.organiser.union_name},
        archive="VT",
    )


def score_docx(score: Score) -> bytes:
    return printing.to_docx(score_document(score))
