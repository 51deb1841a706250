"""URLs of the editors' pages (the workshop and insight will be routed here)."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import path, re_path

from .views import insight

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


urlpatterns = [
    path("staff/insight/", insight.insight, name="insight"),
    path("staff/insight/<slug:name>.csv", insight.insight_csv, name="insight_csv"),
    re_path(
        rf"^admin/wizard/(?P<model>{'|'.join(MOVED_IN_ADMIN)})/(?P<rest>[\w/-]*)$",
        moved_admin_page,
        name="admin_moved",
    ),
]
