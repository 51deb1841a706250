"""One form that builds its answer field from a flow question."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wizard.flows import Flow, Question, Value, Walk, accepts
from wizard.flows.checklist import STATES, TICKED, UNSURE, UNTICKED, Ticks, read_ticks
from wizard.flows.conditions import VERSION
from wizard.flows.deadlines import ZONES

if TYPE_CHECKING:
    from .models import Session

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
OLDEST_ORDER_DAYS = 120
# What each item of a checklist offering "not sure" can be; the words a summary uses too.
TICK_CHOICES = [
    (TICKED, pgettext_lazy("checklist", "Yes")),
    (UNTICKED, pgettext_lazy("checklist", "No")),
    (UNSURE, pgettext_lazy("checklist", "Not sure")),
]
TICK_FIELD = "tick_"


class VersionField(forms.CharField):
    """A version number as typed on any phone keyboard: full-width and other scripts'
    digits are stored as ASCII digits; anything but digits and dots is refused."""

    def to_python(self, value: Any) -> str:
        text = unicodedata.normalize("NFKC", super().to_python(value) or "")
        return "".join(
            str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text
        )


class AnswerForm(forms.Form):
    """An answer to one question, checked against what the question accepts."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        data: Any = None,
        *,
        flow: Flow,
        question: Question,
        language: str,
        zone: str = "WIB",
        initial_value: Value | None = None,
        revision: int = 0,
    ) -> None:
        self.flow = flow
        self.question = question
        self.zone = zoneinfo.ZoneInfo(ZONES.get(zone, ZONES["WIB"]))
        # Nothing sent, nothing answered: the fields read the same for every seller of this
        # version, question, language and zone, so the question page may cache them.
        self.is_blank = data is None and initial_value is None
        super().__init__(data, initial={"revision": revision})
        if self.is_checklist:
            self._add_ticks(language, initial_value)
        else:
            self.fields["value"] = self._field(language)
        if question.kind == "datetime":
            self.fields["zone"] = forms.ChoiceField(
                label=_("Time zone"),
                choices=[(name, name) for name in ZONES],
                widget=forms.Select(attrs={"class": "select form-select"}),
                required=False,
                initial=zone if zone in ZONES else "WIB",
                help_text=_(
                    "WIB: Java, Sumatra, West and Central Kalimantan. "
                    "WITA: Bali, Nusa Tenggara, Sulawesi, South, East and North Kalimantan. "
                    "WIT: Maluku and Papua."
                ),
            )
        if initial_value is not None and not self.is_checklist:
            self.initial["value"] = self._shown(initial_value)

    @classmethod
    def for_session(cls, session: Session, question: Question, data: Any = None) -> AnswerForm:
        """The form of one of a session's questions, prefilled with its answer and
        carrying the session's revision."""
        return cls(
            data,
            flow=session.flow,
            question=question,
            language=session.language,
            zone=session.zone,
            initial_value=session.answers.get(question.key),
            revision=session.revision,
        )

    def record(self, session: Session, *, by: Any = None, before: Walk | None = None) -> Walk:
        """Record the valid answer in the session (StaleRevision, NotOnPath, OverLimit
        as `Session.answer` raises them); where the session stands after it."""
        return session.answer(
            self.question.key,
            self.cleaned_data["value"],
            revision=self.cleaned_data["revision"],
            by=by,
            zone=self.cleaned_data.get("zone"),
            before=before,
        )

    @property
    def is_checklist(self) -> bool:
        """A multiple-choice question whose items are each yes, no or "not sure"."""
        return self.question.kind == "multi" and self.question.unsure

    def _add_ticks(self, language: str, initial_value: Value | None) -> None:
        """One radio group per item (a fieldset named by the item): three states need
        no script, read well by keyboard and screen reader, and tap well on a phone.
        Nothing is chosen until the seller says: a preselected "No" was taken for an
        answer by sellers who never looked at that row."""
        given = read_ticks(self.question.values, initial_value) if initial_value else None
        for option in self.question.options:
            name = TICK_FIELD + option.value
            self.fields[name] = forms.ChoiceField(
                label=self.flow.render(option.label, language),
                choices=TICK_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            if given is not None:
                self.initial[name] = next(s for s in STATES if option.value in getattr(given, s))

    def _clean_ticks(self, cleaned: dict[str, Any]) -> None:
        """The three sets from the radio groups, every row answered. A form sent without
        any (a page from before "not sure", or a script) may send the ticked items as
        `value`, as before."""
        items = self.question.values
        states = {item: cleaned.get(TICK_FIELD + item) or "" for item in items}
        sent = self.data.getlist("value") if hasattr(self.data, "getlist") else []
        if not any(states.values()) and sent:
            given = read_ticks(items, list(dict.fromkeys(sent)))
            if given is None:
                self.add_error(None, _("That answer is not one this question accepts."))
                return
            cleaned["value"] = given.stored()
            return
        left = [item for item in items if not states[item] and TICK_FIELD + item not in self.errors]
        for item in left:
            self.add_error(TICK_FIELD + item, _("Not answered yet: choose one."))
        if left:
            self.add_error(
                None,
                ngettext(
                    "One row has no answer yet: choose Yes, No or Not sure in it.",
                    "%(count)d rows have no answer yet: choose Yes, No or Not sure in each.",
                    len(left),
                )
                % {"count": len(left)},
            )
            return
        cleaned["value"] = Ticks(
            *(tuple(i for i in items if states[i] == s) for s in STATES)
        ).stored()

    def _field(self, language: str) -> forms.Field:
        question = self.question
        choices = [
            (option.value, self.flow.render(option.label, language)) for option in question.options
        ]
        match question.kind:
            case "choice" | "yesno":
                return forms.ChoiceField(
                    label=_("Choose one answer"), choices=choices, widget=forms.RadioSelect
                )
            case "multi":
                return forms.MultipleChoiceField(
                    label=_("Tick every one that applies (or none)"),
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            case "version":
                return VersionField(
                    label=_("Version number, e.g. 43.2.1"),
                    max_length=20,
                    required=not question.optional,
                    help_text=_("Leave it empty if you do not know.") if question.optional else "",
                    validators=[
                        RegexValidator(
                            rf"\A(?:{VERSION.pattern})\Z",
                            _("Type only numbers and dots, e.g. 43.2.1."),
                        )
                    ],
                    widget=forms.TextInput(
                        attrs={
                            "class": "textinput form-control",
                            "inputmode": "decimal",
                            "autocomplete": "off",
                        }
                    ),
                )
            case "number":
                return forms.IntegerField(
                    label=_("Number"),
                    min_value=question.minimum,
                    max_value=question.maximum,
                    widget=forms.NumberInput(
                        attrs={"class": "numberinput form-control", "inputmode": "numeric"}
                    ),
                )
            case _:
                return forms.DateTimeField(
                    label=_("Date and time"),
                    required=not question.optional,
                    help_text=_("Can't see the order, or don't know? Leave it empty.")
                    if question.optional
                    else "",
                    input_formats=[DATETIME_INPUT],
                    widget=forms.DateTimeInput(
                        attrs={"class": "datetimeinput form-control", "type": "datetime-local"},
                        format=DATETIME_INPUT,
                    ),
                )

    def _shown(self, value: Value) -> Any:
        """A stored answer as the field shows it."""
        if self.question.kind == "datetime" and isinstance(value, str):
            try:
                return dt.datetime.fromisoformat(value).astimezone(self.zone).replace(tzinfo=None)
            except ValueError:
                return None
        return value

    def clean_value(self) -> Any:
        """The answer as stored: plain JSON, and acceptable to the engine."""
        value = self.cleaned_data["value"]
        if self.question.kind == "datetime":
            return value  # combined with the zone in clean(), once both are read
        if self.question.kind == "version":
            value = (value or "").strip()
        elif self.question.kind == "multi":
            value = list(dict.fromkeys(value))
        if not accepts(self.question, value):
            raise forms.ValidationError(_("That answer is not one this question accepts."))
        return value

    def clean(self) -> dict[str, Any]:
        """Read a date and time as wall-clock time in the zone the seller chose."""
        cleaned = super().clean() or {}
        if self.is_checklist:
            self._clean_ticks(cleaned)
            return cleaned
        value = cleaned.get("value")
        if self.question.kind == "datetime" and value is None and self.question.optional:
            if "value" not in self.errors:
                cleaned["value"] = ""  # left empty: the walk goes on without a deadline
        elif self.question.kind == "datetime" and isinstance(value, dt.datetime):
            zone = zoneinfo.ZoneInfo(ZONES[cleaned.get("zone") or "WIB"])
            # The browser sends wall-clock time: it is the seller's zone, not the server's.
            when = timezone.make_naive(value) if timezone.is_aware(value) else value
            when = when.replace(tzinfo=zone)
            now = timezone.now()
            if when > now + dt.timedelta(minutes=10):
                self.add_error("value", _("That time is in the future. When was the order placed?"))
            elif when < now - dt.timedelta(days=OLDEST_ORDER_DAYS):
                self.add_error(
                    "value",
                    _("That is more than %(days)d days ago. Check the date in the order details.")
                    % {"days": OLDEST_ORDER_DAYS},
                )
            else:
                cleaned["value"] = when.isoformat()
        return cleaned


class RevisionForm(forms.Form):
    """A change to a session, made on the page shown at `revision`."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class FeedbackForm(RevisionForm):
    """The seller's answer to "Did this solve it?"."""

    helped = forms.TypedChoiceField(
        choices=[("yes", _("Yes, it is solved")), ("no", _("No, not yet"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


# What one explanation may hold: a typed one is 300 characters; a screenshot's text more.
WORDS_LENGTH = 2000


class DescribeForm(forms.Form):
    """The seller's problem in their own words, to read where to start."""

    words = forms.CharField(
        label=_("Or tell us in your own words"),
        max_length=300,
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "placeholder": _("e.g. kurir belum jemput, stok kosong tapi ada orderan"),
            }
        ),
    )


class StartForm(forms.Form):
    """Answers the seller confirmed before starting, each sent as `question:value`, and
    the words (typed, or read from a screenshot) they came from."""

    answer = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
    words = forms.CharField(required=False, max_length=WORDS_LENGTH, widget=forms.HiddenInput)
    source = forms.ChoiceField(
        required=False,
        choices=[("words", "words"), ("screenshot", "screenshot")],
        widget=forms.HiddenInput,
    )

    def __init__(self, data: Any = None, *, flow: Flow | None) -> None:
        if data is not None and hasattr(data, "getlist"):
            # "None of these" sends an empty answer: it chooses nothing.
            data = data.copy()
            data.setlist("answer", [item for item in data.getlist("answer") if item])
        super().__init__(data)
        answerable = [] if flow is None else flow.questions.values()
        field = self.fields["answer"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (f"{question.key}:{value}", value)
            for question in answerable
            if question.kind in ("choice", "yesno")
            for value in question.values
        ]

    def clean_answer(self) -> dict[str, str]:
        """The confirmed answers by question; two answers to one question choose neither."""
        pairs = [item.split(":", 1) for item in self.cleaned_data["answer"]]
        keys = [key for key, _ in pairs]
        return {key: value for key, value in pairs if keys.count(key) == 1}


class ExplainForm(StartForm):
    """The answers a seller confirmed from their words on a question page, on the page
    shown at `revision`."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
