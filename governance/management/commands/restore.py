"""manage.py restore <folder> [--replace]: load a backup and check it against its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.backups import BackupError, Manifest, restore


class Command(BaseCommand):
    help = "Restore a backup of manage.py backup into the configured database and private files folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument("--replace", action="store_true", help="drop what the database and the folder hold first")

    def handle(self, *args, folder, replace, **options):
        try:
            found = restore(Path(folder), replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if found:
            raise CommandError("restored, but it differs from the backup:\n" + "\n".join(found))
        manifest = Manifest.read(Path(folder))
        self.stdout.write(
            f"restored {folder}: {len(manifest.tables)} tables, {sum(manifest.tables.values())} rows, "
            f"{len(manifest.files)} files, all as backed up"
        )
