"""The block's year-end meeting: its record (who may record it, the vote's arithmetic, the
leading unit and the award, every refusal in Vietnamese), the proposal of the leading unit
through the organiser's commendation proposal, and the pages (form, meeting, proposal)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guongsang.audit.models import Action, AuditEntry
from guongsang.awards import proposals, seed
from guongsang.awards.models import ProposalItem
from guongsang.emulation import meetings
from guongsang.emulation.models import BlockMeeting
from guongsang.exemplars import services as ex_services
from guongsang.exemplars.models import Subject, SubjectKind

from .test_ranking_pages import YEAR, final, make_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world(cast):
    return make_world(cast)


@pytest.fixture
def catalogue(db):
    return seed.seed_catalogue()


def record(w, by=None, **changes):
    cast = w.cast
    kwargs = {
        "block": w.one,
        "held_on": TODAY,
        "place": "Hội trường UBND xã Đông Khê",
        "chair_name": "Bế Thị Hoa",
        "secretary_name": "Nông Thị Én",
        "units_present": 3,
        "tally": {cast.commune_a: 2, cast.commune_b: 1},
        "votes_cast": 3,
        "leading_unit": cast.commune_a,
        "award_type": None,
        "conclusion": "Thống nhất đề nghị tặng Cờ thi đua cho xã Đông Khê.",
    }
    kwargs.update(changes)
    return meetings.meeting_record(by=by or cast.a_staff, **kwargs)


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


# ---- recording ------------------------------------------------------------------------------
def test_the_leaders_officer_records_the_meeting(world, catalogue):
    w, cast = world, world.cast
    flag = catalogue["co-thi-dua-tinh"]
    meeting = record(w, award_type=flag)
    assert meeting.tally == {str(cast.commune_a.pk): 2, str(cast.commune_b.pk): 1}
    assert (meeting.leading_unit, meeting.award_type, meeting.recorded_by) == (
        cast.commune_a,
        flag,
        cast.a_staff,
    )
    # Corrected by the organiser's office: the same meeting, changed.
    again = record(w, by=cast.province_admin, place="Trụ sở Hội LHPN tỉnh")
    assert again.pk == meeting.pk and BlockMeeting.objects.count() == 1
    assert again.place == "Trụ sở Hội LHPN tỉnh" and again.award_type is None
    # Both records are in the audit log, under the organiser, with who and the vote.
    entries = AuditEntry.objects.filter(action=Action.BLOCK_MEETING).order_by("pk")
    assert [(e.actor, e.unit) for e in entries] == [
        (cast.a_staff, w.one.organiser),
        (cast.province_admin, w.one.organiser),
    ]
    assert entries[0].details["votes_for"] == 2 and entries[0].details["votes_cast"] == 3


@pytest.mark.parametrize("who", ["b_staff", "c_staff", "outsider", "branch_viewer"])
def test_only_the_organiser_or_the_leader_records_it(world, who):
    user = getattr(world, who, None) or getattr(world.cast, who)
    with pytest.raises(ValidationError) as exc:
        record(world, by=user)
    assert "Chỉ văn phòng đơn vị tổ chức hoặc đơn vị cụm trưởng" in messages_of(exc)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"leading_unit": "commune_c"},
            "leading_unit",
            "Đơn vị dẫn đầu phải là đơn vị trong cụm, khối.",
        ),
        (
            {"tally": {"commune_a": 4}, "votes_cast": 3},
            "tally",
            "Xã Đông Khê: 4 phiếu, nhiều hơn số phiếu bầu (3).",
        ),
        (
            {"tally": {"commune_a": 2, "commune_b": 2}, "votes_cast": 3},
            "tally",
            "Tổng số phiếu các đơn vị (4) nhiều hơn số phiếu bầu (3).",
        ),
        (
            {"tally": {"commune_c": 1}},
            "tally",
            "Chỉ bầu cho đơn vị trong cụm, khối (Xã Minh Khai không thuộc cụm, khối).",
        ),
        (
            {"tally": {"commune_a": 1, "commune_b": 2}},
            "leading_unit",
            "Đơn vị dẫn đầu phải là đơn vị được nhiều phiếu nhất.",
        ),
        ({"units_present": 4}, "units_present", "Số đơn vị dự họp phải từ 1 đến 3"),
        ({"units_present": 0}, "units_present", "Số đơn vị dự họp phải từ 1 đến 3"),
        ({"held_on": TODAY + dt.timedelta(days=1)}, "held_on", "không được sau hôm nay"),
        ({"held_on": dt.date(YEAR - 1, 12, 20)}, "held_on", f"họp trong năm {YEAR}"),
        ({"place": "  "}, "place", "Không được để trống."),
        ({"chair_name": "Bế\x00Thị Hoa"}, "chair_name", "ký tự điều khiển"),
        ({"secretary_name": "x" * 101}, "secretary_name", "Tối đa 100 ký tự"),
        ({"award_type": "lao-dong-tien-tien"}, "award_type", "không phải danh hiệu"),
        ({"award_type": "giay-khen-hoi-xa"}, "award_type", "không phải danh hiệu"),
        (
            {"award_type": "co-thi-dua-tinh", "leading_unit": None, "tally": {}},
            "leading_unit",
            "Chọn đơn vị dẫn đầu để đề nghị khen thưởng.",
        ),
    ],
)
def test_what_a_meeting_record_refuses(world, catalogue, changes, field, message):
    w = world

    def unit(name):
        return getattr(w.cast, name, None) or getattr(w, name)

    if "leading_unit" in changes and changes["leading_unit"]:
        changes["leading_unit"] = unit(changes["leading_unit"])
    if "tally" in changes:
        changes["tally"] = {unit(k): v for k, v in changes["tally"].items()}
    if "award_type" in changes:
        changes["award_type"] = catalogue[changes["award_type"]]
    with pytest.raises(ValidationError) as exc:
        record(w, **changes)
    assert message in " ".join(exc.value.message_dict[field])
    assert not BlockMeeting.objects.exists()


def test_the_award_types_a_block_may_propose(world, catalogue):
    codes = {t.code for t in meetings.award_types_for(world.one)}
    # The province's and the central union's, for collectives; never a commune's or a person's.
    assert {
        "co-thi-dua-tinh",
        "bang-khen-hoi-tinh",
        "co-thi-dua-tw-hoi",
        "bang-khen-tw-hoi",
    } <= codes
    assert not codes & {"giay-khen-hoi-xa", "lao-dong-tien-tien", "cstd-co-so", "sang-kien"}


# ---- the proposal -----------------------------------------------------------------------------
@pytest.fixture
def rnd(world, catalogue):
    return make_round(world)


def make_round(world):
    """The province's round of commendation for this year, taking proposals for a month."""
    cast = world.cast
    return proposals.round_create(
        by=cast.province_admin,
        unit=cast.province,
        title=f"Tổng kết thi đua năm {YEAR}",
        year=YEAR,
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31),
        deadline=TODAY + dt.timedelta(days=30),
    )


