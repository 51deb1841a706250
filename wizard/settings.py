"""Settings for Pesanan Lancar, all read from the environment.

With nothing set it runs on SQLite as one local server. `DJANGO_ENV=production` turns on
every protection that assumes HTTPS in front and refuses to start without a real
`SECRET_KEY` and `ALLOWED_HOSTS`; `DATABASE_URL` and `REDIS_URL` move the data and the
rate-limit counters to PostgreSQL and Redis, so that several app servers can share them.
docs/deploy.md's Settings table lists every variable.
"""

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


env = environ.Env()
# A value that starts with `$` names another variable (django-environ's proxying); write
# `\$` for a literal dollar sign, as a password may need.
env.escape_proxy = True


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated setting, each item stripped (django-environ keeps the spaces)."""
    return [item.strip() for item in env.list(name, default=default.split(",")) if item.strip()]


def env_int(name: str, default: int) -> int:
    """A whole-number setting; empty means the default, a typo names the variable
    (django-environ's own error names only the value)."""
    if not env.str(name, default="").strip():
        return default
    try:
        return int(env.int(name))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {env.str(name)!r}."
        ) from error


# --- Which kind of run this is ----------------------------------------------------------

ENVIRONMENT = env.str("DJANGO_ENV", default="").strip().lower() or "development"
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = env.bool("DEBUG", default=False)
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG shows tracebacks and settings to anyone: not in production.")

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "Set SECRET_KEY to a long random value, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    # Only a local, non-production run may do without a real key.
    SECRET_KEY = "django-insecure-local-development-only-0123456789abcdefghijklmnopqrstuv"
# The same bar as `check --deploy` (security.W009), refused at start in production.
if IS_PRODUCTION and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak: use at least 50 random characters, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if IS_PRODUCTION else "localhost,127.0.0.1,[::1],testserver"
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names the site answers to.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Several servers: `check --deploy` warns about a production setup whose
# data or rate limits stay on one server (wizard/web/checks.py) unless this says that
# one server is meant.
SINGLE_SERVER = env.bool("SINGLE_SERVER", default=False)

# --- Metrics: `/metrics` answers scrapes from these networks, or with
# `Authorization: Bearer $METRICS_TOKEN`; anyone else gets a 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="").strip()
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")

# Benchmarks only: adds a bare view beside the wizard's pages (see bench/).
BENCH = env.bool("BENCH", default=False)

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
    # Staff sign-in: lockouts of addresses (django-axes), authenticator codes (django-otp)
    # and passkeys (django-otp-webauthn).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes, for a lost phone
    "django_otp_webauthn",
    # The outbox's queue, in the database (`manage.py db_worker` runs it).
    "django_tasks_db",
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
    # Outermost: the request id covers every line any other middleware logs.
    "wizard.web.request_log.RequestLog",
    # Before anything reads the client's address or scheme: forwarded headers count only
    # from our own proxies.
    "wizard.web.middleware.ProxyHeaders",
    "django.middleware.security.SecurityMiddleware",
    "wizard.web.middleware.BrowserPolicies",
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
    # Right after sign-in: whether the staff member also gave an authenticator code.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the CSRF check and sign-in: counts signed-in staff members' POSTs, per user.
    "wizard.web.limits.StaffWriteLimits",
    # Inside the header-setting middleware above, so their own pages still get those headers.
    "wizard.web.middleware.StrictMethods",
    "wizard.web.middleware.PrivatePages",
    "wizard.web.middleware.DatabaseOutage",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Editors without two-step sign-in go to set it up (with STAFF_2FA_REQUIRED).
    "wizard.web.middleware.EditorsSignInTwice",
]

# django-axes first, so a locked-out address is refused before any password is checked;
# passkeys sign in without a password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "django_otp_webauthn.backends.WebAuthnBackend",
]

ROOT_URLCONF = "wizard.urls"
WSGI_APPLICATION = "wizard.wsgi.application"

