"""The admin, for editors: flow versions (read-only) and platform incidents (the staff
pages at /staff/incidents/ are where support and editors keep them day to day)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from wizard.sellers.models import FlowVersion, Incident
from wizard.support.models import Outbox, SupportChannel

# ModelAdmin is generic only in the type stubs; at run time it cannot be subscripted.
if TYPE_CHECKING:
    FlowVersionAdminBase = admin.ModelAdmin[FlowVersion]
    IncidentAdminBase = admin.ModelAdmin[Incident]
else:
    FlowVersionAdminBase = IncidentAdminBase = admin.ModelAdmin


admin.site.site_header = admin.site.site_title = "Pesanan Lancar"


@admin.register(FlowVersion)
class FlowVersionAdmin(FlowVersionAdminBase):
    """Loaded versions: a version is immutable, so the admin only shows them."""

    list_display = ["__str__", "loaded_at", "published_at"]
    list_filter = ["key"]
    fields = ("key", "number", "checksum", "loaded_at", "published_at", "shown_document")
    readonly_fields = fields

    @admin.display(description=_("document"))
    def shown_document(self, version: FlowVersion) -> SafeString:
        """The TOML document as it was loaded."""
        return format_html('<pre class="flow-document">{}</pre>', version.document)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ActiveFilter(admin.SimpleListFilter):
    """Incidents going on now, or not."""

    title = _("going on now")
    parameter_name = "active"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.active()
        if self.value() == "no":
            return queryset.exclude(pk__in=Incident.objects.active().values("pk"))
        return queryset


@admin.register(Incident)
class IncidentAdmin(IncidentAdminBase):
    """Declare, correct and end platform incidents; sellers see active ones at once."""

    list_display = ["title_english", "title_indonesian", "starts_at", "ends_at", "is_going_on"]
    list_filter = [ActiveFilter]
    search_fields = ["title_english", "title_indonesian"]
    fieldsets = [
        (_("Bahasa Indonesia"), {"fields": ["title_indonesian", "text_indonesian"]}),
        (_("English"), {"fields": ["title_english", "text_english"]}),
        (_("When"), {"fields": ["starts_at", "ends_at"]}),
    ]
    actions = ["end_now"]

    def get_queryset(self, request: HttpRequest) -> Any:
        # A row with a time Python cannot read (saved before times were checked) would
        # make every incident page a 500.
        return Incident.objects.readable()

    @admin.display(boolean=True, description=_("going on now"))
    def is_going_on(self, incident: Incident) -> bool:
        """Whether sellers see it now."""
        return incident.is_active()

    @admin.action(description=_("End the selected incidents now"), permissions=["change"])
    def end_now(self, request: HttpRequest, queryset: Any) -> None:
        """End the selected incidents that are still going on now (each end is logged)."""
        now = timezone.now()
        ended = sum(incident.end(by=request.user, now=now) for incident in queryset)
        self.message_user(request, _("%(count)d incident(s) ended.") % {"count": ended})

    def save_model(self, request: HttpRequest, obj: Incident, form: Any, change: bool) -> None:
        # Through the model, as on the staff pages, so that the incidents' log misses
        # nothing done here.
        if not change:
            obj.declare(by=request.user)
        else:
            obj.amend({name: form.initial.get(name) for name in form.changed_data}, by=request.user)


if TYPE_CHECKING:
    SupportChannelAdminBase = admin.ModelAdmin[SupportChannel]
    OutboxAdminBase = admin.ModelAdmin[Outbox]
else:
    SupportChannelAdminBase = OutboxAdminBase = admin.ModelAdmin


@admin.register(SupportChannel)
class SupportChannelAdmin(SupportChannelAdminBase):
    """The team's ways in and office hours, which "Contact support" offers sellers."""

    list_display = ["name", "is_active", "whatsapp_number", "email", "chat_url", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "is_active"]}),
        (_("Channels"), {"fields": ["whatsapp_number", "email", "chat_url"]}),
        (_("Bahasa Indonesia"), {"fields": ["chat_name_id", "hours_note_id"]}),
        (_("English"), {"fields": ["chat_name_en", "hours_note_en"]}),
        (_("Office hours (WIB)"), {"fields": ["open_days", "opens_at", "closes_at"]}),
    ]


@admin.register(Outbox)
class OutboxAdmin(OutboxAdminBase):
    """Notifications to the team and their delivery: read-only, the worker sends them."""

    list_display = ["channel", "recipient", "created_at", "attempts", "delivered_at", "last_error"]
    list_filter = ["channel", ("delivered_at", admin.EmptyFieldListFilter)]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
