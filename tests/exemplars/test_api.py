"""The exemplar pipeline over the JSON API: same access rules as the pages, services' messages
as 400s, the whole way up branch → commune → province."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guongsang.exemplars import services
from guongsang.exemplars.models import Exemplar, Nomination, ReviewStep, Subject, SubjectKind

from ..api.test_units_api import bearer, token_for
from .conftest import CULTURED_FAMILY, G1, G2, I1, I2, KINDS, this_year

V1 = "/api/v1"


class Api:
    def __init__(self, user):
        self.user = user
        self.headers = bearer(token_for(user))
        self.client = Client()

    def get(self, path, **params):
        return self.client.get(V1 + path, params, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            V1 + path, body if body is not None else {}, "application/json", headers=self.headers
        )

    def ok(self, path, **params):
        response = self.get(path, **params)
        assert response.status_code == 200, response.content
        return response.json()

    def done(self, path, body=None, status=200):
        response = self.post(path, body)
        assert response.status_code == status, response.content
        return response.json()

    def refused(self, path, body=None) -> dict:
        response = self.post(path, body)
        assert response.status_code == 400, response.content
        return response.json()


def names(body) -> list[str]:
    return [i.get("subject_name") or i["name"] for i in body["items"]]


def test_openapi_lists_the_exemplar_paths(db):
    response = Client().get(f"{V1}/openapi.json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    for path in (
        "/criteria-sets",
        "/criteria-sets/{set_id}",
        "/subjects",
        "/subjects/{subject_id}",
        "/subjects/{subject_id}/titles",
        "/nominations",
        "/nominations/{nomination_id}",
        "/nominations/{nomination_id}/answers",
        "/nominations/{nomination_id}/submit",
        "/nominations/{nomination_id}/forward",
        "/nominations/{nomination_id}/return",
        "/nominations/{nomination_id}/reject",
        "/nominations/{nomination_id}/recognise",
        "/exemplars",
        "/exemplars/{exemplar_id}",
    ):
        assert V1 + path in paths, path


def test_token_required(world):
    for path in ("/subjects", "/nominations", "/exemplars", "/criteria-sets"):
        assert Client().get(V1 + path).status_code == 401
    assert Client().post(f"{V1}/subjects", {}, "application/json").status_code == 401


# ---- the whole pipeline -----------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_full_pipeline_through_the_api(world, kind):
    cast = world.cast
    staff, admin, reviewer = Api(cast.a_staff), Api(cast.a_admin), Api(world.reviewer)
    extra = {"gender": "female", "birth_year": 1985} if kind == SubjectKind.INDIVIDUAL else {}
    subject = staff.done(
        "/subjects",
        {
            "kind": kind,
            "unit": cast.branch_a.pk,
            "name": "  Nông   Thị Hạnh ",
            "ethnicity": "Tày",
            "phone": "0912345678",
            **extra,
        },
        status=201,
    )
    assert subject["name"] == "Nông Thị Hạnh"
    assert subject["unit_id"] == cast.branch_a.pk and subject["phone"] == "0912345678"

    draft = staff.done(
        "/nominations",
        {
            "subject": subject["id"],
            "category": "advanced_exemplar",
            "movement": world.movement.pk,
            "criteria_set": world.criteria_set.pk,
            "review_round": world.round.pk,
        },
        status=201,
    )
    nid = draft["id"]
    assert (draft["state"], draft["current_unit_id"], draft["year"]) == (
        "draft",
        cast.branch_a.pk,
        this_year(),
    )
    criteria = [a["criterion_id"] for a in draft["answers"]]
    assert criteria == [c.pk for c in services.criteria_for(world.criteria_set, kind)]
    assert all(a["met"] is None for a in draft["answers"])
    assert draft["can_edit"] and not draft["can_review"]
    assert draft["problems"]

    # Incomplete: submit names what is missing.
    body = staff.refused(f"/nominations/{nid}/submit")
    assert f"Chưa đạt tiêu chí bắt buộc: “{G1}”." in body["detail"]
    assert "Thiếu báo cáo thành tích (nhập nội dung hoặc đính kèm tệp)." in body["detail"]
    assert body["code"] == "incomplete"

    # Partial saves, then the rest.
    first, *rest = criteria
    saved = staff.done(
        f"/nominations/{nid}/answers",
        {"answers": [{"criterion": first, "met": True, "evidence_text": "Giấy khen số 7"}]},
    )
    assert saved["answers"][0]["met"] is True
    assert saved["answers"][0]["evidence_text"] == "Giấy khen số 7"
    assert all(a["met"] is None for a in saved["answers"][1:])
    staff.done(
        f"/nominations/{nid}/answers",
        {
            "answers": [{"criterion": c, "met": True} for c in rest],
            "achievement_report": "Vận động 32 hộ trồng thạch đen.",
        },
    )
    if kind != SubjectKind.COLLECTIVE:
        staff.done(
            f"/subjects/{subject['id']}/titles",
            {"title": CULTURED_FAMILY, "year": this_year(), "conferred_by": "UBND xã"},
            status=201,
        )
    submitted = staff.done(f"/nominations/{nid}/submit", {"expected_version": saved["version"] + 1})
    assert (submitted["state"], submitted["current_unit_id"]) == ("submitted", cast.commune_a.pk)
    assert not submitted["can_edit"]

    # Commune A's admin sees it and forwards it.
    detail = admin.ok(f"/nominations/{nid}")
    assert detail["can_review"]
    forwarded = admin.done(
        f"/nominations/{nid}/forward",
        {"expected_version": detail["version"], "comment": "Đề nghị tỉnh xét"},
    )
    assert forwarded["current_unit_id"] == cast.province.pk
    assert not forwarded["can_review"]  # not at her desk any more

    detail = reviewer.ok(f"/nominations/{nid}")
    recognised = reviewer.done(
        f"/nominations/{nid}/recognise",
        {
            "expected_version": detail["version"],
            "comment": "Nhất trí",
            "decision_ref": "45/QĐ",
            "decision_date": "2026-01-15",
        },
    )
    assert recognised["state"] == "recognised"
    assert [
        (s["action"], s["actor_name"], s["from_state"], s["to_state"], s["to_unit_name"])
        for s in recognised["steps"]
    ] == [
        ("submit", "Bế Thị Hoa", "draft", "submitted", "Xã Đông Khê"),
        ("forward", "Đàm Thị Lan", "submitted", "submitted", "Tỉnh Cao Bằng"),
        ("recognise", "Lưu Thị Hằng", "submitted", "recognised", "Tỉnh Cao Bằng"),
    ]
    assert recognised["steps"][1]["comment"] == "Đề nghị tỉnh xét"
    assert all(s["created_at"] for s in recognised["steps"])

    exemplars = staff.ok("/exemplars")
    assert names(exemplars) == ["Nông Thị Hạnh"]
    exemplar = staff.ok(f"/exemplars/{exemplars['items'][0]['id']}")
    assert exemplar["recognising_unit_id"] == cast.province.pk
    assert exemplar["decision_ref"] == "45/QĐ"
    assert exemplar["nomination_id"] == nid
    assert exemplar["nurture_notes"] == [] and exemplar["replications"] == []
    history = staff.ok(f"/subjects/{subject['id']}")
    assert [n["state"] for n in history["nominations"]] == ["recognised"]
    assert [e["id"] for e in history["exemplars"]] == [exemplar["id"]]


def test_return_reject_and_resubmit_through_the_api(world):
    cast = world.cast
    nomination = world.at_province()
    reviewer, staff = Api(world.reviewer), Api(cast.a_staff)
    nid, version = nomination.pk, nomination.version

    body = reviewer.refused(f"/nominations/{nid}/return", {"expected_version": version})
    assert body["detail"] == ["Nhập lý do trả lại để đơn vị bổ sung."]
    body = reviewer.refused(
        f"/nominations/{nid}/reject", {"expected_version": version, "comment": " "}
    )
    assert body["detail"] == ["Nhập lý do không duyệt."]
    assert Nomination.objects.get(pk=nid).version == version

    returned = reviewer.done(
        f"/nominations/{nid}/return", {"expected_version": version, "comment": "Bổ sung ảnh"}
    )
    assert (returned["state"], returned["current_unit_id"]) == ("returned", cast.branch_a.pk)
    old_steps = returned["steps"]
    assert staff.ok(f"/nominations/{nid}")["can_edit"]
    staff.done(f"/nominations/{nid}/answers", {"achievement_report": "Đã bổ sung ảnh."})
    again = staff.done(f"/nominations/{nid}/submit")
    assert again["steps"][: len(old_steps)] == old_steps
    assert (again["steps"][-1]["action"], again["steps"][-1]["from_state"]) == (
        "submit",
        "returned",
    )
    admin = Api(cast.a_admin)
    rejected = admin.done(
        f"/nominations/{nid}/reject",
        {"expected_version": again["version"], "comment": "Chưa tiêu biểu"},
    )
    assert rejected["state"] == "rejected"
    body = staff.refused(f"/nominations/{nid}/answers", {"achievement_report": "sửa"})
    assert body["detail"] == ["Hồ sơ đã gửi đi; chỉ sửa được khi đang soạn hoặc bị trả lại."]


def test_review_rules_through_the_api(world):
    cast = world.cast
    nomination = world.submitted()
    admin = Api(cast.a_admin)
    nid, version = nomination.pk, nomination.version
    # Recognise only at the round's unit.
    body = admin.refused(f"/nominations/{nid}/recognise", {"expected_version": version})
    assert body["detail"] == ["Chỉ Tỉnh Cao Bằng (cấp tổ chức đợt xét) được công nhận."]
    # The version is required, and must be current.
    response = admin.post(f"/nominations/{nid}/forward", {"comment": "x"})
    assert response.status_code == 422
    body = admin.refused(f"/nominations/{nid}/forward", {"expected_version": version - 1})
    assert body["code"] == "stale"
    assert body["detail"][0].startswith("Hồ sơ vừa được người khác xử lý")
    # Staff and viewers of commune A read it but may not act.
    for who in (cast.a_staff, cast.branch_viewer):
        body = Api(who).refused(f"/nominations/{nid}/forward", {"expected_version": version})
        assert body["detail"] == ["Chỉ người xét duyệt của Xã Đông Khê được xử lý hồ sơ này."]
    forwarded = admin.done(f"/nominations/{nid}/forward", {"expected_version": version})
    # Not past the round's unit.
    body = Api(world.reviewer).refused(
        f"/nominations/{nid}/forward", {"expected_version": forwarded["version"]}
    )
    assert body["detail"][0].startswith("Đây là cấp tổ chức đợt xét")
    # The stale action did not apply: one forward in the trail.
    assert ReviewStep.objects.filter(nomination_id=nid, action="forward").count() == 1
    assert not Exemplar.objects.exists()


def test_branch_viewer_cannot_write_through_the_api(world):
    cast = world.cast
    nomination = world.complete(world.nominate(world.subject()))
    viewer = Api(cast.branch_viewer)
    assert viewer.ok(f"/nominations/{nomination.pk}")["can_edit"] is False
    assert viewer.post(f"/nominations/{nomination.pk}/submit").status_code == 404
    assert viewer.post(f"/nominations/{nomination.pk}/answers", {}).status_code == 404
    response = viewer.post(
        "/subjects",
        {"kind": "household", "unit": cast.branch_a.pk, "name": "Hộ chị Lan"},
    )
    assert response.status_code == 404
    response = viewer.post(
        "/nominations",
        {
            "subject": nomination.subject_id,
            "category": "new_model",
            "movement": world.movement.pk,
            "criteria_set": world.criteria_set.pk,
            "review_round": world.round.pk,
        },
    )
    assert response.status_code == 404
    assert Nomination.objects.get(pk=nomination.pk).state == "draft"


# ---- subjects ---------------------------------------------------------------------------------
def test_subject_create_checks_and_duplicates(world):
    cast = world.cast
    staff = Api(cast.a_staff)
    base = {"kind": "individual", "unit": cast.branch_a.pk, "gender": "female"}
    body = staff.refused("/subjects", {**base, "name": "Nông Thị Hạnh", "birth_year": 1850})
    assert body["detail"] == ["Năm sinh không hợp lệ."]
    body = staff.refused("/subjects", {"kind": "individual", "unit": cast.branch_a.pk, "name": "X"})
    assert body["detail"] == ["Chọn giới tính."]
    assert staff.post("/subjects", {**base, "name": "X", "kind": "ca_nhan"}).status_code == 422
    staff.done("/subjects", {**base, "name": "Nông Thị Hạnh", "birth_year": 1985}, status=201)
    body = staff.refused(
        "/subjects",
        {**base, "unit": cast.commune_a.pk, "name": "nong thi hanh", "birth_year": 1985},
    )
    assert body["code"] == "duplicate"
    assert "Nông Thị Hạnh (1985, Chi hội Nà Pàn)" in body["detail"][0]
    staff.done(
        "/subjects",
        {
            **base,
            "unit": cast.commune_a.pk,
            "name": "nong thi hanh",
            "birth_year": 1985,
            "not_duplicate": True,
        },
        status=201,
    )
    # Commune B's unit, or a linked unit she cannot see: 404.
    assert staff.post(
        "/subjects", {**base, "name": "Y", "unit": cast.commune_b.pk}
    ).status_code == (404)
    assert (
        staff.post(
            "/subjects",
            {
                "kind": "collective",
                "unit": cast.commune_a.pk,
                "name": "Chi hội",
                "linked_unit": cast.branch_b.pk,
            },
        ).status_code
        == 404
    )
    assert Subject.objects.count() == 2


def test_phone_and_id_number_only_for_editors(world):
    cast = world.cast
    subject = world.subject(phone="0912345678", id_number="004185001234", address="Xóm Nà Pàn")
    for who in (cast.a_staff, cast.a_admin, cast.province_admin):
        api = Api(who)
        detail = api.ok(f"/subjects/{subject.pk}")
        assert (detail["phone"], detail["id_number"], detail["address"]) == (
            "0912345678",
            "004185001234",
            "Xóm Nà Pàn",
        )
        assert api.ok("/subjects")["items"][0]["phone"] == "0912345678"
    for who in (cast.branch_viewer, world.reviewer):
        api = Api(who)
        detail = api.ok(f"/subjects/{subject.pk}")
        assert detail["name"] == "Nông Thị Hạnh"
        assert detail["phone"] is None and detail["id_number"] is None
        assert detail["address"] is None and detail["note"] is None
        item = api.ok("/subjects")["items"][0]
        assert item["phone"] is None and item["id_number"] is None


def test_subject_list_filters_search_and_pages(world):
    cast = world.cast
    for i, name in enumerate(["Nông Thị Mai", "Bế Thị Hoa", "Đàm Thị Lan", "Nông Thị Hạnh"]):
        world.subject(name=name, birth_year=1980 + i)
    world.subject(SubjectKind.HOUSEHOLD, unit=cast.commune_a, name="Hoàng Thị Duyên")
    world.subject(unit=cast.branch_b, name="Triệu Thị Mai")
    api = Api(cast.a_staff)
    assert names(api.ok("/subjects", kind="individual")) == [
        "Nông Thị Hạnh",
        "Bế Thị Hoa",
        "Đàm Thị Lan",
        "Nông Thị Mai",
    ]
    assert names(api.ok("/subjects", q="nong thi hanh")) == ["Nông Thị Hạnh"]
    assert names(api.ok("/subjects", q="MAI")) == ["Nông Thị Mai"]
    assert names(api.ok("/subjects", unit=cast.branch_a.pk, kind="household")) == []
    assert names(api.ok("/subjects", kind="household")) == ["Hoàng Thị Duyên"]
    assert api.get("/subjects", unit=cast.commune_b.pk).status_code == 404
    assert api.get("/subjects", kind="ca_nhan").status_code == 422
    paged = api.ok("/subjects", page_size=2, page=2)
    assert paged["count"] == 5 and len(paged["items"]) == 2


# ---- nominations and criteria sets ------------------------------------------------------------
def test_nomination_list_filters(world):
    cast = world.cast
    hoa = world.submitted(name="Bế Thị Hoa")
    mai = world.recognised(name="Nông Thị Mai")
    duyen = world.nominate(
        world.subject(SubjectKind.HOUSEHOLD, unit=cast.commune_a, name="Hoàng Thị Duyên"),
        category="new_factor",
    )
    world.submitted(unit=cast.branch_b, name="Triệu Thị Mai")
    api = Api(cast.a_admin)
    assert names(api.ok("/nominations")) == ["Hoàng Thị Duyên", "Bế Thị Hoa", "Nông Thị Mai"]
    assert names(api.ok("/nominations", state="submitted")) == ["Bế Thị Hoa"]
    assert names(api.ok("/nominations", state="recognised", q="mai")) == ["Nông Thị Mai"]
    assert names(api.ok("/nominations", kind="household")) == ["Hoàng Thị Duyên"]
    assert names(api.ok("/nominations", category="new_factor")) == ["Hoàng Thị Duyên"]
    assert names(api.ok("/nominations", unit=cast.branch_a.pk)) == ["Bế Thị Hoa", "Nông Thị Mai"]
    assert names(api.ok("/nominations", year=this_year(), movement=world.movement.pk)) == names(
        api.ok("/nominations")
    )
    assert names(api.ok("/nominations", year=2015)) == []
    assert api.get("/nominations", state="da_xong").status_code == 422
    item = api.ok("/nominations", state="submitted")["items"][0]
    assert item["id"] == hoa.pk and item["overdue"] is False
    assert item["current_unit_name"] == "Xã Đông Khê" and item["state_label"] == "Đang xét duyệt"
    assert {mai.pk, duyen.pk} <= {i["id"] for i in api.ok("/nominations")["items"]}


def test_nomination_detail_lists_files(world):
    from .test_uploads import pdf_upload

    cast = world.cast
    nomination = world.nominate(world.subject())
    services.attachment_add(
        by=cast.a_staff, nomination=nomination, upload=pdf_upload(), criterion=world.criterion(G1)
    )
    detail = Api(cast.a_staff).ok(f"/nominations/{nomination.pk}")
    (attachment,) = detail["attachments"]
    assert attachment["criterion_id"] == world.criterion(G1).pk
    assert attachment["kind"] == "pdf" and attachment["original_name"] == "bao-cao.pdf"
    assert cast.client_for(cast.a_staff).get(attachment["url"]).status_code == 200
    assert cast.client_for(cast.b_staff).get(attachment["url"]).status_code == 404


def test_save_answers_refuses_foreign_criteria(world):
    cast = world.cast
    nomination = world.nominate(world.subject(SubjectKind.INDIVIDUAL))
    household = world.criterion("Có thu nhập và mức sống cao hơn các hộ khác tại địa phương")
    body = Api(cast.a_staff).refused(
        f"/nominations/{nomination.pk}/answers",
        {"answers": [{"criterion": household.pk, "met": True}]},
    )
    assert body["detail"] == ["Tiêu chí không thuộc bộ tiêu chí của hồ sơ."]


def test_create_nomination_checks_the_catalogue(world):
    cast = world.cast
    subject = world.subject()
    body = {
        "subject": subject.pk,
        "category": "new_model",
        "movement": world.movement.pk,
        "criteria_set": world.criteria_set.pk,
        "review_round": world.round.pk,
    }
    other_round = services.round_create(
        by=cast.province_admin,
        unit=cast.commune_b,
        name="Đợt xét phường",
        year=this_year(),
        deadline=world.round.deadline,
    )
    api = Api(cast.a_staff)
    assert api.post("/nominations", {**body, "review_round": other_round.pk}).status_code == 404
    assert api.post("/nominations", {**body, "movement": 999999}).status_code == 404
    assert api.post("/nominations", {**body, "category": "huy_chuong"}).status_code == 422
    refused = Api(cast.province_admin).refused(
        "/nominations", {**body, "review_round": other_round.pk}
    )
    assert "không bao gồm đơn vị của đối tượng" in refused["detail"][0]
    assert not Nomination.objects.exists()


def test_criteria_sets(world):
    cast = world.cast
    api = Api(cast.a_staff)
    (listed,) = api.ok("/criteria-sets")["items"]
    assert listed["id"] == world.criteria_set.pk and listed["in_use"] is False
    assert listed["issuing_unit_name"] == "Tỉnh Cao Bằng"
    world.nominate(world.subject())
    assert api.ok("/criteria-sets")["items"][0]["in_use"] is True
    detail = api.ok(f"/criteria-sets/{world.criteria_set.pk}")
    assert [(g["subject_kind"], len(g["criteria"])) for g in detail["groups"]] == [
        ("general", 2),
        ("collective", 2),
        ("individual", 2),
        ("household", 3),
    ]
    general, _, individual, household = detail["groups"]
    assert [c["text"] for c in general["criteria"]] == [G1, G2]
    assert general["criteria"][0]["evidence_required"] is True
    assert [c["text"] for c in individual["criteria"]] == [I1, I2]
    assert individual["criteria"][1]["prerequisite_title"] == CULTURED_FAMILY
    assert household["criteria"][2]["required"] is False
    assert Api(cast.outsider).get(f"/criteria-sets/{world.criteria_set.pk}").status_code == 404
    assert Api(cast.outsider).ok("/criteria-sets")["count"] == 0
    movements = api.ok("/movements")
    assert [m["name"] for m in movements] == [world.movement.name]
    rounds = api.ok("/review-rounds")
    assert [(r["name"], r["unit_name"]) for r in rounds] == [(world.round.name, "Tỉnh Cao Bằng")]


def test_exemplar_detail_with_nurture_and_replication(world):
    cast = world.cast
    nomination = world.recognised()
    exemplar = Exemplar.objects.get(nomination=nomination)
    import datetime as dt

    services.nurture_note_add(
        by=cast.a_staff, exemplar=exemplar, date=dt.date(2026, 10, 20), text="Tập huấn du lịch"
    )
    services.replication_add(
        by=cast.a_staff,
        exemplar=exemplar,
        adopting_unit=cast.branch_a,
        date=dt.date(2026, 11, 5),
        result="3 hộ đón khách",
    )
    detail = Api(cast.branch_viewer).ok(f"/exemplars/{exemplar.pk}")
    assert [(n["text"], n["by_name"]) for n in detail["nurture_notes"]] == [
        ("Tập huấn du lịch", "Bế Thị Hoa")
    ]
    assert [(r["adopting_unit_name"], r["result"]) for r in detail["replications"]] == [
        ("Chi hội Nà Pàn", "3 hộ đón khách")
    ]
    assert Api(cast.b_staff).get(f"/exemplars/{exemplar.pk}").status_code == 404
    assert Api(cast.b_staff).ok("/exemplars")["count"] == 0


def test_list_queries_do_not_grow(world, django_assert_max_num_queries):
    from .test_views import add_nominations

    add_nominations(world, 3)
    api = Api(world.cast.a_admin)
    for path in ("/nominations", "/subjects", "/exemplars"):
        api.ok(path)
    counts = {}
    for path in ("/nominations", "/subjects", "/exemplars"):
        with CaptureQueriesContext(connection) as ctx:
            api.ok(path)
        counts[path] = len(ctx)
    add_nominations(world, 27, start=3)
    for path, n in counts.items():
        with django_assert_max_num_queries(n):
            assert api.ok(path)["count"] == 30
