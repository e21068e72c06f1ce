"""Backup and restore of the whole installation: one archive (tar.gz) holding a consistent copy
of the database, every uploaded file and a manifest.

- SQLite: the online backup API copies the database while the app runs (a consistent snapshot
  whatever is written meanwhile); PostgreSQL: ``pg_dump --format=custom`` (one snapshot).
- Uploads: every file of the default storage, read through the storage API.
- ``manifest.json``: when, which database kind, the applied migrations, the row count of every
  table, and the SHA-256 of every member of the archive.

``restore`` checks the archive against its manifest first, refuses a database that already
holds tables, brings the database and the files back, and compares the row counts with the
manifest. It restores into the same kind of database the backup came from."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "guongsang-backup/1"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def table_counts() -> dict[str, int]:
    """Rows of every table of the database (Django's and the project's)."""
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            out[table] = cursor.fetchone()[0]
    return out


def _storage_files(path: str = "") -> list[str]:
    try:
        dirs, files = default_storage.listdir(path)
    except FileNotFoundError:  # nothing uploaded yet: no media folder
        return []
    found = [f"{path}/{f}" if path else f for f in files]
    for d in dirs:
        found += _storage_files(f"{path}/{d}" if path else d)
    return sorted(found)


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"Không tìm thấy chương trình {name} (gói postgresql-client).")
    return found


def _pg_env() -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = []
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _database_copy(folder: Path) -> Path:
    vendor = connection.vendor
    target = folder / DB_MEMBER[vendor]
    if vendor == "sqlite":
        connection.ensure_connection()
        out = sqlite3.connect(target)
        try:
            connection.connection.backup(out)
        finally:
            out.close()
    elif vendor == "postgresql":
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
            [_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args,
             "--file", str(target), name],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
    else:
        raise BackupError(f"Không sao lưu được cơ sở dữ liệu loại {vendor}.")
    return target


def backup(output: Path) -> dict:
    """Write the archive to ``output``; return its manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_file = _database_copy(folder)
        members: dict[str, str] = {db_file.name: _sha256(db_file.read_bytes())}
        media = {}
        for name in _storage_files():
            with default_storage.open(name, "rb") as f:
                data = f.read()
            media[f"media/{name}"] = data
            members[f"media/{name}"] = _sha256(data)
        applied = sorted(
            f"{app}.{name}"
            for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name")
        )
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": applied,
            "tables": table_counts(),
            "members": members,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            _add(tar, "manifest.json", raw)
            tar.add(db_file, arcname=db_file.name)
            for name, data in media.items():
                _add(tar, name, data)
        partial.replace(output)  # never a half-written archive under the real name
        return manifest


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def read_archive(path: Path, folder: Path) -> dict:
    """Unpack ``path`` into ``folder`` and check every member against the manifest."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar.getmembers():
                if not member.isfile() or member.name.startswith("/") or ".." in member.name:
                    raise BackupError(f"Tệp sao lưu có mục không hợp lệ: {member.name}")
            # The "data" filter exists from Python 3.11.4 (Debian 12 ships 3.11.2); the checks
            # above already refuse links, absolute paths and "..".
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(folder, **safe)  # noqa: S202 (members checked above)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"Không đọc được tệp sao lưu: {exc}") from None
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError("Tệp sao lưu thiếu bản kê (manifest.json).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("Tệp sao lưu không đúng định dạng của Gương Sáng.")
    for name, digest in manifest["members"].items():
        member = folder / name
        if not member.is_file() or _sha256(member.read_bytes()) != digest:
            raise BackupError(f"Tệp sao lưu bị hỏng: {name} không khớp bản kê.")
    return manifest


def restore(path: Path) -> dict:
    """Restore the archive into the (empty) database of the settings and the default storage."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = read_archive(path, folder)
        vendor = connection.vendor
        if manifest["database"] != vendor:
            raise BackupError(
                f"Bản sao lưu của cơ sở dữ liệu {manifest['database']}, "
                f"không phục hồi vào {vendor} được."
            )
        with connection.cursor() as cursor:
            existing = connection.introspection.table_names(cursor)
        if existing:
            raise BackupError(
                "Cơ sở dữ liệu đích đã có bảng: hãy phục hồi vào một cơ sở dữ liệu trống."
            )
        db_file = folder / DB_MEMBER[vendor]
        if vendor == "sqlite":
            _restore_sqlite(db_file)
        else:
            args, env = _pg_env()
            connection.close()
            result = subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
                [_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", *args,
                 "--dbname", connection.settings_dict["NAME"], str(db_file)],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if result.returncode != 0:
                raise BackupError(f"pg_restore thất bại: {result.stderr.strip()[:500]}")
        for name in manifest["members"]:
            if name.startswith("media/"):
                target = name[len("media/") :]
                data = (folder / name).read_bytes()
                if default_storage.exists(target):
                    with default_storage.open(target, "rb") as f:
                        if _sha256(f.read()) != _sha256(data):
                            raise BackupError(f"Đã có tệp khác cùng tên: {target}")
                    continue
                default_storage.save(target, ContentFile(data))
        counts = table_counts()
        if counts != manifest["tables"]:
            wrong = sorted(t for t in manifest["tables"] if counts.get(t) != manifest["tables"][t])
            raise BackupError(f"Số dòng sau khi phục hồi không khớp: {', '.join(wrong)}")
        return manifest


def _restore_sqlite(db_file: Path) -> None:
    name = connection.settings_dict["NAME"]
    if str(name) == ":memory:" or "mode=memory" in str(name):
        # The test database: copy into the live in-memory database.
        connection.ensure_connection()
        src = sqlite3.connect(db_file)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
        return
    for alias in connections:
        connections[alias].close()
    target = Path(name)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(db_file, target)
