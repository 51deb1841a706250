"""Settings for Pesanan Lancar, all read from the environment.

With nothing set it runs on SQLite as one local server. `DJANGO_ENV=production` turns on
every protection that assumes HTTPS in front and refuses to start without a real
`SECRET_KEY` and `ALLOWED_HOSTS`; `DATABASE_URL` and `REDIS_URL` move the data and the
rate-limit counters to PostgreSQL and Redis, so that several app servers can share them.
The README's Configuration table lists every variable.
"""

import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment."""
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated setting from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """A whole-number setting from the environment."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from error


# --- Which kind of run this is ----------------------------------------------------------

ENVIRONMENT = os.environ.get("DJANGO_ENV", "").strip().lower() or "development"
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_flag("DEBUG", False)
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG shows tracebacks and settings to anyone: not in production.")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "Set SECRET_KEY to a long random value, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    # Only a local, non-production run may do without a real key.
    SECRET_KEY = "django-insecure-local-development-only-0123456789abcdefghijklmnopqrstuv"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if IS_PRODUCTION else "localhost,127.0.0.1,[::1],testserver"
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names the site answers to.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Benchmarks only: adds a bare view beside the wizard's pages (see bench/).
BENCH = env_flag("BENCH", False)

# --- Application ------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so `runserver` serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    # The project package keeps only the migrations of the days before the apps.
    "wizard",
    # One app per audience; imports point editors -> support -> sellers, and every app
    # may use web (docs/architecture.md; import-linter keeps it so in `make lint`).
    "wizard.web",
    "wizard.sellers",
    "wizard.support",
    "wizard.editors",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered before anything else runs: no session, no database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages on mobile data: gzip the HTML too (WhiteNoise already serves static files
    # compressed). Django pads compressed responses against BREACH, and the CSRF token
    # is masked anew on every response.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Innermost, so their pages still get every header the middleware above adds.
    "wizard.web.middleware.StrictMethods",
    "wizard.web.middleware.PrivatePages",
    "wizard.web.middleware.DatabaseOutage",
]

ROOT_URLCONF = "wizard.urls"
WSGI_APPLICATION = "wizard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL from DATABASE_URL ----------------------------

SQLITE_OPTIONS = {
    # WAL lets readers work beside one writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing halfway through a transaction.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database(url: str) -> dict[str, Any]:
    """The default database: SQLite on disk, or the PostgreSQL server `url` names."""
    # Test databases are named per process: several people and CI runs share this machine.
    test_name = f"pesanan-lancar-test-{os.getpid()}"
    sqlite = {
        "ENGINE": "django.db.backends.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
        # On disk, not in memory: the concurrency tests need SQLite's real locking.
        "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"{test_name}.sqlite3")},
    }
    if not url:
        return sqlite | {"NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))}
    config: dict[str, Any] = dict(
        dj_database_url.parse(
            url, conn_max_age=0, conn_health_checks=env_flag("DB_HEALTH_CHECKS", True)
        )
    )
    if config["ENGINE"] == sqlite["ENGINE"]:
        return sqlite | {"NAME": config["NAME"]}
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://…).")
    # Each process keeps a few open connections instead of connecting per request.
    # With health checks on, the pool tests a connection before lending it, so a
    # restarted server costs no failed request.
    config["OPTIONS"] = config.get("OPTIONS", {}) | {
        "pool": {
            "min_size": env_int("DB_POOL_MIN_SIZE", 1),
            "max_size": env_int("DB_POOL_MAX_SIZE", 10),
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        },
    }
    config["TEST"] = {"NAME": test_name.replace("-", "_")}
    return config


DATABASES = {"default": database(os.environ.get("DATABASE_URL", "").strip())}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis from REDIS_URL, shared by every app server; else this process's memory --

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "pesanan"),
            # A Redis that stops answering must cost a request milliseconds, not seconds:
            # the rate limits then let requests through (see wizard/web/limits.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # One server only: each process counts on its own (documented in the README).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pesanan-lancar",
        }
    }

