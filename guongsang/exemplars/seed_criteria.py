"""Criteria worded exactly as plan 53/KH-BTV (section II.2.2 and II.2.3 a, b, c) and the eight
criteria of the campaign "Xây dựng gia đình 5 không, 3 sạch" (2014 wording)."""

GENERAL_53 = [
    "Là những tập thể, cá nhân, hộ gia đình phụ nữ có thành tích tiêu biểu, xuất sắc trong lao động sản xuất, học tập, công tác; có sáng tạo, sáng kiến cải tiến kỹ thuật, phương pháp quản lý, ứng dụng khoa học kỹ thuật, công nghệ cao;",
    'Là nhân tố nổi trội, dẫn đầu trong các phong trào thi đua, gương mẫu chấp hành chủ trương, đường lối của Đảng, chính sách pháp luật của Nhà nước gắn với việc "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ chí Minh" theo tinh thần Chỉ thị số 05-CT/TW của Bộ Chính trị;',
    "Có tinh thần tương thân, tương ái giúp đỡ mọi người cùng tiến bộ; tích cực tham gia các phong trào hoạt động, công tác từ thiện góp phần thực hiện tốt công tác an sinh xã hội trên địa bàn tỉnh.",
]

COLLECTIVE_53 = [
    "Triển khai thực hiện hoàn thành xuất sắc các hoạt động công tác Hội và phong trào phụ nữ; tổ chức các phong trào thi đua của Hội góp phần đem lại hiệu quả thiết thực về chính trị, kinh tế, văn hoá, xã hội, quốc phòng, an ninh và thu hút đông đảo hội viên, phụ nữ tham gia, được cấp uỷ Đảng, chính quyền các cấp công nhận; làm tốt công tác xây dựng dựng điển hình tiên tiến, xây dựng tổ chức Hội và tham gia xây dựng Đảng, chính quyền trong sạch, vững mạnh;",
    "Dẫn đầu trong các phong trào thi đua (so với các đơn vị trong Khối thi đua), hoàn thành vượt mức các chỉ tiêu thi đua của cơ quan, đơn vị hoặc có sáng kiến cải tiến kỹ thuật; giải pháp công tác, áp dụng công nghệ với năng suất, chất lượng, hiệu quả trong thực hiện nhiệm vụ chính trị của ngành và địa phương;",
    "Gương mẫu chấp hành chủ trương, đường lối của Đảng, chính sách pháp luật của Nhà nước, quy định, hương ước của địa phương;",
    "Tích cực tham gia xây dựng các quỹ, các hoạt động nhân đạo, từ thiện góp phần thực hiện tốt công tác an sinh xã hội trên địa bàn;",
    "Tổ chức Đảng, đoàn thể trong sạch vững mạnh (nếu có).",
]

INDIVIDUAL_53 = [
    "Chấp hành tốt các chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước, thực hiện tốt nội quy, quy định của cơ quan, đơn vị và địa phương;",
    "Gương mẫu đi đầu trong các phong trào thi đua, các cuộc vận động, đặc biệt trong việc “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ chí Minh”;",
    "Năng động, sáng tạo, có nhiều sáng kiến, kinh nghiệm, giải pháp hữu ích trong công tác;",
    "Là cán bộ, hội viên, phụ nữ đạt thành tích tiêu biểu xuất sắc trong công tác, học tập, lao động sản xuất, thực hiện nhiệm vụ công tác Hội và phong trào phụ nữ;",
    "Gia đình phải đạt tiêu chuẩn danh hiệu “Gia đình văn hóa”.",
]

HOUSEHOLD_53 = [
    "Gương mẫu chấp hành tốt chủ trương của Đảng, pháp luật của Nhà nước và quy định của địa phương;",
    "Là hộ gia đình hội viên, phụ nữ xuất sắc tiêu biểu đạt 8 tiêu chí trong thực hiện Cuộc vận động “Xây dựng gia đình hạnh phúc 5 không, 3 sạch”; có nhiều đóng góp về công sức, đất đai, tài sản góp phần xây dựng nông thôn mới, đô thị văn minh;",
    "Thực hiện sản xuất kinh doanh, áp dụng tiến bộ khoa học kỹ thuật có hiệu quả hoặc có cách làm mới trong phát triển kinh tế hộ gia đình, giúp đỡ được nhiều hộ gia đình vươn lên thoát nghèo và làm giàu chính đáng;",
    "Đảm bảo an toàn lao động và vệ sinh môi trường;",
    "Có thu nhập và mức sống cao hơn các hộ khác trong số các hộ gia đình tại địa phương;",
    "Có tinh thần tương thân, tương ái, tích cực tham gia các hoạt động nhân đạo, từ thiện giúp đỡ các hộ gia đình khác cùng phát triển;",
    "Hộ gia đình điển hình phải đạt tiêu chuẩn danh hiệu “Gia đình văn hóa”.",
]

FIVE_NO_THREE_CLEAN = [
    "Không đói nghèo",
    "Không vi phạm pháp luật và tệ nạn xã hội",
    "Không có bạo lực gia đình",
    "Không sinh con thứ 3 trở lên",
    "Không có trẻ em suy dinh dưỡng và bỏ học",
    "Sạch nhà",
    "Sạch bếp",
    "Sạch ngõ",
]

# The criteria that name a title the subject's family must hold.
CULTURED_FAMILY = "Gia đình văn hóa"
