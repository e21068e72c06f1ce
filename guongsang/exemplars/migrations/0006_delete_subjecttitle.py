# The free-text titles now live in the award history (awards.Award): awards/0002 copied them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("exemplars", "0005_subject_word_table"),
        ("awards", "0002_seed_and_migrate_titles"),
    ]

    operations = [
        migrations.DeleteModel(name="SubjectTitle"),
    ]
