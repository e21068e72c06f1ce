from django.urls import reverse

from guongsang.exemplars.models import NominationState

from ..exemplars import conftest as pipeline

movement = pipeline.movement
criteria_set = pipeline.criteria_set
review_round = pipeline.review_round
reviewer = pipeline.reviewer
world = pipeline.world


def test_home_lists_what_waits_for_the_user(cast):
    body = cast.client_for(cast.a_admin).get(reverse("core:home")).content.decode()
    for label in (
        "Việc cần làm",
        "Văn bản đến chưa xác nhận",
        "Hồ sơ đề cử đang soạn hoặc bị trả lại",
        "Hồ sơ đề cử chờ bạn xét",
        "Bài viết chờ duyệt đăng",
        "Ghi hoạt động tuyên truyền",
    ):
        assert label in body, label


def test_home_of_a_viewer_has_no_work_list(cast):
    body = cast.client_for(cast.branch_viewer).get(reverse("core:home")).content.decode()
    assert "Việc cần làm" not in body and "Vai trò của bạn" in body


def test_home_counts_a_submitted_nomination_for_the_reviewer(world):
    cast = world.cast
    nomination = world.submitted()
    assert nomination.state == NominationState.SUBMITTED
    assert nomination.current_unit == cast.commune_a
    body = cast.client_for(cast.a_admin).get(reverse("core:home")).content.decode()
    line = body[body.index("Hồ sơ đề cử chờ bạn xét") :].split("</li>")[0]
    assert '<span class="badge badge-kind">1</span>' in line
    # Commune B's reviewer-less staff see no such line at all.
    assert (
        "chờ bạn xét"
        not in cast.client_for(cast.b_staff).get(reverse("core:home")).content.decode()
    )


def test_home_query_count_is_small(cast, django_assert_max_num_queries):
    client = cast.client_for(cast.province_admin)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("core:home")).status_code == 200
