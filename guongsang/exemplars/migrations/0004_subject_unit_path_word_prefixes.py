# Subjects carry their unit's path (scope ranges and the name order without a join to units),
# and on PostgreSQL the name search reads a GIN index of every word prefix of the folded name
# instead of trigrams: three common words cost one posting-list intersection, not a recheck of
# tens of thousands of rows.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# Every prefix of every word of a folded name ("ng", "ngu", ... "nguyen"): "each query word
# starts a word of the name" becomes array containment, which a GIN index answers exactly.
# Words split as ``search.name_words`` splits them (anything not a letter or a digit).
WORD_PREFIXES_FUNCTION = r"""
CREATE OR REPLACE FUNCTION gs_word_prefixes(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT left(w, n)), '{}')
  FROM regexp_split_to_table(name, '[^[:alnum:]]+') AS w, generate_series(1, length(w)) AS n
  WHERE w <> ''
$$
"""


def unit_path_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Bytewise ranges, like units_unit.path; then one set-based fill from the units.
        schema_editor.execute(
            'ALTER TABLE exemplars_subject ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"'
        )
        schema_editor.execute(
            "UPDATE exemplars_subject s SET unit_path = u.path FROM units_unit u "
            "WHERE u.id = s.unit_id"
        )
        return
    Unit = apps.get_model("units", "Unit")
    Subject = apps.get_model("exemplars", "Subject")
    Subject.objects.update(
        unit_path=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1])
    )


def search_forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(WORD_PREFIXES_FUNCTION)
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    schema_editor.execute(
        "CREATE INDEX subject_word_prefix_idx ON exemplars_subject "
        "USING gin (gs_word_prefixes(name_folded))"
    )
    schema_editor.execute("DROP INDEX IF EXISTS subject_name_trgm_idx")


def search_backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS subject_name_trgm_idx ON exemplars_subject "
        "USING gin (name_folded gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS subject_word_prefix_idx")
    schema_editor.execute("DROP FUNCTION IF EXISTS gs_word_prefixes(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("exemplars", "0003_denormalised_scope_and_order"),
        ("units", "0003_unit_successor_path_unit_unit_successor_path_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="subject",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(unit_path_forward, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="subject", name="subject_sort_idx"),
        migrations.AddIndex(
            model_name="subject",
            index=models.Index(
                fields=["sort_key", "id"], include=["unit_path"], name="subject_sort_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="subject",
            index=models.Index(
                fields=["unit_path", "sort_key", "id"], name="subject_path_sort_idx"
            ),
        ),
        migrations.RunPython(search_forward, search_backward),
    ]
