"""`manage.py load_demo`: load the Nanhai demo (villages/demo/) into the database."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from villages import demo


class Command(BaseCommand):
    help = (
        "载入南海区演示数据：区划、经济社、户、人员、成员、党员、干部任职和演示账号。 / "
        "Load the Nanhai demo: divisions, cooperatives, households, people, members, party members, "
        "cadres and the demo sign-ins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="已载入演示数据时什么也不做 / do nothing when the demo is loaded already",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"随机种子，同一种子生成相同数据 / random seed, same seed same data (default {demo.DEFAULT_SEED})",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="DEBUG 关闭时也载入 / load even with DEBUG off",
        )

    def handle(
        self, *args, if_empty: bool = False, seed: int = demo.DEFAULT_SEED, force: bool = False, **options
    ) -> None:
        # The demo writes invented people and sign-ins with a published password: never into a
        # production database by accident.
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG 已关闭：演示数据含虚构人员和公开密码的账号，不应写入生产库；确需载入请加 --force。 / "
                "DEBUG is off: the demo holds invented people and sign-ins with a published password "
                "and does not belong in a production database; add --force to load it anyway."
            )
        if demo.demo_is_loaded():
            if if_empty:
                self.stdout.write(
                    "南海区已有经济社，演示数据已载入，跳过。 / Nanhai already has cooperatives: "
                    "the demo is loaded, nothing to do."
                )
                return
            raise CommandError(
                "南海区已有经济社：演示数据已载入。请先清空数据库（或使用 --if-empty）。 / "
                "Nanhai already has cooperatives: the demo is loaded. Empty the database first "
                "(or pass --if-empty)."
            )
        self.stdout.write(f"正在载入南海区演示数据（种子 {seed}）… / Loading the Nanhai demo (seed {seed})…")
        summary = demo.load_demo(seed, progress=self.stdout.write)
        counts = summary.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已载入，用时 {summary.seconds:.1f} 秒 / demo loaded in {summary.seconds:.1f} s: "
                f"{counts['cooperatives']} 经济社 cooperatives, {counts['households']} 户 households, "
                f"{counts['people']} 人 people, {counts['memberships']} 成员 members, "
                f"{counts['party_memberships']} 党员 party members, {counts['positions']} 任职 positions, "
                f"{counts['filings']} 备案 filings."
            )
        )
        self.stdout.write("登录信息请运行 / sign-ins: manage.py demo_banner")
