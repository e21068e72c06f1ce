"""A list export over ``EXPORT_INLINE_MAX_ROWS`` rows is built by the worker: the same workbook,
the same audit entry, downloaded from the job's page by its owner only."""

import io

import pytest
from openpyxl import load_workbook

from guongsang.audit.models import AuditEntry
from guongsang.jobs.models import Job, JobState
from tests.outreach.conftest import make_activity

from .helpers import run_queued_tasks


def cells(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def export_in_background(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/tac-vu/{job.pk}/"
    assert job.state == JobState.QUEUED
    run_queued_tasks()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    return job


@pytest.mark.parametrize(
    ("url", "kind", "name"),
    [
        ("/dien-hinh/doi-tuong/?xuat=xlsx", "export_subjects", "doi-tuong.xlsx"),
        ("/dien-hinh/de-cu/?xuat=xlsx", "export_nominations", "ho-so-de-cu.xlsx"),
    ],
)
def test_a_large_exemplars_export_runs_in_the_background(
    world, settings, django_capture_on_commit_callbacks, url, kind, name
):
    cast = world.cast
    for who in ("Nông Thị Bình", "Hoàng Thị Cúc", "Lý Thị Dung"):
        world.nominate(world.subject(name=who))
    province = cast.client_for(cast.province_admin)
    inline = province.get(url)
    assert inline.status_code == 200
    exports_before = AuditEntry.objects.filter(action="export").count()

    settings.EXPORT_INLINE_MAX_ROWS = 2
    job = export_in_background(province, url, django_capture_on_commit_callbacks)
    assert (job.kind, job.user, job.result_name) == (kind, cast.province_admin, name)
    download = province.get(f"/tac-vu/{job.pk}/tai-ve/")
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert cells(data) == cells(inline.content)  # the very workbook the page builds
    assert len(cells(data)) == 4
    # The export is logged once more, when the worker built it, as the user who asked.
    entry = AuditEntry.objects.filter(action="export").order_by("-pk").first()
    assert AuditEntry.objects.filter(action="export").count() == exports_before + 1
    assert entry.actor_id == cast.province_admin.pk and entry.details["rows"] == 3
    # Nobody else reads it.
    assert cast.client_for(cast.a_admin).get(f"/tac-vu/{job.pk}/tai-ve/").status_code == 404


def test_filters_are_kept_in_the_background(world, settings, django_capture_on_commit_callbacks):
    cast = world.cast
    for who in ("Nông Thị Bình", "Hoàng Thị Cúc"):
        world.subject(name=who)
    world.subject(name="Triệu Thị Én", unit=cast.branch_b)
    settings.EXPORT_INLINE_MAX_ROWS = 1
    province = cast.client_for(cast.province_admin)
    url = f"/dien-hinh/doi-tuong/?xuat=xlsx&don_vi={cast.commune_a.pk}"
    job = export_in_background(province, url, django_capture_on_commit_callbacks)
    assert job.unit == cast.commune_a
    names = [row[1] for row in cells(b"".join(province.get(f"/tac-vu/{job.pk}/tai-ve/")))][1:]
    assert sorted(names) == ["Hoàng Thị Cúc", "Nông Thị Bình"]


def test_a_small_export_stays_inline(world, settings):
    world.subject(name="Nông Thị Bình")
    settings.EXPORT_INLINE_MAX_ROWS = 1
    response = world.cast.client_for(world.cast.province_admin).get(
        "/dien-hinh/doi-tuong/?xuat=xlsx"
    )
    assert response.status_code == 200 and not Job.objects.exists()


def test_a_large_activity_export_runs_in_the_background(
    cast, settings, django_capture_on_commit_callbacks
):
    for i in range(3):
        make_activity(cast.a_staff, cast.branch_a, title=f"Hội nghị {i}")
    client = cast.client_for(cast.a_staff)
    inline = client.get("/tuyen-truyen/?xuat=xlsx")
    settings.EXPORT_INLINE_MAX_ROWS = 2
    job = export_in_background(
        client, "/tuyen-truyen/?xuat=xlsx", django_capture_on_commit_callbacks
    )
    assert job.kind == "export_activities" and job.result_name == "hoat-dong-tuyen-truyen.xlsx"
    data = b"".join(client.get(f"/tac-vu/{job.pk}/tai-ve/").streaming_content)
    assert cells(data) == cells(inline.content)
    page = client.get(f"/tac-vu/{job.pk}/").content.decode()
    assert "Tệp Excel đã sẵn sàng." in page and "hoat-dong-tuyen-truyen.xlsx" in page


def test_an_export_whose_owner_lost_her_rights_fails_cleanly(
    cast, settings, django_capture_on_commit_callbacks
):
    for i in range(3):
        make_activity(cast.a_staff, cast.branch_a, title=f"Hội nghị {i}")
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client = cast.client_for(cast.a_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/tuyen-truyen/?xuat=xlsx")
    cast.a_staff.memberships.all().delete()
    run_queued_tasks()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert job.message == "Bạn không còn quyền xem danh sách này."
    assert not job.result_file
