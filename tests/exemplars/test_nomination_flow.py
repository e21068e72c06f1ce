"""The nomination flow as an officer meets it: the subject form of the chosen kind only, the
criteria sets that fit the subject and the round, evidence uploaded without losing what was
typed, the nominator told of every outcome (never of her own submission), and a recognition
that records its decision's number and date."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from guongsang.exemplars import services
from guongsang.exemplars.models import (
    Attachment,
    CatalogueKind,
    CriterionGroup,
    Exemplar,
    Nomination,
    NominationState,
    ReviewAction,
    Subject,
    SubjectKind,
)
from guongsang.exemplars.services import CriterionSpec
from guongsang.notifications.models import Notification

from ..xlsx import download
from .conftest import G1, this_year
from .test_uploads import BAD, pdf_upload, png_upload

TODAY = timezone.localdate


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def field_names(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', html))


# ---- the subject form ------------------------------------------------------------------------
PERSON = {"gender", "birth_year", "ethnicity", "position", "workplace"}
COLLECTIVE = {"linked_unit", "member_count", "women_percent"}


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        (SubjectKind.INDIVIDUAL, PERSON, COLLECTIVE),
        (
            SubjectKind.HOUSEHOLD,
            {"gender", "birth_year", "ethnicity", "member_count"},
            {"position", "workplace", "linked_unit", "women_percent"},
        ),
        (SubjectKind.COLLECTIVE, COLLECTIVE, PERSON),
    ],
)
def test_subject_form_shows_only_the_chosen_kinds_fields(world, kind, shown, hidden):
    client = world.cast.client_for(world.cast.a_staff)
    html = html_of(client.get(reverse("exemplars:subject_create"), {"loai": kind}))
    names = field_names(html)
    assert shown <= names, shown - names
    assert not (hidden & names), hidden & names
    assert {"name", "unit", "phone", "id_number", "address", "note"} <= names


def test_household_form_names_the_head(world):
    client = world.cast.client_for(world.cast.a_staff)
    html = html_of(client.get(reverse("exemplars:subject_create"), {"loai": "household"}))
    assert "Họ và tên chủ hộ" in html and "Số nhân khẩu" in html
    assert "Tỷ lệ nữ" not in html and "Là đơn vị Hội" not in html


@pytest.mark.parametrize("loai", [None, "", "to_chuc", "x\x00", "household" * 50])
def test_without_a_valid_kind_the_first_step_asks_for_it(world, loai):
    client = world.cast.client_for(world.cast.a_staff)
    params = {} if loai is None else {"loai": loai}
    html = html_of(client.get(reverse("exemplars:subject_create"), params))
    assert 'name="loai"' in html and 'value="household"' in html
    assert 'name="birth_year"' not in html
    assert ("Loại đối tượng không hợp lệ" in html) == bool(loai)


def test_other_kinds_posted_fields_are_ignored(world):
    cast = world.cast
    client = cast.client_for(cast.a_staff)
    response = client.post(
        reverse("exemplars:subject_create") + "?loai=household",
        {
            "unit": cast.branch_a.pk,
            "name": "Hoàng Thị Duyên",
            "birth_year": "1979",
            "member_count": "5",
            # A collective's and an individual's fields, forged or left by an earlier choice:
            "women_percent": "not a number",
            "linked_unit": cast.commune_b.pk,
            "position": "Chủ tịch",
            "workplace": "UBND xã",
        },
    )
    assert response.status_code == 302
    subject = Subject.objects.get(name="Hoàng Thị Duyên")
    assert subject.kind == SubjectKind.HOUSEHOLD
    assert (subject.birth_year, subject.member_count) == (1979, 5)
    assert subject.women_percent is None and subject.linked_unit is None
    assert subject.position == "" and subject.workplace == ""


def test_editing_keeps_the_kind_and_clears_other_kinds_fields(world):
    cast = world.cast
    subject = world.subject(SubjectKind.HOUSEHOLD, unit=cast.branch_a)
    # Left over from before the form knew kinds: a household with a collective's share of women.
    Subject.objects.filter(pk=subject.pk).update(women_percent=80, position="Tổ trưởng")
    client = cast.client_for(cast.a_staff)
    url = reverse("exemplars:subject_edit", args=[subject.pk])
    names = field_names(html_of(client.get(url)))
    assert "women_percent" not in names and "position" not in names and "kind" not in names
    response = client.post(
        url,
        {
            "kind": "collective",
            "name": subject.name,
            "birth_year": "1979",
            "member_count": "6",
            "women_percent": "100",
        },
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.kind == SubjectKind.HOUSEHOLD
    assert subject.member_count == 6
    assert subject.women_percent is None and subject.position == ""


def test_individual_still_needs_a_gender_and_keeps_the_input(world):
    cast = world.cast
    client = cast.client_for(cast.a_staff)
    html = html_of(
        client.post(
            reverse("exemplars:subject_create") + "?loai=individual",
            {"unit": cast.branch_a.pk, "name": "Lục Thị Ngọc", "birth_year": "1990"},
        )
    )
    assert 'value="Lục Thị Ngọc"' in html
    assert not Subject.objects.filter(name="Lục Thị Ngọc").exists()


def test_bad_input_on_the_subject_form_is_never_a_500(world):
    cast = world.cast
    client = cast.client_for(cast.a_staff)
    url = reverse("exemplars:subject_create") + "?loai=individual"
    for bad in ("Nông\x00Thị", "x" * 5000):
        response = client.post(
            url, {"unit": cast.branch_a.pk, "name": bad, "gender": "female", "member_count": bad}
        )
        assert response.status_code == 200
    assert not Subject.objects.filter(name__startswith="Nông").exists()


# ---- criteria sets offered for a nomination --------------------------------------------------
@pytest.fixture
def sets(world):
    """Besides the world's set (every kind, the round's movement): a household-only set, a
    general-only set of no movement, and an individuals' set of another movement."""
    cast = world.cast
    other = services.movement_create(
        by=None,
        unit=cast.central,
        kind=CatalogueKind.CAMPAIGN,
        name="Xây dựng gia đình 5 không, 3 sạch",
        start_year=2017,
    )

    def make(name, movement, groups):
        return services.criteria_set_create(
            by=cast.province_admin,
            unit=cast.province,
            name=name,
            year=this_year(),
            movement=movement,
            groups=[(kind, title, [CriterionSpec(f"{name}: tiêu chí")]) for kind, title in groups],
        )

    return {
        "household": make(
            "Tiêu chí hộ gia đình 5 không 3 sạch",
            world.movement,
            [(SubjectKind.HOUSEHOLD, "Hộ gia đình")],
        ),
        "general": make("Tiêu chí chung của tỉnh", None, [(CriterionGroup.GENERAL, "Chung")]),
        "other": make(
            "Tiêu chí của cuộc vận động khác", other, [(SubjectKind.INDIVIDUAL, "Cá nhân")]
        ),
        "other_movement": other,
    }


