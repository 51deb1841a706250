"""Insight's figures for one flow version, date range and language, from the rollup.

Three queries whatever the range: the rollup's sums per step (whole months from its
month level, the ends from its days: see `tallies.spans`), its sessions started per
day, and the few sessions still active inside the idle window (an unsolved session
idle longer than `INSIGHT_ABANDONED_AFTER_MINUTES` has been abandoned where it stands).
Agent sessions (started by staff) are counted in columns of their own and in no rate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wizard.flows import Flow
from wizard.flows.diagram import Mark
from wizard.sellers.models import FlowVersion, MonthTally, Session, Tally
from wizard.sellers.models import tallies as m
from wizard.sellers.models.versions import drawn
from wizard.web.dates import SaneDateField

Z = 1.959964  # the normal quantile of a two-sided 95 % interval


@dataclass(frozen=True)
class Rate:
    """A share of successes with its Wilson 95 % interval (None when nothing was counted)."""

    hits: int
    total: int
    value: float | None
    low: float | None
    high: float | None

    @classmethod
    def of(cls, hits: int, total: int) -> Rate:
        """The rate `hits` / `total` with Wilson's score interval."""
        if total <= 0:
            return cls(hits, total, None, None, None)
        share = hits / total
        middle = (share + Z * Z / (2 * total)) / (1 + Z * Z / total)
        spread = Z * math.sqrt(share * (1 - share) / total + Z * Z / (4 * total * total))
        spread /= 1 + Z * Z / total
        return cls(hits, total, share, max(0.0, middle - spread), min(1.0, middle + spread))


@dataclass(frozen=True)
class Day:
    """Sessions started on one day: by sellers, and by staff in agent mode."""

    day: dt.date
    sellers: int
    agents: int


@dataclass(frozen=True)
class Outcomes:
    """Where the sellers' sessions ended up (agent sessions apart, as totals)."""

    started: int
    solved: int
    in_progress: int
    abandoned: int
    agent_started: int
    agent_solved: int


@dataclass(frozen=True)
class SolutionFigures:
    """One solution: how many reached it, whether it helped, how long they needed."""

    key: str
    title: str
    reached: int
    yes: int
    no: int
    unanswered: int
    help_rate: Rate
    escalated: int
    median_seconds: int | None
    p90_seconds: int | None
    median_questions: int | None
    p90_questions: int | None
    agent_reached: int


@dataclass(frozen=True)
class QuestionFigures:
    """One question: sessions whose path reached it, and those abandoned on it."""

    key: str
    text: str
    views: int
    dropoffs: int
    dropoff_rate: Rate
    median_seconds: int | None
    agent_views: int


@dataclass(frozen=True)
class Figures:
    """Everything insight shows for one version, range and language."""

    version: int
    flow: str
    since: dt.date
    until: dt.date
    language: str
    abandoned_after_minutes: int
    days: list[Day]
    outcomes: Outcomes
    solutions: list[SolutionFigures]
    questions: list[QuestionFigures]
    arrows: dict[tuple[str, str], int] = field(default_factory=dict)

    def fix_first(self) -> tuple[list[SolutionFigures], list[QuestionFigures]]:
        """The solutions helping least and the questions losing most, with enough answers."""
        enough = settings.INSIGHT_MIN_ANSWERS
        solutions = [s for s in self.solutions if s.help_rate.total >= enough]
        questions = [q for q in self.questions if q.views >= enough and q.dropoffs]
        solutions.sort(key=lambda s: (s.help_rate.value or 0.0, -s.help_rate.total))
        questions.sort(key=lambda q: (-(q.dropoff_rate.value or 0.0), -q.views))
        return solutions[:5], questions[:5]

    def as_json(self) -> dict[str, Any]:
        """The figures as plain JSON values (dates in ISO 8601, arrows as a list)."""
        fixes = self.fix_first()
        out = asdict(self)
        out["arrows"] = [{"from": a, "to": b, "sessions": n} for (a, b), n in self.arrows.items()]
        out["fix_first"] = {
            "solutions": [s.key for s in fixes[0]],
            "questions": [q.key for q in fixes[1]],
        }
        plain: dict[str, Any] = _plain(out)
        return plain