def test_the_leading_unit_goes_into_the_organisers_proposal(world, catalogue, rnd):
    w, cast = world, world.cast
    final(w, cast.commune_a, 60, c1=36)
    final(w, cast.commune_b, 50)
    meeting = record(w, award_type=catalogue["co-thi-dua-tinh"])
    proposal = proposals.proposal_open(by=cast.province_admin, round=rnd, unit=cast.province)
    with pytest.raises(ValidationError, match="Chỉ văn phòng đơn vị tổ chức đề nghị"):
        meetings.meeting_propose(by=cast.a_staff, meeting=meeting, proposal=proposal)
    meeting = meetings.meeting_propose(by=cast.province_admin, meeting=meeting, proposal=proposal)
    item = meeting.proposal_item
    assert item.proposal == proposal and item.award_type.code == "co-thi-dua-tinh"
    subject = item.subject
    assert (subject.kind, subject.linked_unit, subject.unit) == (
        SubjectKind.COLLECTIVE,
        cast.commune_a,
        cast.province,
    )
    assert subject.name == "Hội LHPN xã Đông Khê"
    assert "Cụm thi đua số 1" in item.summary and "xếp thứ 1/2 với 96 điểm" in item.summary
    assert "2/3 phiếu" in item.summary
    assert "2. Phường Tân Giang: 50 (Trung bình)" in item.achievements
    with pytest.raises(ValidationError, match="đã được đưa vào đề nghị"):
        meetings.meeting_propose(by=cast.province_admin, meeting=meeting, proposal=proposal)
    # Proposed: the leading unit and the award stay as they are.
    with pytest.raises(ValidationError, match="không đổi đơn vị"):
        record(w, by=cast.province_admin, leading_unit=cast.commune_b, tally={})


