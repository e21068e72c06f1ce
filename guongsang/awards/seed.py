"""The commendation catalogue as first seeded, from the desk research in shared/domain.md
§1.2–1.6 and §2.4.

Every value domain.md marks UNCONFIRMED (vote thresholds, the TTLĐTT multiple, the union's own
rules on Giấy khen) is seeded as a plain row the central union may change on the catalogue
pages; its ``note`` says "chưa xác nhận". ``seed_catalogue`` adds what is missing by code and
never overwrites a row the union has edited.

The data migration awards/0002 calls ``seed_catalogue(apps)`` with the historical models, so
this module must not import the live models at module level."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from guongsang.core.text import fold

# Levels (units.UnitKind values) written out: the migration must not depend on the live enum.
CENTRAL, PROVINCE, COMMUNE, BRANCH = "central", "province", "commune", "branch"

# Council vote rules (domain.md §1.6). Quorum 2/3 of members is ND 98/2023 Art. 47 for the
# central council, taken as the default of every council: UNCONFIRMED for union councils.
QUORUM = Decimal("0.6667")
# ND 91/2017 (old decree): CSTĐ tỉnh / toàn quốc by secret ballot, ≥ 90 % of all members.
STRICT = {"approval": Decimal("0.9"), "vote_base": "members", "secret_ballot": True}
# Otherwise a simple majority of valid ballots: the current threshold is UNCONFIRMED.
MAJORITY = {"approval": Decimal("0.5"), "vote_base": "valid", "secret_ballot": True}

UNCONFIRMED = "chưa xác nhận"
VOTE_NOTE = f"Biểu quyết: tán thành từ 50% số phiếu hợp lệ ({UNCONFIRMED}, xem NĐ 152/2025/NĐ-CP)."
STRICT_NOTE = (
    "Biểu quyết: bỏ phiếu kín, tán thành từ 90% tổng số thành viên hội đồng theo NĐ 91/2017/NĐ-CP"
    f" (quy định hiện hành {UNCONFIRMED})."
)

# name, kind, subject kinds (c = collective, i = individual, h = household), levels, prize
# multiple, rank, vote rule, note.
CATALOGUE: list[dict] = [
    # ---- titles: individuals (Law 06/2022/QH15 Art. 19–20; multiples ND 98/2023 Art. 54)
    {
        "code": "lao-dong-tien-tien",
        "name": "Lao động tiên tiến",
        "kind": "title",
        "subjects": "i",
        "levels": [COMMUNE, PROVINCE, CENTRAL],
        "prize": "0.3",
        "rank": 10,
        "note": "Luật Thi đua, khen thưởng 2022; tiền thưởng 0,3 lần lương cơ sở "
        "(NĐ 98/2023/NĐ-CP Điều 54, giữ nguyên theo NĐ 152/2025/NĐ-CP). " + VOTE_NOTE,
    },
    {
        "code": "cstd-co-so",
        "name": "Chiến sĩ thi đua cơ sở",
        "kind": "title",
        "subjects": "i",
        "levels": [PROVINCE, CENTRAL],
        "prize": "1.0",
        "rank": 20,
        "note": "Điều kiện: đạt Lao động tiên tiến và có sáng kiến được công nhận; không quá 15% "
        f"số cá nhân đạt Lao động tiên tiến (NĐ 91/2017/NĐ-CP; quy định hiện hành {UNCONFIRMED})."
        " Tiền thưởng 1,0 lần lương cơ sở. " + VOTE_NOTE,
    },
    {
        "code": "cstd-cap-tinh",
        "name": "Chiến sĩ thi đua cấp tỉnh",
        "kind": "title",
        "subjects": "i",
        "levels": [PROVINCE],
        "prize": "3.0",
        "rank": 30,
        "vote": STRICT,
        "note": "Điều kiện: 3 năm liên tục đạt Chiến sĩ thi đua cơ sở, sáng kiến có phạm vi ảnh "
        "hưởng cấp tỉnh. Tiền thưởng 3,0 lần lương cơ sở. " + STRICT_NOTE,
    },
    {
        "code": "cstd-cap-bo",
        "name": "Chiến sĩ thi đua cấp bộ, ban, ngành, đoàn thể trung ương",
        "kind": "title",
        "subjects": "i",
        "levels": [CENTRAL],
        "prize": "3.0",
        "rank": 31,
        "vote": STRICT,
        "note": "Trung ương Hội tặng, ngang cấp bộ (Luật Thi đua, khen thưởng 2022). Điều kiện: "
        "3 năm liên tục đạt Chiến sĩ thi đua cơ sở. Tiền thưởng 3,0 lần lương cơ sở. "
        + STRICT_NOTE,
    },
    {
        "code": "cstd-toan-quoc",
        "name": "Chiến sĩ thi đua toàn quốc",
        "kind": "title",
        "subjects": "i",
        "levels": [],
        "prize": "4.5",
        "rank": 40,
        "vote": STRICT,
        "note": "Thủ tướng Chính phủ tặng; Hội đề nghị. Điều kiện: 2 lần liên tục đạt Chiến sĩ "
        "thi đua cấp bộ, tỉnh. Tiền thưởng 4,5 lần lương cơ sở. " + STRICT_NOTE,
    },
    # ---- titles: collectives
    {
        "code": "tt-lao-dong-tien-tien",
        "name": "Tập thể lao động tiên tiến",
        "kind": "title",
        "subjects": "c",
        "levels": [PROVINCE, CENTRAL],
        "prize": "0.8",
        "rank": 10,
        "note": "Luật Thi đua, khen thưởng 2022. Tiền thưởng 0,8 lần lương cơ sở "
        f"({UNCONFIRMED}: số liệu nguồn bị cắt). " + VOTE_NOTE,
    },
    {
        "code": "tt-lao-dong-xuat-sac",
        "name": "Tập thể lao động xuất sắc",
        "kind": "title",
        "subjects": "c",
        "levels": [PROVINCE, CENTRAL],
        "prize": "1.5",
        "rank": 20,
        "note": "Điều kiện: 100% thành viên hoàn thành nhiệm vụ, từ 70% đạt Lao động tiên tiến, "
        "có ít nhất 1 Chiến sĩ thi đua cơ sở (phần mềm chưa kiểm tra tự động). Tiền thưởng 1,5 "
        "lần lương cơ sở. " + VOTE_NOTE,
    },
    {
        "code": "co-thi-dua-tinh",
        "name": "Cờ thi đua của Hội LHPN tỉnh",
        "kind": "title",
        "subjects": "c",
        "levels": [PROVINCE],
        "prize": None,
        "rank": 30,
        "note": "Tập thể tiêu biểu nhất qua bình xét cụm, khối thi đua. Cấp tỉnh của Hội được "
        f"tặng Cờ thi đua hay không theo quy chế thi đua của Hội ({UNCONFIRMED}); tiền thưởng "
        f"{UNCONFIRMED}. " + VOTE_NOTE,
    },
    {
        "code": "co-thi-dua-tw-hoi",
        "name": "Cờ thi đua của Trung ương Hội LHPN Việt Nam",
        "kind": "title",
        "subjects": "c",
        "levels": [CENTRAL],
        "prize": None,
        "rank": 31,
        "note": "Trung ương Hội tặng, ngang cấp bộ (Luật Thi đua, khen thưởng 2022); tập thể "
        f"tiêu biểu nhất qua bình xét cụm, khối thi đua. Tiền thưởng {UNCONFIRMED}. " + VOTE_NOTE,
    },
    # ---- community titles
    {
        "code": "gia-dinh-van-hoa",
        "name": "Gia đình văn hóa",
        "kind": "title",
        "subjects": "h",
        "levels": [COMMUNE],
        "prize": None,
        "rank": 10,
        "note": "Chủ tịch UBND cấp xã công nhận (Luật Thi đua, khen thưởng 2022 Điều 80; khung "
        "tiêu chuẩn NĐ 86/2023/NĐ-CP). Hội ghi nhận để xét điển hình; việc đổi tên thành “Gia "
        f"đình tiêu biểu” {UNCONFIRMED}.",
    },
    {
        "code": "thon-to-dan-pho-van-hoa",
        "name": "Thôn, tổ dân phố văn hóa",
        "kind": "title",
        "subjects": "c",
        "levels": [COMMUNE],
        "prize": None,
        "rank": 11,
        "note": "Danh hiệu của cộng đồng dân cư (Luật Thi đua, khen thưởng 2022); cấp công nhận "
        f"sau 01/7/2025 {UNCONFIRMED}. Hội ghi nhận cho chi hội thôn, tổ dân phố.",
    },
    # ---- forms of commendation
    {
        "code": "giay-khen-hoi-xa",
        "name": "Giấy khen của Hội LHPN xã",
        "kind": "form",
        "subjects": "cih",
        "levels": [COMMUNE],
        "prize": None,
        "rank": 10,
        "note": "Căn cứ: quy chế thi đua, khen thưởng của Hội "
        f"({UNCONFIRMED}); thực tế Hội LHPN xã có tặng Giấy khen. " + VOTE_NOTE,
    },
    {
        "code": "giay-khen-hoi-tinh",
        "name": "Giấy khen của Hội LHPN tỉnh",
        "kind": "form",
        "subjects": "cih",
        "levels": [PROVINCE],
        "prize": None,
        "rank": 11,
        "note": f"Căn cứ: quy chế thi đua, khen thưởng của Hội ({UNCONFIRMED}). " + VOTE_NOTE,
    },
    {
        "code": "bang-khen-hoi-tinh",
        "name": "Bằng khen của Hội LHPN tỉnh",
        "kind": "form",
        "subjects": "cih",
        "levels": [PROVINCE],
        "prize": None,
        "rank": 20,
        "note": "Thực tế Hội LHPN tỉnh có tặng Bằng khen; căn cứ theo quy chế thi đua, khen "
        f"thưởng của Hội ({UNCONFIRMED}). " + VOTE_NOTE,
    },
    {
        "code": "bang-khen-tw-hoi",
        "name": "Bằng khen của Trung ương Hội LHPN Việt Nam",
        "kind": "form",
        "subjects": "cih",
        "levels": [CENTRAL],
        "prize": None,
        "rank": 30,
        "note": "Trung ương Hội tặng, ngang cấp bộ (Luật Thi đua, khen thưởng 2022); tiền thưởng "
        f"{UNCONFIRMED}. " + VOTE_NOTE,
    },
    {
        "code": "kniem-chuong-vi-phu-nu",
        "name": "Kỷ niệm chương “Vì sự phát triển của phụ nữ Việt Nam”",
        "kind": "form",
        "subjects": "i",
        "levels": [CENTRAL],
        "prize": None,
        "rank": 40,
        "note": "Trung ương Hội tặng hằng năm dịp 20/10 cho cá nhân có đóng góp cho sự phát triển "
        "của phụ nữ (từ năm 2005). Mỗi người được tặng một lần trong đời. Điều kiện chi tiết "
        f"đối với cán bộ Hội {UNCONFIRMED}.",
    },
    {
        "code": "giai-thuong-phu-nu-vn",
        "name": "Giải thưởng Phụ nữ Việt Nam",
        "kind": "form",
        "subjects": "ci",
        "levels": [CENTRAL],
        "prize": None,
        "rank": 50,
        "note": "Giải thưởng hằng năm của Trung ương Hội từ năm 2002, cho tập thể và cá nhân.",
    },
    {
        "code": "giai-thuong-nguyen-thi-dinh",
        "name": "Giải thưởng Nguyễn Thị Định",
        "kind": "form",
        "subjects": "i",
        "levels": [CENTRAL],
        "prize": None,
        "rank": 51,
        "note": "Cho cán bộ Hội chuyên trách các cấp; mỗi người được tặng một lần (Quy chế ban "
        "hành theo QĐ 1798/QĐ-BCH ngày 04/5/2023 của Ban Chấp hành Trung ương Hội).",
    },
    # ---- initiatives: held like a title, the prerequisite of CSTĐ cơ sở
    {
        "code": "sang-kien",
        "name": "Sáng kiến được công nhận",
        "kind": "initiative",
        "subjects": "ci",
        "levels": [BRANCH, COMMUNE, PROVINCE, CENTRAL],
        "prize": None,
        "rank": 10,
        "note": "Sáng kiến được cơ sở công nhận (hoặc đề tài nghiên cứu được nghiệm thu, áp "
        "dụng): điều kiện của danh hiệu Chiến sĩ thi đua cơ sở.",
    },
]

# Streaks that include the proposal's year: "Chiến sĩ thi đua cấp bộ, tỉnh" is considered in the
# year of the third "Chiến sĩ thi đua cơ sở" (UNCONFIRMED, a catalogue setting per rule); the
# others end with the year before (toàn quốc: the year after the second provincial title).
STREAK_INCLUDES_YEAR = {"cstd-cap-tinh", "cstd-cap-bo"}

ONCE = "Một lần trong đời: không tặng lại trong 100 năm."
# (award code, rule kind, other code, years, share, severity)
RULES: list[tuple] = [
    ("cstd-co-so", "requires", "lao-dong-tien-tien", 0, None, "block"),
    ("cstd-co-so", "requires", "sang-kien", 0, None, "block"),
    # ≤ 15 % of the LĐTT holders (ND 91/2017; current rule UNCONFIRMED): a warning.
    ("cstd-co-so", "share_cap", "lao-dong-tien-tien", 0, Decimal("0.15"), "warn"),
    ("cstd-cap-tinh", "streak", "cstd-co-so", 3, None, "block"),
    ("cstd-cap-bo", "streak", "cstd-co-so", 3, None, "block"),
    ("cstd-toan-quoc", "streak", "cstd-cap-tinh", 2, None, "block"),
    # Once in a lifetime: "not within 100 years".
    ("giai-thuong-nguyen-thi-dinh", "not_within", None, 100, None, "block"),
    ("kniem-chuong-vi-phu-nu", "not_within", None, 100, None, "block"),
    # Not the same form two years running: practice, UNCONFIRMED, so a warning.
    ("giay-khen-hoi-xa", "not_within", None, 1, None, "warn"),
    ("giay-khen-hoi-tinh", "not_within", None, 1, None, "warn"),
    ("bang-khen-hoi-tinh", "not_within", None, 1, None, "warn"),
    ("bang-khen-tw-hoi", "not_within", None, 1, None, "warn"),
]

BASE_SALARIES: list[tuple] = [
    (dt.date(2023, 7, 1), Decimal("1800000"), "Nghị định 24/2023/NĐ-CP"),
    (dt.date(2024, 7, 1), Decimal("2340000"), "Nghị định 73/2024/NĐ-CP"),
]

# Entries given once in a lifetime (rule "not within 100 years"): their notes say so.
ONCE_CODES = {"giai-thuong-nguyen-thi-dinh", "kniem-chuong-vi-phu-nu"}


def _models(apps):
    if apps is None:
        from django.apps import apps as live

        apps = live
    return (
        apps.get_model("awards", "AwardType"),
        apps.get_model("awards", "EligibilityRule"),
        apps.get_model("awards", "BaseSalary"),
    )


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def entry_fields(entry: dict) -> dict:
    vote = entry.get("vote", MAJORITY)
    note = entry["note"]
    if entry["code"] in ONCE_CODES:
        note = f"{note} {ONCE}"
    return {
        "name": entry["name"],
        # Historical models have no custom save(): fill the folded name here.
        "name_folded": fold(entry["name"]),
        "kind": entry["kind"],
        "for_collective": "c" in entry["subjects"],
        "for_individual": "i" in entry["subjects"],
        "for_household": "h" in entry["subjects"],
        "conferring_levels": list(entry["levels"]),
        "quorum": QUORUM,
        "approval": vote["approval"],
        "vote_base": vote["vote_base"],
        "secret_ballot": vote["secret_ballot"],
        "prize_multiple": Decimal(entry["prize"]) if entry["prize"] is not None else None,
        "rank": entry["rank"],
        "note": note,
    }


def seed_catalogue(apps=None) -> dict:
    """Add the missing catalogue entries (by code), their rules (only for entries created now)
    and the base salaries (by date). Returns {code: AwardType}. Idempotent."""
    AwardType, EligibilityRule, BaseSalary = _models(apps)
    existing = {
        t.code: t for t in AwardType.objects.filter(code__in=[e["code"] for e in CATALOGUE])
    }
    created = set()
    for entry in CATALOGUE:
        if entry["code"] not in existing:
            existing[entry["code"]] = AwardType.objects.create(
                code=entry["code"], **entry_fields(entry)
            )
            created.add(entry["code"])
    orders: dict[str, int] = {}
    for code, kind, other, years, share, severity in RULES:
        order = orders[code] = orders.get(code, -1) + 1
        if code not in created:
            continue  # an entry the union already has keeps the rules it has
        extra = {}
        if kind == "streak" and _has_field(EligibilityRule, "ends_year_before"):
            # (the model of migration 0002 has no such field; 0007 sets it on those rows)
            extra["ends_year_before"] = code not in STREAK_INCLUDES_YEAR
        EligibilityRule.objects.create(
            award_type=existing[code],
            kind=kind,
            other=existing[other] if other else None,
            years=years,
            share=share,
            severity=severity,
            order=order,
            **extra,
        )
    for valid_from, amount, basis in BASE_SALARIES:
        BaseSalary.objects.get_or_create(
            valid_from=valid_from, defaults={"amount": amount, "basis": basis}
        )
    return existing
