"""Backups and restore (config/backup.py): dump the test database and its files, restore them
into a fresh database, and check that counts and checksums match; a changed backup is refused.

The commands run as subprocesses, as ``make backup`` / ``make restore`` run them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from config import backup
from config.backup import Tool, choose_tool, libpq_environment
from tests.factories import KewenanganFactory, PersyaratanFactory, UserFactory
from tests.perizinan.factories import submitted

BASE_DIR = Path(__file__).resolve().parents[2]


# --- helpers ---------------------------------------------------------------------------------


def connection_kwargs(name: str) -> dict:
    cfg = connection.settings_dict
    return {
        "dbname": name,
        "user": cfg["USER"] or None,
        "password": cfg["PASSWORD"] or None,
        "host": cfg["HOST"] or cfg.get("OPTIONS", {}).get("host") or None,
        "port": cfg["PORT"] or None,
    }


def database_url(name: str) -> str:
    kw = connection_kwargs(name)
    auth = quote(kw["user"] or "", safe="")
    if kw["password"]:
        auth += ":" + quote(kw["password"], safe="")
    host = kw["host"] or ""
    if host.startswith("/"):
        return f"postgres://{auth}@/{quote(name)}?host={quote(host, safe='/')}"
    port = f":{kw['port']}" if kw["port"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(name)}"


@contextmanager
def fresh_database():
    """An empty database next to the test database, dropped afterwards whatever happens."""
    name = f"restore_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(**connection_kwargs("postgres"))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def query(dbname: str, sql: str):
    conn = psycopg2.connect(**connection_kwargs(dbname))
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        conn.close()


def run_backup(*args: str, db: str, files: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(db),
        "PRIVATE_MEDIA_ROOT": str(files / "private"),
        "MEDIA_ROOT": str(files / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return subprocess.run(
        [sys.executable, "-m", "config.backup", *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def dump(tmp_path: Path) -> Path:
    result = run_backup("dump", "--out", str(tmp_path / "backups"), db=source_db(), files=tmp_path)
    assert result.returncode == 0, result.stderr
    (folder,) = (tmp_path / "backups").iterdir()
    return folder


def restore(folder: Path, target_db: str, files: Path, *extra: str):
    return run_backup(
        "restore",
        str(folder),
        "--database-url",
        database_url(target_db),
        *extra,
        db=target_db,
        files=files,
    )


def source_db() -> str:
    return connection.settings_dict["NAME"]


def tables_in(dbname: str) -> int:
    return query(
        dbname,
        "SELECT count(*) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    )[0][0]


def project_row_counts(dbname: str) -> dict[str, int]:
    counts = {}
    for model in backup.project_models():
        table = model._meta.db_table
        rows = query(dbname, f"SELECT to_regclass('\"{table}\"') IS NOT NULL")
        if rows[0][0]:
            sql = f'SELECT count(*) FROM "{table}"'  # noqa: S608 - a model's table name
            counts[model._meta.label] = query(dbname, sql)[0][0]
    return counts


def file_sums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def make_data() -> None:
    """Users, authorities, a service whose requirement has a public template file (MEDIA_ROOT,
    a FileField) and a few private files."""
    UserFactory.create_batch(3)
    UserFactory(back_office=True)
    KewenanganFactory.create_batch(2)
    for index in range(2):
        requirement = PersyaratanFactory(name=f"Templat {index}")
        requirement.template_file.save(f"formulir-{index}.pdf", ContentFile(b"%PDF-1.4 templat"))
    private = storages["private"]
    private.save("dokumen/2026/ktp.pdf", ContentFile(b"%PDF-1.4 ktp"))
    private.save("izin/2026/sk.pdf", ContentFile(b"%PDF-1.4 sk " * 100))


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_the_same_counts_and_files(tmp_path):
    make_data()
    source_counts = project_row_counts(source_db())
    source_files = file_sums(tmp_path / "private")
    source_media = file_sums(tmp_path / "media")
    assert len(source_files) == 2
    assert len(source_media) == 2

    folder = dump(tmp_path)

    manifest = json.loads((folder / "MANIFEST.json").read_text())
    assert {label: e["rows"] for label, e in manifest["row_counts"].items()} == source_counts
    assert manifest["row_counts"]["accounts.User"]["rows"] == source_counts["accounts.User"] > 3
    for name in ("database.dump", "private.tar.gz", "media.tar.gz"):
        data = (folder / name).read_bytes()
        assert manifest["files"][name] == {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
    applied = MigrationRecorder.Migration.objects.order_by("applied", "id")
    assert manifest["migrations"] == {row.app: row.name for row in applied}
    assert manifest["versions"]["postgresql"]
    assert set(manifest["trees"]["private"]["files"]) == set(source_files)

    restored = tmp_path / "restored"
    with fresh_database() as target:
        result = restore(folder, target, restored)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "result: OK" in result.stdout
        assert "stored files: 2 referenced by the database" in result.stdout
        assert project_row_counts(target) == source_counts
        templates = query(target, "SELECT template_file FROM kewenangan_persyaratan")

    assert file_sums(restored / "private") == source_files
    assert file_sums(restored / "media") == source_media
    assert {name for (name,) in templates} == set(source_media)


# --- refusals and mismatches -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_whose_file_changed(tmp_path):
    make_data()
    folder = dump(tmp_path)
    archive = folder / "private.tar.gz"
    data = bytearray(archive.read_bytes())
    data[-1] ^= 0xFF
    archive.write_bytes(bytes(data))

    with fresh_database() as target:
        result = restore(folder, target, tmp_path / "restored")
        assert result.returncode != 0
        assert "private.tar.gz does not match its SHA-256" in result.stderr
        assert tables_in(target) == 0
    assert not (tmp_path / "restored" / "private").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_changed_manifest(tmp_path):
    UserFactory()
    folder = dump(tmp_path)
    manifest = json.loads((folder / "MANIFEST.json").read_text())
    manifest["row_counts"]["accounts.User"]["rows"] += 1
    (folder / "MANIFEST.json").write_text(json.dumps(manifest))

    with fresh_database() as target:
        result = restore(folder, target, tmp_path / "restored")
        assert result.returncode != 0
        assert "MANIFEST.json does not match MANIFEST.json.sha256" in result.stderr
        assert tables_in(target) == 0


@pytest.mark.django_db(transaction=True)
def test_restore_fails_when_the_restored_counts_differ_from_the_manifest(tmp_path):
    UserFactory()
    folder = dump(tmp_path)
    # A manifest rewritten together with its checksum: caught after the restore by the counts.
    manifest = json.loads((folder / "MANIFEST.json").read_text())
    expected = manifest["row_counts"]["accounts.User"]["rows"]
    manifest["row_counts"]["accounts.User"]["rows"] = expected + 1
    raw = json.dumps(manifest).encode()
    (folder / "MANIFEST.json").write_bytes(raw)
    (folder / "MANIFEST.json.sha256").write_text(
        f"{hashlib.sha256(raw).hexdigest()}  MANIFEST.json\n"
    )

    with fresh_database() as target:
        result = restore(folder, target, tmp_path / "restored")
    assert result.returncode == 1
    assert f"MISMATCH rows accounts.User: {expected}, the manifest says {expected + 1}" in (
        result.stdout
    )
    assert "result: FAILED" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_restore_reports_a_template_file_missing_from_the_backup(tmp_path):
    requirement = PersyaratanFactory()
    requirement.template_file.save("formulir.pdf", ContentFile(b"%PDF-1.4 templat"))
    default_storage.delete(requirement.template_file.name)
    folder = dump(tmp_path)

    with fresh_database() as target:
        result = restore(folder, target, tmp_path / "restored")
    assert result.returncode == 1
    assert (
        f"MISMATCH file media/{requirement.template_file.name} "
        f"(kewenangan.Persyaratan #{requirement.pk}): not in the backup"
    ) in result.stdout


@pytest.mark.django_db(transaction=True)
def test_restore_reports_a_citizen_document_missing_from_the_backup(tmp_path):
    permohonan = submitted()
    lost = permohonan.dokumen.first()
    storages["private"].delete(lost.stored_name)
    folder = dump(tmp_path)

    with fresh_database() as target:
        result = restore(folder, target, tmp_path / "restored")
    assert result.returncode == 1
    assert f"MISMATCH file private/{lost.stored_name} (perizinan.Dokumen #{lost.pk}): missing" in (
        result.stdout
    )


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_database_with_tables_needs_force(tmp_path):
    UserFactory()
    folder = dump(tmp_path)
    with fresh_database() as target:
        admin = psycopg2.connect(**connection_kwargs(target))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("CREATE TABLE catatan (id int)")
        admin.close()

        refused = restore(folder, target, tmp_path / "restored")
        assert refused.returncode == 1
        assert "pass --force" in refused.stderr
        assert query(target, "SELECT to_regclass('accounts_user') IS NULL") == [(True,)]

        forced = restore(folder, target, tmp_path / "restored", "--force")
        assert forced.returncode == 0, forced.stdout + forced.stderr


@pytest.mark.django_db(transaction=True)
def test_dump_without_a_suitable_pg_dump_exits_with_one_line(tmp_path):
    empty = tmp_path / "no-binaries"
    empty.mkdir()
    result = run_backup(
        "dump",
        "--out",
        str(tmp_path / "backups"),
        "--pg-bin",
        str(empty),
        db=source_db(),
        files=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("backup: no pg_dump of PostgreSQL ")
    assert list((tmp_path / "backups").iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_pg_dump_exits_with_its_error_line_and_leaves_no_folder(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 99.0"; exit 0; fi\n'
        'echo "pg_dump: error: could not write to file: No space left on device" >&2\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    out = tmp_path / "backups"
    result = run_backup(
        "dump", "--out", str(out), "--pg-bin", str(bin_dir), db=source_db(), files=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr == (
        "backup: pg_dump failed: pg_dump: error: could not write to file: No space left on device\n"
    )
    assert list(out.iterdir()) == []


# --- units -----------------------------------------------------------------------------------


def test_pg_dump_older_than_the_server_is_never_chosen():
    tools = [Tool(Path(f"/pg{major}/pg_dump"), f"{major}.1", major) for major in (15, 17, 16)]
    assert choose_tool(tools, 16).major == 16
    assert choose_tool(tools, 15).major == 15
    assert choose_tool(tools, 18) is None


def test_a_unix_socket_host_in_the_url_reaches_pg_dump():
    env = libpq_environment("postgres://postgres@/satupintu?host=/tmp/pg%20sock")
    assert env["PGHOST"] == "/tmp/pg sock"
    assert env["PGDATABASE"] == "satupintu"
    assert "PGPORT" not in env


def test_the_password_goes_in_the_environment_not_on_the_command_line():
    env = libpq_environment("postgres://app:r%40hasia@db.internal:6432/satupintu?sslmode=require")
    assert env["PGPASSWORD"] == "r@hasia"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"]) == ("db.internal", "6432", "app")
    assert env["PGSSLMODE"] == "require"


def test_every_declared_stored_file_column_exists():
    for ref in backup.STORED_FILE_REFERENCES:
        model = apps.get_model(ref.model)
        for field in (ref.name, ref.size, ref.sha256):
            model._meta.get_field(field)


def test_backups_folder_is_ignored_by_git():
    assert "backups/" in (BASE_DIR / ".gitignore").read_text().splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_restore_runs_the_restore_with_the_services_up():
    result = subprocess.run(
        ["make", "-n", "restore", "BACKUP=backups/20260101-000000", "FORCE=1"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert (
        "-m config.devstack exec -- .venv/bin/python -m config.backup restore "
        "backups/20260101-000000 --force"
    ) in result.stdout