def test_an_existing_collective_subject_is_reused(world, catalogue, rnd):
    w, cast = world, world.cast
    mine = ex_services.subject_create(
        by=cast.a_staff,
        unit=cast.commune_a,
        kind=SubjectKind.COLLECTIVE,
        name="Hội Phụ nữ xã Đông Khê",
        linked_unit=cast.commune_a,
    )
    meeting = record(w, award_type=catalogue["bang-khen-hoi-tinh"])
    meeting = meetings.meeting_propose_in_round(by=cast.province_admin, meeting=meeting, round=rnd)
    assert meeting.proposal_item.subject == mine
    assert meeting.proposal_item.proposal.unit == cast.province
    assert Subject.objects.filter(linked_unit=cast.commune_a).count() == 1


def test_proposing_needs_a_leader_an_award_and_the_organisers_proposal(world, catalogue, rnd):
    w, cast = world, world.cast
    meeting = record(w, award_type=None)
    proposal = proposals.proposal_open(by=cast.province_admin, round=rnd, unit=cast.province)
    with pytest.raises(ValidationError, match="Ghi đơn vị dẫn đầu và hình thức"):
        meetings.meeting_propose(by=cast.province_admin, meeting=meeting, proposal=proposal)
    meeting = record(w, by=cast.province_admin, award_type=catalogue["co-thi-dua-tinh"])
    other = proposals.proposal_open(by=cast.a_staff, round=rnd, unit=cast.commune_a)
    with pytest.raises(ValidationError, match="Chọn một đề nghị khen thưởng của Tỉnh Cao Bằng"):
        meetings.meeting_propose(by=cast.province_admin, meeting=meeting, proposal=other)
    assert not ProposalItem.objects.exists()


# ---- pages ------------------------------------------------------------------------------------
def form_data(w, **changes):
    cast = w.cast
    data = {
        "held_on": TODAY.strftime("%d/%m/%Y"),
        "place": "Hội trường UBND xã Đông Khê",
        "chair_name": "Bế Thị Hoa",
        "secretary_name": "Nông Thị Én",
        "units_present": "3",
        "votes_cast": "3",
        f"phieu_{cast.commune_a.pk}": "2",
        f"phieu_{cast.commune_b.pk}": "1",
        "leading_unit": str(cast.commune_a.pk),
        "award_type": "",
        "conclusion": "Thống nhất đề nghị.",
    }
    data.update(changes)
    return data


def meeting_url(block, what="") -> str:
    return f"/thi-dua/hop-cum/{block.pk}/{what}"


