"""Support's pages: share links (the seller makes them, anyone with one reads), contacting
support, and the staff's case list and case pages."""

from django.contrib.auth import views as auth
from django.urls import include, path

from .views import agent, cases, contact, deletion, incidents, queue, share, signin

# Under the seller's session `s/<str:token>/`: wizard/urls.py routes them before the
# sellers' `<key>/` steps.
session_urlpatterns = [
    path("share/", share.links, name="share_links"),
    path("share/<int:link_id>/revoke/", share.revoke, name="revoke_share"),
    path("summary/", contact.contact_support, name="contact_support"),
    path("delete/", deletion.delete_answers, name="delete_answers"),
]

urlpatterns = [
    path("share/<str:token>/", share.shared, name="shared"),
    path("share/<str:token>/summary.txt", share.shared_summary, name="shared_summary"),
    path("staff/login/", signin.SignIn.as_view(), name="staff_login"),
    path("staff/two-factor/", signin.two_factor, name="two_factor"),
    path(
        "staff/two-factor/recovery-codes/",
        signin.new_recovery_codes,
        name="new_recovery_codes",
    ),
    # Passkeys (django-otp-webauthn): the JSON ceremonies its script posts to.
    path("staff/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("staff/logout/", auth.LogoutView.as_view(next_page="staff_login"), name="staff_logout"),
    path("staff/", queue.needs_attention, name="queue"),
    path("staff/mine/", queue.mine, name="mine"),
    path("staff/cases/", cases.cases, name="cases"),
    path("staff/agent/", cases.agent_start, name="agent_start"),
    path("staff/cases/<str:code>/", cases.case, name="case"),
    path("staff/cases/<str:code>/take/", queue.take, name="case_take"),
    path("staff/cases/<str:code>/answer/<slug:key>/", agent.answer, name="case_answer"),
    path("staff/cases/<str:code>/live/", cases.live, name="case_live"),
    path("staff/cases/<str:code>/note/", cases.note, name="case_note"),
    path("staff/cases/<str:code>/summary.txt", cases.summary, name="case_summary"),
    path("staff/cases/<str:code>/links/<int:link_id>/revoke/", cases.revoke, name="case_revoke"),
    path("staff/incidents/", incidents.incidents, name="incidents"),
    path("staff/incidents/new/", incidents.declare, name="declare_incident"),
    path("staff/incidents/<int:incident_id>/", incidents.edit, name="edit_incident"),
    path("staff/incidents/<int:incident_id>/end/", incidents.end, name="end_incident"),
]
