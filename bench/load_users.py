"""Simulated users of every demo role, and what bench/soak and bench/faults check afterwards.

- `demo_workload(portal, credentials)`: what each role reads (API lists, details, reports and pages it
  may see) and writes (grid events, visits, contact days, a grid event's assessment), with the ids
  read from the demo through the API as the same roles.
- `Load`: SOAK_USERS-like threads, each a role with its own `requests.Session`, asking again
  after a think time drawn from a seeded generator; every answer recorded (`Outcome`), every
  acknowledged write (2xx with its id) kept for the check.
- `missing_writes(database_url, writes)`: the acknowledged writes whose row or whose audit row
  (the pghistory insert event of that record) is not in the database.
- `ThrowawayPostgres` and `ThrowawayRedis`: servers of the script's own, which it may stop and
  kill (the machine's own are shared and are never touched).

bench/ is not a package: the scripts put bench/ on sys.path and import this module by name.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import requests
from serving import (
    DISTRICT,
    TOWN,
    VILLAGE,
    Credentials,
    Portal,
    api_json,
    demo_records,
    free_port,
    headers_for,
    portal_today,
    run_in_django,
)

REQUEST_TIMEOUT_SECONDS = 30
POSTGRES_BIN = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
SERVER_USER = "postgres"  # who runs the throwaway cluster when the script runs as root


@dataclass
class Action:
    """One kind of request a role makes. A write names the model its answer's `id` is a row of."""

    kind: str
    method: str
    path: str | Callable[[], str | None]  # a callable: a path made at the time (None: nothing to do now)
    body: Callable[[], dict] | None = None
    page: bool = False  # a browser page: the role's session cookie instead of its token
    writes: str | None = None  # "app_label.Model" of the row a 2xx answer's id names
    audit_label: str = "insert"  # the pghistory event the write leaves on that row
    weight: float = 1.0
    then: Callable[[dict], None] | None = None  # told the answer's JSON of an acknowledged write


@dataclass
class Outcome:
    at: float  # time.monotonic() when the request was sent
    role: str
    kind: str
    status: int | None  # None: no HTTP answer (connection refused or reset, timeout)
    error: str
    seconds: float
    content_type: str = ""
    body: str = ""  # the start of a 4xx's or 5xx's body, to see what the client was told
    retry_after: str = ""
    page: bool = False


@dataclass
class Write:
    model: str
    id: int
    kind: str
    audit_label: str = "insert"


@dataclass
class Workload:
    reads: dict[str, list[Action]]
    writes: dict[str, list[Action]]
    ids: dict = field(default_factory=dict)  # what was read from the demo (scheme, grid, …)


def every_result(portal: Portal, token: str, path: str) -> list[dict]:
    """Every page of a list (a reused demo holds the contact days of earlier runs: thousands)."""
    results = []
    url = f"{portal.url}{path}{'&' if '?' in path else '?'}page_size=1000"
    while url:
        answer = requests.get(url, headers={"Authorization": f"Token {token}"}, timeout=30)
        answer.raise_for_status()
        page = answer.json()
        results += page["results"]
        url = page.get("next")
    return results


