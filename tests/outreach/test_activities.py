"""The activity log: quick entry, list with filters and totals, export, edit and delete, the
editable list of forms, files checked by content and served through the access layer."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from guongsang.exemplars import services as ex_services
from guongsang.exemplars.models import CatalogueKind
from guongsang.outreach import services
from guongsang.outreach.models import Activity, ActivityFile, ActivityForm

from .conftest import (
    BAN_TIN,
    HOI_NGHI,
    HOI_THAO,
    PLAN_FORMS,
    SINH_HOAT,
    TIN_BAI,
    XLSX,
    form,
    image_bytes,
    make_activity,
)

LIST = reverse("outreach:activity_list")
NEW = reverse("outreach:activity_create")
FORMS = reverse("outreach:form_list")


def today() -> dt.date:
    """The local day when the test runs (a constant taken at import went wrong when the run
    crossed local midnight, 17:00 UTC)."""
    return timezone.localdate()


def entry(cast, **overrides) -> dict:
    data = {
        "date": (today() - dt.timedelta(days=2)).isoformat(),
        "unit": cast.branch_a.pk,
        "form": form(SINH_HOAT).pk,
        "title": "Sinh hoạt chuyên đề “5 không, 3 sạch”",
        "participants": "38",
        "members": "35",
    }
    data.update(overrides)
    return data


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


# ---- the list of forms ------------------------------------------------------------------------
def test_the_plan_forms_are_seeded_in_order(db):
    assert list(ActivityForm.objects.values_list("name", flat=True)) == PLAN_FORMS
    assert all(ActivityForm.objects.values_list("active", flat=True))


def test_province_admin_edits_the_list_of_forms(cast):
    client = cast.client_for(cast.province_admin)
    page = client.get(FORMS).content.decode()
    assert "Thêm hình thức" in page
    response = client.post(FORMS, {"name": "  Sân khấu   hóa  ", "active": "on"})
    assert response.status_code == 302
    added = ActivityForm.objects.get(name="Sân khấu hóa")
    assert added.active and added.order == len(PLAN_FORMS)
    # Rename and retire one.
    client.post(FORMS, {"pk": added.pk, "name": "Sân khấu hóa tuyên truyền"})
    added.refresh_from_db()
    assert added.name == "Sân khấu hóa tuyên truyền" and not added.active
    # A duplicate name (any case) is refused in Vietnamese, the input kept.
    response = client.post(FORMS, {"name": "hội nghị", "active": "on"})
    assert response.status_code == 200
    assert "Hình thức này đã có." in response.content.decode()
    assert 'value="hội nghị"' in response.content.decode()
    # A retired form is no longer offered for new activities.
    quick = client.get(NEW).content.decode()
    assert "Sân khấu hóa tuyên truyền" not in quick
    assert HOI_NGHI in quick


@pytest.mark.parametrize("who", ["a_staff", "a_admin", "b_staff", "branch_viewer"])
def test_only_provincial_admins_edit_the_forms(cast, who):
    user = getattr(cast, who)
    client = cast.client_for(user)
    page = client.get(FORMS)
    assert page.status_code == 200
    html = page.content.decode()
    assert HOI_NGHI in html
    assert "Thêm hình thức" not in html and 'name="pk"' not in html
    hoi_nghi = form(HOI_NGHI)
    assert client.post(FORMS, {"name": "Hình thức lạ", "active": "on"}).status_code == 404
    assert client.post(FORMS, {"pk": hoi_nghi.pk, "name": "Đổi tên"}).status_code == 404
    assert not ActivityForm.objects.filter(name__in=["Hình thức lạ", "Đổi tên"]).exists()
    hoi_nghi.refresh_from_db()
    assert hoi_nghi.active
    with pytest.raises(ValidationError):
        services.activity_form_save(by=user, name="Hình thức lạ")


def test_forms_list_counts_only_activities_the_user_may_see(cast):
    make_activity(cast.b_staff, cast.commune_b)
    make_activity(cast.b_staff, cast.commune_b)
    make_activity(cast.a_staff, cast.commune_a)
    rows = {f.name: f.n for f in cast.client_for(cast.a_staff).get(FORMS).context["forms"]}
    assert rows[HOI_NGHI] == 1
    rows = {f.name: f.n for f in cast.client_for(cast.province_admin).get(FORMS).context["forms"]}
    assert rows[HOI_NGHI] == 3


# ---- quick entry ------------------------------------------------------------------------------
def test_quick_entry_page_is_short_and_prefilled(cast):
    response = cast.client_for(cast.a_staff).get(NEW)
    assert response.status_code == 200
    form_ = response.context["form"]
    assert form_["date"].value() == today()
    assert form_["unit"].value() == cast.commune_a.pk
    html = response.content.decode()
    assert html.count('inputmode="numeric"') == 3  # the day and the two counts
    assert 'placeholder="dd/mm/yyyy"' in html  # typed as dd/mm/yyyy whatever the phone's language
    # Only units where she may enter data: her commune's subtree, open units.
    units = [u.name for u in form_.fields["unit"].queryset]
    assert units == ["Xã Đông Khê", "Chi hội Nà Pàn", "Tổ phụ nữ số 1"]
    # Required: date, unit, form, title and the numbers; the rest is optional.
    required = {name for name, field in form_.fields.items() if field.required}
    assert required == {"date", "unit", "form", "title", "participants", "members"}
    # No form is chosen for her: the first choice is a blank prompt.
    assert form_["form"].value() is None
    assert '<option value="" selected>— Chọn hình thức —</option>' in html


def test_an_untouched_form_is_asked_for_not_recorded_as_a_conference(cast):
    response = cast.client_for(cast.a_staff).post(NEW, entry(cast, form=""))
    assert response.status_code == 200 and not Activity.objects.exists()
    html = response.content.decode()
    assert "Chọn hình thức tuyên truyền." in html
    assert 'value="Sinh hoạt chuyên đề “5 không, 3 sạch”"' in html  # her input kept


def test_quick_entry_creates_an_activity(cast):
    client = cast.client_for(cast.a_staff)
    response = client.post(NEW, entry(cast))
    activity = Activity.objects.get()
    assert response.status_code == 302
    # "Log another" is the main action: a fresh form, the saved entry named above it.
    assert response["Location"] == f"{NEW}?da_ghi={activity.pk}"
    assert activity.unit == cast.branch_a
    assert activity.form.name == SINH_HOAT
    assert (activity.participants, activity.members) == (38, 35)
    assert activity.created_by == cast.a_staff
    assert activity.title_folded == "sinh hoat chuyen de “5 khong, 3 sach”"
    assert activity.unit_path == cast.branch_a.path  # the reports' sums read it
    again = client.get(response["Location"])
    page = again.content.decode()
    assert "Đã ghi:" in page and "Sinh hoạt chuyên đề “5 không, 3 sạch”</a>" in page
    assert reverse("outreach:activity_detail", args=[activity.pk]) in page
    # The unit and the form of the last entry are offered again; the content is blank.
    assert again.context["form"].initial["unit"] == cast.branch_a.pk
    assert again.context["form"].initial["form"] == activity.form_id
    assert 'value="Sinh hoạt chuyên đề' not in page
    # "Save and view" opens the activity.
    response = client.post(NEW, entry(cast, title="Hội nghị sơ kết", xem="1"))
    second = Activity.objects.get(title="Hội nghị sơ kết")
    assert response["Location"] == reverse("outreach:activity_detail", args=[second.pk])
    # Another unit's activity id in ?da_ghi= names nothing; a bad id is ignored.
    other = make_activity(cast.b_staff, cast.commune_b, "Hội nghị xã B")
    assert client.get(f"{NEW}?da_ghi={other.pk}").context["saved"] is None
    assert client.get(f"{NEW}?da_ghi=%C2%B2").status_code == 200


def test_every_error_of_a_submission_shows_at_once(cast):
    """A future date, a bad link and too many members are reported together, the input kept;
    dates are typed and shown as dd/mm/yyyy."""
    client = cast.client_for(cast.a_staff)
    form = client.get(NEW).content.decode()
    assert timezone.localdate().strftime("%d/%m/%Y") in form and 'placeholder="dd/mm/yyyy"' in form
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        NEW, entry(cast, date=tomorrow, link="javascript:alert(1)", members="99", participants="5")
    )
    errors = response.context["form"].errors
    assert set(errors) == {"date", "link", "members"}, errors
    assert "Ngày hoạt động không được sau hôm nay." in errors["date"]
    assert "Có 3 chỗ cần sửa" in response.content.decode()
    assert not Activity.objects.exists()
    bad = client.post(NEW, entry(cast, date="2026-13-45"))
    assert "Nhập ngày theo dạng ngày/tháng/năm" in bad.content.decode()
    ok = client.post(NEW, entry(cast, date="05/03/2026"))
    assert ok.status_code == 302 and Activity.objects.get().date == dt.date(2026, 3, 5)


def test_quick_entry_with_movement_exemplars_link_and_notes(column, cast):
    exemplar = column.exemplar()
    data = entry(
        cast,
        movement=column.world.movement.pk,
        exemplars=[exemplar.pk],
        link="phunu.caobang.gov.vn/tin/12",
        notes="Có đại diện UBND xã dự.",
    )
    cast.client_for(cast.a_staff).post(NEW, data)
    activity = Activity.objects.get()
    assert activity.movement == column.world.movement
    assert list(activity.exemplars.all()) == [exemplar]
    assert activity.link == "https://phunu.caobang.gov.vn/tin/12"
    assert activity.notes == "Có đại diện UBND xã dự."


def _refused(client, data, field: str, message: str):
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert Activity.objects.count() == 0
    assert message in response.context["form"].errors[field][0]
    html = response.content.decode()
    assert message in html
    # What she typed is kept.
    assert f'value="{data["title"]}"' in html.replace("&quot;", '"').replace("&ldquo;", "“")
    return response


def test_members_above_participants_is_refused_and_input_kept(cast):
    client = cast.client_for(cast.a_staff)
    data = entry(cast, title="Hội nghị biểu dương", participants="20", members="25")
    response = _refused(
        client, data, "members", "Số hội viên không được lớn hơn tổng số người tham dự."
    )
    html = response.content.decode()
    assert 'value="20"' in html and 'value="25"' in html
    with pytest.raises(ValidationError) as info:
        make_activity(cast.a_staff, cast.commune_a, participants=20, members=25)
    assert "members" in info.value.message_dict


def test_future_date_is_refused(cast):
    tomorrow = today() + dt.timedelta(days=1)
    client = cast.client_for(cast.a_staff)
    data = entry(cast, title="Hội nghị tháng sau", date=tomorrow.isoformat())
    response = _refused(client, data, "date", "Ngày hoạt động không được sau hôm nay.")
    assert f'value="{tomorrow.isoformat()}"' in response.content.decode()
    # Today is fine.
    client.post(NEW, entry(cast, date=today().isoformat()))
    assert Activity.objects.get().date == today()


def test_a_unit_outside_her_subtree_is_refused(cast):
    client = cast.client_for(cast.a_staff)
    for unit in (cast.commune_b, cast.branch_b, cast.province, cast.other_commune):
        response = client.post(NEW, entry(cast, unit=unit.pk, title="Hội nghị ở xã khác"))
        assert response.status_code == 200
        assert response.context["form"].errors["unit"]
        assert "Hội nghị ở xã khác" in response.content.decode()
    assert Activity.objects.count() == 0
    with pytest.raises(ValidationError) as info:
        make_activity(cast.a_staff, cast.commune_b)
    assert "Bạn không có quyền với đơn vị Phường Tân Giang." in info.value.messages
    # A viewer may not enter at all.
    assert cast.client_for(cast.branch_viewer).get(NEW).status_code == 404
    assert cast.client_for(cast.branch_viewer).post(NEW, entry(cast)).status_code == 404
    assert Activity.objects.count() == 0


def test_a_movement_or_exemplar_she_cannot_see_is_refused(column, cast):
    exemplar_b = column.exemplar(unit=cast.branch_b, name="Triệu Thị Mai")
    with pytest.raises(ValidationError) as info:
        make_activity(cast.a_staff, cast.commune_a, exemplars=[exemplar_b])
    assert info.value.message_dict["exemplars"] == ["Điển hình không hợp lệ."]
    response = cast.client_for(cast.a_staff).post(NEW, entry(cast, exemplars=[exemplar_b.pk]))
    assert response.status_code == 200 and response.context["form"].errors["exemplars"]
    lang_son = ex_services.movement_create(
        by=cast.outsider,
        unit=cast.other_province,
        kind=CatalogueKind.CAMPAIGN,
        name="Phong trào riêng của Lạng Sơn",
        start_year=2025,
    )
    with pytest.raises(ValidationError):
        make_activity(cast.a_staff, cast.commune_a, movement=lang_son)
    assert Activity.objects.count() == 0


# ---- the list ---------------------------------------------------------------------------------
@pytest.fixture
def log(column, cast):
    """Activities across the province, of several forms, dates and movements."""
    campaign = ex_services.movement_create(
        by=cast.province_admin,
        unit=cast.province,
        kind=CatalogueKind.CAMPAIGN,
        name="Xây dựng gia đình 5 không, 3 sạch",
        start_year=2017,
    )
    d = today().replace(day=1) - dt.timedelta(days=1)  # last day of last month
    rows = [
        (
            cast.a_staff,
            cast.commune_a,
            HOI_NGHI,
            "Hội nghị biểu dương phụ nữ tiêu biểu",
            120,
            110,
            d - dt.timedelta(days=40),
            column.world.movement,
        ),
        (
            cast.a_staff,
            cast.branch_a,
            SINH_HOAT,
            "Sinh hoạt chuyên đề 5 không 3 sạch",
            38,
            35,
            d - dt.timedelta(days=5),
            campaign,
        ),
        (cast.a_staff, cast.group_a, SINH_HOAT, "Sinh hoạt tổ: nuôi dạy con tốt", 12, 12, d, None),
        (
            cast.b_staff,
            cast.commune_b,
            HOI_THAO,
            "Tọa đàm phụ nữ khởi nghiệp",
            45,
            40,
            d - dt.timedelta(days=3),
            column.world.movement,
        ),
        (
            cast.province_admin,
            cast.province,
            TIN_BAI,
            "Gương sáng Đàm Thuỷ giữ nghề dệt",
            0,
            0,
            d - dt.timedelta(days=1),
            column.world.movement,
        ),
    ]
    made = {}
    for by, unit, form_name, title, people, members, day, movement in rows:
        made[title] = make_activity(
            by,
            unit,
            title,
            form=form(form_name),
            participants=people,
            members=members,
            date=day,
            movement=movement,
        )
    return {"campaign": campaign, "last_day": d, **made}


def test_list_filters_by_unit_subtree(cast, log):
    client = cast.client_for(cast.province_admin)
    assert len(titles(client.get(LIST))) == 5
    assert set(titles(client.get(LIST, {"don_vi": cast.commune_a.pk}))) == {
        "Hội nghị biểu dương phụ nữ tiêu biểu",
        "Sinh hoạt chuyên đề 5 không 3 sạch",
        "Sinh hoạt tổ: nuôi dạy con tốt",
    }
    assert set(titles(client.get(LIST, {"don_vi": cast.branch_a.pk}))) == {
        "Sinh hoạt chuyên đề 5 không 3 sạch",
        "Sinh hoạt tổ: nuôi dạy con tốt",
    }
    assert titles(client.get(LIST, {"don_vi": cast.commune_b.pk})) == ["Tọa đàm phụ nữ khởi nghiệp"]
    # A unit outside her reach is a 404, not an empty list.
    assert client.get(LIST, {"don_vi": cast.other_commune.pk}).status_code == 404


def test_list_filters_by_form_dates_movement_and_search(cast, log):
    client = cast.client_for(cast.province_admin)
    last = log["last_day"]
    assert set(titles(client.get(LIST, {"hinh_thuc": form(SINH_HOAT).pk}))) == {
        "Sinh hoạt chuyên đề 5 không 3 sạch",
        "Sinh hoạt tổ: nuôi dạy con tốt",
    }
    span = {
        "tu": (last - dt.timedelta(days=5)).isoformat(),
        "den": (last - dt.timedelta(days=1)).isoformat(),
    }
    assert set(titles(client.get(LIST, span))) == {
        "Sinh hoạt chuyên đề 5 không 3 sạch",
        "Tọa đàm phụ nữ khởi nghiệp",
        "Gương sáng Đàm Thuỷ giữ nghề dệt",
    }
    assert titles(client.get(LIST, {"tu": last.isoformat()})) == ["Sinh hoạt tổ: nuôi dạy con tốt"]
    assert titles(client.get(LIST, {"phong_trao": log["campaign"].pk})) == [
        "Sinh hoạt chuyên đề 5 không 3 sạch"
    ]
    assert titles(client.get(LIST, {"q": "toa dam khoi nghiep"})) == ["Tọa đàm phụ nữ khởi nghiệp"]
    assert titles(client.get(LIST, {"q": "DAM THUY"})) == ["Gương sáng Đàm Thuỷ giữ nghề dệt"]
    assert titles(client.get(LIST, {"q": "đàm thủy"})) == ["Gương sáng Đàm Thuỷ giữ nghề dệt"]
    assert titles(client.get(LIST, {"q": "sinh hoat", "don_vi": cast.group_a.pk})) == [
        "Sinh hoạt tổ: nuôi dạy con tốt"
    ]
    # Bad dates and ids are ignored.
    assert len(titles(client.get(LIST, {"tu": "31/02/2026", "hinh_thuc": "x"}))) == 5


def test_totals_per_form(cast, log):
    response = cast.client_for(cast.province_admin).get(LIST)
    totals = {
        t["form__name"]: (t["n"], t["people"], t["of_members"]) for t in response.context["totals"]
    }
    assert totals == {
        HOI_NGHI: (1, 120, 110),
        SINH_HOAT: (2, 50, 47),
        HOI_THAO: (1, 45, 40),
        TIN_BAI: (1, 0, 0),
    }
    assert response.context["grand"] == {"n": 5, "people": 215, "of_members": 197}
    html = response.content.decode()
    assert "<strong>215</strong>" in html and "<strong>197</strong>" in html
    # Totals follow the filters.
    filtered = cast.client_for(cast.province_admin).get(LIST, {"don_vi": cast.commune_a.pk})
    assert filtered.context["grand"] == {"n": 3, "people": 170, "of_members": 157}
    # And the reader's scope: commune A sees its own only.
    mine = cast.client_for(cast.a_staff).get(LIST)
    assert mine.context["grand"] == {"n": 3, "people": 170, "of_members": 157}


def test_export_xlsx(cast, log):
    response = cast.client_for(cast.a_staff).get(LIST, {"xuat": "xlsx", "q": "sinh hoat"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="hoat-dong-tuyen-truyen.xlsx"' in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "STT",
        "Ngày",
        "Đơn vị",
        "Hình thức",
        "Nội dung",
        "Số người tham dự",
        "Trong đó hội viên",
        "Phong trào",
        "Đường dẫn",
    )
    last = log["last_day"]
    assert ws["B2"].is_date and ws["B2"].number_format == "dd/mm/yyyy"  # a date, not text
    assert rows[1] == (
        1,
        dt.datetime.combine(last, dt.time()),
        "Tổ phụ nữ số 1",
        SINH_HOAT,
        "Sinh hoạt tổ: nuôi dạy con tốt",
        12,
        12,
        None,
        None,
    )
    assert rows[2][2:8] == (
        "Chi hội Nà Pàn",
        SINH_HOAT,
        "Sinh hoạt chuyên đề 5 không 3 sạch",
        38,
        35,
        "Xây dựng gia đình 5 không, 3 sạch",
    )
    assert len(rows) == 3
    everything = cast.client_for(cast.a_staff).get(LIST, {"xuat": "xlsx"})
    text = " ".join(
        str(c)
        for r in load_workbook(io.BytesIO(everything.content)).active.iter_rows(values_only=True)
        for c in r
    )
    assert "Tọa đàm phụ nữ khởi nghiệp" not in text and "Phường Tân Giang" not in text
    assert "Hội nghị biểu dương phụ nữ tiêu biểu" in text


def test_list_query_count_does_not_grow(cast):
    client = cast.client_for(cast.a_staff)

    def count() -> int:
        client.get(LIST)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["page"].object_list)

    forms = [form(name) for name in PLAN_FORMS]
    for i in range(3):
        make_activity(cast.a_staff, cast.branch_a, f"Hoạt động {i}", form=forms[i % 7])
    few, shown = count()
    assert shown == 3
    for i in range(3, 30):
        make_activity(cast.a_staff, cast.group_a, f"Hoạt động {i}", form=forms[i % 7])
    many, shown = count()
    assert shown == 30
    assert many == few


# ---- editing and deleting ---------------------------------------------------------------------
def test_edit_an_activity(cast):
    activity = make_activity(cast.a_staff, cast.branch_a, "Hội nghị sơ kết")
    url = reverse("outreach:activity_detail", args=[activity.pk])
    client = cast.client_for(cast.a_admin)
    page = client.get(url)
    assert page.context["form"]["title"].value() == "Hội nghị sơ kết"
    data = entry(
        cast,
        title="Hội nghị sơ kết 6 tháng",
        participants="55",
        members="50",
        form=form(BAN_TIN).pk,
    )
    response = client.post(url, data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.participants, activity.members, activity.form.name) == (
        "Hội nghị sơ kết 6 tháng",
        55,
        50,
        BAN_TIN,
    )
    assert activity.title_folded == "hoi nghi so ket 6 thang"
    # Refused edits keep what was typed and change nothing.
    response = client.post(url, entry(cast, title="Sai số", participants="5", members="9"))
    assert response.status_code == 200
    assert "Số hội viên không được lớn hơn tổng số người tham dự." in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Hội nghị sơ kết 6 tháng"
    # A viewer reads but may not edit.
    viewer = cast.client_for(cast.branch_viewer)
    page = viewer.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert viewer.post(url, data | {"title": "Sửa trộm"}).status_code == 404
    activity.refresh_from_db()
    assert activity.title == "Hội nghị sơ kết 6 tháng"


def test_delete_an_activity(cast):
    activity = make_activity(cast.a_staff, cast.branch_a)
    url = reverse("outreach:activity_detail", args=[activity.pk])
    assert cast.client_for(cast.branch_viewer).post(url, {"delete": "1"}).status_code == 404
    assert cast.client_for(cast.b_staff).post(url, {"delete": "1"}).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()
    response = cast.client_for(cast.a_staff).post(url, {"delete": "1"}, follow=True)
    assert "Đã xóa hoạt động." in response.content.decode()
    assert not Activity.objects.filter(pk=activity.pk).exists()


# ---- files ------------------------------------------------------------------------------------
def test_photo_on_quick_entry_is_checked_by_content(cast):
    client = cast.client_for(cast.a_staff)
    disguised = SimpleUploadedFile("anh-hoi-nghi.jpg", b"MZ\x90\x00\x03 an exe", "image/jpeg")
    response = client.post(NEW, entry(cast, title="Hội nghị có ảnh giả", photo=disguised))
    assert response.status_code == 200
    assert "không đúng loại cho phép" in response.content.decode()
    assert "Hội nghị có ảnh giả" in response.content.decode()
    assert Activity.objects.count() == 0 and ActivityFile.objects.count() == 0

    photo = SimpleUploadedFile("anh-hoi-nghi.jpg", image_bytes(), "image/jpeg")
    response = client.post(NEW, entry(cast, title="Hội nghị có ảnh", photo=photo))
    activity = Activity.objects.get()
    stored = activity.files.get()
    assert (stored.kind, stored.original_name) == ("jpg", "anh-hoi-nghi.jpg")
    assert stored.file.name.startswith("activities/")


def test_files_are_served_only_through_the_access_layer(cast):
    activity = make_activity(cast.a_staff, cast.branch_a)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    url = reverse("outreach:activity_detail", args=[activity.pk])
    client = cast.client_for(cast.a_staff)
    response = client.post(
        url,
        entry(
            cast,
            title=activity.title,
            photo=SimpleUploadedFile("bien-ban.pdf", pdf, "application/pdf"),
        ),
    )
    assert response.status_code == 302
    image = services.activity_file_add(
        by=cast.a_staff,
        activity=activity,
        upload=SimpleUploadedFile("anh.png", image_bytes("PNG"), "image/png"),
    )
    document = activity.files.get(kind="pdf")
    page = client.get(url).content.decode()
    assert reverse("outreach:activity_file", args=[document.pk]) in page
    assert "bien-ban.pdf" in page

    download = client.get(reverse("outreach:activity_file", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
    shown = client.get(reverse("outreach:activity_file", args=[image.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert "attachment" not in shown.get("Content-Disposition", "")

    for outsider in (cast.b_staff, cast.outsider):
        for row in (document, image):
            response = cast.client_for(outsider).get(
                reverse("outreach:activity_file", args=[row.pk])
            )
            assert response.status_code == 404
    assert Client().get(reverse("outreach:activity_file", args=[document.pk])).status_code == 302
    assert (
        cast.client_for(cast.branch_viewer)
        .get(reverse("outreach:activity_file", args=[document.pk]))
        .status_code
        == 200
    )
    # Never a public path: the file lives in the media storage, not static.
    assert not document.file.name.startswith(("/", "static"))
    assert Client().get(f"/media/{document.file.name}").status_code == 404

    # A disguised file added on edit is refused; nothing is stored.
    response = client.post(
        url,
        entry(
            cast,
            title=activity.title,
            photo=SimpleUploadedFile("x.pdf", b"<?php x", "application/pdf"),
        ),
    )
    assert "không đúng loại cho phép" in response.content.decode()
    assert activity.files.count() == 2


def test_deleting_an_activity_removes_its_files(cast):
    activity = make_activity(cast.a_staff, cast.branch_a)
    row = services.activity_file_add(
        by=cast.a_staff,
        activity=activity,
        upload=SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg"),
    )
    storage, name = row.file.storage, row.file.name
    assert storage.exists(name)
    services.activity_delete(by=cast.a_staff, activity=activity)
    assert not storage.exists(name)
    assert not ActivityFile.objects.exists()


def test_forms_list_for_a_user_without_roles_and_a_superuser(cast):
    from ..factories import make_user

    make_activity(cast.a_staff, cast.commune_a)
    nobody = make_user(cast.commune_a, username="khong.vai.tro")
    rows = {f.name: f.n for f in cast.client_for(nobody).get(FORMS).context["forms"]}
    assert rows[HOI_NGHI] == 0
    root = make_user(None, username="quan.tri", is_superuser=True, is_staff=True)
    rows = {f.name: f.n for f in cast.client_for(root).get(FORMS).context["forms"]}
    assert rows[HOI_NGHI] == 1


def test_one_file_of_an_activity_can_be_deleted_by_its_unit_only(cast):
    activity = make_activity(cast.a_staff, cast.branch_a)
    keep, drop = (
        services.activity_file_add(
            by=cast.a_staff,
            activity=activity,
            upload=SimpleUploadedFile(name, image_bytes(), "image/jpeg"),
        )
        for name in ("giu.jpg", "xoa.jpg")
    )
    url = reverse("outreach:activity_file_delete", args=[drop.pk])
    for other in (cast.b_staff, cast.outsider, cast.branch_viewer):
        assert cast.client_for(other).post(url).status_code == 404
    assert ActivityFile.objects.filter(pk=drop.pk).exists()
    storage, name = drop.file.storage, drop.file.name
    response = cast.client_for(cast.a_staff).post(url)
    assert response.status_code == 302
    assert list(activity.files.values_list("pk", flat=True)) == [keep.pk]
    assert not storage.exists(name)


def test_a_forged_form_id_is_404_not_an_error(cast):
    client = cast.client_for(cast.province_admin)
    url = reverse("outreach:form_list")
    assert client.post(url, {"pk": "abc", "name": "Hội nghị"}).status_code == 404
    assert client.post(url, {"pk": "999999", "name": "Hội nghị"}).status_code == 404
