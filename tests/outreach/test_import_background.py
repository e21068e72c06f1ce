"""The activities import page under load: hostile files refused with a message on the page, a
file of more rows than the page imports inline sent to a background job that imports all rows or
none and keeps the monthly rollup exact, and a bulk write whose cost does not grow by row."""

import pytest
from django.urls import reverse

from guongsang.jobs.models import Job, JobState
from guongsang.outreach import rollup
from guongsang.outreach.imports import import_activities
from guongsang.outreach.models import Activity, ActivityMonth

from ..core.test_import_bounds import zip_bomb
from ..jobs.helpers import run_queued_tasks
from .conftest import HOI_NGHI, SINH_HOAT
from .test_import import IMPORT, LAST_WEEK, upload, xlsx


def rows(n: int) -> list[list]:
    day = LAST_WEEK.strftime("%d/%m/%Y")
    units = ["01450", "01450-CH01", "01450-CH01-T1"]
    return [
        [units[i % 3], day, (HOI_NGHI, SINH_HOAT)[i % 2], f"Sinh hoạt số {i}", 10 + i, i]
        for i in range(n)
    ]


def test_a_zip_bomb_is_refused_on_the_page_with_a_message(cast):
    response = cast.client_for(cast.a_staff).post(IMPORT, {"file": upload(zip_bomb(60))})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chưa nhập: có 1 lỗi" in content
    assert "Tệp Excel khi giải nén quá lớn" in content
    assert Activity.objects.count() == 0


def test_a_file_over_the_inline_limit_is_imported_by_a_job(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 5
    client = cast.client_for(cast.a_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": upload(xlsx(rows(12)), name="thang-11.xlsx")})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.user, job.input_name) == (
        "import_activities",
        cast.a_staff,
        "thang-11.xlsx",
    )
    assert Activity.objects.count() == 0  # not in the request
    assert (
        "Tệp nhiều dòng: đang nhập ở chế độ nền."
        in client.get(response["Location"]).content.decode()
    )

    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert job.message == "Đã nhập 12 hoạt động."
    assert Activity.objects.count() == 12
    assert set(Activity.objects.values_list("created_by", flat=True)) == {cast.a_staff.pk}
    assert rollup.differences() == []
    assert sum(ActivityMonth.objects.values_list("activities", flat=True)) == 12


def test_a_job_with_a_bad_row_imports_nothing(cast, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_ROWS = 5
    data = rows(12)
    data[9][0] = "01288"  # row 11: commune B
    client = cast.client_for(cast.a_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": upload(xlsx(data))})
    run_queued_tasks()
    job = Job.objects.get()
    assert job.message == "Chưa nhập: có 1 lỗi. Sửa rồi tải lên lại."
    assert job.errors == [
        {"row": 11, "message": "không có đơn vị mã “01288” trong phạm vi của bạn"}
    ]
    assert Activity.objects.count() == 0 and not ActivityMonth.objects.exists()
    assert '<td data-label="Dòng">11</td>' in client.get(response["Location"]).content.decode()


def test_the_job_checks_the_right_again(cast, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_ROWS = 5
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for(cast.a_staff).post(IMPORT, {"file": upload(xlsx(rows(12)))})
    cast.a_staff.memberships.all().delete()
    run_queued_tasks()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert job.message == "Bạn không còn quyền nhập hoạt động."
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("n,queries", [(5, 14), (300, 22)])
def test_the_import_costs_queries_by_batch_not_by_row(
    cast, n, queries, django_assert_max_num_queries
):
    data = xlsx(rows(n))
    with django_assert_max_num_queries(queries):
        created = import_activities(data=data, by=cast.a_staff)
    assert len(created) == n
    assert rollup.differences() == []
