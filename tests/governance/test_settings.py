import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from governance.environment import env_bool, env_int, env_list


def test_a_boolean_setting_accepts_the_usual_words(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "Yes")
    assert env_bool("SOME_FLAG", False) is True
    monkeypatch.setenv("SOME_FLAG", "off")
    assert env_bool("SOME_FLAG", True) is False


def test_a_boolean_setting_with_a_bad_value_fails_loudly(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_an_integer_setting_with_a_bad_value_fails_loudly(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "five")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 5)


def test_an_unset_setting_takes_its_default(monkeypatch):
    monkeypatch.delenv("SOME_NUMBER", raising=False)
    assert env_int("SOME_NUMBER", 5) == 5
    assert env_list("SOME_LIST", ["a"]) == ["a"]


def test_a_list_setting_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SOME_LIST", "a.example, b.example,,")
    assert env_list("SOME_LIST", []) == ["a.example", "b.example"]


def test_the_database_is_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"


def test_the_production_configuration_passes_the_deployment_checks():
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEBUG"] = "false"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_an_unreadable_process_list_of_the_embedded_server_is_started_afresh(tmp_path):
    import threading

    from governance.embedded_db import _repair_handle_list

    class FakeServer:
        _lock = threading.Lock()

    (tmp_path / ".handle_pids.json").write_text("")  # as left by a process killed mid-write
    _repair_handle_list(FakeServer, tmp_path)
    assert (tmp_path / ".handle_pids.json").read_text() == "[]"

    (tmp_path / ".handle_pids.json").write_text("[123, 456]")
    _repair_handle_list(FakeServer, tmp_path)
    assert (tmp_path / ".handle_pids.json").read_text() == "[123, 456]"


def settings_in_a_fresh_process(expression: str, environment: dict) -> subprocess.CompletedProcess:
    """Print `expression`, evaluated on django.conf.settings, in a new process with this environment."""
    code = (
        "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'governance.settings'); django.setup(); "
        f"from django.conf import settings; print({expression})"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


CONNECTION_SETTINGS = (
    "settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['CONN_HEALTH_CHECKS']"
)


def test_database_connections_persist_with_health_checks_by_default():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_CONN_")}

    result = settings_in_a_fresh_process(CONNECTION_SETTINGS, environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "True"]


def test_persistent_connections_and_their_health_checks_can_be_turned_off():
    environment = {**os.environ, "DATABASE_CONN_MAX_AGE": "0", "DATABASE_CONN_HEALTH_CHECKS": "no"}

    result = settings_in_a_fresh_process(CONNECTION_SETTINGS, environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "False"]


def test_a_negative_connection_age_stops_the_process_naming_the_variable():
    result = settings_in_a_fresh_process("settings.DATABASES", {**os.environ, "DATABASE_CONN_MAX_AGE": "-5"})

    assert result.returncode != 0
    assert "DATABASE_CONN_MAX_AGE" in result.stderr


def test_a_task_of_a_dead_worker_is_queued_again_within_a_quarter_hour_and_never_while_it_runs():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}

    result = settings_in_a_fresh_process(
        "settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], settings.CELERY_TASK_TIME_LIMIT", environment
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["900", "600"]


def test_a_visibility_timeout_within_the_task_time_limit_stops_the_process_naming_both():
    environment = {**os.environ, "CELERY_VISIBILITY_TIMEOUT": "300", "CELERY_TASK_TIME_LIMIT": "600"}

    result = settings_in_a_fresh_process("settings.CELERY_TASK_TIME_LIMIT", environment)

    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT" in result.stderr and "CELERY_TASK_TIME_LIMIT" in result.stderr
