"""The peer's settings: the wizard's own production settings (database, cache, security
headers, gzip, static files, languages), with only what makes it another project changed.

    gunicorn -c gunicorn.conf.py bench.peer.wsgi:application   (as bench/servers.py starts it)
"""

# Star-imported on purpose: whatever the wizard's server runs with, the peer runs with too.
from wizard.settings import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "formtools",
    "bench.peer",
]

# Django's middleware (and WhiteNoise) as the wizard has it; the wizard's own, htmx's and
# its staff sign-in's (axes, django-otp: apps a plain formtools project does not install)
# are part of what the wizard costs, not of a plain formtools project.
MIDDLEWARE = [
    name
    for name in MIDDLEWARE  # noqa: F405
    if name.startswith(("django.", "whitenoise."))
]

ROOT_URLCONF = "bench.peer.urls"
WSGI_APPLICATION = "bench.peer.wsgi.application"
CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
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
