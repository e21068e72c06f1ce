"""The units import page under load: hostile files refused with a message on the page (never a
500), a file of more rows than the page imports inline sent to a background job that imports
all rows or none, and the bulk write that fills every column as ``unit_create`` does."""

import pytest
from django.urls import reverse

from guongsang.core.text import fold
from guongsang.jobs.models import Job, JobState
from guongsang.units.imports import import_units
from guongsang.units.models import Unit, UnitKind, encode_segment

from ..core.test_import_bounds import million_rows, zip_bomb
from ..factories import Role
from ..jobs.helpers import run_queued_tasks
from .test_imports import upload, xlsx


def import_url(unit) -> str:
    return reverse("units:import", args=[unit.pk])


def branches(n: int, start: int = 0) -> list[list]:
    rows = []
    for i in range(start, start + n):
        rows.append([f"01450-B{i:03d}", f"Chi hội Bản {i}", "Chi hội", "01450", "", ""])
        rows.append(
            [f"01450-B{i:03d}-T1", f"Tổ phụ nữ {i}", "Tổ phụ nữ", f"01450-B{i:03d}", "", ""]
        )
    return rows


# ---- refusals on the page ---------------------------------------------------------------------
def test_a_zip_bomb_is_refused_on_the_page_with_a_message(cast):
    before = Unit.objects.count()
    response = cast.client_for(cast.a_admin).post(
        import_url(cast.commune_a), {"file": upload(zip_bomb(60))}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chưa nhập: có 1 lỗi" in content
    assert "Tệp Excel khi giải nén quá lớn" in content
    assert Unit.objects.count() == before


def test_a_long_cell_is_refused_on_the_page_with_its_row(cast, settings):
    settings.IMPORT_MAX_CELL_CHARS = 50
    data = xlsx([["01450-CH90", "Chi hội " + "x" * 60, "Chi hội", "01450", "", ""]])
    response = cast.client_for(cast.a_admin).post(
        import_url(cast.commune_a), {"file": upload(data)}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert '<td data-label="Dòng">2</td>' in content
    assert "có ô dài quá 50 ký tự" in content
    assert not Unit.objects.filter(code="01450-CH90").exists()


def test_a_million_rows_go_to_a_job_that_refuses_them_at_the_limit(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_ROWS = 10_000
    before = Unit.objects.count()
    client = cast.client_for(cast.a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(import_url(cast.commune_a), {"file": upload(million_rows())})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.errors == [
        {
            "row": 0,
            "message": "Tệp có quá 10.000 dòng; hãy chia nhỏ (và xóa các dòng trống ở cuối bảng).",
        }
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Tệp có quá 10.000 dòng" in page
    assert Unit.objects.count() == before


# ---- the background route ---------------------------------------------------------------------
def test_a_file_over_the_inline_limit_is_imported_by_a_job(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 10
    client = cast.client_for(cast.a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            import_url(cast.commune_a), {"file": upload(xlsx(branches(8)), name="lon.xlsx")}
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.user, job.unit, job.input_name) == (
        "import_units",
        cast.a_admin,
        cast.commune_a,
        "lon.xlsx",
    )
    assert not Unit.objects.filter(code__startswith="01450-B").exists()  # not in the request
    page = client.get(response["Location"]).content.decode()
    assert "Tệp nhiều dòng: đang nhập ở chế độ nền." in page

    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert job.message == "Đã nhập 16 đơn vị."
    assert (job.done, job.total) == (16, 16)
    assert Unit.objects.filter(code__startswith="01450-B").count() == 16
    group = Unit.objects.get(code="01450-B007-T1")
    assert group.parent.code == "01450-B007"
    assert group.parent.parent == cast.commune_a
    assert "Đã nhập 16 đơn vị." in client.get(response["Location"]).content.decode()


def test_a_job_with_a_bad_row_imports_nothing_and_lists_the_row(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 10
    rows = branches(8)
    rows[13][2] = "Ban chuyên môn"  # row 15
    client = cast.client_for(cast.a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(import_url(cast.commune_a), {"file": upload(xlsx(rows))})
    run_queued_tasks()
    job = Job.objects.get()
    assert job.state == JobState.DONE
    assert job.message == "Chưa nhập: có 1 lỗi. Sửa rồi tải lên lại."
    assert [e["row"] for e in job.errors] == [15]
    assert "loại 'Ban chuyên môn' không hợp lệ" in job.errors[0]["message"]
    assert not Unit.objects.filter(code__startswith="01450-B").exists()
    page = client.get(response["Location"]).content.decode()
    assert '<td data-label="Dòng">15</td>' in page


def test_the_job_checks_the_right_again(cast, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_ROWS = 10
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for(cast.a_admin).post(
            import_url(cast.commune_a), {"file": upload(xlsx(branches(8)))}
        )
    cast.a_admin.memberships.filter(role=Role.ADMIN).delete()
    run_queued_tasks()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert job.message == "Bạn không còn quyền nhập đơn vị vào đơn vị này."
    assert not Unit.objects.filter(code__startswith="01450-B").exists()


def test_another_admin_cannot_see_the_job(cast, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_ROWS = 10
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for(cast.a_admin).post(
            import_url(cast.commune_a), {"file": upload(xlsx(branches(8)))}
        )
    other = cast.client_for(cast.province_admin)
    assert other.get(response["Location"]).status_code == 404


# ---- the bulk write ---------------------------------------------------------------------------
def test_bulk_created_units_carry_every_derived_column(cast):
    report = import_units(
        data=xlsx(
            [
                ["01450-CH91", "  Chi hội   Đồng  Tâm ", "Chi hội", "01450", "01/02/2020", "Ghi"],
                ["01450-CH91-T1", "Tổ phụ nữ Thuỷ", "Tổ phụ nữ", "01450-CH91", "", ""],
            ]
        ),
        by=cast.a_admin,
        within=cast.commune_a,
    )
    branch, group = (Unit.objects.get(pk=u.pk) for u in report.created)
    assert (branch.name, branch.name_folded) == ("Chi hội Đồng Tâm", fold("Chi hội Đồng Tâm"))
    assert branch.path == cast.commune_a.path + encode_segment(branch.pk)
    assert group.path == branch.path + encode_segment(group.pk)
    assert (branch.depth, group.depth) == (cast.commune_a.depth + 1, cast.commune_a.depth + 2)
    assert (branch.kind, group.kind) == (UnitKind.BRANCH, UnitKind.GROUP)
    assert branch.successor_path == "" and branch.created_at and group.updated_at
    assert list(Unit.objects.subtree_of(branch).values_list("pk", flat=True)) == [
        branch.pk,
        group.pk,
    ]
    assert [u.pk for u in Unit.objects.search("dong tam")] == [branch.pk]


@pytest.mark.parametrize("n,queries", [(5, 12), (150, 20)])
def test_the_import_costs_queries_by_batch_not_by_row(
    cast, n, queries, django_assert_max_num_queries
):
    """Fetching, checks and the writes are a few queries; the inserts are split in batches
    (SQLite takes fewer values per statement), never one query per row."""
    data = xlsx(branches(n))
    with django_assert_max_num_queries(queries):
        report = import_units(data=data, by=cast.a_admin, within=cast.commune_a)
    assert len(report.created) == 2 * n


def test_the_pages_state_the_row_limits(cast, settings):
    settings.IMPORT_INLINE_MAX_ROWS = 5000
    settings.IMPORT_MAX_ROWS = 50_000
    expected = (
        "Tệp đến 5.000 dòng được nhập ngay; tệp lớn hơn (tối đa 50.000 dòng) được nhập ở chế độ "
        "nền và bạn theo dõi tiến độ ở trang tác vụ."
    )
    page = cast.client_for(cast.a_admin).get(import_url(cast.commune_a)).content.decode()
    assert expected in page
    page = cast.client_for(cast.a_staff).get(reverse("outreach:activity_import")).content.decode()
    assert expected in page