def test_the_leader_records_the_meeting_on_the_page(world, catalogue):
    w, cast = world, world.cast
    client = cast.client_for(cast.a_staff)
    page = client.get(meeting_url(w.one, "ghi/")).content.decode()
    assert "Số phiếu bầu Phường Tân Giang" in page and "Cờ thi đua của Hội LHPN tỉnh" in page
    assert "Giấy khen của Hội LHPN xã" not in page
    flag = catalogue["co-thi-dua-tinh"]
    response = client.post(meeting_url(w.one, "ghi/"), form_data(w, award_type=str(flag.pk)))
    assert response.status_code == 302 and response["Location"] == meeting_url(w.one)
    page = client.get(meeting_url(w.one)).content.decode()
    assert "Hội trường UBND xã Đông Khê" in page and "66,7" in page  # 2 of 3 votes
    assert "Cờ thi đua của Hội LHPN tỉnh" in page and "Thống nhất đề nghị." in page
    assert meeting_url(w.one, "bien-ban/word/") in page
    assert meeting_url(w.one, "de-nghi/") not in page  # the organiser proposes


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"votes_cast": "2"}, "Tổng số phiếu các đơn vị (3) nhiều hơn số phiếu bầu (2)."),
        ({"votes_cast": "٣"}, "Nhập số nguyên từ 0 đến 10000."),
        ({"votes_cast": "9" * 30}, "Nhập số nguyên từ 0 đến 10000."),
        ({"place": "Hội\x00trường"}, "Không được có ký tự điều khiển"),
        ({"held_on": "31/02/2026"}, "Nhập ngày theo dạng ngày/tháng/năm"),
        ({"leading_unit": "999999"}, "Chọn một đơn vị trong cụm, khối."),
        ({"leading_unit": str(0)}, "Chọn một đơn vị trong cụm, khối."),
        ({"chair_name": ""}, "Trường này là bắt buộc."),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_kept(world, changes, message):
    w, cast = world, world.cast
    response = cast.client_for(cast.a_staff).post(
        meeting_url(w.one, "ghi/"), form_data(w, **changes)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Hội trường UBND xã Đông Khê" in page or "place" in changes
    assert not BlockMeeting.objects.exists()


def test_who_sees_the_meeting_pages(world, catalogue, rnd):
    w, cast = world, world.cast
    record(w, award_type=catalogue["co-thi-dua-tinh"])
    member = cast.client_for(cast.b_staff)
    assert member.get(meeting_url(w.one)).status_code == 200
    assert member.get(meeting_url(w.one, "ghi/")).status_code == 404  # the deputy: no
    assert member.get(meeting_url(w.one, "de-nghi/")).status_code == 404
    leader = cast.client_for(cast.a_staff)
    assert leader.get(meeting_url(w.one, "de-nghi/")).status_code == 404
    for user in (w.c_staff, cast.outsider, cast.branch_viewer):
        client = cast.client_for(user)
        for what in ("", "ghi/", "de-nghi/", "bien-ban/word/"):
            assert client.get(meeting_url(w.one, what)).status_code == 404, (user, what)
    # No meeting yet in cluster 2: its members see that, the minutes do not exist.
    client = cast.client_for(w.c_staff)
    assert "Chưa ghi kết quả họp cụm, khối." in client.get(meeting_url(w.two)).content.decode()
    assert client.get(meeting_url(w.two, "bien-ban/word/")).status_code == 404


def test_the_organiser_proposes_the_leading_unit_on_the_page(world, catalogue, rnd):
    w, cast = world, world.cast
    final(w, cast.commune_a, 60, c1=36)
    record(w, award_type=catalogue["co-thi-dua-tinh"])
    client = cast.client_for(cast.province_admin)
    page = client.get(meeting_url(w.one)).content.decode()
    assert meeting_url(w.one, "de-nghi/") in page
    page = client.get(meeting_url(w.one, "de-nghi/")).content.decode()
    assert f"Tổng kết thi đua năm {YEAR}" in page
    assert "chưa có đề nghị khen thưởng nào đang soạn" in page
    response = client.post(meeting_url(w.one, "de-nghi/"), {})
    assert (
        "Chọn một đề nghị đang soạn, hoặc một đợt để lập đề nghị mới." in response.content.decode()
    )
    response = client.post(meeting_url(w.one, "de-nghi/"), {"round": "١"})
    assert "Chọn một đợt khen thưởng trong danh sách." in response.content.decode()
    response = client.post(meeting_url(w.one, "de-nghi/"), {"round": str(rnd.pk)})
    assert response.status_code == 302
    item = BlockMeeting.objects.get().proposal_item
    assert item.subject.linked_unit == cast.commune_a and item.proposal.round == rnd
    page = client.get(meeting_url(w.one)).content.decode()
    assert "đã được đưa vào đề nghị “Cờ thi đua của Hội LHPN tỉnh”" in page
    assert reverse("awards:proposal_detail", args=[item.proposal_id]) in page
    # The proposal now is open: a second block's leader would be added to it.
    page = client.get(meeting_url(w.one, "de-nghi/")).content.decode()
    assert "Đang soạn" in page


def test_meeting_pages_cost(world, catalogue, django_assert_max_num_queries):
    w, cast = world, world.cast
    record(w, award_type=catalogue["co-thi-dua-tinh"])
    client = cast.client_for(cast.province_admin)
    client.get(meeting_url(w.one))
    for what in ("", "ghi/", "de-nghi/"):
        with django_assert_max_num_queries(16):
            assert client.get(meeting_url(w.one, what)).status_code == 200
