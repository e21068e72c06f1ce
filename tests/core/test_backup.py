"""Backup and restore (issue 11, point 8): the demo goes out and comes back whole, on SQLite and
on PostgreSQL, through the commands as an operator runs them; and a killed server loses no
committed write (SQLite in WAL mode)."""

import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db  # the suite's own database is not used; the commands make theirs

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# The SQLite round trips use files of their own: run once, in the SQLite pass.
sqlite_pass = pytest.mark.skipif(ON_POSTGRESQL, reason="runs in the SQLite pass")

GUONGSANG = str(Path(sys.executable).with_name("guongsang"))


def attempt(env: dict, *args: str) -> subprocess.CompletedProcess:
    """``guongsang ARGS`` as an operator runs it: the project's settings, not the tests'."""
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [GUONGSANG, *args],
        env=base | {"SECRET_KEY": "backup-test-secret-key-0123456789", "DEBUG": "0"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    result = attempt(env, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def media_files(var: Path) -> dict[str, bytes]:
    root = var / "media"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def load_source(env: dict, var: Path) -> None:
    run(env, "migrate", "--noinput", "-v0")
    run(env, "load_demo")
    (var / "media" / "stories" / "2026").mkdir(parents=True, exist_ok=True)
    (var / "media" / "stories" / "2026" / "anh-mo-hinh.jpg").write_bytes(b"\xff\xd8" + b"x" * 5000)


def sqlite_rows(path: Path) -> dict[str, list]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}  # noqa: S608
    finally:
        con.close()


@sqlite_pass
def test_the_demo_round_trips_on_sqlite(tmp_path):
    src_var, dst_var = tmp_path / "src", tmp_path / "dst"
    src = {"DATABASE_URL": f"sqlite:///{src_var / 'db.sqlite3'}", "VAR_DIR": str(src_var)}
    dst = {"DATABASE_URL": f"sqlite:///{dst_var / 'db.sqlite3'}", "VAR_DIR": str(dst_var)}
    src_var.mkdir()
    dst_var.mkdir()
    load_source(src, src_var)
    archive = tmp_path / "sao-luu.tar.gz"
    out = run(src, "backup", "--output", str(archive)).stdout
    assert str(archive) in out and "dòng" in out
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "database.sqlite3" in names
    assert "media/stories/2026/anh-mo-hinh.jpg" in names
    assert "Đã phục hồi" in run(dst, "restore", str(archive)).stdout
    before, after = sqlite_rows(src_var / "db.sqlite3"), sqlite_rows(dst_var / "db.sqlite3")
    assert set(before) == set(after) and len(before) > 40
    assert {t for t in before if before[t] != after[t]} == set()
    assert sum(len(v) for v in after.values()) > 1000
    assert media_files(src_var) == media_files(dst_var)
    # A second restore into the now full database is refused; nothing is touched.
    refused = attempt(dst, "restore", str(archive))
    assert refused.returncode != 0 and "cơ sở dữ liệu trống" in refused.stderr


@sqlite_pass
def test_a_damaged_archive_is_refused_before_anything_is_written(tmp_path):
    src_var, dst_var = tmp_path / "src", tmp_path / "dst"
    src_var.mkdir()
    dst_var.mkdir()
    src = {"DATABASE_URL": f"sqlite:///{src_var / 'db.sqlite3'}", "VAR_DIR": str(src_var)}
    run(src, "migrate", "--noinput", "-v0")
    archive = tmp_path / "a.tar.gz"
    run(src, "backup", "--output", str(archive))
    # Swap the database for another file: the manifest's checksum no longer matches.
    other = tmp_path / "other"
    other.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(other)  # noqa: S202 (our own archive)
    (other / "database.sqlite3").write_bytes(b"not a database")
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(broken, "w:gz") as tar:
        for p in other.iterdir():
            tar.add(p, arcname=p.name)
    dst = {"DATABASE_URL": f"sqlite:///{dst_var / 'db.sqlite3'}", "VAR_DIR": str(dst_var)}
    result = attempt(dst, "restore", str(broken))
    assert result.returncode != 0 and "bị hỏng: database.sqlite3" in result.stderr
    assert not (dst_var / "db.sqlite3").exists() or sqlite_rows(dst_var / "db.sqlite3") == {}


@pytest.mark.skipif(not ON_POSTGRESQL, reason="runs in the PostgreSQL pass")
def test_the_demo_round_trips_on_postgresql(tmp_path):
    import psycopg

    s = settings.DATABASES["default"]
    conninfo = {k: v for k, v in {
        "host": s.get("HOST"), "port": s.get("PORT"), "user": s.get("USER"),
        "password": s.get("PASSWORD"),
    }.items() if v}  # fmt: skip
    base = s["NAME"].removeprefix("test_")
    names = {"src": f"{base}_backup_src", "dst": f"{base}_backup_dst"}

    def url(name: str) -> str:
        auth = s.get("USER", "") + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{name}"

    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        src_var, dst_var = tmp_path / "src", tmp_path / "dst"
        src_var.mkdir()
        dst_var.mkdir()
        src = {"DATABASE_URL": url(names["src"]), "VAR_DIR": str(src_var)}
        dst = {"DATABASE_URL": url(names["dst"]), "VAR_DIR": str(dst_var)}
        load_source(src, src_var)
        archive = tmp_path / "pg.tar.gz"
        run(src, "backup", "--output", str(archive))
        run(dst, "restore", str(archive))

        def digests(name: str) -> dict[str, str]:
            with psycopg.connect(dbname=name, **conninfo) as con:
                tables = [r[0] for r in con.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]  # fmt: skip
                return {
                    t: con.execute(
                        f"SELECT count(*), md5(coalesce(string_agg(x::text, '|' "  # noqa: S608
                        f"ORDER BY x::text), '')) FROM \"{t}\" x"
                    ).fetchone()
                    for t in tables
                }

        before, after = digests(names["src"]), digests(names["dst"])
        assert before == after and len(before) > 40
        assert sum(n for n, _digest in after.values()) > 1000
        assert media_files(src_var) == media_files(dst_var)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
            for name in names.values():
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@sqlite_pass
def test_a_killed_server_loses_no_committed_write(tmp_path):
    """SQLite in WAL mode with synchronous=NORMAL (the settings): every write a process saw
    committed is there after the process is killed in the middle of a burst."""
    var = tmp_path / "var"
    var.mkdir()
    env = {"DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}", "VAR_DIR": str(var)}
    run(env, "migrate", "--noinput", "-v0")
    writer = textwrap.dedent(
        """
        import os, sys, django
        os.environ["DJANGO_SETTINGS_MODULE"] = "guongsang.settings"
        django.setup()
        from guongsang.accounts.models import LoginThrottle
        for i in range(100000):
            row = LoginThrottle.objects.create(username=f"u{i}", address="")
            print(row.pk, flush=True)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", writer],
        env=dict(os.environ) | {"SECRET_KEY": "backup-test-secret-key-0123456789"} | env,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    committed = []
    for line in process.stdout:
        committed.append(int(line))
        if len(committed) >= 300:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    con = sqlite3.connect(var / "db.sqlite3")
    try:
        stored = {r[0] for r in con.execute("SELECT id FROM accounts_loginthrottle")}
    finally:
        con.close()
    assert set(committed) <= stored
