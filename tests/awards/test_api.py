"""The catalogue and award histories over the JSON API: same access as the pages (404 for
missing and not yours), Vietnamese messages, bounded inputs."""

from decimal import Decimal

from django.test import Client

from guongsang.awards.models import Award

from ..api.test_units_api import bearer, token_for
from .conftest import CSTD_CS, GDVH, LDTT

V1 = "/api/v1"


class Api:
    def __init__(self, user):
        self.token = token_for(user)

    def get(self, url):
        return Client().get(V1 + url, headers=bearer(self.token))

    def post(self, url, body):
        return Client().post(
            V1 + url, body, content_type="application/json", headers=bearer(self.token)
        )

    def delete(self, url):
        return Client().delete(V1 + url, headers=bearer(self.token))


def test_openapi_and_token_required(db):
    paths = set(Client().get(f"{V1}/openapi.json").json()["paths"])
    for path in (
        "/awards/catalogue",
        "/awards/catalogue/{code}",
        "/subjects/{subject_id}/awards",
        "/awards/{award_id}",
    ):
        assert V1 + path in paths, path
    assert Client().get(f"{V1}/awards/catalogue").status_code == 401


def test_catalogue(aw):
    api = Api(aw.cast.outsider)
    entries = {e["code"]: e for e in api.get("/awards/catalogue").json()}
    cstd = entries[CSTD_CS]
    assert cstd["name"] == "Chiến sĩ thi đua cơ sở"
    assert cstd["subject_kinds"] == ["individual"]
    assert Decimal(cstd["prize_multiple"]) == 1 and Decimal(cstd["prize_amount"]) == 2340000
    assert entries[GDVH]["subject_kinds"] == ["household"]
    detail = api.get(f"/awards/catalogue/{CSTD_CS}").json()
    assert [r["text"] for r in detail["rules"]] == [
        "Phải có “Lao động tiên tiến” trong cùng năm. (chặn)",
        "Phải có “Sáng kiến được công nhận” trong cùng năm. (chặn)",
        "Số được tặng trong một đơn vị không quá 15% số được tặng “Lao động tiên tiến” cùng "
        "năm. (cảnh báo)",
    ]
    assert detail["vote_text"].startswith("Họp khi có từ 66,67% thành viên hội đồng")
    assert api.get("/awards/catalogue/khong-co").status_code == 404
    assert api.get("/awards/catalogue/" + "a" * 41).status_code in (404, 422)
    assert api.get("/awards/catalogue/a%00b").status_code == 404


def test_history_add_and_delete(aw):
    staff = Api(aw.cast.a_staff)
    url = f"/subjects/{aw.individual.pk}/awards"
    created = staff.post(
        url,
        {
            "award_type": LDTT,
            "year": 2024,
            "decision_number": "12/QĐ-UBND",
            "decision_date": "2022-12-20",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["award_type"], body["name"], body["year"], body["source"]) == (
        LDTT,
        "Lao động tiên tiến",
        2024,
        "manual",
    )
    assert body["warnings"] == [
        "Ngày quyết định 20/12/2022 không thuộc năm 2024 hoặc năm sau; hãy kiểm tra lại."
    ]
    by_name = staff.post(url, {"name": "Giải nhì hội thi nấu ăn", "year": 2023})
    assert by_name.status_code == 201 and by_name.json()["award_type"] is None
    history = staff.get(url).json()
    assert [(a["name"], a["year"]) for a in history] == [
        ("Lao động tiên tiến", 2024),
        ("Giải nhì hội thi nấu ăn", 2023),
    ]
    again = staff.post(url, {"award_type": LDTT, "year": 2024})
    assert again.status_code == 400
    assert again.json()["detail"] == ["Đối tượng đã có “Lao động tiên tiến” năm 2024."]
    unknown = staff.post(url, {"award_type": "khong-co", "year": 2024})
    assert (unknown.status_code, unknown.json()["detail"]) == (
        400,
        ["Danh mục không có mã “khong-co”."],
    )
    wrong_kind = staff.post(url, {"award_type": GDVH, "year": 2024})
    assert wrong_kind.json()["detail"] == ["“Gia đình văn hóa” không áp dụng cho cá nhân."]
    for bad in (
        {"award_type": LDTT, "year": 1800},
        {"award_type": LDTT, "year": 2024, "decision_number": "x" * 61},
        {"name": "y" * 201, "year": 2024},
    ):
        assert staff.post(url, bad).status_code in (400, 422)
    assert staff.delete(f"/awards/{body['id']}").status_code == 204
    assert staff.delete(f"/awards/{body['id']}").status_code == 404
    assert Award.objects.filter(subject=aw.individual).count() == 1


def test_another_commune_gets_404(aw):
    b_award = aw.give(aw.b_individual, LDTT, 2024)
    for user in (aw.cast.a_staff, aw.cast.outsider):
        api = Api(user)
        for url in (f"/subjects/{aw.b_individual.pk}/awards", "/subjects/999999/awards"):
            response = api.get(url)
            assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy."})
            response = api.post(url, {"award_type": CSTD_CS, "year": 2024})
            assert response.status_code == 404
        assert api.delete(f"/awards/{b_award.pk}").status_code == 404
        assert api.delete("/awards/999999").status_code == 404
    assert Api(aw.cast.a_staff).get(f"/subjects/{2**40}/awards").status_code in (404, 422)
    # The branch viewer reads her branch's histories, and writes nothing.
    viewer = Api(aw.cast.branch_viewer)
    own = aw.give(aw.individual, LDTT, 2023)
    assert viewer.get(f"/subjects/{aw.individual.pk}/awards").status_code == 200
    assert (
        viewer.post(
            f"/subjects/{aw.individual.pk}/awards", {"award_type": CSTD_CS, "year": 2023}
        ).status_code
        == 404
    )
    assert viewer.delete(f"/awards/{own.pk}").status_code == 404
    assert set(Award.objects.values_list("pk", flat=True)) == {b_award.pk, own.pk}