def figures(
    version: FlowVersion,
    since: dt.date,
    until: dt.date,
    language: str = "",
    now: dt.datetime | None = None,
) -> Figures:
    """Insight's figures for the sessions started from `since` to `until` (both included)."""
    now = now or timezone.now()
    flow = version.flow
    sums = summed(version, since, until, language)
    rows = Tally.objects.filter(flow_version=version, day__gte=since, day__lte=until)
    if language:
        rows = rows.filter(language=language)
    per_day: dict[dt.date, dict[bool, int]] = defaultdict(lambda: {False: 0, True: 0})
    started = rows.filter(measure=m.STARTED).values("day", "is_agent").annotate(n=Sum("count"))
    for day in started:
        per_day[day["day"]][day["is_agent"]] += day["n"]
    active = _active(version, since, until, language, now)
    return _assemble(version, flow, since, until, language, sums, per_day, active)


def summed(
    version: FlowVersion, since: dt.date, until: dt.date, language: str = ""
) -> dict[bool, Counter[tuple[str, str, int]]]:
    """The rollup's counts of the sessions started from `since` to `until`, per kind of
    session (agent or not) and (step, measure, bucket): one query whatever the range."""
    spans: dict[tuple[int, type[Tally] | type[MonthTally]], Q] = {}
    for sign, level, first, last in m.spans(since, until):
        column = "day" if level is Tally else "month"
        spans[(sign, level)] = spans.get((sign, level), Q()) | Q(
            **{f"{column}__range": (first, last)}
        )
    parts = []
    for (sign, level), days in spans.items():
        rows = level.objects.filter(days, flow_version=version)
        if language:
            rows = rows.filter(language=language)
        grouped = rows.values("is_agent", "step", "measure", "bucket")
        parts.append(grouped.annotate(n=Sum("count") * sign).order_by())
    sums: dict[bool, Counter[tuple[str, str, int]]] = {False: Counter(), True: Counter()}
    for row in parts[0].union(*parts[1:], all=True):
        sums[row["is_agent"]][(row["step"], row["measure"], row["bucket"])] += row["n"]
    return sums


@dataclass(frozen=True)
class StartMode:
    """Sellers' sessions that began one way (questions, words, a screenshot), and how
    many of them said the advice helped."""

    mode: str
    label: str
    sessions: int
    answered: int
    helped: int

    @property
    def help_rate(self) -> float | None:
        """Helped, out of those who answered "Did this solve it?" (None: nobody did)."""
        return self.helped / self.answered if self.answered else None


def start_modes(
    version: FlowVersion, since: dt.date, until: dt.date, language: str = ""
) -> list[StartMode]:
    """Sellers' sessions started from `since` to `until` by how they began, side by side
    (one grouped query on the version's sessions, by the version-and-mode index)."""
    sessions = Session.objects.filter(
        flow_version=version,
        created_at__gte=_midnight(since),
        created_at__lt=_midnight(until + dt.timedelta(days=1)),
        started_by__isnull=True,
        is_preview=False,
    )
    if language:
        sessions = sessions.filter(language=language)
    counts: dict[str, tuple[int, int, int]] = {
        row["start_mode"]: (row["n"], row["answered"], row["helped"])
        for row in sessions.values("start_mode").annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(helped__isnull=False)),
            helped=Count("id", filter=Q(helped=True)),
        )
    }
    return [
        StartMode(mode, str(label), *counts.get(mode, (0, 0, 0)))
        for mode, label in Session.StartMode.choices
    ]


def _active(
    version: FlowVersion, since: dt.date, until: dt.date, language: str, now: dt.datetime
) -> Counter[str]:
    """Sellers' unsolved sessions still inside the idle window, per step they stand on."""
    idle = dt.timedelta(minutes=settings.INSIGHT_ABANDONED_AFTER_MINUTES)
    sessions = Session.objects.filter(
        flow_version=version,
        updated_at__gte=now - idle,
        created_at__gte=_midnight(since),
        created_at__lt=_midnight(until + dt.timedelta(days=1)),
        outcome="",
        started_by__isnull=True,
    )
    if language:
        sessions = sessions.filter(language=language)
    return Counter(
        {
            row["current_step"]: row["n"]
            for row in sessions.values("current_step").annotate(n=Count("id"))
        }
    )


