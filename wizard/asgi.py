"""ASGI entry point, for servers that speak ASGI (gunicorn serves WSGI: wizard/wsgi.py)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizard.settings")

application = get_asgi_application()
