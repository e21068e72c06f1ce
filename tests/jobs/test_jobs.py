"""Background jobs: started by a view, run by the worker, seen only by their owner."""

import pytest
from django_tasks_db.models import DBTaskResult

from guongsang.jobs import services
from guongsang.jobs.models import Job, JobState

from . import tasks
from .helpers import queued, run_queued_tasks


def start(cast, django_capture_on_commit_callbacks, task=tasks.count_lines, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.start(
            kind="import_test",
            user=cast.a_staff,
            unit=cast.commune_a,
            task=task,
            input_bytes=kwargs.pop("input_bytes", b"mot\n\nba\n"),
            input_name="danh-sach.txt",
            **kwargs,
        )


def test_start_enqueues_on_commit_only(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.start(kind="export", user=cast.a_staff, task=tasks.count_lines)
    assert job.state == JobState.QUEUED and not queued().exists()
    for callback in callbacks:
        callback()
    (row,) = queued()
    assert row.task_path == "tests.jobs.tasks.count_lines"
    assert row.args_kwargs == {"args": [], "kwargs": {"job_id": job.pk}}


def test_a_job_runs_reports_progress_and_offers_its_result(
    cast, django_capture_on_commit_callbacks
):
    job = start(cast, django_capture_on_commit_callbacks)
    client = cast.client_for(cast.a_staff)
    page = client.get(f"/tac-vu/{job.pk}/").content.decode()
    assert "Đang chờ" in page and 'hx-trigger="every 2s"' in page
    assert "<script>" not in page  # polling is HTMX attributes only (strict CSP)

    services.begin(job_id=job.pk)
    services.progress(job_id=job.pk, done=2, total=8, message="Đang đọc tệp")
    fragment = client.get(f"/tac-vu/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'hx-trigger="every 2s"' in fragment
    assert "Đã xử lý 2/8 (25%)" in fragment and '<progress max="8" value="2">' in fragment

    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and (job.done, job.total) == (3, 3)
    assert job.errors == [{"row": 2, "message": "Dòng trống."}]
    assert job.state_label == "Xong, có lỗi"
    fragment = client.get(f"/tac-vu/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment  # finished: the page stops asking
    assert "Đã đếm 3 dòng." in fragment and "Dòng trống." in fragment
    assert f'href="/tac-vu/{job.pk}/tai-ve/"' in fragment
    response = client.get(f"/tac-vu/{job.pk}/tai-ve/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"MOT\n\nBA"
    assert "attachment" in response["Content-Disposition"]
    assert "k%E1%BA%BFt%20qu%E1%BA%A3.txt" in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["a_admin", "province_admin", "b_staff", "outsider"])
def test_only_the_owner_sees_a_job_and_its_result(cast, django_capture_on_commit_callbacks, who):
    job = start(cast, django_capture_on_commit_callbacks)
    run_queued_tasks()
    other = cast.client_for(getattr(cast, who))
    assert other.get(f"/tac-vu/{job.pk}/").status_code == 404
    assert other.get(f"/tac-vu/{job.pk}/", headers={"HX-Request": "true"}).status_code == 404
    assert other.get(f"/tac-vu/{job.pk}/tai-ve/").status_code == 404
    assert "danh-sach.txt" not in other.get("/tac-vu/").content.decode()
    owner = cast.client_for(cast.a_staff)
    assert owner.get(f"/tac-vu/{job.pk}/tai-ve/").status_code == 200
    assert owner.get("/tac-vu/999999/").status_code == 404
    assert owner.get("/tac-vu/999999999999999999999/").status_code == 404


def test_superuser_does_not_see_others_jobs(cast, django_capture_on_commit_callbacks):
    job = start(cast, django_capture_on_commit_callbacks)
    cast.province_admin.is_superuser = True
    cast.province_admin.save()
    assert cast.client_for(cast.province_admin).get(f"/tac-vu/{job.pk}/").status_code == 404


def test_no_download_before_a_result_exists(cast, django_capture_on_commit_callbacks):
    job = start(cast, django_capture_on_commit_callbacks)
    assert cast.client_for(cast.a_staff).get(f"/tac-vu/{job.pk}/tai-ve/").status_code == 404


def test_a_crashing_task_shows_failed_without_a_traceback(
    cast, django_capture_on_commit_callbacks, caplog
):
    job = start(cast, django_capture_on_commit_callbacks, task=tasks.crash)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at is not None
    page = cast.client_for(cast.a_staff).get(f"/tac-vu/{job.pk}/").content.decode()
    assert "Không thành công" in page and "Tác vụ gặp lỗi ngoài dự kiến" in page
    assert "secret internal detail" not in page and "Traceback" not in page
    assert "hx-trigger" not in page
    assert "secret internal detail" in caplog.text  # the log keeps it for the operator


def test_a_refusal_shows_its_own_message(cast, django_capture_on_commit_callbacks):
    job = start(cast, django_capture_on_commit_callbacks, task=tasks.refuse)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message == "Tệp không đúng mẫu."


def test_a_job_is_not_run_twice(cast, django_capture_on_commit_callbacks):
    job = start(cast, django_capture_on_commit_callbacks)
    run_queued_tasks()
    finished = Job.objects.get(pk=job.pk).finished_at
    tasks.count_lines.enqueue(job_id=job.pk)
    run_queued_tasks()
    assert Job.objects.get(pk=job.pk).finished_at == finished


def test_an_enqueue_failure_fails_the_job_not_the_request(cast, django_capture_on_commit_callbacks):
    class Broken:
        def enqueue(self, **kwargs):
            raise ConnectionError("queue down")

    with django_capture_on_commit_callbacks(execute=True):
        job = services.start(kind="export", user=cast.a_staff, task=Broken())
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "hàng đợi" in job.message


def test_old_files_are_deleted(cast, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    job = start(cast, django_capture_on_commit_callbacks)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.input_file and job.result_file
    assert services.delete_old_files(days=14) == 0
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=15))
    assert services.delete_old_files(days=14) == 2
    job.refresh_from_db()
    assert not job.input_file and not job.result_file
    assert cast.client_for(cast.a_staff).get(f"/tac-vu/{job.pk}/tai-ve/").status_code == 404


@pytest.mark.parametrize("n", [3, 40])
def test_the_list_shows_own_jobs_in_fixed_queries(cast, n, django_assert_max_num_queries):
    Job.objects.bulk_create(
        [Job(kind="remind", user=cast.a_staff, unit=cast.commune_a) for _ in range(n)]
        + [Job(kind="export", user=cast.b_staff, unit=cast.commune_b)]
    )
    client = cast.client_for(cast.a_staff)
    client.get("/tac-vu/")  # warm the session
    with django_assert_max_num_queries(6):
        html = client.get("/tac-vu/").content.decode()
    assert html.count("Đôn đốc các đơn vị chậm thực hiện") == min(n, 30)
    assert "Phường Tân Giang" not in html
    if n > 30:
        assert "Trang 1/2" in html


def test_the_list_needs_a_login(client):
    assert client.get("/tac-vu/").status_code == 302


def test_prune_command(cast, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    start(cast, django_capture_on_commit_callbacks)
    run_queued_tasks()
    out = StringIO()
    call_command("prune_jobs", stdout=out)
    assert out.getvalue().strip() == "0 file(s) deleted, 0 unfinished job(s) marked failed."
    assert DBTaskResult.objects.count() == 1  # kept 14 days by default
    call_command("prune_jobs", "--days", "0", stdout=out)
    assert out.getvalue().strip().endswith("2 file(s) deleted, 0 unfinished job(s) marked failed.")
    assert DBTaskResult.objects.count() == 0


def test_a_job_left_unfinished_by_a_killed_worker_is_failed_later(cast):
    import datetime as dt

    from django.utils import timezone

    old = Job.objects.create(kind="export", user=cast.a_staff, state=JobState.RUNNING)
    new = Job.objects.create(kind="export", user=cast.a_staff, state=JobState.RUNNING)
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert services.fail_stale(hours=24) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.state == JobState.FAILED and "dừng giữa chừng" in old.message
    assert new.state == JobState.RUNNING
