"""`manage.py demo_banner`: where the portal answers and how to sign in to the Nanhai demo."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from villages import demo


class Command(BaseCommand):
    help = "显示门户地址和演示账号 / Print the portal address and the demo sign-ins"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="runserver 端口 / port (default 8000)")

    def handle(self, *args, port: int = 8000, **options) -> None:
        self.stdout.write(banner(port, loaded=_demo_loaded()))


def _demo_loaded() -> bool | None:
    """Whether the demo is in the database; None when the database cannot be asked."""
    try:
        return demo.demo_is_loaded()
    except DatabaseError:
        return None


def _password_line() -> str:
    password = demo.demo_password()
    if password == demo.DEFAULT_DEMO_PASSWORD:
        return (
            f"密码 / password: {password}  （默认值；设置环境变量 DEMO_PASSWORD 可更改 / the default; "
            "set DEMO_PASSWORD to change it before loading）"
        )
    # Set by the operator: not echoed.
    return "密码 / password: 环境变量 DEMO_PASSWORD 的值 / the value of DEMO_PASSWORD (settings.DEMO_PASSWORD)"


def banner(port: int, *, loaded: bool | None = True) -> str:
    """The banner text, Chinese with English."""
    base = f"http://127.0.0.1:{port}/"
    rule = "=" * 78
    lines = [
        rule,
        "村级治理门户 · 南海区演示 / Village governance portal · Nanhai demo",
        rule,
        f"门户地址 / Portal:       {base}",
        f"管理后台 / Django admin: {base}admin/",
        f"接口文档 / API docs:     {base}api/v1/docs/",
        "",
        "演示账号 / Demo sign-ins",
        _password_line(),
        "",
    ]
    width = max(len(user.username) for user in demo.DEMO_USERS) + 2
    for user in demo.DEMO_USERS:
        lines.append(
            f"  {user.username:<{width}} {user.last_name}{user.first_name}  {user.title}"
            + (f"（角色 / role {user.role}）" if user.role else f"（部门 / department {user.department}）")
            + f" · {user.division_name} {user.division_code}"
        )
    last, first = demo.ADMIN_NAME
    lines.append(
        f"  {demo.ADMIN_USERNAME:<{width}} {last}{first}  超级用户 / superuser · 同一密码，用于管理后台 / "
        f"same password, for Django admin"
    )
    lines.append("")
    if loaded is False:
        lines.append("尚未载入演示数据：请先运行 / The demo is not loaded yet: run  manage.py load_demo")
    elif loaded is None:
        lines.append("无法连接数据库，未能确认演示数据 / Database unreachable: could not check the demo")
    lines.append(rule)
    return "\n".join(lines)
