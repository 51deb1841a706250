"""What every request shares, whoever sends it."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Middleware, rate limits, log masking, staff roles, health and error pages. It has
    no models and imports none of the audience apps."""

    name = "wizard.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        """Register the deployment checks (`check --deploy`)."""
        from . import checks  # noqa: F401
