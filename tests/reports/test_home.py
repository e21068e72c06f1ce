from django.urls import reverse

from guongsang.exemplars.models import NominationState

from ..exemplars import conftest as pipeline

movement = pipeline.movement
criteria_set = pipeline.criteria_set
review_round = pipeline.review_round
reviewer = pipeline.reviewer
world = pipeline.world


WAITING_QUERY = {"viec_can_lam": "1"}


def test_home_lists_what_waits_for_the_user(cast):
    body = cast.client_for(cast.a_admin).get(reverse("home"), WAITING_QUERY).content.decode()
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
    body = cast.client_for(cast.branch_viewer).get(reverse("home")).content.decode()
    assert "Việc cần làm" not in body and "Vai trò của bạn" in body


def test_home_counts_a_submitted_nomination_for_the_reviewer(world):
    cast = world.cast
    nomination = world.submitted()
    assert nomination.state == NominationState.SUBMITTED
    assert nomination.current_unit == cast.commune_a
    body = cast.client_for(cast.a_admin).get(reverse("home"), WAITING_QUERY).content.decode()
    line = body[body.index("Hồ sơ đề cử chờ bạn xét") :].split("</li>")[0]
    assert '<span class="badge badge-kind">1</span>' in line
    # Commune B's reviewer-less staff see no such line at all.
    assert (
        "chờ bạn xét"
        not in cast.client_for(cast.b_staff).get(reverse("home"), WAITING_QUERY).content.decode()
    )


def test_home_query_count_is_small(cast, django_assert_max_num_queries):
    client = cast.client_for(cast.province_admin)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("home")).status_code == 200


def test_home_loads_the_todo_counts_on_request(cast, django_assert_num_queries):
    """The page itself runs no count: HTMX asks for them once it is shown, and without
    JavaScript a link shows the page with them."""
    client = cast.client_for(cast.a_admin)
    home = reverse("home")
    url = f"{home}?viec_can_lam=1"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ran:
        page = client.get(home).content.decode()
    # (the unit counts of a commune and the unread notifications are counted; the to-do is not)
    todo_tables = ("exemplars_nomination", "plans_recipient", "reports_unitreport")
    assert not [q["sql"] for q in ran.captured_queries if any(t in q["sql"] for t in todo_tables)]
    assert f'data-fill="{url}"' in page and f'href="{url}"' in page
    # The lines are there with "…" for their counts, so nothing moves when the counts arrive.
    assert "Văn bản đến chưa xác nhận" in page and '<span class="badge">…</span>' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "Văn bản đến chưa xác nhận" in fragment and "Hồ sơ đề cử chờ bạn xét" in fragment
    assert "Hồ sơ đề cử chờ bạn xét" in client.get(url).content.decode()  # without JavaScript
    # A viewer has nothing to count: no request at all.
    viewer = cast.client_for(cast.branch_viewer).get(home).content.decode()
    assert "viec_can_lam" not in viewer


def test_home_roots_come_from_the_memberships(cast):
    """The roots of the user's tree are her memberships' units: no query of their own, unless
    a merged predecessor outside them is in her scope (then the access layer's roots)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def roots_query(user):
        with CaptureQueriesContext(connection) as ctx:
            body = cast.client_for(user).get(reverse("home")).content.decode()
        assert user.memberships.first().unit.union_name in body
        return [q for q in ctx.captured_queries if '"units_unit"."path" IN' in q["sql"]]

    assert not roots_query(cast.province_admin)
    assert roots_query(cast.a_admin)  # commune A took over a merged commune: two roots


def test_home_reads_the_memberships_once(cast):
    """The page lists the memberships with their units; the access layer's scope takes them
    from that list rather than reading them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user in (cast.province_admin, cast.a_admin, cast.branch_viewer):
        client = cast.client_for(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        reads = [q for q in ctx.captured_queries if 'FROM "accounts_membership"' in q["sql"]]
        assert len(reads) == 1, [q["sql"] for q in reads]


def test_home_counts_the_reports_her_own_unit_still_owes(cast):
    from .test_services import make_form, open_round

    open_round(cast, make_form(cast.province_admin, cast.province))
    body = cast.client_for(cast.a_staff).get(reverse("home"), WAITING_QUERY).content.decode()
    assert "Báo cáo theo biểu mẫu chưa nộp" in body
    assert (
        'href="/bao-cao/dot/">Báo cáo theo biểu mẫu chưa nộp</a> <span class="badge badge-kind">1'
        in body
    )
    # The province asked: the communes' reports are not the province officer's own to do.
    body = cast.client_for(cast.province_admin).get(reverse("home"), WAITING_QUERY).content.decode()
    assert 'Báo cáo theo biểu mẫu chưa nộp</a> <span class="badge">0' in body


def test_home_loads_the_dashboard_after_the_page(cast):
    body = cast.client_for(cast.a_staff).get(reverse("home")).content.decode()
    assert 'data-fill="/bao-cao/bang-tin/" data-fill-when="visible"' in body
    # The home page loads no htmx (its blocking time on a phone); app.js fills these parts.
    assert "htmx.min" not in body and "gs/js/app" in body
    for bad in ("²", "1\x00", "9" * 40):
        assert (
            cast.client_for(cast.a_staff).get(reverse("home"), {"so_don_vi": bad}).status_code
            == 400
        )
