"""Newsroom settings: one file, driven by environment variables.

Every variable is optional; the defaults give the local SQLite demo. Bad values fail
loudly at start-up (ImproperlyConfigured) instead of being silently ignored.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value!r}")
    return number


def env_url(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if value and not value.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name} must be an http(s) URL, not {value!r}")
    return value


def env_path(name: str, default: Path) -> str:
    value = os.environ.get(name)
    if not value:
        return str(default)
    if not os.path.isabs(value):
        # Relative to what? The server and cron may start in different folders.
        raise ImproperlyConfigured(f"{name} must be an absolute path, not {value!r}")
    return value


def env_rate(name: str, default: str) -> str:
    value = os.environ.get(name) or default
    count, _sep, period = value.partition("/")
    if not count.isdigit() or period not in {"second", "minute", "hour", "day"}:
        raise ImproperlyConfigured(f"{name} must look like '120/minute', not {value!r}")
    return value


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "django-insecure-local-demo-key-only-for-debug"  # noqa: S105
elif not DEBUG and SECRET_KEY.startswith("django-insecure"):
    # Django's own prefix for keys it generated for development (and our demo key).
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must not start with 'django-insecure' when DJANGO_DEBUG=0"
    )
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the site's host names when DJANGO_DEBUG=0 "
        "(e.g. news.example.org)"
    )

INSTALLED_APPS = [
    "articles.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "reversion_compare",
    "django_tasks",
    "django_tasks_db",
    "accounts.apps.AccountsConfig",
    "articles.apps.ArticlesConfig",
    "proposals.apps.ProposalsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "articles.routing.ReplicaMiddleware",
    "articles.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "articles.middleware.RequestSizeLimitMiddleware",
    "articles.middleware.RefuseNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "articles.middleware.SignedInResponsesArePrivateMiddleware",
    "articles.desk.UserTimeZoneMiddleware",
    "accounts.signin_limit.SignInLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "articles.site.pages.site_languages",
                "articles.notifications.context.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# Read replicas (PostgreSQL streaming replicas of the primary): anonymous readers' GETs
# read from them when they are caught up; everything else from the primary
# (articles/routing.py).
NEWSROOM_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), 1):
    alias = "replica" if number == 1 else f"replica_{number}"
    DATABASES[alias] = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    # Tests read the test database through it (the replica holds it too).
    DATABASES[alias]["TEST"] = {"MIRROR": "default"}
    DATABASES[alias].setdefault("OPTIONS", {})["connect_timeout"] = 2
    NEWSROOM_REPLICAS.append(alias)
DATABASE_ROUTERS = ["articles.routing.ReplicaRouter"]
# How far behind the primary a replica may be (seconds) and still be read from.
NEWSROOM_REPLICA_MAX_LAG = env_int("NEWSROOM_REPLICA_MAX_LAG", 1, minimum=0)
NEWSROOM_REPLICA_CHECK_EVERY = 1.0  # seconds between checks of a replica, per process
# After a browser's POST, its reads go to the primary this long (read-your-writes).
NEWSROOM_REPLICA_STICKY_SECONDS = env_int("NEWSROOM_REPLICA_STICKY_SECONDS", 5, minimum=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer commits; the timeout makes concurrent
    # writers wait for the lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # Every query of a page reads a few rows: a parallel worker costs a process start
        # (tens of milliseconds on a busy machine) and never pays for itself here.
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = (
            _options.get("options", "") + " -c max_parallel_workers_per_gather=0"
        ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Revisions of articles and proposals: reverting one keeps the workflow fields as they are.
SERIALIZATION_MODULES = {"newsroom-revision": "articles.revisions"}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    # One cache for every process on this machine (server workers and the commands cron
    # runs): a change readers can see, an API throttle's count, reach them all at once.
    # Files rather than Django's DatabaseCache: a hit costs no SQL query (cached pages
    # and API answers stay query-free) and a write never waits for SQLite's one write
    # lock; each entry is written aside and renamed into place, so no process reads half
    # of one. One machine only: with several, set REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_path("NEWSROOM_CACHE_DIR", BASE_DIR / "var" / "cache"),
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
CACHE_MIDDLEWARE_SECONDS = 600
# Shared caches in front (a CDN, a reverse proxy) may keep public pages and API answers
# this long (`Cache-Control: s-maxage`); browsers revalidate every time (ETag, 304).
NEWSROOM_CDN_MAX_AGE = env_int("NEWSROOM_CDN_MAX_AGE", 600, minimum=0)
# A CDN purge endpoint: every change readers can see POSTs the cache tags it made stale
# there on commit (articles/site/cdn.py). Unset: no purge.
NEWSROOM_CDN_PURGE_URL = env_url("NEWSROOM_CDN_PURGE_URL")
NEWSROOM_CDN_PURGE_TOKEN = os.environ.get("NEWSROOM_CDN_PURGE_TOKEN", "")
NEWSROOM_CDN_PURGE_TIMEOUT = env_int("NEWSROOM_CDN_PURGE_TIMEOUT", 3, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# ModelBackend behind the limit on password guessing (accounts/signin_limit.py).
AUTHENTICATION_BACKENDS = ["accounts.signin_limit.SignInLimitBackend"]
LOGIN_URL = "/accounts/login/"
# Everyone lands on their own desk: editors' dashboard, contributors' "My work",
# translators' workspace (articles.desk.home).
LOGIN_REDIRECT_URL = "desk-home"
LOGOUT_REDIRECT_URL = "/"

# Languages an article can be published in. Adding one here is all it takes.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
]
TIME_ZONE = "UTC"
USE_I18N = True
# The readers' site interface in every language of LANGUAGES (compiled .mo committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Bodies over 1 MB are refused (413) before any view sees them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Pictures uploaded in the admin (articles.images): the only bodies allowed over 1 MB.
NEWSROOM_IMAGE_MAX_BYTES = 20 * 1024 * 1024

# Uploaded pictures' renditions (articles.images), through Django's storage API: the
# filesystem by default; S3-compatible storage is a change of STORAGES["default"].
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")

NEWSROOM_DEMO_PASSWORD = os.environ.get("NEWSROOM_DEMO_PASSWORD", "newsroom-demo")
# Where links in e-mails point; the default follows the port `make run` serves on.
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL") or (
    f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
)

# Background work (e-mail): queued in the database on commit, run by
# `python manage.py db_worker` (`make run` starts one beside the server).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# The publisher search engines and partners are told about (JSON-LD, Google News
# sitemap), and its policies: the site's own pages (/en/about/…) unless given.
NEWSROOM_PUBLISHER_NAME = os.environ.get("NEWSROOM_PUBLISHER_NAME", "Newsroom")
NEWSROOM_CORRECTIONS_POLICY_URL = os.environ.get("NEWSROOM_CORRECTIONS_POLICY_URL", "")
NEWSROOM_ETHICS_POLICY_URL = os.environ.get("NEWSROOM_ETHICS_POLICY_URL", "")
NEWSROOM_RIGHTS_URL = os.environ.get("NEWSROOM_RIGHTS_URL", "")  # ninjs rightsInfo

# Review decisions are mailed to authors: over SMTP when DJANGO_EMAIL_HOST is set,
# otherwise printed on the console (the local demo).
DEFAULT_FROM_EMAIL = os.environ.get("NEWSROOM_FROM_EMAIL", "Newsroom <newsroom@localhost>")
if os.environ.get("DJANGO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["DJANGO_EMAIL_HOST"]
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# How many reverse proxies in front of the site each append the address they got the
# request from to X-Forwarded-For. 0: clients connect directly; the client's address is
# REMOTE_ADDR and X-Forwarded-For is ignored (a client can write anything in it). The
# sign-in limit and DRF's throttles both count per address by this one rule.
NEWSROOM_TRUSTED_PROXIES = env_int("NEWSROOM_TRUSTED_PROXIES", 0, minimum=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.KeysetCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Size-limited (413 over DATA_UPLOAD_MAX_MEMORY_SIZE) versions of DRF's parsers.
    "DEFAULT_PARSER_CLASSES": [
        "articles.api.errors.JSONParser",
        "articles.api.errors.FormParser",
        "articles.api.errors.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.NewsroomAutoSchema",
    "EXCEPTION_HANDLER": "articles.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "NUM_PROXIES": NEWSROOM_TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("NEWSROOM_API_THROTTLE_ANON", "120/minute"),
        "user": env_rate("NEWSROOM_API_THROTTLE_USER", "1200/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Published analysis, analysts, proposals and translation workflow.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to swagger.io's online validator: the docs work offline.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ModerationStateEnum": "articles.states.State",
        "SiteLanguageEnum": "newsroom.settings.LANGUAGES",
        "AnyLanguageEnum": "django.conf.global_settings.LANGUAGES",
        "AttributionKindEnum": "articles.models.Attribution.Kind",
        "EnrichmentBlockKindEnum": "articles.models.EnrichmentBlock.Kind",
        "ProposalStatusEnum": "proposals.models.Proposal.Status",
    },
}

# Security: strict by default outside DEBUG; `check --deploy` is clean in production.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Only the site's own files; the admin's revision history pages may add inline styles
# (articles/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Swagger UI's and the admin's icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
