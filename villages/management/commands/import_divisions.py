"""`manage.py import_divisions [PATH ...] [--within PREFIX]`: load NBS division codes.

PATH is a CSV file (gzip'd or plain) or a directory of them; by default the whole country as
shipped in villages/data/divisions/ (`NATIONAL_DIVISIONS_DIR`). Files are processed province →
city → district → town → village whatever the order given, all in one transaction: a bad file
stops the import with its name, line and reason, and nothing is written. See
villages/importing.py.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from villages.importing import (
    IMPORTED_LEVELS,
    NATIONAL_DIVISIONS_DIR,
    DivisionImportError,
    find_division_files,
    import_division_files,
)
from villages.models import Level


class Command(BaseCommand):
    help = (
        "导入国家统计局统计用区划代码（省、市、区县、镇街、村社区）；可重复运行 / "
        "Import NBS statistical division codes (province to village); safe to re-run"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            metavar="PATH",
            help=(
                "CSV 文件（可 gzip 压缩）或目录 / CSV files (gzip'd or plain) or directories "
                f"(default: {NATIONAL_DIVISIONS_DIR})"
            ),
        )
        parser.add_argument(
            "--within",
            metavar="PREFIX",
            help=(
                "只导入代码以此开头的区划及其上级，如 440605 / "
                "import only codes starting with PREFIX, and its ancestors"
            ),
        )

    def handle(self, *args, paths: list[Path], within: str | None = None, **options) -> None:
        files = _expand(paths or [NATIONAL_DIVISIONS_DIR])
        if not files:
            raise CommandError("没有找到 CSV 文件 / no CSV files found")
        try:
            result = import_division_files(files, within=within, progress=self.stdout.write)
        except DivisionImportError as error:
            raise CommandError(
                f"导入失败，未写入任何数据 / import failed, nothing was written: {error.message}"
            ) from error

        self.stdout.write(
            f"{'层级 level':<16}{'读取 read':>12}{'新增 inserted':>16}{'更新 updated':>15}{'未变 unchanged':>17}"
        )
        for level in IMPORTED_LEVELS:
            counts = result.by_level[level]
            if counts.read:
                label = f"{Level(level).label} {level}"
                self.stdout.write(
                    f"{label:<16}{counts.kept:>12}{counts.inserted:>16}{counts.updated:>15}{counts.unchanged:>17}"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"完成，用时 {result.seconds:.1f} 秒："
                f"新增 {result.inserted}，更新 {result.updated}，未变 {result.unchanged} / "
                f"done in {result.seconds:.1f} s: {result.inserted} inserted, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
        )


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given; directories replaced by the CSV files in them."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(find_division_files(path))
        elif path.exists():
            files.append(path)
        else:
            raise CommandError(f"{path}: 文件不存在 / no such file or directory")
    return files
