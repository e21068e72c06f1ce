"""Vocabulary for synthetic data: people's names by ethnic group, villages by region, activity
titles. Realistic enough for sorting, searching and reading pages; every value is invented."""

from __future__ import annotations

import random


def _words(text: str) -> list[str]:
    return text.split(", ")


# Province codes (vietnam-provinces, after 1 July 2025) by the region whose names they get.
NORTH_MOUNTAIN = {4, 8, 15, 19, 20}  # Cao Bằng, Tuyên Quang, Lào Cai, Thái Nguyên, Lạng Sơn
NORTH_WEST = {11, 12, 14}  # Điện Biên, Lai Châu, Sơn La
MIDLAND = {22, 25, 38, 40}  # Quảng Ninh, Phú Thọ, Thanh Hóa, Nghệ An
HIGHLANDS = {52, 66, 68}  # Gia Lai, Đắk Lắk, Lâm Đồng
SOUTH = {75, 79, 80, 82, 86, 91, 92, 96}


def region_of(province_code: int) -> str:
    for region, codes in (
        ("north_mountain", NORTH_MOUNTAIN),
        ("north_west", NORTH_WEST),
        ("midland", MIDLAND),
        ("highlands", HIGHLANDS),
        ("south", SOUTH),
    ):
        if province_code in codes:
            return region
    return "delta"


# Ethnicity weights per region; values are those of ``exemplars.models.ETHNICITIES``.
ETHNIC_MIX = {
    "north_mountain": [
        ("Tày", 32),
        ("Nùng", 22),
        ("Mông", 14),
        ("Dao", 10),
        ("Kinh", 18),
        ("Sán Chay", 4),
    ],
    "north_west": [("Thái", 38), ("Mông", 24), ("Kinh", 20), ("Dao", 6), ("Mường", 4), ("Khác", 8)],
    "midland": [("Kinh", 76), ("Mường", 11), ("Thái", 7), ("Dao", 3), ("Tày", 3)],
    "highlands": [("Kinh", 64), ("Khác", 30), ("Tày", 3), ("Nùng", 3)],
    "south": [("Kinh", 88), ("Khmer", 9), ("Hoa", 3)],
    "delta": [("Kinh", 97), ("Mường", 2), ("Hoa", 1)],
}

KINH_FAMILIES = [
    ("Nguyễn", 31),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 4),
    ("Huỳnh", 3),
    ("Phan", 4),
    ("Vũ", 3),
    ("Võ", 2),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Đào", 1),
    ("Trịnh", 1),
    ("Mai", 1),
    ("Trương", 1),
    ("Lương", 1),
    ("Tạ", 1),
    ("Cao", 1),
    ("Hà", 1),
    ("Lưu", 1),
    ("Chu", 1),
]
FEMALE_GIVEN = _words(
    "Hoa, Lan, Mai, Hương, Hằng, Hà, Thu, Nga, Linh, Trang, Ngọc, Yến, Thảo, Huyền, Dung, "
    "Hạnh, Loan, Phương, Nhung, Liên, Thủy, Thuỷ, Hòa, Hoà, Xuân, Vân, Oanh, Quyên, Tuyết, "
    "Nhàn, Sen, Cúc, Đào, Duyên, Hiền, Hồng, Lụa, Nụ, Thơm, Bích, Châm, Diệp, Giang, Khánh, "
    "Lý, Mơ, Ánh, Ân, Uyên, Vy, Thắm, Tâm, Thanh, Hải, Chi, Quỳnh, Ly"
)
FEMALE_MIDDLE = _words("Thu, Ngọc, Thanh, Minh, Kim, Hồng, Phương, Bích, Mỹ, Hải")
MALE_GIVEN = _words("Hùng, Dũng, Tuấn, Minh, Nam, Sơn, Thắng, Quang, Cường, Hải, Long, Bình")

