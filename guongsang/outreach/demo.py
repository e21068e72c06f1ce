"""Outreach demo: activities of several forms, a consent and a published story."""

import datetime as dt

from django.db import transaction

from guongsang.accounts.models import User
from guongsang.exemplars.models import Exemplar, Movement
from guongsang.units.models import Unit

from . import services
from .models import ActivityForm

STORY_BODY = """
<p>Ở xóm Bản Giốc, xã Đàm Thuỷ, gia đình chị Hoàng Thị Duyên là hộ đầu tiên mở cửa đón khách
du lịch cộng đồng. Từ khung cửi của bà, chị giữ nghề dệt thổ cẩm và dạy lại cho các chị em trong xóm.</p>
<h2>Cách làm mới</h2>
<ul>
<li>Nhận khách nghỉ tại nhà, nấu món ăn truyền thống của người Nùng.</li>
<li>Bán sản phẩm thổ cẩm do 6 phụ nữ trong xóm làm.</li>
</ul>
<p>Gia đình chị đạt đủ 8 tiêu chí <strong>“5 không, 3 sạch”</strong> và được Hội LHPN tỉnh công nhận là
<em>mô hình mới</em> năm 2026.</p>
"""


@transaction.atomic
def load_outreach_demo() -> None:
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    forms = {f.name: f for f in ActivityForm.objects.all()}
    movement = Movement.objects.get(name="Xây dựng người Phụ nữ Việt Nam thời đại mới")
    campaign = Movement.objects.get(name="Xây dựng gia đình 5 không, 3 sạch")
    dong_khe = Unit.objects.get(code__startswith="0", name="Xã Đông Khê", valid_to__isnull=True)
    na_pan = Unit.objects.get(name="Chi hội Nà Pàn")
    tan_giang = Unit.objects.get(
        name="Phường Tân Giang", valid_to__isnull=True, kind="commune", parent__kind="province"
    )
    province = Unit.objects.get(code="04")
    exemplar = Exemplar.objects.select_related("subject").get(subject__name="Hoàng Thị Duyên")

    rows = [
        (
            users["dongkhe.canbo"],
            dong_khe,
            dt.date(2026, 3, 8),
            "Hội nghị",
            "Hội nghị biểu dương phụ nữ tiêu biểu nhân ngày 8/3",
            120,
            110,
            movement,
            [],
        ),
        (
            users["dongkhe.canbo"],
            na_pan,
            dt.date(2026, 4, 15),
            "Sinh hoạt chi hội",
            "Sinh hoạt chuyên đề “5 không, 3 sạch”",
            38,
            35,
            campaign,
            [],
        ),
        (
            users["tangiang.canbo"],
            tan_giang,
            dt.date(2026, 5, 20),
            "Hội thảo, tọa đàm, giao lưu, trao đổi kinh nghiệm",
            "Tọa đàm phụ nữ khởi nghiệp",
            45,
            40,
            movement,
            [],
        ),
        (
            users["tinh.canbo"],
            province,
            dt.date(2026, 11, 10),
            "Tin bài trên trang thông tin điện tử",
            "Gia đình chị Hoàng Thị Duyên giữ nghề dệt, làm du lịch cộng đồng",
            0,
            0,
            movement,
            [exemplar],
        ),
        (
            users["tinh.canbo"],
            province,
            dt.date(2026, 11, 12),
            "Bản tin “Thông tin Phụ nữ”",
            "Bản tin số 11/2026: chuyên mục gương sáng",
            0,
            0,
            movement,
            [exemplar],
        ),
    ]
    for by, unit, day, form_name, title, people, members, mv, exemplars in rows:
        services.activity_create(
            by=by,
            unit=unit,
            date=day,
            form=forms[form_name],
            title=title,
            participants=people,
            members=members,
            movement=mv,
            exemplars=exemplars,
        )

    staff = users["tinh.canbo"]
    services.consent_record(
        by=staff,
        subject=exemplar.subject,
        given_by="Hoàng Thị Duyên",
        capacity="Chủ hộ",
        given_on=dt.date(2026, 11, 1),
    )
    story = services.story_create(
        by=staff,
        exemplar=exemplar,
        title="Giữ nghề dệt, đón khách ở Bản Giốc",
        summary="Một hộ hội viên người Nùng làm du lịch cộng đồng và tạo việc làm cho 6 phụ nữ trong xóm.",
        body=STORY_BODY,
    )
    services.story_submit(by=staff, story=story)
    services.story_publish(by=users["tinh.thuongtruc"], story=story)
