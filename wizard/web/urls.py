"""URLs every deployment has: health (and the benchmarks' bare view when BENCH is on)."""

from django.conf import settings
from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

if settings.BENCH:
    urlpatterns.append(path("bench/bare/", views.bare, name="bench_bare"))
