"""Forms of the workshop: start a draft, edit its text or a fact, approve, publish."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wizard.sellers.models import FlowVersion, Trial
from wizard.sellers.models.trials import MAX_SHARE

MAX_DOCUMENT = 1_000_000  # characters: the shipped flow is about a tenth of this


class WorkshopForm(forms.Form):
    """A form whose inputs look like the staff pages' other inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput | forms.Select):
                field.widget.attrs.setdefault("class", "form-control")


class StartDraftForm(forms.Form):
    """Which version a new draft starts from."""

    version = forms.ModelChoiceField(
        label=_("Start from"), queryset=FlowVersion.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, versions: list[FlowVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = FlowVersion.objects.filter(pk__in=[v.pk for v in versions]).defer(
            "document"
        )
        field.choices = [(v.pk, str(v)) for v in versions]  # no second query to list them


class DocumentForm(WorkshopForm):
    """The whole document as text, with the revision it was shown at."""

    document = forms.CharField(
        label=_("Flow document (TOML)"),
        max_length=MAX_DOCUMENT,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 30, "spellcheck": "false", "class": "form-control toml-text"}
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class FactForm(WorkshopForm):
    """One fact: its value, labels in both languages, source and checked date."""

    value = forms.CharField(label=_("Value"), max_length=200)
    label_id = forms.CharField(label=_("Label (Bahasa Indonesia)"), max_length=500)
    label_en = forms.CharField(label=_("Label (English)"), max_length=500)
    source = forms.ChoiceField(label=_("Source"))
    checked = forms.DateField(
        label=_("Checked on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, sources: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sources  # type: ignore[attr-defined]


class QuestionForm(WorkshopForm):
    """A question's text and help, and each option's label and seller keywords."""

    text_id = forms.CharField(label=_("Question (Bahasa Indonesia)"), max_length=1000)
    text_en = forms.CharField(label=_("Question (English)"), max_length=1000)
    help_id = forms.CharField(
        label=_("Help (Bahasa Indonesia)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    help_en = forms.CharField(
        label=_("Help (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, options: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value in options:
            prefix = f"option_{value}_"
            self.fields[f"{prefix}label_id"] = forms.CharField(
                label=_("Option %(value)s (Bahasa Indonesia)") % {"value": value}, max_length=500
            )
            self.fields[f"{prefix}label_en"] = forms.CharField(
                label=_("Option %(value)s (English)") % {"value": value}, max_length=500
            )
            self.fields[f"{prefix}keywords"] = forms.CharField(
                label=_("Seller keywords for %(value)s, comma-separated") % {"value": value},
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")
        self.options = [
            [self[f"option_{value}_{name}"] for name in ("label_id", "label_en", "keywords")]
            for value in options
        ]


class PreviewForm(forms.Form):
    """The language to walk a draft in, as a seller would."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="id")
    # A row of the draft's path list: the preview opens with that path's answers.
    path = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


class PublishForm(WorkshopForm):
    """What changed, in a sentence for the history, and the revision the editor saw."""

    note = forms.CharField(
        label=_("Change note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed and why, for the history (e.g. the cut-off hour moved)."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class DraftPublishForm(PublishForm):
    """Publishing a draft: as the live version, or as a variant tried on a share of the
    new sessions (an A/B trial) while the live version keeps the rest."""

    as_variant = forms.BooleanField(
        label=_("Publish as a variant (an A/B trial) instead of making it live"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    share = forms.IntegerField(
        label=_("Share of new sessions for the variant, in per cent"),
        min_value=1,
        max_value=MAX_SHARE,
        required=False,
        initial=20,
        help_text=_("From 1 to 50 %; the live version keeps the rest."),
    )

    def clean(self) -> dict[str, Any]:
        """A variant needs its share."""
        data = super().clean() or {}
        if data.get("as_variant") and data.get("share") is None and "share" not in self.errors:
            self.add_error("share", _("Give the variant's share of new sessions, 1 to 50 %."))
        return data


class EndTrialForm(forms.Form):
    """Which of the trial's two versions stays live."""

    keep = forms.ChoiceField(
        label=_("Keep as the live version"),
        choices=[(Trial.Outcome.LIVE.value, ""), (Trial.Outcome.VARIANT.value, "")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, trial: Trial, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (
                Trial.Outcome.LIVE.value,
                _("%(version)s, the live version") % {"version": trial.live},
            ),
            (
                Trial.Outcome.VARIANT.value,
                _("%(version)s, the variant") % {"version": trial.variant},
            ),
        ]
