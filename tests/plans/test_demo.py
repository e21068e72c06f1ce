"""The demo holds plan 53/KH-BTV with its full seed text, and a live plan to the 56 communes."""

import io
from pathlib import Path

from docx import Document as Docx

from guongsang.plans import printing, queries
from guongsang.plans.demo import load_plans_demo
from guongsang.plans.models import Document, TaskState
from guongsang.units import demo

SEED = Path(__file__).resolve().parents[2] / "guongsang/plans/data/53-KH-BTV-2017.txt"


def test_demo_plan_53(db):
    demo.load_demo()
    load_plans_demo()
    plan = Document.objects.get(symbol="53/KH-BTV")
    assert plan.unit.code == "04" and plan.organ == "BTV"
    assert str(plan.issued_on) == "2017-07-28"
    assert plan.implements_ref == "1501/KH-UBND"
    assert plan.body.startswith("Thực hiện Kế hoạch số 1501/KH-UBND, ngày 23/5/2017")
    assert plan.body.rstrip().endswith(
        "kịp thời báo cáo về Văn phòng Hội LHPN tỉnh để phối hợp giải quyết./."
    )
    assert "c) Hộ gia đình hội viên phụ nữ điển hình tiên tiến" in plan.body
    assert plan.body.strip() == SEED.read_text(encoding="utf-8").strip()
    assert set(plan.recipients.values_list("unit__name", flat=True)) >= {
        "Huyện Thạch An",
        "Huyện Trùng Khánh",
    }
    lay = printing.layout(plan)
    assert lay.recipient_lines == [
        "- UBND tỉnh;",
        "- Ban TĐKT (Sở Nội vụ);",
        "- Các huyện, thành Hội & đơn vị trực truộc;",
        "- Thường trực Hội LHPN tỉnh;",
        "- Các ban chuyên môn Hội LHPN tỉnh;",
        "- Lưu: TĐKT, VPTH, VT.",
    ]
    assert lay.sign_lines == ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH"]
    out = Docx(io.BytesIO(printing.to_docx(plan)))
    assert "Số: 53/KH-BTV" in [p.text for p in out.tables[0].rows[0].cells[0].paragraphs]

    live = Document.objects.filter(unit__code="04", year__gt=2017).order_by("pk").first()
    board = queries.board(live, today=live.issued_on.__class__.today())
    assert len(board.rows) == 56
    assert board.counts[TaskState.DONE_ON_TIME] >= 1 and board.counts[TaskState.DONE_LATE] >= 1
    assert board.counts[TaskState.OVERDUE] >= 50
    assert any(row.reminders for row in board.rows)
    # Idempotent: a second call does nothing.
    assert load_plans_demo() == []
