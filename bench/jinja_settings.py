"""Production settings plus the Jinja2 port of the question page (bench.jinja2env), for
`python -m bench.engines` only: Django's templates stay first, so every page renders as in
production unless a view is made to name the "jinja2" engine (bench.jinja2env.render)."""

from bench.jinja2env import with_port
from wizard.settings import *  # noqa: F403
from wizard.settings import TEMPLATES

TEMPLATES = with_port(TEMPLATES)
