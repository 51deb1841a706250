"""Root URLs: each audience's app brings its own, plus the admin and language switching."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("wizard.editors.urls")),
    # Support before sellers: its pages under /s/<token>/ (share, summary) come before
    # the sellers' catch-all `s/<token>/<key>/` step.
    path("", include("wizard.support.urls")),
    path("", include("wizard.sellers.urls")),
    path("", include("wizard.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "wizard.web.views.bad_request"
