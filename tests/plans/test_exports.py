"""The compliance board's Excel: what communes typed stays text; counts and times keep their type."""

import datetime as dt

from guongsang.plans import services
from guongsang.plans.models import Assignment, TaskKind
from guongsang.plans.services import TaskSpec
from guongsang.units.models import Unit

from ..xlsx import HOSTILE, assert_text_cells, column, download
from .conftest import TODAY, frozen, make_plan


def test_board_export_writes_typed_text_as_text(cast):
    # Unit names are not stripped by any form: the leading tab and carriage return go there.
    Unit.objects.filter(pk=cast.commune_a.pk).update(name=HOSTILE[4])
    Unit.objects.filter(pk=cast.commune_b.pk).update(name=HOSTILE[5])
    deadline = TODAY + dt.timedelta(days=10)
    with frozen(TODAY):
        plan = make_plan(
            cast.province_admin,
            cast.province,
            [cast.commune_a, cast.commune_b],
            tasks=[
                TaskSpec(TaskKind.PLAN, HOSTILE[3], deadline),
                TaskSpec(TaskKind.REPORT, "Báo cáo kết quả", deadline),
            ],
        )
    assignments = Assignment.objects.filter(task__document=plan).select_related(
        "task", "recipient__unit"
    )
    by_unit = {cast.commune_a.pk: cast.a_staff, cast.commune_b.pk: cast.b_staff}
    with frozen(TODAY + dt.timedelta(days=1)):
        # One answer through the page, like a commune officer; the others through the service.
        first, *others = sorted(assignments, key=lambda a: a.pk)
        response = cast.client_for(by_unit[first.recipient.unit_id]).post(
            f"/van-ban/{plan.pk}/nhiem-vu/{first.pk}/tra-loi/", {"note": HOSTILE[0]}
        )
        assert response.status_code == 302
        for assignment, note in zip(others, HOSTILE[1:4], strict=True):
            services.assignment_answer(
                assignment=assignment, by=by_unit[assignment.recipient.unit_id], note=note
            )

    book = download(cast.client_for(cast.province_admin), f"/van-ban/{plan.pk}/theo-doi.xlsx")
    assert_text_cells(book, HOSTILE)
    ws = book.active
    header = [c.value for c in ws[4]]
    assert header[2] == f"{HOSTILE[3]} (hạn {deadline:%d/%m/%Y})"
    reminders = column(book, "Số lần đôn đốc", header_row=4)
    assert [(c.value, c.data_type) for c in reminders] == [(0, "n"), (0, "n")]
    received = column(book, "Đã nhận lúc", header_row=4)
    assert all(c.is_date and c.value.date() == TODAY + dt.timedelta(days=1) for c in received)