def _assemble(
    version: FlowVersion,
    flow: Flow,
    since: dt.date,
    until: dt.date,
    language: str,
    sums: dict[bool, Counter[tuple[str, str, int]]],
    per_day: dict[dt.date, dict[bool, int]],
    active: Counter[str],
) -> Figures:
    sellers, agents = sums[False], sums[True]
    shown = "en" if get_language() == "en" else "id"  # texts in the reader's language
    solutions = [_solution(flow, key, shown, sellers, agents) for key in flow.solutions]
    questions = [_question(flow, key, shown, sellers, agents, active) for key in flow.questions]
    solved = sum(s.reached for s in solutions)
    unsolved = sum(sellers[(key, m.STANDS, 0)] for key in flow.questions)
    in_progress = min(sum(active.values()), unsolved)
    outcomes = Outcomes(
        started=sellers[("", m.STARTED, 0)],
        solved=solved,
        in_progress=in_progress,
        abandoned=unsolved - in_progress,
        agent_started=agents[("", m.STARTED, 0)],
        agent_solved=sum(s.agent_reached for s in solutions),
    )
    days = [
        Day(day, per_day[day][False], per_day[day][True])
        for day in (since + dt.timedelta(days=n) for n in range((until - since).days + 1))
    ]
    arrows: dict[tuple[str, str], int] = {}
    for (step, measure, _bucket), count in sellers.items():
        if measure == m.TOOK and count:
            source, target = step.split(" ", 1)
            arrows[(source, target)] = count
    return Figures(
        version=version.number,
        flow=version.key,
        since=since,
        until=until,
        language=language,
        abandoned_after_minutes=settings.INSIGHT_ABANDONED_AFTER_MINUTES,
        days=days,
        outcomes=outcomes,
        solutions=solutions,
        questions=questions,
        arrows=arrows,
    )


def _solution(
    flow: Flow, key: str, language: str, sellers: Counter[Any], agents: Counter[Any]
) -> SolutionFigures:
    reached = sellers[(key, m.STANDS, 0)]
    yes, no = sellers[(key, m.YES, 0)], sellers[(key, m.NO, 0)]
    seconds = _histogram(sellers, key, m.SECONDS)
    questions = _histogram(sellers, key, m.QUESTIONS)
    return SolutionFigures(
        key=key,
        title=flow.render(flow.solutions[key].title, language),
        reached=reached,
        yes=yes,
        no=no,
        unanswered=reached - yes - no,
        help_rate=Rate.of(yes, yes + no),
        escalated=sellers[(key, m.ESCALATED, 0)],
        median_seconds=_quantile(seconds, 0.5),
        p90_seconds=_quantile(seconds, 0.9),
        median_questions=_quantile(questions, 0.5),
        p90_questions=_quantile(questions, 0.9),
        agent_reached=agents[(key, m.STANDS, 0)],
    )


def _question(
    flow: Flow,
    key: str,
    language: str,
    sellers: Counter[Any],
    agents: Counter[Any],
    active: Counter[str],
) -> QuestionFigures:
    views = sellers[(key, m.VIEWS, 0)]
    # Standing on a question and idle past the window: abandoned there.
    dropoffs = max(sellers[(key, m.STANDS, 0)] - active[key], 0)
    return QuestionFigures(
        key=key,
        text=flow.render(flow.questions[key].text, language),
        views=views,
        dropoffs=dropoffs,
        dropoff_rate=Rate.of(dropoffs, views),
        median_seconds=_quantile(_histogram(sellers, key, m.ANSWER_SECONDS), 0.5),
        agent_views=agents[(key, m.VIEWS, 0)],
    )


def _histogram(sums: Counter[Any], step: str, measure: str) -> list[tuple[int, int]]:
    return sorted(
        (bucket, n) for (key, kind, bucket), n in sums.items() if key == step and kind == measure
    )


