"""The plans API: same access rules as the pages."""

from guongsang.plans.models import Assignment, TaskKind

from .conftest import TODAY, frozen


def test_document_list_and_detail_scoped(cast, plan, api):
    body = api(cast.a_staff).get("/api/v1/documents", box="inbox").json()
    assert [d["symbol"] for d in body["items"]] == ["01/KH-BTV"]
    assert body["items"][0]["issuer"] == "Hội LHPN tỉnh Cao Bằng"
    assert api(cast.outsider).get("/api/v1/documents").json()["count"] == 0
    assert api(cast.branch_viewer).get("/api/v1/documents").json()["count"] == 0
    detail = api(cast.b_staff).get(f"/api/v1/documents/{plan.pk}")
    assert detail.status_code == 200 and detail.json()["signer"].startswith("TM.")
    assert api(cast.outsider).get(f"/api/v1/documents/{plan.pk}").status_code == 404
    assert api(cast.outsider).get("/api/v1/documents/999999").status_code == 404


def test_tasks_and_answer(cast, plan, api):
    with frozen(TODAY):
        _tasks_and_answer(cast, plan, api)


def _tasks_and_answer(cast, plan, api):
    tasks = api(cast.a_staff).get(f"/api/v1/documents/{plan.pk}/tasks").json()
    assert [t["kind"] for t in tasks] == ["plan", "report"]
    mine = tasks[0]["mine"]
    assert len(mine) == 1 and mine[0]["unit"] == "Xã Đông Khê" and mine[0]["state"] == "unread"
    url = f"/api/v1/documents/{plan.pk}/assignments/{mine[0]['id']}/answer"
    # B cannot answer for A; an empty answer is refused with a Vietnamese message.
    assert api(cast.b_staff).post(url, {"note": "x"}).status_code == 404
    bad = api(cast.a_staff).post(url, {"note": ""})
    assert bad.status_code == 400 and "Hãy chọn" in bad.json()["detail"]
    ok = api(cast.a_staff).post(url, {"note": "Đã xây dựng kế hoạch"})
    assert ok.status_code == 201 and ok.json()["done_at"]
    assert Assignment.objects.get(pk=mine[0]["id"]).done_by == cast.a_staff


def test_board_for_the_issuer_only(cast, plan, api):
    a_task = Assignment.objects.get(
        task__document=plan, task__kind=TaskKind.PLAN, recipient__unit=cast.commune_a
    )
    a_task.note = "x"
    a_task.save()
    with frozen(TODAY):
        body = api(cast.province_admin).get(f"/api/v1/documents/{plan.pk}/board").json()
    assert [r["unit"] for r in body["rows"]] == ["Xã Đông Khê", "Phường Tân Giang"]
    assert body["counts"] == {"unread": 4}
    for who in ("a_admin", "b_staff", "outsider"):
        response = api(getattr(cast, who)).get(f"/api/v1/documents/{plan.pk}/board")
        assert response.status_code == 404
