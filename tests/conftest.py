"""Shared fixtures. Tests run against real PostgreSQL: embedded, or DATABASE_URL's server."""

import pytest
from django.utils import translation

from governance.testing.browser import browser, module_browser, page  # noqa: F401 (fixtures)
from governance.testing.fixtures import FAST_PASSWORD_HASHERS, world, world_once  # noqa: F401 (fixtures)
from governance.testing.schema import SchemaCheckedAPIClient as APIClient
from governance.testing.services import RUNNING_IN_CI, require_service  # noqa: F401 (re-exported)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; the production hasher's deliberate slowness only costs time here."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def eager_celery_tasks():
    """Tasks run in-process in tests, even when REDIS_URL is set (CI); the worker round-trip
    test sends its task to the real broker explicitly."""
    from governance.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def grants_read_on_every_request():
    """The workers' keeping of each user's grants (governance.access.grants_cache) is off: every
    request reads its user's grants, so a pinned query count never depends on the requests
    before it. tests/governance/test_grants_cache.py turns it on (the `grants_kept` fixture)."""
    from governance.access import grants_cache

    grants_cache.forget_all()
    grants_cache.keeping = False
    yield
    grants_cache.keeping = True


@pytest.fixture
def grants_kept(grants_read_on_every_request):
    """Each user's grants kept between requests, as in production, from an empty store."""
    from governance.access import grants_cache

    grants_cache.keeping = True


@pytest.fixture(scope="session")
def world_builder():
    """How governance's test bases build the shared world (governance.testing.world): villages
    defines the hierarchy, so its rules make the divisions. `world` (governance.testing.fixtures)
    builds it once per module; a transactional test calls this itself."""
    from villages.testing.world import build_world

    return build_world


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the portal's default language, Chinese: a request in English (the
    language cookie, or Accept-Language under /api/) leaves English active in the thread, which
    would otherwise translate the next test's messages."""
    yield
    translation.deactivate()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for(db):
    """A function giving an API client signed in as a user (by force_authenticate)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
