from django.db import migrations

# Plan 53/KH-BTV II.3 names talks, branch and group meetings and cultural events besides the
# conferences and the press; the field adds social networks, panels and the village loudspeaker.
# The full list in the order quick entry offers it (existing rows keep their names).
ORDER = [
    "Hội nghị",
    "Nói chuyện chuyên đề",
    "Sinh hoạt chi hội",
    "Sinh hoạt tổ phụ nữ",
    "Hội thảo, tọa đàm, giao lưu, trao đổi kinh nghiệm",
    "Văn hóa, văn nghệ, biểu dương",
    "Hội thi",
    "Tin bài trên trang thông tin điện tử",
    "Mạng xã hội (Zalo, Facebook…)",
    "Báo, đài địa phương",
    "Loa truyền thanh xã, thôn, xóm",
    "Bản tin “Thông tin Phụ nữ”",
    "Pa nô, áp phích, khẩu hiệu",
]


def add_forms(apps, schema_editor):
    ActivityForm = apps.get_model("outreach", "ActivityForm")
    known = {f.name: f for f in ActivityForm.objects.all()}
    for order, name in enumerate(ORDER):
        form = known.get(name)
        if form is None:
            ActivityForm.objects.create(name=name, order=order)
        elif form.order != order:
            form.order = order
            form.save(update_fields=["order"])


class Migration(migrations.Migration):
    dependencies = [("outreach", "0007_activity_month")]

    operations = [migrations.RunPython(add_forms, migrations.RunPython.noop)]
