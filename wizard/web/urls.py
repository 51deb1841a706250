"""URLs every deployment has: health (and the benchmarks' bare view when BENCH is on)."""

from django.conf import settings
from django.urls import path

from . import metrics, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
]

if settings.BENCH:
    urlpatterns.append(path("bench/bare/", views.bare, name="bench_bare"))
