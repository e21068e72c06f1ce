"""Emulation over the JSON API (issue 13, point 7): blocks, points tables, scores with their
three steps, and rankings, with the pages' access rules (404 for missing and not yours; a unit
never sees another block's unfinished scores), bounded inputs (4xx, never a 500) and stale
versions refused with the code "stale"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from ninja import Schema

from guongsang.api.api import api as ninja_api
from guongsang.emulation import services
from guongsang.emulation.models import Schedule, Score, ScoreState
from guongsang.units.models import UnitKind

from ..factories import make_unit
from .test_scoring import make_world

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
D = Decimal
V1 = "/api/v1/emulation"


@pytest.fixture
def world(cast):
    """test_scoring's world: cluster 1 is Đông Khê (leader) and Tân Giang (deputy), cluster 2
    is Xã Quang Trung alone; a 100-point table: I.1 (40, evidence), I.2 (60), a bonus (5) and a
    penalty (5)."""
    return make_world(cast)


def _open(api, w, user, unit, block):
    r = api(user).post(f"{V1}/scores", {"block": block.pk, "unit": unit.pk, "table": w.table.pk})
    assert r.status_code == 201, r.content
    return r.json()


def _final(api, w, unit, user, checker, points, *, bonus=0, penalty=0):
    """A score taken through the three steps over the API."""
    body = _open(api, w, user, unit, w.one)
    body = (
        api(user)
        .post(
            f"{V1}/scores/{body['id']}/self",
            {
                "version": body["version"],
                "lines": [
                    {"criterion": w.c1.pk, "points": 0},
                    {"criterion": w.c2.pk, "points": points},
                    {"criterion": w.bonus.pk, "points": bonus},
                ],
            },
        )
        .json()
    )
    body = api(user).post(f"{V1}/scores/{body['id']}/submit", {"version": body["version"]}).json()
    body = (
        api(checker)
        .post(f"{V1}/scores/{body['id']}/check", {"version": body["version"], "lines": []})
        .json()
    )
    r = api(w.cast.province_admin).post(
        f"{V1}/scores/{body['id']}/finalise",
        {"version": body["version"], "lines": [{"criterion": w.penalty.pk, "points": penalty}]},
    )
    assert r.status_code == 200, r.content
    return r.json()


# ---- the document -----------------------------------------------------------------------------
def test_the_paths_are_documented_and_need_a_token(world):
    paths = set(Client().get("/api/v1/openapi.json").json()["paths"])
    for path in (
        "/blocks",
        "/blocks/{block_id}",
        "/blocks/{block_id}/ranking",
        "/rankings",
        "/tables",
        "/tables/{table_id}",
        "/scores",
        "/scores/{score_id}",
        "/scores/{score_id}/self",
        "/scores/{score_id}/submit",
        "/scores/{score_id}/check",
        "/scores/{score_id}/return",
        "/scores/{score_id}/finalise",
    ):
        assert V1 + path in paths, path
    assert Client().get(f"{V1}/blocks").status_code == 401
    assert Client().post(f"{V1}/scores", {}, content_type="application/json").status_code == 401


def test_the_openapi_schema_builds_with_unique_names():
    schema = ninja_api.get_openapi_schema()
    components = schema["components"]["schemas"]
    for name in ("EmulationBlockDetailOut", "EmulationScoreDetailOut", "EmulationSelfIn"):
        assert name in components
    points = components["EmulationSelfLineIn"]["properties"]["points"]
    assert "1000" in str(points)  # the model's limit, documented
    assert components["EmulationReturnIn"]["properties"]["reason"]["maxLength"] == 2000
    found, todo = [], list(Schema.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("guongsang."):
            found.append(cls)
    by_name: dict[str, list[str]] = {}
    for cls in found:
        by_name.setdefault(cls.__name__, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {n: where for n, where in by_name.items() if len(where) > 1} == {}


# ---- blocks -----------------------------------------------------------------------------------
def test_blocks_by_who_asks(world, api):
    w, cast = world, world.cast
    body = api(cast.province_admin).get(f"{V1}/blocks").json()
    assert body["count"] == 2
    assert [b["name"] for b in body["items"]] == ["Cụm thi đua số 1", "Cụm thi đua số 2"]
    first = body["items"][0]
    assert (first["leader"], first["deputy"], first["kind_label"]) == (
        "Xã Đông Khê",
        "Phường Tân Giang",
        "Cụm thi đua",
    )
    assert api(cast.province_admin).get(f"{V1}/blocks", year=YEAR + 1).json()["count"] == 0
    for user, names in (
        (cast.a_staff, ["Cụm thi đua số 1"]),  # the leader
        (cast.b_staff, ["Cụm thi đua số 1"]),  # a member
        (w.c_staff, ["Cụm thi đua số 2"]),  # the other block
        (cast.outsider, []),  # another province
    ):
        items = api(user).get(f"{V1}/blocks").json()["items"]
        assert [b["name"] for b in items] == names, user
    detail = api(cast.b_staff).get(f"{V1}/blocks/{w.one.pk}").json()
    assert [(m["unit"], m["order"]) for m in detail["members"]] == [
        ("Xã Đông Khê", 0),
        ("Phường Tân Giang", 1),
    ]
    for user in (w.c_staff, cast.outsider):
        assert api(user).get(f"{V1}/blocks/{w.one.pk}").status_code == 404
    assert api(cast.outsider).get(f"{V1}/blocks/{w.two.pk}").json() == {"detail": "Không tìm thấy."}
    assert api(cast.province_admin).get(f"{V1}/blocks/999999").status_code == 404


def test_block_list_cost_does_not_grow(world, api, django_assert_max_num_queries):
    cast = world.cast
    for n in range(3, 13):
        unit = make_unit(f"Xã số {n}", UnitKind.COMMUNE, cast.province)
        services.block_save(
            by=cast.province_admin,
            organiser=cast.province,
            year=YEAR,
            name=f"Cụm thi đua số {n:02}",
            members=[unit],
            leader=unit,
        )
    client = api(cast.province_admin)
    client.get(f"{V1}/blocks")  # the token's first use
    with django_assert_max_num_queries(8):
        body = client.get(f"{V1}/blocks").json()
    assert body["count"] == 12 and len(body["items"]) == 12


# ---- points tables ----------------------------------------------------------------------------
def test_points_tables(world, api):
    w, cast = world, world.cast
    for user in (cast.province_admin, cast.a_staff, cast.b_staff, w.c_staff):
        items = api(user).get(f"{V1}/tables").json()["items"]
        assert [t["name"] for t in items] == ["Bảng điểm xã"], user
    assert api(cast.outsider).get(f"{V1}/tables").json()["items"] == []
    assert api(cast.province_admin).get(f"{V1}/tables", year=YEAR - 1).json()["count"] == 0
    detail = api(cast.b_staff).get(f"{V1}/tables/{w.table.pk}").json()
    assert detail["frozen"] is False and detail["tie_break"] == ["fewer_penalties", "more_bonus"]
    assert [g["code"] for g in detail["groups"]] == ["I", "II"]
    [one, two] = detail["groups"][0]["criteria"]
    assert (one["code"], D(one["max_points"]), one["evidence_required"]) == ("1.1", 40, True)
    assert (two["code"], D(two["max_points"])) == ("1.2", 60)
    assert [c["kind"] for c in detail["groups"][1]["criteria"]] == ["bonus", "penalty"]
    assert api(cast.outsider).get(f"{V1}/tables/{w.table.pk}").status_code == 404


def test_table_list_cost_does_not_grow(world, api, django_assert_max_num_queries):
    cast = world.cast
    for n in range(10):
        services.table_create(
            by=cast.province_admin,
            issuing_unit=cast.province,
            year=YEAR,
            level=UnitKind.COMMUNE,
            name=f"Bảng {n}",
        )
    client = api(cast.b_staff)
    client.get(f"{V1}/tables")
    with django_assert_max_num_queries(8):
        assert client.get(f"{V1}/tables").json()["count"] == 11


# ---- scores: the three steps ------------------------------------------------------------------
def test_the_three_steps_over_the_api(world, api):
    w, cast = world, world.cast
    body = _open(api, w, cast.b_staff, cast.commune_b, w.one)
    sid = body["id"]
    assert (body["state"], body["unit"], body["block"], body["year"]) == (
        "draft",
        "Phường Tân Giang",
        "Cụm thi đua số 1",
        YEAR,
    )
    assert [line["code"] for line in body["lines"]] == ["1.1", "1.2", "2.1", "2.2"]
    assert api(cast.b_staff).get(f"{V1}/tables/{w.table.pk}").json()["frozen"] is True
    # Opened once a year.
    again = api(cast.b_staff).post(
        f"{V1}/scores", {"block": w.one.pk, "unit": cast.commune_b.pk, "table": w.table.pk}
    )
    assert again.status_code == 400 and "đã có bảng tự chấm" in again.json()["detail"][0]

    # Self-scoring: points, a note, evidence.
    r = api(cast.b_staff).post(
        f"{V1}/scores/{sid}/self",
        {
            "version": body["version"],
            "lines": [
                {
                    "criterion": w.c1.pk,
                    "points": "35.5",
                    "note": "Tổ chức 12 buổi",
                    "evidence": [
                        {"kind": "link", "url": "https://example.org/so", "label": "Sổ hoạt động"}
                    ],
                },
                {"criterion": w.c2.pk, "points": 50},
                {"criterion": w.bonus.pk, "points": 3},
            ],
        },
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert D(body["self_total"]) == D("88.5")
    line = body["lines"][0]
    assert (D(line["self_points"]), line["self_note"]) == (D("35.5"), "Tổ chức 12 buổi")
    assert line["evidence"] == [
        {"kind": "link", "id": None, "label": "Sổ hoạt động", "url": "https://example.org/so"}
    ]
    # A later call without the note or evidence keeps them.
    body = (
        api(cast.b_staff)
        .post(
            f"{V1}/scores/{sid}/self",
            {"version": body["version"], "lines": [{"criterion": w.c1.pk, "points": 36}]},
        )
        .json()
    )
    assert body["lines"][0]["self_note"] == "Tổ chức 12 buổi"
    assert len(body["lines"][0]["evidence"]) == 1
    assert D(body["self_total"]) == D(89)

    stale = body["version"]
    body = api(cast.b_staff).post(f"{V1}/scores/{sid}/submit", {"version": stale}).json()
    assert body["state"] == "submitted" and [s["action"] for s in body["steps"]] == ["submit"]
    r = api(cast.b_staff).post(f"{V1}/scores/{sid}/self", {"version": stale, "lines": []})
    assert r.status_code == 400 and r.json()["code"] == "stale"
    assert "tải lại" in r.json()["detail"][0]

    # Another block's unit sees nothing of it; another province neither.
    for user in (w.c_staff, cast.outsider):
        assert api(user).get(f"{V1}/scores/{sid}").status_code == 404
        assert api(user).get(f"{V1}/scores").json()["items"] == []
        r = api(user).post(f"{V1}/scores/{sid}/check", {"version": body["version"]})
        assert r.status_code == 404

    # The unit may not check itself; the leader returns it, with a reason.
    r = api(cast.b_staff).post(f"{V1}/scores/{sid}/check", {"version": body["version"]})
    assert r.status_code == 400 and "Chỉ cụm trưởng" in r.json()["detail"][0]
    r = api(cast.a_staff).post(
        f"{V1}/scores/{sid}/return", {"version": body["version"], "reason": " "}
    )
    assert r.status_code == 400 and r.json()["detail"] == ["Ghi lý do trả lại."]
    body = (
        api(cast.a_staff)
        .post(
            f"{V1}/scores/{sid}/return",
            {"version": body["version"], "reason": "Bổ sung minh chứng 1.2"},
        )
        .json()
    )
    assert body["state"] == "returned"
    assert body["steps"][-1]["note"] == "Bổ sung minh chứng 1.2"
    body = api(cast.b_staff).post(f"{V1}/scores/{sid}/submit", {"version": body["version"]}).json()

    # The leader cross-checks; the organiser fixes the final score.
    r = api(cast.a_staff).post(
        f"{V1}/scores/{sid}/check",
        {
            "version": body["version"],
            "lines": [{"criterion": w.c2.pk, "points": 45, "note": "Thiếu hồ sơ"}],
        },
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["state"], D(body["check_total"])) == ("checked", D(84))
    assert body["lines"][1]["check_note"] == "Thiếu hồ sơ"
    r = api(cast.a_staff).post(f"{V1}/scores/{sid}/finalise", {"version": body["version"]})
    assert r.status_code == 400 and "văn phòng" in r.json()["detail"][0]
    body = (
        api(cast.province_admin)
        .post(
            f"{V1}/scores/{sid}/finalise",
            {
                "version": body["version"],
                "lines": [{"criterion": w.penalty.pk, "points": 2, "note": "Báo cáo quý II chậm"}],
            },
        )
        .json()
    )
    assert (body["state"], D(body["final_total"])) == ("final", D(82))
    assert [s["action"] for s in body["steps"]] == [
        "submit",
        "return",
        "submit",
        "check",
        "finalise",
    ]
    r = api(cast.province_admin).post(f"{V1}/scores/{sid}/finalise", {"version": body["version"]})
    assert r.status_code == 400  # closed


def test_who_lists_which_scores(world, api):
    w, cast = world, world.cast
    b = _open(api, w, cast.b_staff, cast.commune_b, w.one)
    c = _open(api, w, w.c_staff, w.commune_c, w.two)

    def ids(user, **params):
        return {s["id"] for s in api(user).get(f"{V1}/scores", **params).json()["items"]}

    assert ids(cast.province_admin) == {b["id"], c["id"]}
    assert ids(cast.province_admin, block=w.two.pk) == {c["id"]}
    assert ids(cast.province_admin, state="draft", year=YEAR) == {b["id"], c["id"]}
    assert ids(cast.province_admin, state="final") == set()
    assert ids(cast.b_staff) == {b["id"]}
    assert ids(cast.a_staff) == {b["id"]}  # the leader checks it
    assert ids(w.c_staff) == {c["id"]}  # never the other block's unfinished scores
    assert ids(w.c_staff, block=w.one.pk) == set()
    assert ids(cast.outsider) == set()
    assert api(cast.b_staff).get(f"{V1}/scores/{c['id']}").status_code == 404
    assert api(w.c_staff).get(f"{V1}/scores/{b['id']}").status_code == 404
    # Opening for a unit of another block, or a unit she cannot edit: refused.
    r = api(w.c_staff).post(f"{V1}/scores", {"block": w.one.pk, "unit": w.commune_c.pk})
    assert r.status_code == 404  # block 1 is not hers
    r = api(cast.a_staff).post(
        f"{V1}/scores", {"block": w.one.pk, "unit": cast.commune_b.pk, "table": w.table.pk}
    )
    assert r.status_code == 404  # commune B is not hers to edit
    r = api(cast.outsider).post(
        f"{V1}/scores", {"block": w.one.pk, "unit": cast.commune_a.pk, "table": w.table.pk}
    )
    assert r.status_code == 404


def test_score_list_cost_does_not_grow(world, api, django_assert_max_num_queries):
    w, cast = world, world.cast
    for n in range(10):
        unit = make_unit(f"Xã số {n}", UnitKind.COMMUNE, cast.province)
        block = services.block_save(
            by=cast.province_admin,
            organiser=cast.province,
            year=YEAR,
            name=f"Cụm {n}",
            members=[unit],
        )
        services.score_open(by=cast.province_admin, block=block, unit=unit, table=w.table)
    client = api(cast.province_admin)
    client.get(f"{V1}/scores")
    with django_assert_max_num_queries(8):
        body = client.get(f"{V1}/scores").json()
    assert body["count"] == 10 and {s["state"] for s in body["items"]} == {"draft"}


def test_open_takes_the_schedules_table_by_default(world, api):
    w, cast = world, world.cast
    r = api(cast.b_staff).post(f"{V1}/scores", {"block": w.one.pk, "unit": cast.commune_b.pk})
    assert r.status_code == 400 and r.json()["code"] == "no_table"
    today = timezone.localdate()
    Schedule.objects.create(
        organiser=cast.province,
        year=YEAR,
        table=w.table,
        self_deadline=today + dt.timedelta(days=10),
        check_deadline=today + dt.timedelta(days=20),
        final_deadline=today + dt.timedelta(days=30),
        created_by=cast.province_admin,
    )
    r = api(cast.b_staff).post(f"{V1}/scores", {"block": w.one.pk, "unit": cast.commune_b.pk})
    assert r.status_code == 201 and r.json()["table_id"] == w.table.pk


# ---- bad input --------------------------------------------------------------------------------
def test_bad_input_is_a_4xx_never_a_500(world, api):
    w, cast = world, world.cast
    body = _open(api, w, cast.b_staff, cast.commune_b, w.one)
    sid, version = body["id"], body["version"]
    client = api(cast.b_staff)

    def self_(lines, version=version):
        return client.post(f"{V1}/scores/{sid}/self", {"version": version, "lines": lines})

    # Above the criterion's maximum: the service's message.
    r = self_([{"criterion": w.c2.pk, "points": "61"}])
    assert r.status_code == 400 and r.json()["detail"] == ["1.2: điểm phải từ 0 đến 60."]
    # Above the model's limit, negative, too many decimals, not a number: the schema refuses.
    for points in ("1000.01", 5000, "-1", -0.5, "1.234", "1e999", "NaN", "Infinity", "abc", ""):
        assert self_([{"criterion": w.c2.pk, "points": points}]).status_code == 422, points
    # A criterion of no table of this score, twice the same, a huge one.
    r = self_([{"criterion": 999999, "points": 1}])
    assert r.status_code == 400 and r.json()["detail"] == ["Tiêu chí không thuộc bảng điểm này."]
    r = self_([{"criterion": w.c2.pk, "points": 1}, {"criterion": w.c2.pk, "points": 2}])
    assert r.status_code == 400 and r.json()["detail"] == ["Mỗi tiêu chí chỉ ghi một lần."]
    assert self_([{"criterion": 2**31, "points": 1}]).status_code == 422
    assert self_([{"criterion": 0, "points": 1}]).status_code == 422
    # NUL and other control characters in any text, at any depth.
    r = self_([{"criterion": w.c2.pk, "points": 1, "note": "a\x00b"}])
    assert r.status_code == 400 and r.json()["code"] == "control_characters"
    r = self_(
        [
            {
                "criterion": w.c1.pk,
                "points": 1,
                "evidence": [{"kind": "link", "url": "https://x\x00"}],
            }
        ]
    )
    assert r.status_code == 400
    # Evidence: a link must be a web address; an object must be the unit's own.
    r = self_(
        [{"criterion": w.c1.pk, "points": 1, "evidence": [{"kind": "link", "url": "ftp://x"}]}]
    )
    assert r.status_code == 400
    assert r.json()["detail"] == ["1.1: nhập một đường dẫn hợp lệ, ví dụ https://…"]
    r = self_([{"criterion": w.c1.pk, "points": 1, "evidence": [{"kind": "report", "id": 99999}]}])
    assert r.status_code == 400 and "không tìm thấy minh chứng" in r.json()["detail"][0]
    r = self_(
        [{"criterion": w.c1.pk, "points": 1, "evidence": [{"kind": "link", "label": "x" * 201}]}]
    )
    assert r.status_code == 422
    r = self_([{"criterion": w.c1.pk, "points": 1, "evidence": [{"kind": "report"}]}])
    assert r.status_code == 400
    r = self_([{"criterion": w.c1.pk, "points": 1, "evidence": [{"kind": "file", "id": 1}]}])
    assert r.status_code == 422
    r = self_([{"criterion": w.c1.pk, "points": 1, "note": "x" * 5001}])
    assert r.status_code == 422
    # Versions: huge, negative, missing.
    assert self_([], version=2**31).status_code == 422
    assert self_([], version=-1).status_code == 422
    assert client.post(f"{V1}/scores/{sid}/submit", {}).status_code == 422
    assert self_([], version=version + 5).json()["code"] == "stale"
    # Nothing was written by any of them.
    score = Score.objects.get(pk=sid)
    assert (score.version, score.self_total, score.state) == (version, None, ScoreState.DRAFT)
    # Unreadable JSON.
    r = Client().post(
        f"{V1}/scores/{sid}/submit",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {_token(cast.b_staff)}"},
    )
    assert r.status_code == 400 and r.json()["code"] == "parse"
    # Path and query: huge ids, huge pages, bad filters.
    for url in (
        f"{V1}/scores/{2**31}",
        f"{V1}/scores/99999999999999999999",
        f"{V1}/blocks/{2**63}",
        f"{V1}/tables/0",
        f"{V1}/blocks/-1/ranking",
    ):
        assert client.get(url).status_code in (404, 422), url
    for url, params in (
        (f"{V1}/blocks", {"page": 10**9}),
        (f"{V1}/blocks", {"page": 0}),
        (f"{V1}/scores", {"page_size": 1000}),
        (f"{V1}/blocks", {"year": 10**6}),
        (f"{V1}/blocks", {"year": "٢٠٢٦"}),
        (f"{V1}/scores", {"state": "nope"}),
        (f"{V1}/scores", {"block": 2**40}),
        (f"{V1}/tables", {"year": "2026\x00"}),
        (f"{V1}/rankings", {"organiser": cast.province.pk}),
        (f"{V1}/rankings", {"organiser": 2**31, "year": YEAR}),
    ):
        assert client.get(url, **params).status_code in (400, 404, 422), (url, params)
    assert client.get(f"{V1}/blocks", page=10_000).json()["items"] == []
    r = client.post(f"{V1}/scores", {"block": 2**31, "unit": 1, "table": 1})
    assert r.status_code == 422
    r = client.post(f"{V1}/scores", {"block": "1\x00", "unit": 1})
    assert r.status_code in (400, 422)
    r = api(cast.a_staff).post(
        f"{V1}/scores/{sid}/return", {"version": version, "reason": "x" * 2001}
    )
    assert r.status_code == 422


def _token(user):
    from ..api.test_units_api import token_for

    return token_for(user)


# ---- rankings ---------------------------------------------------------------------------------
def test_rankings(world, api):
    w, cast = world, world.cast
    # Both 58: Đông Khê by 58 scored points, Tân Giang by 55 + 5 bonus - 2 penalty.
    _final(api, w, cast.commune_a, cast.a_staff, cast.b_staff, 58)
    _final(api, w, cast.commune_b, cast.b_staff, cast.a_staff, 55, bonus=5, penalty=2)
    # Commune C's score, unfinished, is in no ranking.
    _open(api, w, w.c_staff, w.commune_c, w.two)
    for user in (cast.province_admin, cast.a_staff, cast.b_staff):
        body = api(user).get(f"{V1}/blocks/{w.one.pk}/ranking").json()
        assert [(r["unit"], r["rank"], r["band"]) for r in body["items"]] == [
            ("Xã Đông Khê", 1, "average"),  # fewer penalties first
            ("Phường Tân Giang", 2, "average"),
        ], user
        row = body["items"][1]
        assert (D(row["final_total"]), D(row["bonus"]), D(row["penalty"])) == (58, 5, 2)
        assert row["band_label"] == "Trung bình"
    # Members of another block, and another province: 404.
    for user in (w.c_staff, cast.outsider):
        assert api(user).get(f"{V1}/blocks/{w.one.pk}/ranking").status_code == 404
    assert api(w.c_staff).get(f"{V1}/blocks/{w.two.pk}/ranking").json()["items"] == []
    # The organiser's overall ranking of the year.
    body = (
        api(cast.province_admin).get(f"{V1}/rankings", organiser=cast.province.pk, year=YEAR).json()
    )
    assert [(r["unit"], r["block"], r["rank"]) for r in body["items"]] == [
        ("Xã Đông Khê", "Cụm thi đua số 1", 1),
        ("Phường Tân Giang", "Cụm thi đua số 1", 2),
    ]
    assert (
        api(cast.province_admin)
        .get(f"{V1}/rankings", organiser=cast.province.pk, year=YEAR - 1)
        .json()["items"]
        == []
    )
    for user in (cast.a_staff, cast.b_staff, w.c_staff, cast.outsider):
        r = api(user).get(f"{V1}/rankings", organiser=cast.province.pk, year=YEAR)
        assert r.status_code == 404, user
    # Final scores are readable by their block's members, not by the other block's.
    ids = {s["id"] for s in api(cast.b_staff).get(f"{V1}/scores").json()["items"]}
    assert len(ids) == 2
    assert api(w.c_staff).get(f"{V1}/scores", state="final").json()["items"] == []


def _activity(api, user, unit, title):
    from guongsang.outreach.models import ActivityForm

    form = ActivityForm.objects.first() or ActivityForm.objects.create(name="Sinh hoạt", order=1)
    r = api(user).post(
        "/api/v1/activities",
        {
            "unit_id": unit.pk,
            "date": timezone.localdate().isoformat(),
            "form_id": form.pk,
            "title": title,
        },
    )
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_evidence_is_the_scored_units_own(world, api):
    """As on the pages: an activity, report or exemplar of the unit's own data of the year,
    labelled by the system; never another unit's, even one the token holder may see."""
    w, cast = world, world.cast
    mine = _activity(api, cast.b_staff, cast.commune_b, "Sinh hoạt chuyên đề")
    neighbour = _activity(api, cast.a_staff, cast.commune_a, "Hoạt động của xã bên")
    theirs = _activity(api, cast.outsider, cast.other_commune, "Hoạt động của tỉnh khác")
    body = _open(api, w, cast.b_staff, cast.commune_b, w.one)
    url = f"{V1}/scores/{body['id']}/self"

    def cite(user, activity, **extra):
        return api(user).post(
            url,
            {
                "version": body["version"],
                "lines": [
                    {
                        "criterion": w.c1.pk,
                        "points": 10,
                        "evidence": [{"kind": "activity", "id": activity, **extra}],
                    },
                    {"criterion": w.c2.pk, "points": 20},
                ],
            },
        )

    for user, activity in (
        (cast.b_staff, theirs),
        (cast.province_admin, neighbour),  # she sees it, but it is not commune B's
    ):
        r = cite(user, activity)
        assert r.status_code == 400
        assert r.json()["detail"] == [
            f"1.1: không tìm thấy minh chứng số {activity} trong dữ liệu của đơn vị."
        ]
    r = cite(cast.b_staff, mine, label="Nhãn tự đặt")
    assert r.status_code == 200, r.content
    [evidence] = r.json()["lines"][0]["evidence"]
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert evidence == {
        "kind": "activity",
        "id": mine,
        "label": f"Sinh hoạt chuyên đề ({day})",
        "url": "",
    }
    # Evidence in place: the unit can submit, and its leader reads the evidence.
    r = api(cast.b_staff).post(f"{V1}/scores/{body['id']}/submit", {"version": r.json()["version"]})
    assert r.status_code == 200, r.content
    seen = api(cast.a_staff).get(f"{V1}/scores/{body['id']}").json()
    assert seen["lines"][0]["evidence"][0]["id"] == mine
