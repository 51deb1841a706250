"""The peer's URLs: its steps by name (as the wizard's questions are), and a health check."""

from django.urls import path

from . import views

steps = views.Steps.as_view(url_name="peer_step", done_step_name="done")

urlpatterns = [
    path("peer/", steps, name="peer"),
    path("peer/<slug:step>/", steps, name="peer_step"),
    path("healthz", views.healthz, name="healthz"),
]
