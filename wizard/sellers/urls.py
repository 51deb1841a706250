"""The seller's pages: the landing page, a session under /s/<token>/, the flow drawn, tips."""

from django.urls import path

from .views import content, outcomes, steps

urlpatterns = [
    path("", steps.landing, name="landing"),
    path("start/", steps.start, name="start"),
    path("s/<str:token>/", steps.resume, name="resume"),
    path("s/<str:token>/restart/", steps.restart, name="restart"),
    path("s/<str:token>/feedback/", steps.feedback, name="feedback"),
    path("s/<str:token>/language/", steps.language, name="session_language"),
    path("s/<str:token>/next/", outcomes.next_cause, name="next_cause"),
    path("s/<str:token>/incident/", outcomes.incident, name="incident"),
    # Last: any other segment under a session is a step key.
    path("s/<str:token>/<slug:key>/", steps.step, name="step"),
    path("flow/", content.diagram, name="flow_diagram"),
    path("flow/<int:version_id>/", content.diagram, name="flow_diagram_version"),
    path("flow/<int:version_id>/flow.dot", content.diagram_dot, name="flow_diagram_dot"),
    path("tips/", content.tips, name="tips"),
]
