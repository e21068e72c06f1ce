"""The eligibility page (/khen-thuong/dieu-kien/) and its fragment for the subject page."""

import pytest
from django.urls import reverse

from guongsang.awards.models import Award

from .conftest import CSTD_CS, GDVH, LDTT

URL = "/khen-thuong/dieu-kien/"


def test_url_name():
    assert reverse("awards:eligibility") == URL


def ask(aw, user, **params):
    return aw.cast.client_for(user).get(URL, params)


def test_findings_in_words(aw):
    Award.objects.create(subject=aw.individual, award_type=aw.catalogue[LDTT], year=2025)
    response = ask(aw, aw.cast.a_staff, doi_tuong=aw.individual.pk, danh_hieu=CSTD_CS, nam=2025)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Điều kiện khen thưởng của Nông Thị Hạnh" in page
    assert "Chưa đủ điều kiện" in page  # no recognised initiative: a blocking rule
    assert "Đã có “Lao động tiên tiến” năm 2025." in page
    assert "Chưa có “Sáng kiến được công nhận” năm 2025." in page
    assert "msg-success" in page and "msg-error" in page and "msg-warning" in page
    assert "<html" in page


def test_eligible_shows_green(aw):
    response = ask(aw, aw.cast.a_staff, doi_tuong=aw.household.pk, danh_hieu=GDVH, nam=2026)
    page = response.content.decode()
    assert "Đủ điều kiện" in page and "“Gia đình văn hóa” dành cho hộ gia đình." in page
    assert "msg-error" not in page and "msg-warning" not in page


def test_subject_alone_preselects(aw):
    """The subject page links with the subject only: no errors, entries for its kind."""
    response = ask(aw, aw.cast.a_staff, doi_tuong=aw.household.pk)
    page = response.content.decode()
    assert response.status_code == 200
    assert "errorlist" not in page
    assert 'type="hidden" name="doi_tuong"' in page
    assert GDVH in page and CSTD_CS not in page  # CSTĐ cơ sở is not for households


def test_htmx_gets_the_fragment_without_inline_code(aw):
    response = aw.cast.client_for(aw.cast.a_staff).get(
        URL,
        {"doi_tuong": aw.individual.pk, "danh_hieu": CSTD_CS, "nam": 2026},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section class="card eligibility"')
    assert "<html" not in page and "<script" not in page and "style=" not in page
    assert "Chưa có “Lao động tiên tiến” năm 2026." in page


def test_empty_page_shows_the_form(aw):
    response = ask(aw, aw.cast.a_staff)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="doi_tuong"' in page and 'name="danh_hieu"' in page
    assert "errorlist" not in page


@pytest.mark.parametrize(
    "who", ["b_staff", "outsider", "branch_viewer_of_b"], ids=["commune-b", "other-province", "b"]
)
def test_another_units_subject_is_404(aw, who):
    if who == "branch_viewer_of_b":
        subject, user = aw.b_individual, aw.cast.branch_viewer  # a viewer of branch A1
    else:
        subject, user = aw.individual, getattr(aw.cast, who)
    assert ask(aw, user, doi_tuong=subject.pk, danh_hieu=LDTT, nam=2026).status_code == 404
    assert ask(aw, user, doi_tuong=subject.pk).status_code == 404


def test_missing_subject_is_404(aw):
    assert (
        ask(aw, aw.cast.a_staff, doi_tuong=2**31 - 1, danh_hieu=LDTT, nam=2026).status_code == 404
    )


def test_province_sees_a_communes_subject(aw):
    response = ask(aw, aw.cast.province_admin, doi_tuong=aw.individual.pk, danh_hieu=LDTT, nam=2026)
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(aw, client):
    response = client.get(URL, {"doi_tuong": aw.individual.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


BAD = [
    pytest.param({"doi_tuong": "\x00"}, "Mã số đối tượng phải là một số.", id="nul-subject"),
    pytest.param({"doi_tuong": "²"}, "Mã số đối tượng phải là một số.", id="superscript-subject"),
    pytest.param({"doi_tuong": "9" * 40}, "Mã số đối tượng không hợp lệ.", id="huge-subject"),
    pytest.param(
        {"doi_tuong": "9" * 5000}, "Mã số đối tượng phải là một số.", id="endless-subject"
    ),
    pytest.param({"doi_tuong": "-3"}, "Mã số đối tượng không hợp lệ.", id="negative-subject"),
    pytest.param(
        {"danh_hieu": "khong-co-ma-nay"},
        "Danh hiệu, hình thức này không có trong danh mục đang dùng.",
        id="unknown-code",
    ),
    pytest.param(
        {"danh_hieu": "lao-dong\x00"},
        "Danh hiệu, hình thức này không có trong danh mục đang dùng.",
        id="nul-code",
    ),
    pytest.param({"danh_hieu": ""}, "Chọn danh hiệu hoặc hình thức khen thưởng.", id="no-code"),
    pytest.param({"nam": "²⁰²⁶"}, "Năm phải là một số.", id="superscript-year"),
    pytest.param({"nam": "\x002026"}, "Năm phải là một số.", id="nul-year"),
    pytest.param({"nam": "99999999999999999999999"}, "Năm phải từ 1945 đến 2100.", id="huge-year"),
    pytest.param({"nam": "1800"}, "Năm phải từ 1945 đến 2100.", id="year-too-early"),
    pytest.param({"nam": "2026.5"}, "Năm phải là một số.", id="fractional-year"),
    pytest.param(
        {"danh_hieu": GDVH}, "“Gia đình văn hóa” không dành cho cá nhân.", id="not-for-kind"
    ),
]


@pytest.mark.parametrize(("override", "message"), BAD)
def test_bad_input_is_a_form_error(aw, override, message):
    params = {"doi_tuong": str(aw.individual.pk), "danh_hieu": LDTT, "nam": "2026"}
    params.update(override)
    response = ask(aw, aw.cast.a_staff, **params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page and message in page
    assert "eligibility-findings" not in page  # nothing checked


def test_bad_subject_alone_is_a_form_error(aw):
    response = ask(aw, aw.cast.a_staff, doi_tuong="²")
    assert response.status_code == 200
    assert "Mã số đối tượng phải là một số." in response.content.decode()


def test_page_cost_does_not_grow_with_history(aw, django_assert_max_num_queries):
    for year in range(1990, 2027):
        Award.objects.create(subject=aw.individual, award_type=aw.catalogue[LDTT], year=year)
    client = aw.cast.client_for(aw.cast.a_staff)
    params = {"doi_tuong": aw.individual.pk, "danh_hieu": CSTD_CS, "nam": 2026}
    with django_assert_max_num_queries(12):
        assert client.get(URL, params).status_code == 200


def test_only_get(aw):
    response = aw.cast.client_for(aw.cast.a_staff).post(URL, {"doi_tuong": aw.individual.pk})
    assert response.status_code == 405