def _quantile(histogram: list[tuple[int, int]], share: float) -> int | None:
    """The nearest-rank quantile of a histogram of (value, count)."""
    total = sum(n for _, n in histogram if n > 0)
    if total == 0:
        return None
    rank = max(math.ceil(share * total), 1)
    seen = 0
    for value, n in histogram:
        seen += max(n, 0)
        if seen >= rank:
            return value
    return histogram[-1][0]


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class InsightForm(forms.Form):
    """Which figures to show: a flow version, the start days, a language; all optional."""

    version = forms.TypedChoiceField(label=_("Flow version"), required=False, coerce=int)
    compare = forms.TypedChoiceField(label=_("Compare with"), required=False, coerce=int)
    since = SaneDateField(
        label=pgettext_lazy("sessions started on or after a day", "Started from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = SaneDateField(
        label=_("Started until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, data: Any, *, versions: list[FlowVersion]) -> None:
        super().__init__(data)
        self.versions = {version.pk: version for version in versions}
        version_field = self.fields["version"]
        language_field = self.fields["language"]
        assert isinstance(version_field, forms.ChoiceField)
        assert isinstance(language_field, forms.ChoiceField)
        version_field.choices = [(v.pk, str(v)) for v in versions]
        compare_field = self.fields["compare"]
        assert isinstance(compare_field, forms.ChoiceField)
        compare_field.choices = [("", _("no other version")), *version_field.choices]
        language_field.choices = [("", _("every language")), *settings.LANGUAGES]

    def clean(self) -> dict[str, Any]:
        """Fill what was left empty: the newest version, the last 30 days."""
        data = super().clean() or {}
        today = timezone.localdate()
        data["until"] = data.get("until") or today
        data["since"] = data.get("since") or data["until"] - dt.timedelta(days=29)
        if data["since"] > data["until"]:
            raise forms.ValidationError(_("The first day must not come after the last day."))
        if (data["until"] - data["since"]).days > MAX_DAYS:
            raise forms.ValidationError(_("Choose at most two years at a time."))
        if not data.get("version"):
            data["version"] = next(iter(self.versions), None)
        if data["version"] is None:
            raise forms.ValidationError(_("No flow version is loaded yet."))
        return data

    def figures(self, *, compared: bool = False) -> Figures:
        """The figures the valid form asks for (of the version to compare with)."""
        data = self.cleaned_data
        version = self.versions[data["compare" if compared else "version"]]
        return figures(version, data["since"], data["until"], data.get("language") or "")

    def comparison(self, result: Figures) -> list[Difference]:
        """The asked version against the one to compare with (none if not asked)."""
        if not self.cleaned_data.get("compare"):
            return []
        return compare(self.figures(compared=True), result)


MAX_DAYS = 731
TABLES = ("days", "outcomes", "solutions", "questions", "arrows", "fix_first", "comparison")
# The columns of the tables that may have no rows (the others always have some).
EMPTY_HEADERS = {
    "arrows": ["from", "to", "sessions"],
    "fix_first": ["kind", "key", *(f"rate_{k}" for k in ("hits", "total", "value", "low", "high"))],
    "comparison": ["kind", "key", "text", "change", "low", "high", "is_significant"],
}


def table(
    result: Figures, name: str, comparison: list[Difference] | None = None
) -> list[dict[str, Any]]:
    """One table of the page as rows of plain values (the CSV export writes these)."""
    if name == "comparison":
        return [_flat(asdict(row)) for row in comparison or []]
    plain = result.as_json()
    if name == "outcomes":
        return [plain["outcomes"]]
    if name == "fix_first":
        solutions, questions = result.fix_first()
        return [
            *({"kind": "solution", "key": s.key, **_rate(asdict(s.help_rate))} for s in solutions),
            *(
                {"kind": "question", "key": q.key, **_rate(asdict(q.dropoff_rate))}
                for q in questions
            ),
        ]
    return [_flat(row) for row in plain[name]]


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in row.items() if not isinstance(v, dict)}
    for k, v in row.items():
        if isinstance(v, dict):
            flat |= {f"{k}_{part}": value for part, value in v.items()}
    return flat


def _rate(rate: dict[str, Any]) -> dict[str, Any]:
    return {f"rate_{k}": v for k, v in rate.items()}


# Pale fills keep the dark labels readable (contrast above 4.5:1 on each).
DROP_OFF_FILLS = ((0.05, "#f0fdf4"), (0.15, "#fef9c3"), (0.30, "#fed7aa"), (1.01, "#fecaca"))
HELP_FILLS = ((0.4, "#fecaca"), (0.6, "#fef9c3"), (0.8, "#dcfce7"), (1.01, "#bbf7d0"))
NO_FIGURE = "#f3f4f6"


def traffic_marks(result: Figures, cases_url: str | None) -> dict[str, Mark]:
    """Each step's colour by its rate, its numbers on hover, and a link to its cases
    (`cases_url` ends in "&"; None for staff who may not read cases)."""
    marks: dict[str, Mark] = {}
    for q in result.questions:
        rate = q.dropoff_rate.value
        tip = _("%(text)s — reached %(views)s, gave up %(dropoffs)s (%(rate)s)") % {
            "text": q.text,
            "views": q.views,
            "dropoffs": q.dropoffs,
            "rate": "—" if rate is None else f"{rate:.0%}",
        }
        url = f"{cases_url}stopped_at={q.key}&abandoned=on" if cases_url and q.dropoffs else ""
        marks[q.key] = Mark(_fill(rate, DROP_OFF_FILLS), tip, url)
    for s in result.solutions:
        rate = s.help_rate.value
        tip = _("%(title)s — reached %(reached)s, helped %(rate)s of %(answers)s answers") % {
            "title": s.title,
            "reached": s.reached,
            "rate": "—" if rate is None else f"{rate:.0%}",
            "answers": s.help_rate.total,
        }
        url = f"{cases_url}outcome={s.key}" if cases_url and s.reached else ""
        marks[s.key] = Mark(_fill(rate, HELP_FILLS), tip, url)
    return marks


def _fill(rate: float | None, scale: tuple[tuple[float, str], ...]) -> str:
    if rate is None:
        return NO_FIGURE
    return next(colour for limit, colour in scale if rate < limit)


def traffic_svg(version: FlowVersion, result: Figures, marks: dict[str, Mark]) -> str:
    """The version drawn by Graphviz with its traffic; the same figures are drawn once
    (the drawing is cached by what it shows)."""
    language = "en" if get_language() == "en" else "id"
    shown = repr((version.pk, language, sorted(result.arrows.items()), sorted(marks.items())))
    key = "insight-traffic:" + hashlib.sha256(shown.encode()).hexdigest()
    svg: str | None = cache.get(key)
    if svg is None:
        svg = drawn(version.flow, language, traffic=result.arrows, marks=marks)
        cache.set(key, svg, 24 * 3600)
    return svg


@dataclass(frozen=True)
class Difference:
    """One rate in two versions: the change, its 95 % interval (Newcombe's, from the two
    Wilson intervals) and whether that interval leaves out zero."""

    kind: str  # "solution" (help rate), "question" (drop-off rate) or "outcome"
    key: str
    text: str
    before: Rate
    after: Rate
    change: float | None
    low: float | None
    high: float | None
    is_significant: bool

    @classmethod
    def of(cls, kind: str, key: str, text: str, before: Rate, after: Rate) -> Difference:
        """`after` minus `before`."""
        if before.value is None or after.value is None:
            return cls(kind, key, text, before, after, None, None, None, False)
        assert before.low is not None
        assert before.high is not None
        assert after.low is not None
        assert after.high is not None
        change = after.value - before.value
        low = change - math.hypot(after.value - after.low, before.high - before.value)
        high = change + math.hypot(after.high - after.value, before.value - before.low)
        return cls(kind, key, text, before, after, change, low, high, low > 0 or high < 0)


def compare(before: Figures, after: Figures) -> list[Difference]:
    """The rates both versions have: solved share, each solution's help rate and each
    question's drop-off rate (steps of one version only are left out)."""
    rows = [
        Difference.of(
            "outcome",
            "solved",
            str(_("Reached a solution")),
            Rate.of(before.outcomes.solved, before.outcomes.started),
            Rate.of(after.outcomes.solved, after.outcomes.started),
        )
    ]
    earlier = {s.key: s for s in before.solutions}
    rows += [
        Difference.of("solution", s.key, s.title, earlier[s.key].help_rate, s.help_rate)
        for s in after.solutions
        if s.key in earlier
    ]
    asked = {q.key: q for q in before.questions}
    rows += [
        Difference.of("question", q.key, q.text, asked[q.key].dropoff_rate, q.dropoff_rate)
        for q in after.questions
        if q.key in asked
    ]
    return rows
