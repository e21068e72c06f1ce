# The award history takes over the free-text titles of exemplars.SubjectTitle: the catalogue is
# seeded first (from guongsang.awards.seed, through the historical models), then every recorded
# title becomes an Award, linked to the catalogue entry whose folded name it matches when that
# entry applies to the subject's kind, else kept as written. exemplars/0006 then drops the table.

from django.db import migrations

from guongsang.core.text import fold

BATCH = 2000


def unit_path_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Bytewise ranges, like units_unit.path: a subtree is a range on this column.
        schema_editor.execute(
            'ALTER TABLE awards_award ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"'
        )


def seed(apps, schema_editor):
    from guongsang.awards.seed import seed_catalogue

    seed_catalogue(apps)


def migrate_titles(apps, schema_editor):
    SubjectTitle = apps.get_model("exemplars", "SubjectTitle")
    AwardType = apps.get_model("awards", "AwardType")
    Award = apps.get_model("awards", "Award")
    entries: dict[str, list] = {}
    for award_type in AwardType.objects.all():
        entries.setdefault(award_type.name_folded, []).append(award_type)
    seen: set[tuple] = set()
    batch = []
    rows = (
        SubjectTitle.objects.order_by("pk")
        .values_list(
            "subject_id",
            "subject__kind",
            "subject__unit_path",
            "subject__unit__path",
            "title",
            "year",
            "conferred_by",
        )
        .iterator(chunk_size=BATCH)
    )
    for subject_id, kind, subject_path, unit_path, title, year, conferred_by in rows:
        name = " ".join(title.split())[:200]
        folded = fold(name)
        award_type = next(
            (t for t in entries.get(folded, []) if getattr(t, f"for_{kind}", False)), None
        )
        # One award per subject, entry (or text) and year: a title typed twice is kept once.
        key = (subject_id, award_type.pk if award_type else folded, year)
        if key in seen:
            continue
        seen.add(key)
        batch.append(
            Award(
                subject_id=subject_id,
                award_type=award_type,
                name=award_type.name if award_type else name,
                name_folded=fold(award_type.name) if award_type else folded,
                # Years outside the bounds of the form were never checked before: kept as typed.
                year=year,
                conferred_by=" ".join(conferred_by.split())[:200],
                source="migrated",
                unit_path=subject_path or unit_path,
            )
        )
        if len(batch) >= BATCH:
            Award.objects.bulk_create(batch)
            batch = []
    if batch:
        Award.objects.bulk_create(batch)


def titles_back(apps, schema_editor):
    """Going back: every award becomes a recorded title again (the table exemplars/0006
    dropped is recreated empty by reversing it)."""
    SubjectTitle = apps.get_model("exemplars", "SubjectTitle")
    Award = apps.get_model("awards", "Award")
    batch = []
    for subject_id, name, year, conferred_by in (
        Award.objects.order_by("pk")
        .values_list("subject_id", "name", "year", "conferred_by")
        .iterator(chunk_size=BATCH)
    ):
        batch.append(
            SubjectTitle(subject_id=subject_id, title=name, year=year, conferred_by=conferred_by)
        )
        if len(batch) >= BATCH:
            SubjectTitle.objects.bulk_create(batch)
            batch = []
    if batch:
        SubjectTitle.objects.bulk_create(batch)
    Award.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0001_initial"),
        ("exemplars", "0005_subject_word_table"),
    ]

    operations = [
        migrations.RunPython(unit_path_collation, migrations.RunPython.noop),
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(migrate_titles, titles_back),
    ]
