"""URLs: the seller's pages under /s/<token>/, share links, staff pages, the admin and
language switching."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth
from django.urls import include, path

from .views import bench, content, health, seller, share, staff, support

urlpatterns = [
    path("", seller.landing, name="landing"),
    path("start/", seller.start, name="start"),
    path("s/<str:token>/", seller.resume, name="resume"),
    path("s/<str:token>/restart/", seller.restart, name="restart"),
    path("s/<str:token>/feedback/", seller.feedback, name="feedback"),
    path("s/<str:token>/language/", seller.language, name="session_language"),
    path("s/<str:token>/share/", share.links, name="share_links"),
    path("s/<str:token>/share/<int:link_id>/revoke/", share.revoke, name="revoke_share"),
    path("s/<str:token>/next/", support.next_cause, name="next_cause"),
    path("s/<str:token>/summary/", support.contact_support, name="contact_support"),
    path("s/<str:token>/incident/", support.incident, name="incident"),
    path("s/<str:token>/<slug:key>/", seller.step, name="step"),
    path("share/<str:token>/", share.shared, name="shared"),
    path("share/<str:token>/summary.txt", share.shared_summary, name="shared_summary"),
    path(
        "staff/login/",
        auth.LoginView.as_view(template_name="staff/login.html", redirect_authenticated_user=True),
        name="staff_login",
    ),
    path("staff/logout/", auth.LogoutView.as_view(next_page="staff_login"), name="staff_logout"),
    path("staff/", staff.cases, name="cases"),
    path("staff/agent/", staff.agent_start, name="agent_start"),
    path("staff/cases/<str:code>/", staff.case, name="case"),
    path("staff/cases/<str:code>/note/", staff.note, name="case_note"),
    path("staff/cases/<str:code>/summary.txt", staff.summary, name="case_summary"),
    path("staff/cases/<str:code>/links/<int:link_id>/revoke/", staff.revoke, name="case_revoke"),
    path("flow/", content.diagram, name="flow_diagram"),
    path("flow/<int:version_id>/", content.diagram, name="flow_diagram_version"),
    path("flow/<int:version_id>/flow.dot", content.diagram_dot, name="flow_diagram_dot"),
    path("tips/", content.tips, name="tips"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

if settings.BENCH:
    urlpatterns.append(path("bench/bare/", bench.bare, name="bench_bare"))

handler400 = "wizard.views.errors.bad_request"
