"""Every test has a time limit (pytest-timeout, pyproject.toml): a test that loops for ever fails,
naming itself, instead of hanging the run until CI gives up on it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

LOOPING_TEST = textwrap.dedent(
    """
    def test_that_never_ends():
        while True:
            pass


    def test_that_runs_after_it():
        assert True
    """
)


def test_the_suite_gives_every_test_a_time_limit(pytestconfig):
    assert pytestconfig.pluginmanager.hasplugin("timeout")
    assert 0 < float(pytestconfig.getini("timeout")) <= 300
    assert pytestconfig.getini("timeout_method") == "signal"


def test_a_test_that_loops_fails_with_its_name_and_the_run_goes_on(tmp_path):
    (tmp_path / "test_loop.py").write_text(LOOPING_TEST)
    # The same plugin and method as the suite's, with a limit short enough for a test.
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-o",
            "timeout=1",
            "-o",
            "timeout_method=signal",
            "-q",
            str(tmp_path / "test_loop.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 1, finished.stdout
    assert "Timeout" in finished.stdout
    assert "FAILED test_loop.py::test_that_never_ends" in finished.stdout
    assert "1 failed, 1 passed" in finished.stdout
