from django.db import migrations

# The forms of propaganda named by plan 53/KH-BTV, section II.3.
FORMS = [
    "Hội nghị",
    "Sinh hoạt chi hội",
    "Hội thảo, tọa đàm, giao lưu, trao đổi kinh nghiệm",
    "Tin bài trên trang thông tin điện tử",
    "Báo, đài địa phương",
    "Bản tin “Thông tin Phụ nữ”",
    "Văn hóa, văn nghệ, biểu dương",
]


def seed(apps, schema_editor):
    ActivityForm = apps.get_model("outreach", "ActivityForm")
    for order, name in enumerate(FORMS):
        ActivityForm.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