def demo_workload(portal: Portal, credentials: Credentials) -> Workload:
    """Each role's reads and writes (roles without writes only read). Reads are those of
    bench/api_load with /me/, reports and pages for every role; writes are the daily work of the
    grid worker (report an event), the town official (record a visit, assess an event the grid
    worker reported in this run) and the village clerk (record a contact day)."""
    tokens = credentials.tokens
    year = portal_today().year
    demo = demo_records(portal, tokens)
    person, event, grid, category, cadre = demo.person, demo.event, demo.grid, demo.category, demo.cadre
    schemes = api_json(portal, tokens["town_official"], f"/api/v1/schemes/?division={TOWN}")["results"]
    days_taken = {
        day["held_on"]
        for day in every_result(portal, tokens["village_clerk"], f"/api/v1/contact-days/?division={VILLAGE}")
    }
    yesterday = (portal_today() - datetime.timedelta(days=1)).isoformat()

    # A contact day per village and date: each write takes the next free date back from yesterday.
    free_days = (
        day.isoformat()
        for day in (portal_today() - datetime.timedelta(days=n) for n in itertools.count(1))
        if day.isoformat() not in days_taken
    )
    free_days_lock = threading.Lock()

    def contact_day() -> dict:
        with free_days_lock:
            held_on = next(free_days)
        return {"division": VILLAGE, "held_on": held_on, "attendees": 12, "matters_raised": "压测直联日"}

    # Events the grid worker reported in this run, for the town official to assess (each once).
    reported_events: list[int] = []
    reported_lock = threading.Lock()

    def remember_event(answer: dict) -> None:
        with reported_lock:
            reported_events.append(answer["id"])

    def next_event_to_assess() -> str | None:
        with reported_lock:
            return f"/api/v1/grid-events/{reported_events.pop(0)}/assess/" if reported_events else None

    def api(kind: str, path: str, weight: float = 1.0) -> Action:
        return Action(kind, "GET", path, weight=weight)

    def page(kind: str, path: str) -> Action:
        return Action(kind, "GET", path, page=True, weight=0.5)

    reads = {
        "district_admin": [
            api("me/", "/api/v1/me/"),
            api("divisions/?parent=", f"/api/v1/divisions/?parent={DISTRICT}"),
            api("grid-events/?division=", f"/api/v1/grid-events/?division={DISTRICT}"),
            api("reports/visit-coverage/", f"/api/v1/reports/visit-coverage/?division={DISTRICT}&period={year}"),
            page("page: home", "/"),
            page("page: reports", "/reports/"),
        ],
        "town_official": [
            api("me/", "/api/v1/me/"),
            api("divisions/<code>/", f"/api/v1/divisions/{VILLAGE}/"),
            api("divisions/?parent=", f"/api/v1/divisions/?parent={TOWN}"),
            api("positions/", f"/api/v1/positions/?division={TOWN}"),
            api("grid-events/<id>/", f"/api/v1/grid-events/{event}/"),
            api("grid-events/?division=", f"/api/v1/grid-events/?division={TOWN}"),
            api("visits/", f"/api/v1/visits/?division={TOWN}"),
            api("schemes/", f"/api/v1/schemes/?division={TOWN}"),
            api("reports/visit-coverage/", f"/api/v1/reports/visit-coverage/?division={TOWN}&period={year}"),
            page("page: home", "/"),
            page("page: event centre", "/grids/events/"),
            page("page: visits", "/engagement/visits/"),
        ],
        "other_town_official": [
            api("me/", "/api/v1/me/"),
            api("grid-events/", "/api/v1/grid-events/"),
            api("visits/", "/api/v1/visits/"),
            page("page: home", "/"),
        ],
        "village_clerk": [
            api("me/", "/api/v1/me/"),
            api("people/<id>/", f"/api/v1/people/{person}/"),
            api("people/", "/api/v1/people/"),
            api("decisions/", "/api/v1/decisions/"),
            api("violations/", "/api/v1/violations/"),
            api("contact-days/", f"/api/v1/contact-days/?division={VILLAGE}"),
            page("page: home", "/"),
            page("page: people", "/people/"),
        ],
        "coop_clerk": [
            api("me/", "/api/v1/me/"),
            api("decisions/", "/api/v1/decisions/"),
            page("page: home", "/"),
        ],
        "grid_worker": [
            api("me/", "/api/v1/me/"),
            api("grids/", f"/api/v1/grids/?division={VILLAGE}"),
            api("grid-events/", "/api/v1/grid-events/"),
            api("grid-event-categories/", "/api/v1/grid-event-categories/"),
            page("page: home", "/"),
        ],
        "inspector": [
            api("me/", "/api/v1/me/"),
            api("grid-events/?division=", f"/api/v1/grid-events/?division={TOWN}"),
            api("visits/", f"/api/v1/visits/?division={TOWN}"),
            api("decisions/", "/api/v1/decisions/"),
            page("page: home", "/"),
        ],
        "report_reader": [
            api("me/", "/api/v1/me/"),
            api(
                "reports/grid-events-by-category/",
                f"/api/v1/reports/grid-events-by-category/?division={TOWN}&period={year}",
            ),
            api("reports/grid-satisfaction/", f"/api/v1/reports/grid-satisfaction/?division={TOWN}&period={year}"),
            page("page: home", "/"),
            page("page: reports", "/reports/"),
        ],
    }
    writes = {
        "grid_worker": [
            Action(
                "POST grid-events/",
                "POST",
                "/api/v1/grid-events/",
                body=lambda: {"grid": grid, "category": category, "description": "路灯不亮（压测）"},
                writes="grids.GridEvent",
                then=remember_event,
            )
        ],
        "town_official": [
            Action(
                "POST visits/",
                "POST",
                "/api/v1/visits/",
                body=lambda: {"visitor": cadre, "division": VILLAGE, "visited_on": yesterday, "raised": "压测走访"},
                writes="engagement.Visit",
            ),
            Action(
                "POST grid-events/<id>/assess/",
                "POST",
                next_event_to_assess,
                body=lambda: {"route": "village", "note": "压测研判"},
                writes="grids.GridEvent",
                audit_label="update",
            ),
        ],
        "village_clerk": [
            Action(
                "POST contact-days/", "POST", "/api/v1/contact-days/", body=contact_day, writes="engagement.ContactDay"
            )
        ],
    }
    return Workload(reads, writes, {"scheme": schemes[0]["id"] if schemes else None, "town": TOWN})


