"""The portal served as in production, for the scripts that measure it from outside
(bench/api_load, bench/soak, bench/faults): a database holding the Nanhai demo, gunicorn with
DEBUG off and persistent connections, the demo users' API tokens and browser sessions.

The scripts import this module by path (bench/ is not a package); gunicorn runs with bench/ on
its Python path so that `floor_settings` (the portal plus the bare floor views of floor_urls.py)
can be served beside the portal's own URLs in the same processes.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse, urlunparse

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "bench"
PYTHON = sys.executable

# What production sets (README, "Production deployment"), with plain HTTP on loopback: the TLS
# proxy is not part of what is measured.
PRODUCTION_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-" + "k" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "BEHIND_TLS_PROXY": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
}
# The demo's places the load scripts ask about.
DISTRICT = "440605"  # 南海区
TOWN = "440605124"  # 狮山镇, where the demo's town official, clerks and grid worker work
VILLAGE = "440605124201"  # 唐边村委会
# The portal's day is its local day (governance/clock.py, settings.TIME_ZONE), not the machine's:
# a visit "yesterday" in UTC can be two days back in Shanghai, or today.
PORTAL_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")

DEMO_USERS = (
    "district_admin",
    "town_official",
    "other_town_official",
    "village_clerk",
    "coop_clerk",
    "grid_worker",
    "inspector",
    "report_reader",
)


def portal_today() -> datetime.date:
    """Today as the portal counts days (governance.clock.today, without Django)."""
    return datetime.datetime.now(PORTAL_TIME_ZONE).date()


def default_database_url(name: str) -> str:
    """A database of its own on the server the project uses: DATABASE_URL's, else the embedded one."""
    project_url = os.environ.get("DATABASE_URL")
    if project_url:
        return urlunparse(urlparse(project_url)._replace(path=f"/{name}"))
    sys.path.insert(0, str(PROJECT_DIR))
    from governance.embedded_db import embedded_database_settings

    server = embedded_database_settings(PROJECT_DIR / ".pgdata")
    host = quote(server["HOST"], safe="")
    port = f":{server['PORT']}" if server["PORT"] else ""
    return f"postgres://{server['USER']}@{host}{port}/{name}"


def manage(database_url: str, *arguments: str, quiet: bool = True) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def database_holds_demo(database_url: str) -> bool:
    import psycopg2

    try:
        connection = psycopg2.connect(database_url)
    except psycopg2.OperationalError:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('auth_user') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT count(*) FROM auth_user WHERE username = 'town_official'")
            return cursor.fetchone()[0] == 1
    finally:
        connection.close()


def recreate_database(database_url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(database_url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"the benchmark needs a database of its own, not {name!r}")
    admin = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def prepare_demo(database_url: str, *, reuse: bool) -> None:
    """The Nanhai demo in the database (recreated unless `reuse` and it holds the demo already),
    and the static files collected: DEBUG off serves them through WhiteNoise's manifest."""
    if reuse and database_holds_demo(database_url):
        print("演示数据已在库中 / the demo is in the database already (reused)")
        manage(database_url, "migrate", "--no-input")
    else:
        recreate_database(database_url)
        started = time.monotonic()
        manage(database_url, "migrate", "--no-input")
        manage(database_url, "load_demo")
        print(f"演示数据已载入 / demo loaded in {time.monotonic() - started:.0f} s")
    collect_static(database_url)


def collect_static(database_url: str) -> None:
    """The static files collected: DEBUG off serves them through WhiteNoise's manifest."""
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input"],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": database_url, **PRODUCTION_ENVIRONMENT},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url_if_answering(default: str = "redis://127.0.0.1:6379/14") -> str | None:
    """REDIS_URL, or the machine's Redis on its default port when it answers: production shares
    the throttles' counts and queues work through it."""
    url = os.environ.get("REDIS_URL", default)
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            return url
    except OSError:
        return None


