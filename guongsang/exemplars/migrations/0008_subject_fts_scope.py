# SQLite: the FTS5 table of subject names gets a second column, the subject's province as one
# token ("u" + the first two path segments), and prefix indexes up to 7 letters. A province's
# search then intersects the name words with its token inside FTS5 (measured on the national
# file: "nguyen thi" as the province 94 → 0.8 ms) instead of checking the path of every match in
# the country, and a whole word such as "nguyen" is read from a prefix index as a stream
# instead of merging every term that starts with it (central "nguyen thi hoa" 13.7 → 3.9 ms).
# The table is contentless (the token is not a column of exemplars_subject): triggers write and
# delete its rows with the values they indexed. PostgreSQL: nothing (its word table, 0005).

from importlib import import_module

from django.db import migrations

NEW = [
    "CREATE VIRTUAL TABLE exemplars_subject_fts USING fts5(name_folded, scope, content='', "
    "prefix='1 2 3 4 5 6 7')",
    "CREATE TRIGGER exemplars_subject_fts_ai AFTER INSERT ON exemplars_subject BEGIN "
    "INSERT INTO exemplars_subject_fts(rowid, name_folded, scope) "
    "VALUES (new.id, new.name_folded, 'u' || substr(new.unit_path, 1, 12)); END",
    "CREATE TRIGGER exemplars_subject_fts_ad AFTER DELETE ON exemplars_subject BEGIN "
    "INSERT INTO exemplars_subject_fts(exemplars_subject_fts, rowid, name_folded, scope) "
    "VALUES ('delete', old.id, old.name_folded, 'u' || substr(old.unit_path, 1, 12)); END",
    "CREATE TRIGGER exemplars_subject_fts_au AFTER UPDATE OF name_folded, unit_path "
    "ON exemplars_subject BEGIN "
    "INSERT INTO exemplars_subject_fts(exemplars_subject_fts, rowid, name_folded, scope) "
    "VALUES ('delete', old.id, old.name_folded, 'u' || substr(old.unit_path, 1, 12)); "
    "INSERT INTO exemplars_subject_fts(rowid, name_folded, scope) "
    "VALUES (new.id, new.name_folded, 'u' || substr(new.unit_path, 1, 12)); END",
    "INSERT INTO exemplars_subject_fts(rowid, name_folded, scope) "
    "SELECT id, name_folded, 'u' || substr(unit_path, 1, 12) FROM exemplars_subject",
]

# What migration 0002 created, for going back.
OLD = import_module(
    "guongsang.exemplars.migrations.0002_subject_sort_key_subject_subject_sort_idx_and_more"
).FTS_SQLITE


def _replace(schema_editor, statements):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in ("ai", "ad", "au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS exemplars_subject_fts_{name}")
    schema_editor.execute("DROP TABLE IF EXISTS exemplars_subject_fts")
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _replace(schema_editor, NEW)


def backward(apps, schema_editor):
    _replace(schema_editor, OLD)


class Migration(migrations.Migration):
    dependencies = [("exemplars", "0007_exemplar_decision_date")]

    operations = [migrations.RunPython(forward, backward)]