def check_reads_answer(portal: Portal, credentials: Credentials, workload: Workload) -> list[str]:
    """Every read answers 200 before the load: a wrong path or a role that may not see it would
    measure a 403 or a 404 instead."""
    wrong = []
    for role, actions in workload.reads.items():
        for action in actions:
            answer = requests.get(
                portal.url + action.path, headers=headers_for(role, credentials, action.page), timeout=30
            )
            if answer.status_code != 200:
                wrong.append(f"{role} {action.path}: {answer.status_code} {answer.text[:200]}")
    return wrong


class Load:
    """`users` threads, user i being role ROLES[i % 8], each with its own session (connections
    kept alive, as a browser or an API client does) and its own random generator seeded from
    `seed` and i: the same run asks the same things in the same order, the timing aside.
    A user writes with probability `write_share` when its role has writes, else reads."""

    def __init__(
        self,
        portal: Portal,
        credentials: Credentials,
        workload: Workload,
        *,
        users: int,
        seed: int = 19,
        think_seconds: tuple[float, float] = (0.2, 1.0),
        write_share: float = 0.3,
    ):
        self.portal = portal
        self.credentials = credentials
        self.workload = workload
        self.users = users
        self.seed = seed
        self.think_seconds = think_seconds
        self.write_share = write_share
        self.outcomes: list[Outcome] = []
        self.writes: list[Write] = []
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.started_at = 0.0

    def start(self) -> Load:
        self.started_at = time.monotonic()
        roles = list(self.workload.reads)
        for number in range(self.users):
            thread = threading.Thread(target=self._user, args=(number, roles[number % len(roles)]), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT_SECONDS + 5)

    def run_for(self, seconds: float) -> None:
        self.start()
        time.sleep(seconds)
        self.stop()

    def _user(self, number: int, role: str) -> None:
        chooser = random.Random(self.seed * 1000 + number)
        session = requests.Session()
        reads = self.workload.reads[role]
        writes = self.workload.writes.get(role, [])
        # Users start spread over the first think time, not all in the same millisecond.
        self.stopping.wait(chooser.uniform(*self.think_seconds))
        while not self.stopping.is_set():
            if writes and chooser.random() < self.write_share:
                action = chooser.choice(writes)
            else:
                action = chooser.choices(reads, weights=[read.weight for read in reads])[0]
            self.ask(session, role, action)
            self.stopping.wait(chooser.uniform(*self.think_seconds))
        session.close()

    def ask(self, session: requests.Session, role: str, action: Action) -> Outcome | None:
        path = action.path() if callable(action.path) else action.path
        if path is None:
            return None
        headers = headers_for(role, self.credentials, action.page)
        body = action.body() if action.body else None
        sent = time.monotonic()
        try:
            answer = session.request(
                action.method,
                self.portal.url + path,
                headers=headers,
                json=body,
                timeout=REQUEST_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            outcome = Outcome(
                sent, role, action.kind, None, type(error).__name__, time.monotonic() - sent, page=action.page
            )
            self.outcomes.append(outcome)
            # A connection broken mid-answer leaves the session's pool holding it: start afresh.
            session.close()
            return outcome
        outcome = Outcome(
            sent,
            role,
            action.kind,
            answer.status_code,
            "",
            time.monotonic() - sent,
            answer.headers.get("Content-Type", ""),
            answer.text[:5000] if answer.status_code >= 400 else "",
            answer.headers.get("Retry-After", ""),
            action.page,
        )
        self.outcomes.append(outcome)
        if action.writes and 200 <= answer.status_code < 300:
            acknowledged = answer.json()
            self.writes.append(Write(action.writes, int(acknowledged["id"]), action.kind, action.audit_label))
            if action.then:
                action.then(acknowledged)
        return outcome


# --- figures -------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency_line(outcomes: list[Outcome]) -> str:
    seconds = [outcome.seconds for outcome in outcomes if outcome.status is not None]
    return (
        f"p50 {percentile(seconds, 0.50) * 1000:.0f} ms, p95 {percentile(seconds, 0.95) * 1000:.0f} ms, "
        f"p99 {percentile(seconds, 0.99) * 1000:.0f} ms"
    )


def status_counts(outcomes: list[Outcome]) -> Counter:
    return Counter(str(outcome.status) if outcome.status is not None else outcome.error for outcome in outcomes)


def per_kind_table(outcomes: list[Outcome]) -> str:
    by_kind: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_kind.setdefault(outcome.kind, []).append(outcome)
    header = f"{'kind':34} {'requests':>8} {'p50':>7} {'p95':>7} {'p99':>7}  answers"
    lines = [header, "-" * len(header)]
    for kind in sorted(by_kind):
        kind_outcomes = by_kind[kind]
        seconds = [outcome.seconds for outcome in kind_outcomes if outcome.status is not None]
        answers = ", ".join(f"{status}×{count}" for status, count in sorted(status_counts(kind_outcomes).items()))
        lines.append(
            f"{kind:34} {len(kind_outcomes):8} {percentile(seconds, 0.5) * 1000:6.0f}ms "
            f"{percentile(seconds, 0.95) * 1000:6.0f}ms {percentile(seconds, 0.99) * 1000:6.0f}ms  {answers}"
        )
    return "\n".join(lines)


def windows_table(outcomes: list[Outcome], started_at: float, window_seconds: float) -> str:
    """Requests and latencies per window of the run: a soak that slows down or starts failing as
    it goes (a leak, a table growing without its index, a pool running dry) shows here."""
    header = f"{'from':>6} {'to':>6} {'requests':>8} {'req/s':>6} {'p50':>7} {'p95':>7} {'p99':>7}  not 2xx"
    lines = [header, "-" * len(header)]
    by_window: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        by_window.setdefault(int((outcome.at - started_at) // window_seconds), []).append(outcome)
    for number in sorted(by_window):
        window = by_window[number]
        seconds = [outcome.seconds for outcome in window if outcome.status is not None]
        failed = sum(1 for outcome in window if outcome.status is None or outcome.status >= 300)
        lines.append(
            f"{number * window_seconds:5.0f}s {(number + 1) * window_seconds:5.0f}s {len(window):8} "
            f"{len(window) / window_seconds:6.1f} {percentile(seconds, 0.5) * 1000:5.0f}ms "
            f"{percentile(seconds, 0.95) * 1000:5.0f}ms {percentile(seconds, 0.99) * 1000:5.0f}ms  {failed}"
        )
    return "\n".join(lines)


def resident_megabytes(pids: list[int]) -> list[float]:
    """Each process's resident memory (VmRSS), in MB."""
    sizes = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        kilobytes = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        sizes.append(kilobytes / 1024)
    return sizes


# --- the writes in the database ------------------------------------------------------------------

_CHECK_WRITES = r"""
import json, sys, django
django.setup()
from django.apps import apps
wanted = json.load(sys.stdin)
missing = []
for label, ids_by_event in wanted.items():
    model = apps.get_model(label)
    for event_label, ids in ids_by_event.items():
        ids = set(ids)
        found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        audited = set()
        # pghistory's event models of the record's model (governance.audit.track_history): the
        # event written by the trigger in the same transaction as the row.
        for event_model in set(model.pgh_event_models.values()):
            audited |= set(
                event_model.objects.filter(pgh_obj_id__in=ids, pgh_label=event_label)
                .values_list("pgh_obj_id", flat=True)
            )
        for pk in sorted(ids - found):
            missing.append(f"{label} {pk}: no row")
        for pk in sorted(ids - audited):
            missing.append(f"{label} {pk}: no audit ({event_label}) event")
print(json.dumps(missing))
"""


def missing_writes(database_url: str, writes: list[Write]) -> list[str]:
    """What of the acknowledged writes is not in the database: the row, or its audit event (the
    insert event of a new record; an assessment's, the update event of the grid event assessed)."""
    wanted: dict[str, dict[str, list[int]]] = {}
    for write in writes:
        wanted.setdefault(write.model, {}).setdefault(write.audit_label, []).append(write.id)
    return run_in_django(_CHECK_WRITES, database_url, what="checking the writes", stdin=json.dumps(wanted))


# --- servers of the script's own ----------------------------------------------------------------


class ThrowawayPostgres:
    """A PostgreSQL 15 cluster in a temporary directory on a free port, trust authentication for
    `postgres`: the fault scripts stop and start it; the machine's own server is never touched."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.log = self.directory / "postgres.log"
        # PostgreSQL refuses to run as root: as root, the cluster is the system user postgres'.
        self.as_user = {}
        if os.geteuid() == 0:
            self.as_user = {"user": SERVER_USER, "group": SERVER_USER}
            shutil.chown(self.directory, SERVER_USER, SERVER_USER)
        try:
            self._server_command(
                POSTGRES_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                "--locale=C.UTF-8",
            )  # fmt: skip
        except subprocess.CalledProcessError as error:
            shutil.rmtree(self.directory, ignore_errors=True)
            raise RuntimeError(f"initdb failed: {error.stderr.decode(errors='replace')}") from error

    def _server_command(self, *command, check: bool = True) -> None:
        subprocess.run(command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **self.as_user)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._server_command(POSTGRES_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._server_command(POSTGRES_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def remove(self) -> None:
        self._server_command(POSTGRES_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.directory, ignore_errors=True)


def copy_database(source_url: str, target_url: str) -> None:
    """pg_dump | pg_restore: a database holding the demo already, copied in seconds rather than
    the demo loaded again (about 70 s)."""
    dump = subprocess.Popen([POSTGRES_BIN / "pg_dump", "-Fc", "--no-owner", source_url], stdout=subprocess.PIPE)
    subprocess.run(
        [POSTGRES_BIN / "pg_restore", "--no-owner", "--exit-on-error", "-d", target_url],
        stdin=dump.stdout,
        check=True,
    )
    dump.stdout.close()
    if dump.wait():
        raise RuntimeError(f"pg_dump of {source_url} failed")


class ThrowawayRedis:
    """redis-server on a free port, no persistence: killed (SIGKILL) as Redis dies, started again
    on the same port, empty."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
