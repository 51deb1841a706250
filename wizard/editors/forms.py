"""Forms of the workshop: start a draft, edit its text or one part of it, approve, publish."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wizard.flows.document import ACTORS, KEY_PATTERN, RESERVED_KEYS
from wizard.sellers.models import FlowVersion, Trial
from wizard.sellers.models.trials import MAX_SHARE
from wizard.web.dates import SaneDateField

MAX_DOCUMENT = 1_000_000  # characters: the shipped flow is about a tenth of this
MAX_STEPS = 30  # a solution's steps: the shipped ones have at most seven


class WorkshopForm(forms.Form):
    """A form whose inputs look like the staff pages' other inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(
                field.widget, forms.HiddenInput | forms.Select | forms.CheckboxSelectMultiple
            ):
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
    checked = SaneDateField(
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


class ReviewForm(forms.Form):
    """The revision of the draft the reviewer read: an approval holds for that text only."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CommentForm(WorkshopForm):
    """A comment on a draft, or a request for changes, on the revision the editor read."""

    text = forms.CharField(
        label=_("Your comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
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


def _key_problem(key: str, taken: set[str]) -> str | None:
    """Why a new key cannot be used, in the editor's language; None when it can."""
    if not KEY_PATTERN.fullmatch(key):
        return str(
            _(
                "Use lower-case letters, digits and underscores, starting with a letter "
                "(for example: courier_late)."
            )
        )
    if key in RESERVED_KEYS:
        return str(_("“%(key)s” is reserved for the seller pages' own addresses.") % {"key": key})
    if key in taken:
        return str(_("“%(key)s” is already used in this flow: choose another.") % {"key": key})
    return None


class TipForm(WorkshopForm):
    """A prevention tip's text in both languages."""

    text_id = forms.CharField(
        label=_("Tip (Bahasa Indonesia)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    text_en = forms.CharField(
        label=_("Tip (English)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class OptionForm(WorkshopForm):
    """A new option of a choice question: its value, labels, keywords and where it leads."""

    value = forms.CharField(
        label=_("Value (its name in the document)"),
        max_length=50,
        help_text=_("Lower-case letters, digits and underscores, e.g. courier_late."),
    )
    label_id = forms.CharField(label=_("Label (Bahasa Indonesia)"), max_length=500)
    label_en = forms.CharField(label=_("Label (English)"), max_length=500)
    keywords = forms.CharField(
        label=_("Seller keywords, comma-separated"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    go = forms.ChoiceField(label=_("Leads to"))
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args: Any,
        questions: list[str],
        solutions: list[str],
        values: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["go"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            (_("Questions"), [(key, key) for key in questions]),
            (_("Solutions"), [(key, key) for key in solutions]),
        ]
        self.values = set(values)

    def clean_value(self) -> str:
        value: str = self.cleaned_data["value"].strip()
        if not KEY_PATTERN.fullmatch(value):
            raise forms.ValidationError(
                _(
                    "Use lower-case letters, digits and underscores, starting with a letter "
                    "(for example: courier_late)."
                )
            )
        if value in self.values:
            raise forms.ValidationError(
                _("This question already has an option “%(value)s”.") % {"value": value}
            )
        return value

    def clean_keywords(self) -> list[str]:
        words = (word.strip() for word in self.cleaned_data["keywords"].split(","))
        return [word for word in words if word]


# Who acts on a solution, as the editor reads it (the document keeps the English keys).
ACTOR_NAMES = {
    "seller": pgettext_lazy("who acts", "seller"),
    "platform": pgettext_lazy("who acts", "platform"),
    "courier": pgettext_lazy("who acts", "courier"),
    "buyer": pgettext_lazy("who acts", "buyer"),
}


class SolutionForm(WorkshopForm):
    """A solution: its texts and steps in both languages, who acts, how sure we are,
    what it rests on. Steps are rows `step_<n>_id`/`step_<n>_en`; `rows` says how many
    rows the page shows, so adding or removing a row works without JavaScript."""

    title_id = forms.CharField(label=_("Title (Bahasa Indonesia)"), max_length=500)
    title_en = forms.CharField(label=_("Title (English)"), max_length=500)
    cause_id = forms.CharField(
        label=_("Cause (Bahasa Indonesia)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    cause_en = forms.CharField(
        label=_("Cause (English)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    check_id = forms.CharField(
        label=_("How to check (Bahasa Indonesia)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    check_en = forms.CharField(
        label=_("How to check (English)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    who = forms.MultipleChoiceField(
        label=_("Who acts"),
        choices=[(actor, ACTOR_NAMES.get(actor, actor)) for actor in ACTORS],
        widget=forms.CheckboxSelectMultiple,
    )
    confidence = forms.ChoiceField(
        label=_("Confidence"),
        choices=[
            ("solid", _("solid: an official source says so")),
            ("partial", _("partial: sources agree in part")),
            ("uncertain", _("uncertain: reported, not confirmed")),
        ],
    )
    sources = forms.MultipleChoiceField(label=_("Sources"), widget=forms.CheckboxSelectMultiple)
    tips = forms.MultipleChoiceField(
        label=_("Prevention tips"), required=False, widget=forms.CheckboxSelectMultiple
    )
    checked = SaneDateField(
        label=_("Checked on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_STEPS)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args: Any,
        rows: int,
        sources: list[str],
        tips: list[str],
        taken: set[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if taken is not None:  # a new solution: it needs a key of its own
            self.fields = {
                "key": forms.CharField(
                    label=_("Name (its key in the document)"),
                    max_length=50,
                    help_text=_("Lower-case letters, digits and underscores, e.g. courier_late."),
                    widget=forms.TextInput(attrs={"class": "form-control"}),
                ),
                **self.fields,
            }
        self.taken = taken
        self.fields["sources"].choices = [(key, key) for key in sources]  # type: ignore[attr-defined]
        self.fields["tips"].choices = [(key, key) for key in tips]  # type: ignore[attr-defined]
        for number in range(rows):
            for language, name in (("id", _("Bahasa Indonesia")), ("en", _("English"))):
                self.fields[f"step_{number}_{language}"] = forms.CharField(
                    label=_("Step %(number)s (%(language)s)")
                    % {"number": number + 1, "language": name},
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                )
        self.step_rows = [
            (number, self[f"step_{number}_id"], self[f"step_{number}_en"]) for number in range(rows)
        ]

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"].strip()
        assert self.taken is not None
        problem = _key_problem(key, self.taken)
        if problem is not None:
            raise forms.ValidationError(problem)
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        data["steps"] = [
            (data.get(f"step_{number}_id", ""), data.get(f"step_{number}_en", ""))
            for number, _id, _en in self.step_rows
        ]
        if not data["steps"]:
            raise forms.ValidationError(_("A solution needs at least one step."))
        return data
