# PostgreSQL: name search through a table of the subjects' words, kept by statement triggers (as
# FTS5 is on SQLite), read from one B-tree index that holds everything the search checks: a
# query word's prefix range (and the scope's path range) with the subject's other words beside
# it, so a search is an index-only walk that a LIMIT stops. The GIN index of word prefixes
# (0004) had to decode the whole posting list of every common word ("nguyen", "thi") first.
# The sort index carries the path as a key column, so a wide scope checks it in the index.

from django.db import migrations, models

# " nguyen thi hoa": the folded name's words (split as ``search.name_words`` splits), each after
# one space, so "LIKE '% hoa%'" is "some word starts with hoa". One row per word, with the
# offset of the space before it: the first word of a subject that starts with a query word is
# the one where strpos(name_words, ' ' || word) = pos + 1, so a subject is found once.
FUNCTIONS = [
    r"""
CREATE OR REPLACE FUNCTION gs_subject_words(name text, OUT pos int, OUT word text, OUT words text)
RETURNS SETOF record LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH n AS (SELECT array_remove(regexp_split_to_array(name, '[^[:alnum:]]+'), '') AS a)
  SELECT (SELECT coalesce(sum(length(x) + 1), 0) FROM unnest(n.a[1:i - 1]) AS x)::int,
         n.a[i], ' ' || array_to_string(n.a, ' ')
  FROM n, generate_subscripts(n.a, 1) AS i
$$
""",
    r"""
CREATE OR REPLACE FUNCTION gs_subject_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO exemplars_subject_word (subject_id, pos, word, unit_path, name_words)
  SELECT s.id, w.pos, w.word, s.unit_path, w.words
  FROM new_rows s, LATERAL gs_subject_words(s.name_folded) AS w;
  RETURN NULL;
END $$
""",
    r"""
CREATE OR REPLACE FUNCTION gs_subject_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM exemplars_subject_word AS w USING old_rows o JOIN new_rows n ON n.id = o.id
  WHERE w.subject_id = o.id
    AND (o.name_folded, o.unit_path) IS DISTINCT FROM (n.name_folded, n.unit_path);
  INSERT INTO exemplars_subject_word (subject_id, pos, word, unit_path, name_words)
  SELECT n.id, w.pos, w.word, n.unit_path, w.words
  FROM new_rows n JOIN old_rows o ON o.id = n.id, LATERAL gs_subject_words(n.name_folded) AS w
  WHERE (o.name_folded, o.unit_path) IS DISTINCT FROM (n.name_folded, n.unit_path);
  RETURN NULL;
END $$
""",
    r"""
CREATE OR REPLACE FUNCTION gs_subject_words_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM exemplars_subject_word AS w USING old_rows o WHERE w.subject_id = o.id;
  RETURN NULL;
END $$
""",
    r"""
CREATE OR REPLACE FUNCTION gs_subject_words_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE exemplars_subject_word;
  RETURN NULL;
END $$
""",
]

TABLE = [
    "CREATE TABLE exemplars_subject_word ("
    " subject_id bigint NOT NULL, pos integer NOT NULL,"
    ' word varchar(200) COLLATE "C" NOT NULL, unit_path varchar(255) COLLATE "C" NOT NULL,'
    " name_words text NOT NULL)",
    "INSERT INTO exemplars_subject_word (subject_id, pos, word, unit_path, name_words) "
    "SELECT s.id, w.pos, w.word, s.unit_path, w.words "
    "FROM exemplars_subject s, LATERAL gs_subject_words(s.name_folded) AS w",
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX subject_word_idx ON exemplars_subject_word (word, unit_path) "
    "INCLUDE (subject_id, pos, name_words)",
    "CREATE INDEX subject_word_subject_idx ON exemplars_subject_word (subject_id)",
    # A search reads a few thousand index entries and stops at its LIMIT; the planner, which
    # cannot know how many entries match the other words, would start parallel workers for it
    # (16 ms of start-up against 2 ms for the walk, measured on national data).
    "ALTER TABLE exemplars_subject_word SET (parallel_workers = 0)",
    # Statement triggers with transition tables: a COPY or bulk INSERT of thousands of subjects
    # writes their words in one set-based INSERT.
    "CREATE TRIGGER exemplars_subject_word_ai AFTER INSERT ON exemplars_subject "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION gs_subject_words_insert()",
    "CREATE TRIGGER exemplars_subject_word_au AFTER UPDATE ON exemplars_subject "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION gs_subject_words_update()",
    "CREATE TRIGGER exemplars_subject_word_ad AFTER DELETE ON exemplars_subject "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION gs_subject_words_delete()",
    "CREATE TRIGGER exemplars_subject_word_at AFTER TRUNCATE ON exemplars_subject "
    "FOR EACH STATEMENT EXECUTE FUNCTION gs_subject_words_truncate()",
    "DROP INDEX IF EXISTS subject_word_prefix_idx",
    "DROP FUNCTION IF EXISTS gs_word_prefixes(text)",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS exemplars_subject_word_ai ON exemplars_subject",
    "DROP TRIGGER IF EXISTS exemplars_subject_word_au ON exemplars_subject",
    "DROP TRIGGER IF EXISTS exemplars_subject_word_ad ON exemplars_subject",
    "DROP TRIGGER IF EXISTS exemplars_subject_word_at ON exemplars_subject",
    "DROP TABLE IF EXISTS exemplars_subject_word",
    "DROP FUNCTION IF EXISTS gs_subject_words_insert()",
    "DROP FUNCTION IF EXISTS gs_subject_words_update()",
    "DROP FUNCTION IF EXISTS gs_subject_words_delete()",
    "DROP FUNCTION IF EXISTS gs_subject_words_truncate()",
    "DROP FUNCTION IF EXISTS gs_subject_words(text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FUNCTIONS + TABLE:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from importlib import import_module

    previous = import_module("guongsang.exemplars.migrations.0004_subject_unit_path_word_prefixes")
    for sql in BACKWARD:
        schema_editor.execute(sql)
    schema_editor.execute(previous.WORD_PREFIXES_FUNCTION)
    schema_editor.execute(
        "CREATE INDEX subject_word_prefix_idx ON exemplars_subject "
        "USING gin (gs_word_prefixes(name_folded))"
    )


class Migration(migrations.Migration):
    dependencies = [("exemplars", "0004_subject_unit_path_word_prefixes")]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveIndex(model_name="subject", name="subject_sort_idx"),
        migrations.AddIndex(
            model_name="subject",
            index=models.Index(fields=["sort_key", "id", "unit_path"], name="subject_sort_idx"),
        ),
    ]