TAY_NUNG_FAMILIES = _words("Nông, Bế, Hoàng, Lương, Đàm, Lục, Hà, Triệu, Lâm, Ma, Chu, Sầm, Mông")
TAY_NUNG_GIVEN = _words(
    "Mến, Dịu, Khiêm, Slao, Nhìn, Mẩy, Hoa, Lan, Liên, Thơm, Dương, Phấn, Tuyết, Nga, Hằng"
)
MONG_FAMILIES = _words("Giàng, Sùng, Vàng, Thào, Lý, Hầu, Mùa, Vừ, Lầu, Ly")
MONG_FEMALE = _words("Mỷ, Dua, Pà, Chía, Mai, Sua, Dế, Súa, Chá, Máy, Pàng, Xua")
MONG_MALE_MIDDLE = ["A", "Seo", "Mí", "Chẩn"]
MONG_MALE = _words("Páo, Chứ, Lử, Sính, Dình, Chả, Tủa, Pó")
DAO_FAMILIES = _words("Triệu, Bàn, Đặng, Lý, Chảo, Phùn, Tẩn")
DAO_GIVEN = _words("Mẩy, Nái, Làn, Kiều, Mụi, Sinh, Quẩy, Mai, Vàng, Dín")
THAI_FAMILIES = _words("Lò, Quàng, Cầm, Lường, Vi, Hà, Lù, Tòng, Điêu, Mè")
THAI_GIVEN = _words("Ơn, Pưởng, Xuân, Sương, Ánh, Hoa, Bun, Xiêng, Un, Phong, Thoa, Ỏn")
MUONG_FAMILIES = ["Bùi", "Đinh", "Quách", "Hà", "Xa", "Cao"]
KHMER_FAMILIES = _words("Thạch, Sơn, Kim, Danh, Lâm, Chau, Néang")
KHMER_GIVEN = _words("Sa Rinh, Sóc Khoa, Sô Phát, Ngọc, Mai, Sà Ly, Đa Ri, Chanh Tha, Sa Vết")
HOA_FAMILIES = _words("Lý, Trương, Quách, Hứa, Lưu, Tăng, Mạc, Diệp")
HOA_GIVEN = _words("Muội, Lệ, Mỹ Linh, Phụng, Xuân, Cẩm, Ngọc Lan")
HIGHLAND_FAMILIES = _words("Niê, Byă, Êban, Mlô, Ksơr, Adrơng, Rơ Châm, Siu, Nay, Kpă")
HIGHLAND_GIVEN = _words("Hen, Nga, Bích, Ly, Mai, Yên, Khoa, Duyên, Loan, Xuân")
SAN_CHAY_FAMILIES = ["Lâm", "Hoàng", "Lục", "Trần", "Lý"]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def person_name(rng: random.Random, ethnicity: str, female: bool) -> str:
    """A full name, family name first, as written on Vietnamese papers."""
    if ethnicity == "Mông":
        family = rng.choice(MONG_FAMILIES)
        if female:
            return f"{family} Thị {rng.choice(MONG_FEMALE)}"
        return f"{family} {rng.choice(MONG_MALE_MIDDLE)} {rng.choice(MONG_MALE)}"
    if ethnicity == "Khác" and female:  # Ê Đê, Gia Rai...: given name first, then the clan
        return f"H'{rng.choice(HIGHLAND_GIVEN)} {rng.choice(HIGHLAND_FAMILIES)}"
    if ethnicity == "Khác":
        return f"Y {rng.choice(HIGHLAND_GIVEN)} {rng.choice(HIGHLAND_FAMILIES)}"
    family, given_pool = {
        "Tày": (TAY_NUNG_FAMILIES, TAY_NUNG_GIVEN),
        "Nùng": (TAY_NUNG_FAMILIES, TAY_NUNG_GIVEN),
        "Dao": (DAO_FAMILIES, DAO_GIVEN),
        "Thái": (THAI_FAMILIES, THAI_GIVEN),
        "Mường": (MUONG_FAMILIES, FEMALE_GIVEN),
        "Khmer": (KHMER_FAMILIES, KHMER_GIVEN),
        "Hoa": (HOA_FAMILIES, HOA_GIVEN),
        "Sán Chay": (SAN_CHAY_FAMILIES, TAY_NUNG_GIVEN),
    }.get(ethnicity, (None, FEMALE_GIVEN))
    family = rng.choice(family) if family else _weighted(rng, KINH_FAMILIES)
    if not female:
        return f"{family} Văn {rng.choice(MALE_GIVEN)}"
    given = rng.choice(given_pool)
    roll = rng.random()
    if ethnicity != "Kinh" or roll < 0.7:
        return f"{family} Thị {given}"
    if roll < 0.85:
        return f"{family} Thị {rng.choice(FEMALE_MIDDLE)} {given}"
    return f"{family} {rng.choice(FEMALE_MIDDLE)} {given}"


# Villages: the word for a village by region, and syllables to name them.
VILLAGE_WORDS = {
    "north_mountain": ["thôn", "bản", "xóm"],
    "north_west": ["bản"],
    "midland": ["thôn", "bản", "xóm"],
    "highlands": ["buôn", "làng", "thôn"],
    "south": ["ấp"],
    "delta": ["thôn", "xóm"],
}
VILLAGE_SYLLABLES = {
    "mountain": (
        _words(
            "Nà, Bản, Pác, Khuổi, Lũng, Phja, Cốc, Nậm, Co, Thôm, Slam, Khau, Pò, Bó, Nặm, "
            "Hát, Kéo, Pắc"
        ),
        _words(
            "Pàn, Giới, Khoang, Mạ, Cháo, Lẹng, Rằng, Pục, Piằng, Luông, Tèo, Sla, Nưa, Cáp, "
            "Thin, Chang, Quang, Vài, Đon"
        ),
    ),
    "highlands": (
        _words("Ea, Ko, Tơ, Dhă, Kơ, Plei, Buôn, Krông"),
        _words("Kmát, Tam, Dun, Nia, Sar, Prông, Mrơng, Bông, Hdơk, Knir, Jut"),
    ),
    "plain": (
        _words(
            "Đông, Tây, Nam, Bắc, Thượng, Hạ, Trung, Tân, Phú, An, Hòa, Thanh, Yên, Đại, "
            "Phúc, Văn, Hưng, Mỹ, Vĩnh, Long, Bình, Thạnh"
        ),
        _words(
            "Lộc, Phú, Hòa, Thịnh, Xuân, Lâm, Sơn, Thành, Long, Hưng, An, Bình, Trung, Đông, "
            "Nhân, Nghĩa, Khánh, Thọ, Lạc, Ninh, Lợi, Phước, Điền"
        ),
    ),
}