# One template language, Django's: crispy-forms, django-htmx and djade work with it (a
# Jinja2 port was measured and dropped: docs/performance.md).
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
                "wizard.web.context_processors.language_switch",
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
        # Kept open across requests: opening one (and its PRAGMAs) cost more than a page's
        # query; each gthread thread keeps its own, and SQLite never drops an idle one.
        "CONN_MAX_AGE": None,
        "CONN_HEALTH_CHECKS": env.bool("DB_HEALTH_CHECKS", default=True),
        # On disk, not in memory: the concurrency tests need SQLite's real locking.
        "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"{test_name}.sqlite3")},
    }
    if not url:
        return sqlite | {"NAME": env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3"))}
    config: dict[str, Any] = env.db_url_config(url) | {
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": env.bool("DB_HEALTH_CHECKS", default=True),
    }
    if config["ENGINE"] == sqlite["ENGINE"]:
        return sqlite | {"NAME": config["NAME"]}
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://…).")
    # A pool per process, tested before lending, so a restarted server costs no request
    # and the threads of a worker share a few connections (DB_POOL_MAX_SIZE bounds them).
    # Server-side binding, and statements run five times prepared on their connection,
    # save a round of parsing and planning per statement (docs/performance.md);
    # DB_PREPARE_THRESHOLD=off behind a pooler that cannot carry prepared statements,
    # DB_SERVER_SIDE_BINDING=0 for Django's default.
    if env.bool("DB_SERVER_SIDE_BINDING", default=True):
        preparing = env.str("DB_PREPARE_THRESHOLD", default="").strip().lower() != "off"
        config["OPTIONS"] = config.get("OPTIONS", {}) | {
            "server_side_binding": True,
            "prepare_threshold": env_int("DB_PREPARE_THRESHOLD", 5) if preparing else None,
        }
    config["OPTIONS"] = config.get("OPTIONS", {}) | {
        "pool": {
            "min_size": env_int("DB_POOL_MIN_SIZE", 1),
            "max_size": env_int("DB_POOL_MAX_SIZE", 10),
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        },
    }
    config["TEST"] = {"NAME": test_name.replace("-", "_")}
    return config


DATABASES = {"default": database(env.str("DATABASE_URL", default="").strip())}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis from REDIS_URL, shared by every app server; else this process's memory --

REDIS_URL = env.str("REDIS_URL", default="").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="pesanan"),
            # A Redis that stops answering must cost a request milliseconds, not seconds:
            # the rate limits then let requests through (see wizard/web/limits.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif IS_PRODUCTION:
    # One server, several gunicorn workers: files on this machine's disk, which every
    # worker shares, so a rate limit holds for the server and not per worker. Several
    # servers need REDIS_URL (`check --deploy` says so; see docs/deploy.md).
    CACHES = {
        "default": {
            "BACKEND": "wizard.web.cache.FileCache",
            "LOCATION": env.str("CACHE_DIR", default="").strip() or str(BASE_DIR / ".cache"),
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="pesanan"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
else:
    # Development (runserver, the tests): one process, its own memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pesanan-lancar",
        }
    }