def create_url(subject, review_round=None) -> str:
    url = reverse("exemplars:nomination_create") + f"?doi_tuong={subject.pk}"
    return url + (f"&dot_xet={review_round.pk}" if review_round else "")


def option_values(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [v for v in re.findall(r'<option value="([^"]*)"', select) if v]


def test_criteria_sets_fit_the_subjects_kind_and_the_rounds_movement(world, sets):
    client = world.cast.client_for(world.cast.a_staff)
    individual = world.subject()
    html = html_of(client.get(create_url(individual)))  # one open round: no first step
    offered = option_values(html, "criteria_set")
    assert str(world.criteria_set.pk) in offered and str(sets["general"].pk) in offered
    assert str(sets["household"].pk) not in offered
    # The other movement's set is offered apart, under a heading that says so.
    assert str(sets["other"].pk) in offered
    assert "Phong trào khác (cần xác nhận)" in html
    head, _sep, tail = html.partition("Phong trào khác (cần xác nhận)")
    assert f'value="{sets["other"].pk}"' in tail and f'value="{world.criteria_set.pk}"' in head

    household = world.subject(SubjectKind.HOUSEHOLD)
    offered = option_values(html_of(client.get(create_url(household))), "criteria_set")
    assert str(sets["household"].pk) in offered and str(world.criteria_set.pk) in offered
    assert str(sets["other"].pk) not in offered


def test_a_set_of_another_kind_is_refused(world, sets):
    client = world.cast.client_for(world.cast.a_staff)
    individual = world.subject()
    html = html_of(
        client.post(
            create_url(individual),
            {
                "category": "advanced_exemplar",
                "movement": world.movement.pk,
                "criteria_set": sets["household"].pk,
            },
        )
    )
    assert "msg-error" in html or "errorlist" in html
    assert not Nomination.objects.exists()


def test_another_movements_set_needs_a_visible_confirmation(world, sets):
    client = world.cast.client_for(world.cast.a_staff)
    individual = world.subject()
    data = {
        "category": "advanced_exemplar",
        "movement": world.movement.pk,
        "criteria_set": sets["other"].pk,
    }
    html = html_of(client.post(create_url(individual), data))
    assert "khác phong trào của đợt xét" in html
    assert 'name="other_movement"' in html
    assert not Nomination.objects.exists()

    response = client.post(create_url(individual), {**data, "other_movement": "on"})
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.criteria_set == sets["other"] and nomination.review_round == world.round


def test_the_rounds_own_set_needs_no_confirmation(world, sets):
    client = world.cast.client_for(world.cast.a_staff)
    html = html_of(client.get(create_url(world.subject())))
    assert 'name="other_movement"' not in html
    assert f'<option value="{world.movement.pk}" selected' in html  # the round's movement
    response = client.post(
        create_url(world.subject(name="Hà Thị Thơm")),
        {
            "category": "advanced_exemplar",
            "movement": world.movement.pk,
            "criteria_set": sets["general"].pk,
        },
    )
    assert response.status_code == 302


def test_with_several_rounds_the_round_is_chosen_first(world, sets):
    cast = world.cast
    second = services.round_create(
        by=cast.a_admin,
        unit=cast.commune_a,
        name="Xét điển hình cấp xã",
        year=this_year(),
        deadline=TODAY() + dt.timedelta(days=10),
        movement=sets["other_movement"],
    )
    services.round_create(  # run by another commune: not offered to a subject of commune A
        by=cast.province_admin,
        unit=cast.commune_b,
        name="Xét của phường Tân Giang",
        year=this_year(),
        deadline=TODAY() + dt.timedelta(days=10),
    )
    client = cast.client_for(cast.a_staff)
    subject = world.subject()
    html = html_of(client.get(create_url(subject)))
    assert set(option_values(html, "dot_xet")) == {str(world.round.pk), str(second.pk)}
    assert "Xét của phường Tân Giang" not in html
    # In the commune's round (another movement) the province's set is the one set apart.
    html = html_of(client.get(create_url(subject, second)))
    head, _sep, tail = html.partition("Phong trào khác (cần xác nhận)")
    assert f'value="{world.criteria_set.pk}"' in tail
    assert f'value="{sets["other"].pk}"' in head
    for bad in ("abc", "0", "-1", "9" * 30, "1\x00"):
        html = html_of(
            client.get(
                reverse("exemplars:nomination_create"), {"doi_tuong": subject.pk, "dot_xet": bad}
            )
        )
        assert 'name="dot_xet"' in html and "Chọn một đợt xét" in html


# ---- evidence without losing what was typed ------------------------------------------------
def edit_post(client, nomination, **extra):
    data = {
        "category": nomination.category,
        "achievement_report": "Chị vận động 32 hộ trồng thạch đen, thu nhập tăng gấp đôi.",
        f"evidence_{nomination_criterion(nomination).pk}": "Xác nhận của UBND xã.",
        **extra,
    }
    return client.post(reverse("exemplars:nomination_edit", args=[nomination.pk]), data)


def nomination_criterion(nomination):
    return services.criteria_for(nomination.criteria_set, nomination.subject.kind)[0]


def test_upload_saves_the_typed_text_first(world):
    client = world.cast.client_for(world.cast.a_staff)
    nomination = world.nominate(world.subject())
    edit_url = reverse("exemplars:nomination_edit", args=[nomination.pk])
    form_html = html_of(client.get(edit_url))
    # One form carries the text and the file: an upload cannot leave the text behind.
    assert form_html.count('enctype="multipart/form-data"') == 1
    assert 'name="upload"' in form_html and "attachment_upload" not in form_html

    response = edit_post(client, nomination, upload="1", file=pdf_upload())
    assert response.status_code == 302 and response["Location"].endswith("#tep")
    nomination.refresh_from_db()
    assert nomination.achievement_report.startswith("Chị vận động 32 hộ")
    answer = nomination.answers.get(criterion=nomination_criterion(nomination))
    assert answer.evidence_text == "Xác nhận của UBND xã."
    assert Attachment.objects.filter(nomination=nomination, kind="pdf").count() == 1
    html = html_of(client.get(edit_url))
    assert "Chị vận động 32 hộ trồng thạch đen" in html and "bao-cao.pdf" in html


def test_a_refused_file_keeps_the_text_too(world):
    client = world.cast.client_for(world.cast.a_staff)
    nomination = world.nominate(world.subject())
    name, data = BAD[0]
    response = edit_post(client, nomination, upload="1", file=SimpleUploadedFile(name, data))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert "thạch đen" in nomination.achievement_report
    assert not nomination.attachments.exists()
    html = html_of(client.get(response["Location"]))
    assert "chưa tải được tệp" in html and "thạch đen" in html
    # "Upload" without a file: the text is saved, and she is told to choose one.
    response = edit_post(client, nomination, upload="1", achievement_report="Bản mới")
    nomination.refresh_from_db()
    assert nomination.achievement_report == "Bản mới"
    assert "Chọn một tệp" in html_of(client.get(response["Location"]))


def test_deleting_a_file_keeps_the_text(world):
    cast = world.cast
    client = cast.client_for(cast.a_staff)
    nomination = world.nominate(world.subject())
    attachment = services.attachment_add(
        by=cast.a_staff, nomination=nomination, upload=png_upload()
    )
    html = html_of(client.get(reverse("exemplars:nomination_edit", args=[nomination.pk])))
    assert f'name="xoa_tep" value="{attachment.pk}"' in html
    response = edit_post(client, nomination, xoa_tep=str(attachment.pk))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert "thạch đen" in nomination.achievement_report
    assert not nomination.attachments.exists()
    # Another nomination's file (or nonsense) is not touched, and is never a 500.
    other = world.nominate(world.subject(name="Hà Thị Thơm"))
    theirs = services.attachment_add(by=cast.a_staff, nomination=other, upload=png_upload())
    for bad in (str(theirs.pk), "abc", "9" * 40, "1\x00"):
        assert edit_post(client, nomination, xoa_tep=bad).status_code == 302
    assert Attachment.objects.filter(pk=theirs.pk).exists()


def test_upload_with_submit_uploads_then_submits(world):
    cast = world.cast
    client = cast.client_for(cast.a_staff)
    nomination = world.complete(world.nominate(world.subject()))
    every = services.criteria_for(nomination.criteria_set, nomination.subject.kind)
    met = {f"met_{c.pk}": "1" for c in every} | {f"evidence_{c.pk}": "Có xác nhận." for c in every}
    response = edit_post(client, nomination, submit="1", file=pdf_upload(), **met)
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.attachments.count() == 1
    assert nomination.state == NominationState.SUBMITTED


# ---- the nominator is told of every outcome, once ---------------------------------------------
def inbox(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("text", flat=True)
    )


def test_nominator_is_not_told_of_her_own_submission(world):
    cast = world.cast
    # Bế Thị Hoa (commune A staff) nominates a member of branch A1: her own commune reviews it.
    world.submitted()
    assert inbox(cast.a_staff) == []
    assert len(inbox(cast.a_admin)) == 1 and "chờ xét" in inbox(cast.a_admin)[0]


@pytest.mark.parametrize(
    ("action", "comment", "expected"),
    [
        (ReviewAction.RETURN, "Thiếu xác nhận của chi hội", "bị trả lại để bổ sung"),
        (ReviewAction.REJECT, "Chưa đủ tiêu chuẩn", "không được duyệt"),
    ],
)
def test_nominator_is_told_of_a_return_or_rejection_with_the_reason(
    world, action, comment, expected
):
    cast = world.cast
    nomination = world.submitted()
    services.nomination_review(
        by=cast.a_admin, nomination=nomination, action=action, comment=comment
    )
    told = inbox(cast.a_staff)
    assert len(told) == 1
    assert expected in told[0] and comment in told[0] and "của bạn" in told[0]
    # The officer who acted is not told of her own step.
    assert all(expected not in text for text in inbox(cast.a_admin))


def test_nominator_is_told_of_forwarding_and_recognition_once_each(world):
    cast = world.cast
    nomination = world.at_province()
    told = inbox(cast.a_staff)
    assert len(told) == 1 and "chuyển lên Tỉnh Cao Bằng" in told[0]
    # The province's officers keep their notice of a nomination waiting for them.
    assert any("chờ xét" in text for text in inbox(cast.province_admin))
    assert any("chờ xét" in text for text in inbox(world.reviewer))

    services.nomination_review(
        by=world.reviewer,
        nomination=nomination,
        action=ReviewAction.RECOGNISE,
        decision_ref="125/QĐ-HPN",
        decision_date=dt.date(2026, 1, 15),
    )
    told = inbox(cast.a_staff)
    assert len(told) == 2
    assert "đã được công nhận" in told[1]
    assert "125/QĐ-HPN" in told[1] and "15/01/2026" in told[1]
    link = Notification.objects.filter(user=cast.a_staff).last().link
    assert link == reverse("exemplars:nomination_detail", args=[nomination.pk])
    assert not any("công nhận" in text for text in inbox(world.reviewer))


def test_a_nominator_who_reviews_at_the_next_level_is_told_once(world):
    """The commune's admin nominates a member of her branch: her commune's queue is her own desk
    (no notice of her submission); when the province returns it, one notice, not two."""
    cast = world.cast
    subject = world.subject(by=cast.a_admin)
    nomination = world.complete(world.nominate(subject, by=cast.a_admin), by=cast.a_admin)
    nomination = services.nomination_submit(by=cast.a_admin, nomination=nomination)
    assert inbox(cast.a_admin) == []
    assert len(inbox(cast.a_staff)) == 1  # her colleague still sees the new nomination
    services.nomination_review(by=cast.a_admin, nomination=nomination, action=ReviewAction.FORWARD)
    assert inbox(cast.a_admin) == []
    services.nomination_review(
        by=world.reviewer, nomination=nomination, action=ReviewAction.RETURN, comment="Bổ sung"
    )
    told = inbox(cast.a_admin)
    assert len(told) == 1 and "Bổ sung" in told[0]


# ---- recognition records the decision --------------------------------------------------------
@pytest.mark.parametrize(
    ("ref", "date", "message"),
    [
        ("", dt.date(2026, 1, 15), "Nhập số quyết định công nhận."),
        ("   ", dt.date(2026, 1, 15), "Nhập số quyết định công nhận."),
        ("45/QĐ-BTV", None, "Nhập ngày quyết định công nhận."),
        ("45/QĐ-BTV", "tomorrow", "Ngày quyết định không được sau hôm nay."),
        ("45/QĐ\x00BTV", dt.date(2026, 1, 15), "Số quyết định có ký tự không hợp lệ."),
    ],
)
def test_recognition_needs_a_decision_number_and_a_past_date(world, ref, date, message):
    nomination = world.at_province()
    if date == "tomorrow":
        date = TODAY() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.nomination_review(
            by=world.reviewer,
            nomination=nomination,
            action=ReviewAction.RECOGNISE,
            decision_ref=ref,
            decision_date=date,
        )
    assert message in exc.value.messages
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SUBMITTED
    assert not Exemplar.objects.exists()


def review_post(client, nomination, **data):
    return client.post(
        reverse("exemplars:nomination_review", args=[nomination.pk]),
        {"action": "recognise", "version": nomination.version, **data},
        follow=True,
    )


def test_recognition_page_asks_for_the_decision_and_refuses_without_it(world):
    nomination = world.at_province()
    client = world.cast.client_for(world.reviewer)
    html = html_of(client.get(reverse("exemplars:nomination_detail", args=[nomination.pk])))
    assert 'name="decision_ref"' in html and 'name="decision_date"' in html
    assert f'max="{TODAY():%Y-%m-%d}"' in html
    cases = [
        ({}, "Nhập số quyết định công nhận."),
        ({"decision_ref": "45/QĐ-BTV"}, "Nhập ngày quyết định công nhận."),
        (
            {"decision_ref": "45/QĐ-BTV", "decision_date": f"{TODAY() + dt.timedelta(days=3)}"},
            "Ngày quyết định không được sau hôm nay.",
        ),
        ({"decision_ref": "45/QĐ-BTV", "decision_date": "2026-13-45"}, "Ngày quyết định"),
        ({"decision_ref": "45/QĐ-BTV", "decision_date": "99999-01-01"}, "Ngày quyết định"),
        ({"decision_ref": "45\x00QĐ", "decision_date": "2026-01-15"}, "Số quyết định"),
        ({"decision_ref": "x" * 500, "decision_date": "2026-01-15"}, "Số quyết định"),
    ]
    for data, message in cases:
        html = html_of(review_post(client, nomination, **data))
        assert message in html, data
    assert not Exemplar.objects.exists()

    html = html_of(
        review_post(client, nomination, decision_ref=" 45/QĐ-BTV ", decision_date="2026-01-15")
    )
    exemplar = Exemplar.objects.get(nomination=nomination)
    assert (exemplar.decision_ref, exemplar.decision_date) == ("45/QĐ-BTV", dt.date(2026, 1, 15))
    page = html_of(client.get(reverse("exemplars:exemplar_detail", args=[exemplar.pk])))
    assert "45/QĐ-BTV" in page and "15/01/2026" in page and "Ngày quyết định" in page


def test_decision_date_in_the_export_and_the_api(world, api):
    nomination = world.at_province()
    services.nomination_review(
        by=world.reviewer,
        nomination=nomination,
        action=ReviewAction.RECOGNISE,
        decision_ref="45/QĐ-BTV",
        decision_date=dt.date(2026, 1, 15),
    )
    client = world.cast.client_for(world.cast.province_admin)
    sheet = download(client, reverse("exemplars:exemplar_list") + "?xuat=xlsx").active
    header = [c.value for c in sheet[1]]
    assert "Ngày quyết định" in header
    cell = sheet.cell(row=2, column=header.index("Ngày quyết định") + 1)
    assert cell.value.date() == dt.date(2026, 1, 15) and cell.number_format == "dd/mm/yyyy"

    body = api(world.cast.province_admin).get("/api/v1/exemplars").json()
    assert body["items"][0]["decision_date"] == "2026-01-15"
    assert body["items"][0]["decision_ref"] == "45/QĐ-BTV"


def test_recognising_through_the_api_needs_the_decision(world, api):
    nomination = world.at_province()
    reviewer = api(world.reviewer)
    url = f"/api/v1/nominations/{nomination.pk}/recognise"
    version = nomination.version
    for payload in (
        {"expected_version": version, "decision_ref": "45/QĐ-BTV"},
        {"expected_version": version, "decision_date": "2026-01-15"},
        {"expected_version": version, "decision_ref": "45/QĐ", "decision_date": "2026-13-45"},
        {"expected_version": version, "decision_ref": "45\u0000QĐ", "decision_date": "2026-01-15"},
        {
            "expected_version": version,
            "decision_ref": "45/QĐ",
            "decision_date": f"{TODAY() + dt.timedelta(days=1)}",
        },
    ):
        response = reviewer.post(url, payload)
        assert response.status_code in (400, 422), (payload, response.status_code)
    assert not Exemplar.objects.exists()
    response = reviewer.post(
        url,
        {"expected_version": version, "decision_ref": "45/QĐ-BTV", "decision_date": "2026-01-15"},
    )
    assert response.status_code == 200, response.content
    assert Exemplar.objects.get().decision_date == dt.date(2026, 1, 15)


def test_a_past_recognition_records_its_decision_date(world):
    cast = world.cast
    exemplar = services.exemplar_record(
        by=cast.a_admin,
        subject=world.subject(),
        category="advanced_exemplar",
        movement=world.movement,
        year=2024,
        recognising_unit=cast.commune_a,
        recognised_on=dt.date(2024, 11, 20),
        decision_ref="30/QĐ-HPN",
    )
    assert exemplar.decision_date == dt.date(2024, 11, 20)


def test_g1_is_the_first_criterion(world):
    # ``edit_post`` answers the first criterion of the set: the general group's G1.
    nomination = world.nominate(world.subject())
    assert nomination_criterion(nomination).text == G1