@dataclass
class Portal:
    """gunicorn serving the portal (and the floor views) on a port of its own."""

    database_url: str
    workers: int = 2
    threads: int = 4
    redis_url: str | None = None
    extra_environment: dict = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict:
        environment = {
            **os.environ,
            **PRODUCTION_ENVIRONMENT,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "floor_settings",
            **self.extra_environment,
        }
        environment.pop("REDIS_URL", None)
        if self.redis_url:
            environment["REDIS_URL"] = self.redis_url
        return environment

    def start(self) -> Portal:
        self.log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-gunicorn-{self.port}.log"
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "governance.wsgi:application",
                "--pythonpath",
                str(BENCH_DIR),
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--graceful-timeout",
                "5",
            ],
            cwd=PROJECT_DIR,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_serving()
        return self

    def wait_until_serving(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log_path.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(self.url + "/bench-floor/ping/", timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer in time")

    def worker_pids(self) -> list[int]:
        """The web workers (children of gunicorn's arbiter)."""
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def server_errors_logged(self) -> list[str]:
        """Lines of gunicorn's log that tell of a trace (an unhandled exception)."""
        text = self.log_path.read_text() if self.log_path and self.log_path.exists() else ""
        return [line for line in text.splitlines() if "Traceback" in line or "Internal Server Error" in line]


def run_in_django(code: str, database_url: str, *, what: str, stdin: str | None = None):
    """Run `code` in a Python process with the portal's production settings on `database_url`
    and return the JSON its last printed line holds; a failure raises with the process's errors."""
    answer = subprocess.run(
        [PYTHON, "-c", code],
        cwd=PROJECT_DIR,
        env={
            **os.environ,
            **PRODUCTION_ENVIRONMENT,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "governance.settings",
        },
        input=stdin,
        capture_output=True,
        text=True,
    )
    if answer.returncode:
        raise RuntimeError(f"{what}: {answer.stderr[-3000:]}")
    return json.loads(answer.stdout.strip().splitlines()[-1])


@dataclass
class Credentials:
    tokens: dict[str, str]
    session_cookies: dict[str, str]
    csrf_tokens: dict[str, str]


def demo_credentials(database_url: str) -> Credentials:
    """API tokens and signed-in browser sessions of the demo users, made in the database directly
    (signing in through the form is not what is measured, and it is throttled)."""
    code = r"""
import json, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string
from rest_framework.authtoken.models import Token
tokens, sessions, csrf = {}, {}, {}
for user in get_user_model().objects.filter(username__in=%r):
    tokens[user.username] = Token.objects.get_or_create(user=user)[0].key
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "governance.access.backends.PortalModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions[user.username] = session.session_key
    csrf[user.username] = _get_new_csrf_string()
print(json.dumps([tokens, sessions, csrf]))
""" % (DEMO_USERS,)
    tokens, sessions, csrf = run_in_django(code, database_url, what="the demo users' credentials")
    return Credentials(tokens, sessions, csrf)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def headers_for(role: str, credentials: Credentials, page: bool) -> dict[str, str]:
    """A page is asked with the role's browser session, the API with its token."""
    if page:
        return {"Cookie": f"sessionid={credentials.session_cookies[role]}", "Accept-Language": "zh-hans"}
    return {"Authorization": f"Token {credentials.tokens[role]}", "Accept-Language": "zh-hans"}


def api_json(portal: Portal, token: str, path: str):
    request = urllib.request.Request(portal.url + path, headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


@dataclass(frozen=True)
class DemoRecords:
    """Records of the demo the load scripts ask for and write about, found through the API as the
    roles who use them (ids differ between loads of the demo)."""

    person: int  # a person of VILLAGE
    event: int  # a grid event of TOWN
    grid: int  # a grid of VILLAGE
    category: str  # an event category's code
    cadre: int  # a visiting cadre the town official views


def demo_records(portal: Portal, tokens: dict[str, str]) -> DemoRecords:
    def first(role: str, path: str, key: str = "id"):
        return api_json(portal, tokens[role], path)["results"][0][key]

    return DemoRecords(
        person=first("village_clerk", f"/api/v1/people/?division={VILLAGE}"),
        event=first("town_official", f"/api/v1/grid-events/?division={TOWN}"),
        grid=first("grid_worker", f"/api/v1/grids/?division={VILLAGE}"),
        category=first("grid_worker", "/api/v1/grid-event-categories/", "code"),
        cadre=first("town_official", "/api/v1/visiting-cadres/"),
    )