# Template fragments ({% cache … using="fragments" %}) that depend only on a flow version,
# a question and the language: each process keeps its own, with no round trip, and a deploy
# whose templates changed starts with none (a shared cache would serve the old ones).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# --- Staff sign-in throttling: django-axes locks out an address, and a user at
# an address, after repeated wrong passwords on /staff/login/ (where /admin/login/ sends
# them). Counted
# in Redis when REDIS_URL is set (every server shares it), else in the database.
AXES_ENABLED = env.bool("SIGNIN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Distributed guessing at one account (wizard/web/signin_throttle.py): past this many wrong
# passwords in a day, from any address, tries from browsers the account never signed in
# from wait 1, 2, 4… minutes after the last wrong one, at most the maximum. Never a lock.
SIGNIN_ACCOUNT_FREE_FAILURES = env_int("SIGNIN_ACCOUNT_FREE_FAILURES", 5)
SIGNIN_ACCOUNT_MAX_DELAY_MINUTES = env_int("SIGNIN_ACCOUNT_MAX_DELAY_MINUTES", 15)
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if REDIS_URL
    else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_CLIENT_IP_CALLABLE = "wizard.web.limits.client_address"
AXES_LOCKOUT_CALLABLE = "wizard.web.limits.signin_locked_out"
AXES_VERBOSE = False
# Two-step sign-in (TOTP, django-otp) at /staff/two-factor/; with STAFF_2FA_REQUIRED on,
# editors must have signed in with it before any staff or admin page opens.
OTP_TOTP_ISSUER = "Pesanan Lancar"
# Passkeys (WebAuthn, django-otp-webauthn): registered at /staff/two-factor/, they sign
# staff in without a password (the passkey's PIN or fingerprint is the second factor)
# and count as two-step sign-in. The relying party is the site's host name; a passkey
# answers only to the origins listed.
OTP_WEBAUTHN_RP_ID = env.str(
    "PASSKEY_RP_ID",
    default=next((h for h in ALLOWED_HOSTS if h and h[0] not in ".*["), "localhost"),
)
OTP_WEBAUTHN_RP_NAME = "Pesanan Lancar"
# In development the origin follows `make run PORT=…` (a passkey checks the exact port).
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "PASSKEY_ORIGINS",
    f"https://{OTP_WEBAUTHN_RP_ID}"
    if IS_PRODUCTION
    else f"http://{OTP_WEBAUTHN_RP_ID}:{env.int('PORT', default=8000)}",
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = True
STAFF_2FA_REQUIRED = env.bool("STAFF_2FA_REQUIRED", default=False)

# --- Rate limits (wizard/web/limits.py): "count/period", period in s, m or h -----------------

RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
# A count django-ratelimit could not read back (its key expired meanwhile) lets the
# request through, as a cache outage does.
RATELIMIT_FAIL_OPEN = True
RATE_LIMITS = {
    # Per client address. Generous: mobile carriers put many sellers behind one address.
    "start": env.str("RATE_LIMIT_START", default="60/m"),
    # Per client address: session and share links that do not exist (link guessing).
    "unknown_token": env.str("RATE_LIMIT_UNKNOWN_TOKENS", default="30/10m"),
    # Per session: a seller answers a handful of questions, a script thousands.
    "answer": env.str("RATE_LIMIT_ANSWERS", default="60/5m"),
    # Per session.
    "share": env.str("RATE_LIMIT_SHARE_LINKS", default="10/h"),
    # Per share link, reader and page: how often an opening is logged (a reload is not).
    "share_view": env.str("RATE_LIMIT_SHARE_VIEWS", default="1/10m"),
    # Per signed-in staff member: notes, status changes, taking cases, agent answers,
    # revoking links, the admin's saves.
    "staff_write": env.str("RATE_LIMIT_STAFF_WRITES", default="120/10m"),
    # Per editor: the workshop's saves (each field of a structured edit is one).
    "workshop": env.str("RATE_LIMIT_WORKSHOP_SAVES", default="600/10m"),
    # Per client address: passkey sign-ins (two requests each) before anyone is signed in.
    "passkey_signin": env.str("RATE_LIMIT_PASSKEY_SIGNINS", default="30/10m"),
    # Per client address: screenshots read (each costs a second of CPU, a step a millisecond).
    "screenshot": env.str("RATE_LIMIT_SCREENSHOTS", default="20/10m"),
    # Per client address: the seller's words read (the landing page's box, "explain instead").
    "words": env.str("RATE_LIMIT_WORDS", default="60/10m"),
}
# The reverse proxies in front (addresses or networks): X-Forwarded-For and
# X-Forwarded-Proto are believed only on a connection from one of them. Loopback by
# default, for nginx on the same machine; anything that reaches the app port from
# elsewhere is counted by its own address, whatever it claims.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1/32,::1/128")

# --- "Show us the error": screenshots (wizard/sellers/screenshots.py) ----------------------

# Off, or without Tesseract's languages, the pages offer no screenshot and say nothing of it.
SCREENSHOT_READING = env.bool("SCREENSHOT_READING", default=True)
SCREENSHOT_LANGUAGES = "ind+eng"
# Tesseract's tessdata folder; empty: TESSDATA_PREFIX, then Debian's tesseract-ocr folders.
SCREENSHOT_TESSDATA = env.str("SCREENSHOT_TESSDATA", default="")
SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024
SCREENSHOT_MAX_PIXELS = 20_000_000
# Past this, Tesseract stops and the seller is offered the questions.
SCREENSHOT_SECONDS = env.float("SCREENSHOT_SECONDS", default=4.0)
# An upload stays in memory and is never written to a temporary file: a request larger than
# a screenshot and its form loses its file, which the screenshot form then asks for again.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = SCREENSHOT_MAX_BYTES + 64 * 1024

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
    # `data:` only for Bootstrap's form icons, SVGs inlined in its CSS: the radio and
    # checkbox marks, the select's arrow, the invalid field's sign, the close button.
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
# No script reads the CSRF cookie: forms carry the token, htmx sends it from the page.
CSRF_COOKIE_HTTPONLY = True

# The proxy terminates TLS and says so; wizard.web.middleware.ProxyHeaders drops the
# header from any connection that is not one of TRUSTED_PROXIES.
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
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
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
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

# Messages travel in a signed cookie (no session row for a seller); in production under
# the `__Host-` prefix like the other cookies (it needs HTTPS, so not in development).
MESSAGE_STORAGE = (
    "wizard.web.message_cookie.HostOnlyCookieStorage"
    if IS_PRODUCTION
    else "django.contrib.messages.storage.cookie.CookieStorage"
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Staff sign in on their own page (the admin's login is for editors too, but English-only
# in look); after signing in they land on the queue ("Needs attention").
LOGIN_URL = "staff_login"
LOGIN_REDIRECT_URL = "queue"
# Only staff have Django sessions (sellers' sessions live in their link). A sign-in lasts a
# working day from its last change and ends when the browser closes, so a shared or lost
# office computer does not stay signed in overnight.
SESSION_COOKIE_AGE = env_int("STAFF_SESSION_HOURS", 10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Data lifecycle -------------------------------------------------------------------------

# A seller's session link stays resumable as long as the session exists; sessions are
# purged (`manage.py purge_sessions`) after this many days without activity.
SESSION_RETENTION_DAYS = env_int("SESSION_RETENTION_DAYS", 180)

# How many days a share link opens before it expires (revoking it ends it sooner).
SHARE_LINK_DAYS = env_int("SHARE_LINK_DAYS", 14)

# The flow loaded by `make run` and `manage.py loadflow` without arguments.
FLOW_FILES = [BASE_DIR / "wizard" / "content" / "orders.toml"]
# A fact or source last checked longer ago than this is flagged by the flow checker.
FLOW_MAX_AGE_DAYS = env_int("FLOW_MAX_AGE_DAYS", 365)

# --- Logging: to stderr, with session and share tokens masked -------------------------------
# JSON lines in production (one object per line, for a log collector), plain text
# elsewhere; LOG_FORMAT=json or text chooses. Every line carries the request's id.

LOG_FORMAT = env.str("LOG_FORMAT", default="json" if IS_PRODUCTION else "text").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_tokens": {"()": "wizard.web.token_masking.MaskTokens"},
        "request_id": {"()": "wizard.web.request_log.WithRequestId"},
        "quiet_head": {"()": "wizard.web.request_log.QuietHead"},
    },
    "formatters": {
        "json": {
            "()": "wizard.web.request_log.MaskedJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "quiet_head", "mask_tokens"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # Django's own loggers print request paths ("Not Found: /s/…/"): through the same
    # masking handler only, never Django's default unfiltered ones.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One line per request (wizard/web/request_log.py); REQUEST_LOG=0 turns it off
        # where the proxy's access log is enough.
        "wizard.request": {
            "handlers": ["console"],
            "level": "INFO" if env.bool("REQUEST_LOG", default=IS_PRODUCTION) else "WARNING",
            "propagate": False,
        },
    },
}

# --- Closing the loop with support: notifications, the queue --------------------

# Django's tasks framework with its queue in the database: `manage.py db_worker` runs it
# (`make run` starts one beside the development server; see docs/deploy.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Escalations are emailed here (empty: no email); webhooks get a JSON POST with a
# Slack-compatible `text` (empty: none).
SUPPORT_INBOX = env.str("SUPPORT_INBOX", default="support@localhost" if DEBUG else "")
SUPPORT_WEBHOOK_URL = env.str("SUPPORT_WEBHOOK_URL", default="")
SUPPORT_LANGUAGE = env.str("SUPPORT_LANGUAGE", default="id")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Pesanan Lancar <noreply@localhost>")
# The console prints mail in development; in production (or with EMAIL_HOST set) it goes
# to the SMTP server EMAIL_HOST (localhost by default) and friends name.
MAILERS: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env.str("EMAIL_HOST", default="localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env.str("EMAIL_HOST_USER", default=""),
                "password": env.str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=False),
                "timeout": 10,
            },
        }
        if env.str("EMAIL_HOST", default="") or IS_PRODUCTION
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
# Sessions with no activity for this many days and no solution are left out of the
# staff's default views (a search still finds them).
ABANDONED_AFTER_DAYS = env_int("ABANDONED_AFTER_DAYS", 7)
# A seller who answered "No, it didn't help" and did nothing since for this many minutes
# is in support's "Needs attention", whether or not they pressed a contact button.
SUPPORT_NOT_HELPED_MINUTES = env_int("SUPPORT_NOT_HELPED_MINUTES", 30)

# --- Errors to Sentry when SENTRY_DSN is set (tokens masked before anything is sent) ------

SENTRY_DSN = env.str("SENTRY_DSN", default="").strip()
if SENTRY_DSN:
    import sentry_sdk

    from wizard.web.token_masking import scrub_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=ENVIRONMENT,
        send_default_pii=False,
        traces_sample_rate=0.0,
        before_send=scrub_event,  # type: ignore[arg-type]
        before_send_transaction=scrub_event,  # type: ignore[arg-type]
    )

# The editors' workshop (/staff/flows/): with review required, a second editor must
# approve a draft before it is published.
FLOW_REVIEW_REQUIRED = env.bool("FLOW_REVIEW_REQUIRED", default=True)
# --- Insight: which questions lose sellers and which solutions fail ------------

# An unsolved session idle this long counts as abandoned on the question it stands on.
INSIGHT_ABANDONED_AFTER_MINUTES = env_int("INSIGHT_ABANDONED_AFTER_MINUTES", 1440)
# "What to fix first" ranks only solutions and questions with at least this many answers.
INSIGHT_MIN_ANSWERS = env_int("INSIGHT_MIN_ANSWERS", 20)
# Graphviz's `dot` draws the diagrams; a drawing taking longer than this is refused.
GRAPHVIZ_DOT = env.str("GRAPHVIZ_DOT", default="dot")
GRAPHVIZ_TIMEOUT_SECONDS = 20
