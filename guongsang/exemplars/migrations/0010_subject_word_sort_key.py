# PostgreSQL: the word table carries each subject's sort key, in both indexes' INCLUDE lists, so
# that a search whose scope is only path ranges finds its first 1,001 matches and their order
# from the word index alone (``search.search_page``), without looking each match up in the
# subjects table (measured on national data, "nguyen thi hoa", the first query alone: as the
# central union 11 → 3–6 ms, as the province 3.4–5.3 → 1.4 ms, the look-ups left out).
# The triggers (0005) copy the key, and rewrite a subject's words when its key changes (a name
# changed only in its marks: the folded name stays, the key does not).
# SQLite: nothing (its FTS table is read through a join; 0008).

from django.db import migrations

WORD_FUNCTIONS = [
    r"""
CREATE OR REPLACE FUNCTION gs_subject_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO exemplars_subject_word (subject_id, pos, word, unit_path, name_words, sort_key)
  SELECT s.id, w.pos, w.word, s.unit_path, w.words, s.sort_key
  FROM new_rows s, LATERAL gs_subject_words(s.name_folded) AS w;
  RETURN NULL;
END $$
""",
    r"""
CREATE OR REPLACE FUNCTION gs_subject_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM exemplars_subject_word AS w USING old_rows o JOIN new_rows n ON n.id = o.id
  WHERE w.subject_id = o.id
    AND (o.name_folded, o.unit_path, o.sort_key) IS DISTINCT FROM
        (n.name_folded, n.unit_path, n.sort_key);
  INSERT INTO exemplars_subject_word (subject_id, pos, word, unit_path, name_words, sort_key)
  SELECT n.id, w.pos, w.word, n.unit_path, w.words, n.sort_key
  FROM new_rows n JOIN old_rows o ON o.id = n.id, LATERAL gs_subject_words(n.name_folded) AS w
  WHERE (o.name_folded, o.unit_path, o.sort_key) IS DISTINCT FROM
        (n.name_folded, n.unit_path, n.sort_key);
  RETURN NULL;
END $$
""",
]

# The table written anew (one INSERT, then the indexes built once) rather than 3 million rows
# updated in place under three indexes.
FORWARD = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE TABLE exemplars_subject_word_new ("
    " subject_id bigint NOT NULL, pos integer NOT NULL,"
    ' word varchar(200) COLLATE "C" NOT NULL, unit_path varchar(255) COLLATE "C" NOT NULL,'
    " name_words text NOT NULL, sort_key varchar(255) NOT NULL)",
    "INSERT INTO exemplars_subject_word_new "
    "(subject_id, pos, word, unit_path, name_words, sort_key) "
    "SELECT w.subject_id, w.pos, w.word, w.unit_path, w.name_words, s.sort_key "
    "FROM exemplars_subject_word w JOIN exemplars_subject s ON s.id = w.subject_id",
    "DROP TABLE exemplars_subject_word",
    "ALTER TABLE exemplars_subject_word_new RENAME TO exemplars_subject_word",
    *WORD_FUNCTIONS,
    "CREATE INDEX subject_word_idx ON exemplars_subject_word (word, unit_path) "
    "INCLUDE (subject_id, pos, name_words, sort_key)",
    "CREATE INDEX subject_word_subject_idx ON exemplars_subject_word (subject_id)",
    # 12: exemplars.search.SCOPE_WIDTH (a test checks that the two agree).
    "CREATE INDEX subject_word_scope_idx ON exemplars_subject_word "
    "(substr(unit_path, 1, 12), word) INCLUDE (subject_id, pos, name_words, unit_path, sort_key)",
    "ALTER TABLE exemplars_subject_word SET (parallel_workers = 0)",
    "ANALYZE exemplars_subject_word",
]

BACKWARD = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    # Dropping the column drops the two indexes that include it.
    "ALTER TABLE exemplars_subject_word DROP COLUMN sort_key",
    "CREATE INDEX subject_word_idx ON exemplars_subject_word (word, unit_path) "
    "INCLUDE (subject_id, pos, name_words)",
    "CREATE INDEX subject_word_scope_idx ON exemplars_subject_word "
    "(substr(unit_path, 1, 12), word) INCLUDE (subject_id, pos, name_words, unit_path)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARD:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from importlib import import_module

    before = import_module("guongsang.exemplars.migrations.0005_subject_word_table")
    for sql in BACKWARD:
        schema_editor.execute(sql)
    for sql in before.FUNCTIONS[1:3]:  # the insert and update triggers' functions, as they were
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("exemplars", "0009_subject_word_scope_index")]

    operations = [migrations.RunPython(forward, backward)]
