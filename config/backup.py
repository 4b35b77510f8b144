"""Backups and restore, behind ``make backup`` and ``make restore BACKUP=DIR``.

    python -m config.backup dump [--out DIR] [--pg-bin DIR]
    python -m config.backup restore DIR [--database-url URL] [--force] [--pg-bin DIR]

A backup is one folder ``backups/<YYYYmmdd-HHMMSS>/``:

    database.dump         pg_dump --format=custom of DATABASE_URL
    private.tar.gz        the private files (citizens' documents, issued permits, attachments)
    media.tar.gz          the public media (MEDIA_ROOT)
    MANIFEST.json         SHA-256 and size of each file above, the row count of every table of
                          the project's apps, the latest applied migration per app, versions, time
    MANIFEST.json.sha256  the manifest's own SHA-256 (``sha256sum -c`` works on it)

The row counts and the dump read one snapshot (``pg_export_snapshot``), so they agree even while
the site is in use. The folder is written under a hidden temporary name and renamed when
complete: a backup folder with a manifest is always whole. It holds personal data (mode 0700).

Restore refuses a backup whose files do not match the manifest before touching anything, then
runs ``pg_restore --clean --if-exists --no-owner --single-transaction`` (all or nothing), unpacks
the files into the configured storages, and checks that the row counts equal the manifest's
and that every stored file the database refers to is there with the right size and SHA-256.
It exits non-zero on any difference.

pg_dump and pg_restore must be at least the server's major version: they are looked up in
``--pg-bin``, else in the ``pgserver`` wheel (the embedded development server), in
``/usr/lib/postgresql/*/bin`` and on PATH, and the lowest fitting major version is used.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_OUT = BASE_DIR / "backups"
FORMAT = 1
DUMP_NAME = "database.dump"
MANIFEST_NAME = "MANIFEST.json"
MANIFEST_SUM_NAME = "MANIFEST.json.sha256"
TREES = ("private", "media")
MAX_LISTED_PROBLEMS = 50

# Connection variables of the caller's environment that must not leak into pg_dump/pg_restore:
# the target is DATABASE_URL, nothing else.
CONNECTION_VARS = (
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGPASSWORD",
    "PGSERVICE",
    "PGOPTIONS",
)
# Django ``OPTIONS`` keys that libpq also reads from the environment.
LIBPQ_OPTION_VARS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "application_name": "PGAPPNAME",
}
VERSION_RE = re.compile(r"\(PostgreSQL\)\s+(\d+)")
TABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


class BackupError(Exception):
    """A failure the operator reads as one line; the command exits non-zero."""


@dataclass(frozen=True)
class StoredFileReference:
    """A stored file named in a column of a model, with its size and SHA-256 beside it.

    The project stores citizens' files under generated names in plain columns (not FileFields)
    so that the size and digest sit next to the name; FileFields are found by themselves.
    """

    model: str
    name: str
    size: str
    sha256: str
    storage: str = "private"


STORED_FILE_REFERENCES = (
    StoredFileReference("perizinan.Dokumen", "stored_name", "size", "sha256"),
    StoredFileReference("perizinan.Izin", "file_name", "file_size", "sha256"),
    StoredFileReference(
        "akuntabilitas.Pengaduan", "attachment_name", "attachment_size", "attachment_sha256"
    ),
)


def say(message: str) -> None:
    print(f"[backup] {message}", flush=True)


# --- Connection and binaries -----------------------------------------------------------------


def libpq_environment(database_url: str) -> dict[str, str]:
    """The environment for pg_dump/pg_restore to reach ``database_url`` (password not in argv)."""
    import environ

    cfg = environ.Env.db_url_config(database_url)
    options = dict(cfg.get("OPTIONS") or {})
    # A unix-socket directory comes as ?host=/path (OPTIONS) or as a %2F-quoted host.
    host = options.pop("host", None) or unquote(str(cfg.get("HOST") or ""))
    values = {
        "PGDATABASE": cfg.get("NAME"),
        "PGUSER": cfg.get("USER"),
        "PGPASSWORD": cfg.get("PASSWORD"),
        "PGHOST": host,
        "PGPORT": cfg.get("PORT"),
    }
    for key, var in LIBPQ_OPTION_VARS.items():
        if key in options:
            values[var] = options[key]
    env = {k: v for k, v in os.environ.items() if k not in CONNECTION_VARS}
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return env


@dataclass(frozen=True)
class Tool:
    path: Path
    version: str
    major: int


def candidate_paths(name: str, pg_bin: Path | None = None) -> list[Path]:
    """Where to look for ``name``: only ``pg_bin`` when given, else the usual places."""
    if pg_bin is not None:
        return [Path(pg_bin) / name]
    paths = []
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.origin:
        paths.append(Path(spec.origin).parent / "pginstall" / "bin" / name)
    paths.extend(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}")))
    on_path = shutil.which(name)
    if on_path:
        paths.append(Path(on_path))
    unique, seen = [], set()
    for path in paths:
        key = path.resolve() if path.exists() else path
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def probe(path: Path) -> Tool | None:
    """The version of one binary, or None when it is not there or does not run."""
    if not (path.is_file() and os.access(path, os.X_OK)):
        return None
    try:
        result = subprocess.run(  # noqa: S603 - a PostgreSQL client binary, fixed argument
            [str(path), "--version"], capture_output=True, text=True, timeout=15, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = VERSION_RE.search(result.stdout)
    if result.returncode != 0 or not match:
        return None
    return Tool(path=path, version=result.stdout.strip(), major=int(match.group(1)))


def choose_tool(tools: list[Tool], required_major: int) -> Tool | None:
    """The lowest major version that is at least ``required_major`` (first found on a tie)."""
    fitting = [tool for tool in tools if tool.major >= required_major]
    return min(fitting, key=lambda tool: tool.major) if fitting else None


def find_tool(name: str, required_major: int, pg_bin: Path | None = None) -> Tool:
    tools = [tool for path in candidate_paths(name, pg_bin) if (tool := probe(path))]
    chosen = choose_tool(tools, required_major)
    if chosen is None:
        found = ", ".join(f"{tool.major} at {tool.path}" for tool in tools) or "none"
        raise BackupError(
            f"no {name} of PostgreSQL {required_major} or newer (found: {found}); install the "
            f"PostgreSQL {required_major} client tools or pass --pg-bin DIR"
        )
    return chosen


def run_tool(tool: Tool, args: list[str], database_url: str) -> None:
    result = subprocess.run(  # noqa: S603 - a PostgreSQL client binary, our own arguments
        [str(tool.path), *args],
        env=libpq_environment(database_url),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error" in line.lower()] or lines
        detail = errors[0] if errors else f"exit status {result.returncode}"
        raise BackupError(f"{tool.path.name} failed: {detail}")


# --- Django --------------------------------------------------------------------------------


def setup_django(database_url: str | None = None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def project_models() -> Iterator:
    """Every concrete model (M2M tables included) of the apps whose code is in this repo."""
    from django.apps import apps

    venv = BASE_DIR / ".venv"
    for app_config in apps.get_app_configs():
        path = Path(app_config.path).resolve()
        if not path.is_relative_to(BASE_DIR) or path.is_relative_to(venv):
            continue
        for model in app_config.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            yield model


def count_table(cursor, table: str) -> int:
    if not TABLE_RE.match(table):
        raise BackupError(f"unexpected table name {table!r}")
    from psycopg2 import sql

    cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
    return cursor.fetchone()[0]


def row_counts(cursor) -> dict[str, dict]:
    from django.db import connection

    existing = set(connection.introspection.table_names(cursor))
    counts = {}
    for model in project_models():
        table = model._meta.db_table
        if table in existing:
            counts[model._meta.label] = {"table": table, "rows": count_table(cursor, table)}
    return dict(sorted(counts.items()))


def migration_state(cursor) -> dict[str, str]:
    """The latest applied migration per app (nothing for a database Django never migrated)."""
    cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return {}
    cursor.execute(
        "SELECT DISTINCT ON (app) app, name FROM django_migrations "
        "ORDER BY app, applied DESC, id DESC"
    )
    return dict(cursor.fetchall())


def storage_locations() -> dict[str, Path]:
    from django.conf import settings

    return {
        "private": Path(settings.STORAGES["private"]["OPTIONS"]["location"]),
        "media": Path(settings.MEDIA_ROOT),
    }


# --- Files ---------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive_tree(root: Path, target: Path) -> dict:
    """Pack the regular files under ``root`` (symlinks skipped) into ``target`` (tar.gz)."""
    inventory = {}
    with tarfile.open(target, "w:gz") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_symlink() or not path.is_file():
                    continue
                name = path.relative_to(root).as_posix()
                info = tar.gettarinfo(str(path), arcname=name)
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
                inventory[name] = info.size
    return {"archive": target.name, "source": str(root), "files": inventory}


def unpack_tree(archive: Path, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        # The "data" filter refuses absolute paths, ".." and links that leave ``root``.
        tar.extractall(root, filter="data")


# --- dump ----------------------------------------------------------------------------------


def dump(out: Path = DEFAULT_OUT, pg_bin: Path | None = None) -> Path:
    """Write one complete backup folder under ``out`` and return it."""
    started = time.monotonic()
    setup_django()
    import django
    from django.db import connection, transaction
    from django.utils import timezone

    database_url = os.environ["DATABASE_URL"]
    now = timezone.localtime()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    final = out / stamp
    if final.exists():
        raise BackupError(f"{final} already exists; wait a second and run again")
    work = Path(tempfile.mkdtemp(prefix=f".{stamp}-", dir=out))  # mode 0700
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(
                "SELECT pg_export_snapshot(), current_setting('server_version'), "
                "current_setting('server_version_num')::int, current_database()"
            )
            snapshot, server_version, version_num, database = cursor.fetchone()
            tool = find_tool("pg_dump", version_num // 10000, pg_bin)
            say(f"dumping {database} (PostgreSQL {server_version}) with {tool.path}")
            counts = row_counts(cursor)
            migrations = migration_state(cursor)
            run_tool(
                tool,
                [
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={work / DUMP_NAME}",
                ],
                database_url,
            )
        # Files after the snapshot: a file referenced then is still there (or deleted since).
        trees = {}
        for tree, root in storage_locations().items():
            trees[tree] = archive_tree(root, work / f"{tree}.tar.gz")
            say(f"{tree}: {len(trees[tree]['files'])} files from {root}")
        files = {}
        for path in sorted(work.iterdir()):
            path.chmod(0o600)
            files[path.name] = {"sha256": sha256_of(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(timespec="seconds"),
            "database": {
                "name": database,
                "server_version": server_version,
                "server_version_num": version_num,
            },
            "pg_dump": {"path": str(tool.path), "version": tool.version, "major": tool.major},
            "versions": {
                "django": django.get_version(),
                "postgresql": server_version,
                "python": platform.python_version(),
            },
            "files": files,
            "trees": trees,
            "row_counts": counts,
            "migrations": migrations,
        }
        raw = json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n"
        (work / MANIFEST_NAME).write_bytes(raw)
        (work / MANIFEST_SUM_NAME).write_text(
            f"{hashlib.sha256(raw).hexdigest()}  {MANIFEST_NAME}\n"
        )
        for name in (MANIFEST_NAME, MANIFEST_SUM_NAME):
            (work / name).chmod(0o600)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    rows = sum(entry["rows"] for entry in counts.values())
    say(
        f"backup written to {final} ({len(counts)} tables, {rows} rows) "
        f"in {time.monotonic() - started:.1f} s"
    )
    return final


# --- restore -------------------------------------------------------------------------------


def load_verified_manifest(folder: Path) -> dict:
    """The manifest, once every file of the backup matches it; refuse otherwise."""
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(f"refused: {folder} has no {MANIFEST_NAME}; it is not a backup folder")
    raw = manifest_path.read_bytes()
    sum_path = folder / MANIFEST_SUM_NAME
    recorded = sum_path.read_text().split()[:1] if sum_path.is_file() else []
    if recorded != [hashlib.sha256(raw).hexdigest()]:
        raise BackupError(
            f"refused: {MANIFEST_NAME} does not match {MANIFEST_SUM_NAME} (changed or damaged)"
        )
    try:
        manifest = json.loads(raw)
        files = manifest["files"]
        archives = {manifest["trees"][tree]["archive"] for tree in TREES}
        for key in ("row_counts", "migrations", "database"):
            if not isinstance(manifest[key], dict):
                raise TypeError(f"{key} is not an object")
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"refused: {MANIFEST_NAME} is not a valid manifest ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"refused: manifest format {manifest.get('format')!r}, need {FORMAT}")
    unlisted = sorted({DUMP_NAME, *archives} - set(files))
    if unlisted:
        raise BackupError(f"refused: {unlisted[0]} is not listed in the manifest")
    for name, entry in sorted(files.items()):
        path = folder / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise BackupError(f"refused: {name} is listed in the manifest but missing")
        if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            raise BackupError(
                f"refused: {name} does not match its SHA-256 in the manifest (changed or damaged)"
            )
    return manifest


def file_problem(storage, name: str, size: int | None, digest: str | None) -> str | None:
    if not storage.exists(name):
        return "missing"
    actual = storage.size(name)
    if size is not None and actual != size:
        return f"size {actual}, expected {size}"
    if digest:
        with storage.open(name, "rb") as handle:
            if hashlib.file_digest(handle, "sha256").hexdigest() != digest:
                return "SHA-256 differs"
    return None


def file_references(manifest: dict) -> Iterator[tuple]:
    """(model label, tree, storage, read) for every column that names a stored file, in the
    tables the backup holds; ``read()`` returns rows of (pk, name, size or None, sha256 or "").
    """
    from django.apps import apps
    from django.core.files.storage import storages
    from django.db import models

    backed_up = set(manifest["row_counts"])
    for ref in STORED_FILE_REFERENCES:
        if ref.model in backed_up:
            rows = (
                apps.get_model(ref.model)
                ._base_manager.exclude(**{ref.name: ""})
                .values_list("pk", ref.name, ref.size, ref.sha256)
            )
            yield ref.model, ref.storage, storages[ref.storage], (lambda qs=rows: list(qs))
    trees = {str(root.resolve()): tree for tree, root in storage_locations().items()}
    for model in project_models():
        if model._meta.label not in backed_up:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                location = getattr(field.storage, "location", None)
                tree = trees.get(str(Path(location).resolve())) if location else None
                names = (
                    model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                    .exclude(**{field.attname: ""})
                    .values_list("pk", field.attname)
                )
                yield (
                    model._meta.label,
                    tree,
                    field.storage,
                    lambda qs=names: [(pk, name, None, "") for pk, name in qs],
                )


def stored_file_problems(manifest: dict) -> tuple[int, list[str]]:
    """Check every stored file the database refers to; return (files checked, problems).

    A FileField has no size column: its size is the one recorded in the manifest's inventory.
    """
    from django.db import DatabaseError

    checked, problems = 0, []
    for label, tree, storage, read in file_references(manifest):
        inventory = manifest["trees"][tree]["files"] if tree in TREES else {}
        try:
            found = read()
        except DatabaseError as exc:
            problems.append(f"cannot read {label}: {str(exc).strip().splitlines()[0]}")
            continue
        for pk, name, size, digest in found:
            checked += 1
            if size is None and tree in TREES and name not in inventory:
                problem = "not in the backup"
            else:
                expected = size if size is not None else inventory.get(name)
                problem = file_problem(storage, name, expected, digest)
            if problem:
                problems.append(f"file {tree or '?'}/{name} ({label} #{pk}): {problem}")
    return checked, problems


def restore(
    folder: Path,
    database_url: str | None = None,
    force: bool = False,
    pg_bin: Path | None = None,
) -> int:
    started = time.monotonic()
    manifest = load_verified_manifest(folder)
    say(f"checksums: the {len(manifest['files'])} files of {folder} match the manifest")
    setup_django(database_url)
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    database_url = os.environ["DATABASE_URL"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version_num')::int, current_setting('server_version'),"
            " current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
            "('pg_catalog', 'information_schema'))"
        )
        version_num, server_version, database, tables = cursor.fetchone()
    if tables and not force:
        raise BackupError(
            f"refused: the database {database} already has {tables} tables, which the restore "
            "would replace; pass --force (make restore ... FORCE=1) to go ahead"
        )
    source = manifest["database"]
    if version_num // 10000 < source["server_version_num"] // 10000:
        say(
            f"warning: restoring a PostgreSQL {source['server_version']} dump into the older "
            f"{server_version}; this may fail"
        )
    required = max(version_num // 10000, int(manifest.get("pg_dump", {}).get("major", 0)))
    tool = find_tool("pg_restore", required, pg_bin)
    connection.close()
    say(f"restoring into {database} (PostgreSQL {server_version}) with {tool.path}")
    run_tool(
        tool,
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--no-password",
            f"--dbname={database}",
            str(folder / DUMP_NAME),
        ],
        database_url,
    )
    for tree, root in storage_locations().items():
        unpack_tree(folder / manifest["trees"][tree]["archive"], root)
        say(f"{tree}: {len(manifest['trees'][tree]['files'])} files unpacked into {root}")

    problems = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for label, entry in manifest["row_counts"].items():
            if entry["table"] not in existing:
                problems.append(f"rows {label}: table {entry['table']} is missing")
                continue
            restored = count_table(cursor, entry["table"])
            if restored != entry["rows"]:
                problems.append(f"rows {label}: {restored}, the manifest says {entry['rows']}")
        state = migration_state(cursor)
    for app in sorted(set(state) | set(manifest["migrations"])):
        if state.get(app) != manifest["migrations"].get(app):
            problems.append(
                f"migrations {app}: {state.get(app)}, the manifest says "
                f"{manifest['migrations'].get(app)}"
            )
    checked, file_problems = stored_file_problems(manifest)
    problems.extend(file_problems)

    rows = sum(entry["rows"] for entry in manifest["row_counts"].values())
    say(f"row counts: {len(manifest['row_counts'])} tables, {rows} rows in the manifest")
    say(f"stored files: {checked} referenced by the database")
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        say(f"note: this code has {len(pending)} migrations the backup has not; run migrate")
    if problems:
        for problem in problems[:MAX_LISTED_PROBLEMS]:
            say(f"MISMATCH {problem}")
        if len(problems) > MAX_LISTED_PROBLEMS:
            say(f"... and {len(problems) - MAX_LISTED_PROBLEMS} more")
        say(f"result: FAILED, {len(problems)} differences from the manifest")
        return 1
    say(
        f"result: OK, {folder.name} restored into {database} in "
        f"{time.monotonic() - started:.1f} s; counts and files match"
    )
    return 0


# --- command line --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m config.backup", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="action", required=True)
    dump_parser = sub.add_parser("dump", help="write a backup folder")
    dump_parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="parent folder")
    restore_parser = sub.add_parser("restore", help="restore a backup folder and verify it")
    restore_parser.add_argument("folder", type=Path)
    restore_parser.add_argument("--database-url", help="target database (default DATABASE_URL)")
    restore_parser.add_argument(
        "--force", action="store_true", help="replace the contents of a database with tables"
    )
    for each in (dump_parser, restore_parser):
        each.add_argument("--pg-bin", type=Path, help="folder of pg_dump/pg_restore to use")
    options = parser.parse_args(argv)
    from django.db import Error as DatabaseError

    try:
        if options.action == "dump":
            dump(options.out, options.pg_bin)
            return 0
        return restore(options.folder, options.database_url, options.force, options.pg_bin)
    except BackupError as exc:
        print(f"backup: {exc}", file=sys.stderr)
        return 1
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"backup: database error: {first}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
