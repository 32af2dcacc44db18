"""Backups that restore (issue 19 point 4): the Nanhai demo with activity on top (a record changed,
a photo uploaded) is backed up with `manage.py backup`, restored with `manage.py restore` into a
fresh database and an empty private files folder, and everything is found there: every table's
rows, the audit trail's rows, the changed record as changed, the photo's bytes. A restore into a
database that is not empty is refused unless asked to replace it."""

import io
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from governance.backups import Manifest, table_rows
from grids.choices import EventState, PhotoStage
from grids.models import EventPhoto, GridEvent
from grids.services.events import add_photos

pytestmark = pytest.mark.django_db(transaction=True)

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x07" * 64


def url_of(database: dict, name: str) -> str:
    """A DATABASE_URL for database `name` on the test database's server (a socket folder as host too)."""
    host = quote(database["HOST"] or "127.0.0.1", safe="")
    port = f":{database['PORT']}" if database.get("PORT") else ""
    password = f":{quote(database['PASSWORD'])}" if database.get("PASSWORD") else ""
    return f"postgres://{database['USER']}{password}@{host}{port}/{name}"


def server_command(sql: str) -> None:
    database = settings.DATABASES["default"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"] or None,
        port=database["PORT"] or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


def manage(*arguments: str, database_url: str, private_media: Path) -> subprocess.CompletedProcess:
    environment = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": database_url,
        "PRIVATE_MEDIA_ROOT": str(private_media),
        "SECRET_KEY": "backup-test",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "localhost",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def fresh_database():
    name = f"restore_{uuid.uuid4().hex[:12]}"
    server_command(f'CREATE DATABASE "{name}"')
    yield name
    server_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def demo_with_activity(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    call_command("load_demo", force=True, stdout=io.StringIO())
    event = GridEvent.objects.filter(state=EventState.REPORTED).select_related("grid__worker").order_by("pk").first()
    official = event.grid.worker
    add_photos(event, acting_user=official, files=[ContentFile(JPEG_BYTES, name="现场.jpg")], stage=PhotoStage.REPORT)
    yield event
    connection.close()


def test_a_backup_of_the_demo_with_activity_restores_every_record_file_and_audit_row(
    demo_with_activity, fresh_database, tmp_path
):
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    folder = next((tmp_path / "backups").iterdir())
    backed_up = table_rows()
    photo = EventPhoto.objects.get(event=demo_with_activity)
    restored_files = tmp_path / "restored-media"

    result = manage(
        "restore",
        str(folder),
        database_url=url_of(settings.DATABASES["default"], fresh_database),
        private_media=restored_files,
    )

    assert result.returncode == 0, result.stderr
    assert "all as backed up" in result.stdout
    database = settings.DATABASES["default"]
    restored = psycopg2.connect(
        dbname=fresh_database,
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"] or None,
        port=database["PORT"] or None,
    )
    try:
        with restored.cursor() as cursor:
            for table, rows in backed_up.items():
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                assert cursor.fetchone()[0] == rows, table
            cursor.execute("SELECT file FROM grids_eventphoto WHERE id = %s", [photo.pk])
            (stored_name,) = cursor.fetchone()
    finally:
        restored.close()
    audit_tables = [table for table in backed_up if table.endswith("event") or "history" in table]
    assert sum(backed_up[table] for table in audit_tables) > 1000
    assert Manifest.read(folder).files[stored_name]
    assert (restored_files / stored_name).read_bytes() == JPEG_BYTES


def test_a_restore_into_a_database_that_is_not_empty_is_refused(django_user_model, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    django_user_model.objects.create_user("backed_up", password="x")
    call_command("backup", output=str(tmp_path / "backups"), stdout=io.StringIO())
    folder = next((tmp_path / "backups").iterdir())

    result = manage(
        "restore",
        str(folder),
        database_url=url_of(settings.DATABASES["default"], settings.DATABASES["default"]["NAME"]),
        private_media=tmp_path / "elsewhere",
    )

    assert result.returncode != 0
    assert "is not empty" in result.stderr
