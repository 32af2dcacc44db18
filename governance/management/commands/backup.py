"""manage.py backup [--output backups]: the database and the private files (governance/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.backups import BackupError, back_up


class Command(BaseCommand):
    help = "Back up the database (pg_dump, custom format) and the private files, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="the folder the backup's folder is made in")

    def handle(self, *args, output, **options):
        try:
            folder, manifest = back_up(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest.tables.values())
        self.stdout.write(f"{folder}: {len(manifest.tables)} tables, {rows} rows, {len(manifest.files)} files")
