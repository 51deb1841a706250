"""Root URLs: each audience's app brings its own, plus the admin and language switching.

A seller's session pages come first, under one `s/<str:token>/` prefix: every seller
request resolves one of them and Django tries patterns in order, so a step is found
after a dozen tests instead of after every staff page's. Support's session pages (share,
summary, delete) stay before the sellers' catch-all `<key>/` step.
"""

from django.contrib import admin
from django.urls import include, path

from wizard.sellers.urls import session_urlpatterns as sellers_session
from wizard.support.urls import session_urlpatterns as support_session

urlpatterns = [
    path("s/<str:token>/", include(support_session + sellers_session)),
    path("", include("wizard.sellers.urls")),
    path("", include("wizard.support.urls")),
    path("", include("wizard.editors.urls")),
    path("", include("wizard.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "wizard.web.views.bad_request"
