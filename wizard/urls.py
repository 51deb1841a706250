"""URLs: the seller's pages under /s/<token>/, the admin, and language switching."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .views import bench, health, seller

urlpatterns = [
    path("", seller.landing, name="landing"),
    path("start/", seller.start, name="start"),
    path("s/<str:token>/", seller.resume, name="resume"),
    path("s/<str:token>/restart/", seller.restart, name="restart"),
    path("s/<str:token>/feedback/", seller.feedback, name="feedback"),
    path("s/<str:token>/language/", seller.language, name="session_language"),
    path("s/<str:token>/<slug:key>/", seller.step, name="step"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

if settings.BENCH:
    urlpatterns.append(path("bench/bare/", bench.bare, name="bench_bare"))

handler400 = "wizard.views.errors.bad_request"
