"""The seller's pages: the landing page, a session under /s/<token>/, the flow drawn, tips."""

from django.urls import path

from .views import content, outcomes, screenshots, steps

# Under a session's `s/<str:token>/` (wizard/urls.py puts them there, after support's).
session_urlpatterns = [
    path("", steps.resume, name="resume"),
    path("restart/", steps.restart, name="restart"),
    path("latest/", steps.latest, name="latest_rules"),
    path("feedback/", steps.feedback, name="feedback"),
    path("language/", steps.language, name="session_language"),
    path("next/", outcomes.next_cause, name="next_cause"),
    path("incident/", outcomes.incident, name="incident"),
    path("explain/<slug:key>/", steps.explain, name="explain"),
    path("screenshot/<slug:key>/", screenshots.question, name="screenshot_question"),
    # Last: any other segment under a session is a step key.
    path("<slug:key>/", steps.step, name="step"),
]

urlpatterns = [
    path("", steps.landing, name="landing"),
    path("start/", steps.start, name="start"),
    path("screenshot/", screenshots.landing, name="screenshot"),
    path("screenshot/too-large/", screenshots.too_large, name="screenshot_too_large"),
    path("flow/", content.diagram, name="flow_diagram"),
    path("flow/<int:version_id>/", content.diagram, name="flow_diagram_version"),
    path("flow/<int:version_id>/flow.dot", content.diagram_dot, name="flow_diagram_dot"),
    path("flow/<int:version_id>/flow.svg", content.diagram_svg, name="flow_diagram_svg"),
    path("tips/", content.tips, name="tips"),
]