# --- Rate limits (wizard/web/limits.py): "count/period", period in s, m or h -----------------

RATE_LIMITS_ENABLED = env_flag("RATE_LIMITS_ENABLED", True)
RATE_LIMITS = {
    # Per client address. Generous: mobile carriers put many sellers behind one address.
    "start": os.environ.get("RATE_LIMIT_START", "60/m"),
    # Per client address: session and share links that do not exist (link guessing).
    "unknown_token": os.environ.get("RATE_LIMIT_UNKNOWN_TOKENS", "30/10m"),
    # Per session: a seller answers a handful of questions, a script thousands.
    "answer": os.environ.get("RATE_LIMIT_ANSWERS", "60/5m"),
    # Per session.
    "share": os.environ.get("RATE_LIMIT_SHARE_LINKS", "10/h"),
}
# How many reverse proxies in front add themselves to X-Forwarded-For. 0 (the default)
# trusts no header: the client is the address that connected.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Security ---------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A strict policy: only this origin, scripts need the per-response nonce, and no
# inline styles at all (htmx is configured not to inject any).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# Session links carry their token in the URL: never send it to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Renders the friendly 403 page with the request (its language, its CSP nonce).
CSRF_FAILURE_VIEW = "wizard.web.views.csrf_failure"

LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

if TRUSTED_PROXY_COUNT:
    # The proxy terminates TLS and says so; only trusted when a proxy is declared.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", True)
    # __Host- cookies are refused by browsers unless Secure, host-only and for path /,
    # so no subdomain or plain-HTTP page can set or overwrite them.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"

# --- Languages, time ----------------------------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files: WhiteNoise serves them, compressed and with hashed names in production --

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names are cached by browsers for a year; they need `collectstatic` first.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production, files are served straight from static/ without `collectstatic`.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not IS_PRODUCTION

MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Staff sign in on their own page (the admin's login is for editors too, but English-only
# in look); after signing in they land on the case list.
LOGIN_URL = "staff_login"
LOGIN_REDIRECT_URL = "cases"

# --- Data lifecycle -------------------------------------------------------------------------

# A seller's session link stays resumable as long as the session exists; sessions are
# purged (`manage.py purge_sessions`) after this many days without activity.
SESSION_RETENTION_DAYS = env_int("SESSION_RETENTION_DAYS", 180)

# How many days a share link opens before it expires (revoking it ends it sooner).
SHARE_LINK_DAYS = env_int("SHARE_LINK_DAYS", 14)

# The flow loaded by `make run` and `manage.py loadflow` without arguments.
FLOW_FILES = [BASE_DIR / "wizard" / "content" / "orders.toml"]
# A fact or source last checked longer ago than this is flagged by the flow checker.
FLOW_MAX_AGE_DAYS = int(os.environ.get("FLOW_MAX_AGE_DAYS", "365"))

# --- Logging: to stderr, with session and share tokens masked -------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "wizard.web.access_log.MaskTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own loggers print request paths ("Not Found: /s/…/"): through the same
    # masking handler only, never Django's default unfiltered ones.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Insight: which questions lose sellers and which solutions fail (issue 11) ------------

# An unsolved session idle this long counts as abandoned on the question it stands on.
INSIGHT_ABANDONED_AFTER_MINUTES = int(os.environ.get("INSIGHT_ABANDONED_AFTER_MINUTES", "1440"))
# "What to fix first" ranks only solutions and questions with at least this many answers.
INSIGHT_MIN_ANSWERS = int(os.environ.get("INSIGHT_MIN_ANSWERS", "20"))
# Graphviz's `dot` draws the diagrams; a drawing taking longer than this is refused.
GRAPHVIZ_DOT = os.environ.get("GRAPHVIZ_DOT", "dot")
GRAPHVIZ_TIMEOUT_SECONDS = 20