def branch_names(rng: random.Random, region: str, is_ward: bool, count: int) -> list[str]:
    """``count`` distinct branch names for one commune or ward."""
    if is_ward:
        word = "khu phố" if region == "south" else "tổ dân phố"
        return [f"Chi hội {word} {i}" for i in range(1, count + 1)]
    word = rng.choice(VILLAGE_WORDS[region])
    if rng.random() < 0.2:
        return [f"Chi hội {word} {i}" for i in range(1, count + 1)]
    kind = {"north_mountain": "mountain", "north_west": "mountain", "highlands": "highlands"}.get(
        region, "plain"
    )
    first, second = VILLAGE_SYLLABLES[kind]
    combos = [f"{a} {b}" for a in first for b in second if a != b]
    return [f"Chi hội {word} {name}" for name in rng.sample(combos, count)]


TOPICS = [
    "Luật Phòng, chống bạo lực gia đình năm 2022",
    "Cuộc vận động “Xây dựng gia đình 5 không, 3 sạch”",
    "phòng, chống mua bán người",
    "Nghị quyết Đại hội đại biểu Phụ nữ toàn quốc lần thứ XIII",
    "an toàn thực phẩm trong gia đình",
    "bình đẳng giới và phòng, chống bạo lực trên cơ sở giới",
    "phòng, chống ma túy và tệ nạn xã hội",
    "xây dựng nông thôn mới, đô thị văn minh",
    "chuyển đổi số cho hội viên phụ nữ",
    "Dự án 8 “Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em”",
    "nuôi con bằng sữa mẹ, chăm sóc sức khỏe bà mẹ và trẻ em",
    "phòng, chống tảo hôn và hôn nhân cận huyết thống",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "phụ nữ khởi nghiệp, phát triển kinh tế hộ gia đình",
    "vay vốn ưu đãi và tiết kiệm trong hội viên",
    "phòng, chống thiên tai và biến đổi khí hậu",
    "gương điển hình tiên tiến trong các tầng lớp phụ nữ",
    "phân loại rác thải tại nguồn",
    "an toàn giao thông",
    "bảo hiểm xã hội tự nguyện, bảo hiểm y tế",
    "phòng, chống lừa đảo trên không gian mạng",
    "văn hóa ứng xử trong gia đình",
]

# Per seeded activity form: title pattern, participants (low, high) and how often a commune, a
# branch and a group use it. Branches and groups mostly hold their own meetings.
FORM_PROFILES = {
    "Hội nghị": ("Hội nghị tuyên truyền {topic}", 40, 200, (3, 1, 0)),
    "Sinh hoạt chi hội": ("Sinh hoạt chuyên đề: {topic}", 12, 60, (1, 8, 1)),
    "Hội thảo, tọa đàm, giao lưu, trao đổi kinh nghiệm": ("Tọa đàm {topic}", 20, 100, (2, 0, 0)),
    "Tin bài trên trang thông tin điện tử": ("Tin bài: {topic}", 0, 0, (2, 0, 0)),
    "Báo, đài địa phương": ("Phóng sự truyền hình về {topic}", 0, 0, (1, 0, 0)),
    "Bản tin “Thông tin Phụ nữ”": ("Bản tin “Thông tin Phụ nữ”: {topic}", 0, 0, (1, 0, 0)),
    "Văn hóa, văn nghệ, biểu dương": ("Liên hoan văn nghệ hưởng ứng {topic}", 50, 300, (2, 1, 0)),
}
OTHER_FORM = ("Tuyên truyền {topic}", 10, 80, (1, 0, 0))

STORY_PHRASES = {
    "individual": [
        "tấm gương vượt khó làm kinh tế giỏi",
        "tận tụy với công tác Hội",
        "tấm gương sáng trong phong trào thi đua",
        "người giữ lửa cho sinh hoạt chi hội, tổ phụ nữ",
    ],
    "household": [
        "gia đình 5 không, 3 sạch tiêu biểu",
        "hộ gia đình làm kinh tế giỏi, giúp nhau thoát nghèo",
        "mái ấm hạnh phúc, con cái học giỏi",
    ],
    "collective": [
        "tập thể điển hình trong phong trào thi đua",
        "điểm sáng xây dựng nông thôn mới",
        "chi hội vững mạnh, hội viên đoàn kết",
    ],
}
