"""URLs of the editors' pages: the workshop at /staff/flows/ (insight will be routed here)."""

from django.http import HttpRequest, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import path, re_path, reverse

from .views import insight, parts, review, trials, workshop

# The admin's URLs name the app that owns a model; these moved out of the old `wizard`
# app, so an editor's bookmark to /admin/wizard/… is sent to where the page is now.
MOVED_IN_ADMIN = {
    "flowversion": "sellers",
    "incident": "sellers",
    "session": "sellers",
    "answer": "sellers",
    "sighting": "sellers",
    "sharelink": "support",
    "shareview": "support",
    "note": "support",
}


def moved_admin_page(request: HttpRequest, model: str, rest: str) -> HttpResponsePermanentRedirect:
    """An admin page from before the apps, at its new address (query string kept)."""
    query = request.META.get("QUERY_STRING", "")
    target = f"/admin/{MOVED_IN_ADMIN[model]}/{model}/{rest}" + (f"?{query}" if query else "")
    return HttpResponsePermanentRedirect(target)


def admin_sign_in(request: HttpRequest) -> HttpResponseRedirect:
    """Editors sign in on the staff page, which also asks for their authenticator code:
    the admin's own page would let a password alone in."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(reverse("staff_login") + (f"?{query}" if query else ""))


urlpatterns = [
    path("admin/login/", admin_sign_in, name="admin_sign_in"),
    path("staff/insight/", insight.insight, name="insight"),
    path("staff/insight/<slug:name>.csv", insight.insight_csv, name="insight_csv"),
    path("staff/insight/traffic.svg", insight.insight_traffic, name="insight_traffic"),
    path("staff/insight/trials/", trials.trials, name="trials"),
    path("staff/insight/trials/<int:pk>/", trials.trial, name="trial"),
    path("staff/insight/trials/<int:pk>/<slug:name>.csv", trials.trial_csv, name="trial_csv"),
    path("staff/insight/trials/<int:pk>/end/", trials.end, name="end_trial"),
    path("staff/insight/trials/<int:pk>/keep/", trials.keep_variant, name="keep_variant"),
    re_path(
        rf"^admin/wizard/(?P<model>{'|'.join(MOVED_IN_ADMIN)})/(?P<rest>[\w/-]*)$",
        moved_admin_page,
        name="admin_moved",
    ),
    path("staff/flows/", workshop.workshop, name="workshop"),
    path("staff/flows/drafts/", workshop.start_draft, name="start_draft"),
    path("staff/flows/drafts/<int:pk>/", workshop.draft, name="draft"),
    path("staff/flows/drafts/<int:pk>/facts/<str:key>/", workshop.draft_fact, name="draft_fact"),
    path(
        "staff/flows/drafts/<int:pk>/questions/<str:key>/",
        workshop.draft_question,
        name="draft_question",
    ),
    path(
        "staff/flows/drafts/<int:pk>/questions/<str:key>/new-option/",
        parts.new_option,
        name="new_option",
    ),
    path(
        "staff/flows/drafts/<int:pk>/solutions/<str:key>/",
        parts.draft_solution,
        name="draft_solution",
    ),
    path("staff/flows/drafts/<int:pk>/new-solution/", parts.new_solution, name="new_solution"),
    path("staff/flows/drafts/<int:pk>/tips/<str:key>/", parts.draft_tip, name="draft_tip"),
    path("staff/flows/drafts/<int:pk>/check/", parts.check_draft, name="check_draft"),
    path("staff/flows/drafts/<int:pk>/diff/", workshop.draft_diff, name="draft_diff"),
    path("staff/flows/drafts/<int:pk>/paths/", workshop.draft_paths, name="draft_paths"),
    path("staff/flows/drafts/<int:pk>/diagram/", workshop.draft_diagram, name="draft_diagram"),
    path(
        "staff/flows/drafts/<int:pk>/diagram.svg",
        workshop.draft_diagram_svg,
        name="draft_diagram_svg",
    ),
    path("staff/flows/drafts/<int:pk>/preview/", workshop.preview, name="preview_draft"),
    path("staff/flows/drafts/<int:pk>/submit/", review.submit, name="submit_draft"),
    path("staff/flows/drafts/<int:pk>/comment/", review.comment, name="comment_draft"),
    path(
        "staff/flows/drafts/<int:pk>/request-changes/",
        review.request_changes,
        name="request_changes",
    ),
    path("staff/flows/drafts/<int:pk>/approve/", review.approve, name="approve_draft"),
    path("staff/flows/drafts/<int:pk>/publish/", workshop.publish, name="publish_draft"),
    path("staff/flows/versions/<int:pk>/", workshop.flow_version, name="flow_version"),
    path("staff/flows/versions/<int:pk>/flow.toml", workshop.version_toml, name="version_toml"),
    path(
        "staff/flows/versions/<int:pk>/rollback/",
        review.rollback_version,
        name="rollback_version",
    ),
    path("staff/flows/facts/", workshop.stale_facts, name="stale_facts"),
    path("staff/flows/facts/<str:key>/draft/", workshop.fact_draft, name="fact_draft"),
    path("staff/flows/questions/<str:key>/draft/", workshop.question_draft, name="question_draft"),
    path("staff/flows/solutions/<str:key>/draft/", workshop.solution_draft, name="solution_draft"),
    path("staff/flows/log/", workshop.audit_log, name="workshop_log"),
]
