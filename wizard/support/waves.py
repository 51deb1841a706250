"""Suggested incidents: a wave of new sessions pointing at the platform.

During an outage support sees the wave before anyone declares it, so the queue suggests
an incident when, among the sellers' own sessions started in the last hour (previews
and agent mode left out), the share of one *signal* is far above its usual level:

- an answer that goes straight from a platform-fault question to a platform-fault
  solution ("other sellers have it too": `others_too == everyone` → `outage`), read
  from the flow's routes, so the rule follows the document;
- each solution, as the step the session stands on ("landing on the same error").

Where the figures come from, one query each:

- *the last hour*: the Session rows started in it (index `session_started`). The rollup
  counts sessions per start **day**, so an hour cannot come from it; a busy hour is a
  few hundred rows, grouped by the database.
- *the usual level*: the share over the 14 whole days before today, from the day rollup
  (`Tally`): STARTED for the sessions, the answer's arrow (TOOK) and the solution's
  STANDS. Those count the sessions' state now, mostly finished walks, while the last
  hour's are partly mid-walk: the hour's share is if anything low, so the test errs
  toward silence.

The test, per signal: one-sided exact binomial, P(X ≥ k) for X ~ Binomial(n, p₀), with
k the hour's sessions showing the signal, n the hour's new sessions and p₀ the usual
share ((count + ½) / (sessions + 1), so that a signal never seen in 14 days is rare, not
impossible). A suggestion needs p < 0.001 divided by the number of signals tested
(Bonferroni: some sixty solutions are tested each minute), at least 5 sessions, and a
share at least 3 x the usual one. Nothing is suggested while an incident is going on;
the figures are cached for a minute.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone

from wizard.flows import Flow, Text
from wizard.sellers.models import FlowVersion, Incident, Session, Tally
from wizard.sellers.models.tallies import STANDS, STARTED, TOOK

HOUR = dt.timedelta(hours=1)
USUAL_DAYS = 14
ALPHA = 0.001
AT_LEAST = 5  # sessions showing the signal in the hour
TIMES_USUAL = 3
CACHE_KEY = "support:incident-waves"
CACHE_SECONDS = 60


def binomial_tail(successes: int, trials: int, share: float) -> float:
    """P(X ≥ successes) for X ~ Binomial(trials, share): the chance of at least this many
    by luck alone. Summed in log space with `math.lgamma`, exact to a float's precision
    for any hour's numbers; `scipy.stats.binom.sf` gives the same, but scipy would be a
    large dependency for one sum."""
    if successes <= 0 or share >= 1:
        return 1.0
    if successes > trials or share <= 0:
        return 0.0
    log_share, log_rest = math.log(share), math.log1p(-share)
    whole = math.lgamma(trials + 1)
    terms = [
        whole
        - math.lgamma(k + 1)
        - math.lgamma(trials - k + 1)
        + k * log_share
        + (trials - k) * log_rest
        for k in range(successes, trials + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * math.fsum(math.exp(term - top) for term in terms))


def usual_share(count: int, sessions: int) -> float:
    """The usual share of a signal from its count among the usual sessions, with half a
    session of doubt: never seen in 14 days is rare, not impossible."""
    return (count + 0.5) / (sessions + 1)


def is_wave(count: int, sessions: int, usual: float, *, tested: int = 1) -> bool:
    """Whether `count` of the hour's `sessions` is far above the `usual` share: at least
    AT_LEAST sessions, TIMES_USUAL x the usual share, and a binomial tail below ALPHA
    shared among the `tested` signals."""
    if count < AT_LEAST or count < TIMES_USUAL * usual * sessions:
        return False
    return binomial_tail(count, sessions, usual) < ALPHA / max(tested, 1)


@dataclass(frozen=True)
class Wave:
    """A signal far above its usual level in the last hour, with its figures."""

    # "answer": an answer sending sellers to a platform fault; "solution": a solution.
    kind: str
    key: str  # "question=value", or the solution's key
    label: Text  # the answer's label, or the solution's title
    solution: Text  # the platform-fault solution the answer leads to, or the solution
    count: int
    sessions: int
    usual: float
    p_value: float

    @property
    def share(self) -> float:
        """The signal's share of the hour's new sessions."""
        return self.count / self.sessions

    @property
    def usual_percent(self) -> float:
        """The usual share, in percent."""
        return 100 * self.usual


@dataclass(frozen=True)
class Signal:
    """Something to count in the hour and in the rollup."""

    kind: str
    key: str
    label: Text
    solution: Text
    step: str  # the rollup's step: the answer's arrow, or the solution
    measure: str  # TOOK or STANDS
    target: str  # the solution the answer leads to, or the solution
    answer: tuple[str, str] | None = None  # (question, value) for an answer


def signals(flow: Flow) -> list[Signal]:
    """What the live flow makes worth watching: each answer that goes straight from a
    platform-fault question to a platform-fault solution, and each solution."""
    found = []
    for question in flow.questions.values():
        for route in question.routes if question.shows_incidents else ():
            target = flow.solutions.get(route.go or "")
            if target is None or not target.shows_incidents or route.condition is None:
                continue
            clauses = route.condition.clauses
            picked = clauses[0].picks if len(clauses) == 1 else None
            if picked is None:
                continue
            value = picked[1]
            option = question.option(value)
            label = option.label if option else Text(value, value)
            found.append(
                Signal(
                    "answer",
                    f"{question.key}={value}",
                    _rendered(flow, label),
                    _rendered(flow, target.title),
                    f"{question.key} {target.key}",
                    TOOK,
                    target.key,
                    picked,
                )
            )
    for solution in flow.solutions.values():
        title = _rendered(flow, solution.title)
        found.append(
            Signal("solution", solution.key, title, title, solution.key, STANDS, solution.key)
        )
    return found


def _rendered(flow: Flow, text: Text) -> Text:
    return Text(flow.render(text, "id"), flow.render(text, "en"))


def waves(now: dt.datetime | None = None) -> list[Wave]:
    """The signals far above their usual level in the last hour, the strongest first
    (two queries, and one for the live version)."""
    live = FlowVersion.live()
    if live is None:
        return []
    now = now or timezone.now()
    watched = signals(live.flow)
    hour = _last_hour(watched, now)
    sessions = hour.pop("", 0)
    if sessions == 0:
        return []
    usual = _usual(watched, timezone.localdate(now))
    usual_sessions = usual.pop((STARTED, ""), 0)
    found: dict[str, Wave] = {}
    for signal in watched:  # answers first: a wave of them names the solution's wave too
        count = hour.get(signal.key, 0)
        share = usual_share(usual.get((signal.measure, signal.step), 0), usual_sessions)
        if signal.target not in found and is_wave(count, sessions, share, tested=len(watched)):
            p_value = binomial_tail(count, sessions, share)
            found[signal.target] = Wave(
                signal.kind,
                signal.key,
                signal.label,
                signal.solution,
                count,
                sessions,
                share,
                p_value,
            )
    return sorted(found.values(), key=lambda wave: wave.p_value)


def _last_hour(watched: list[Signal], now: dt.datetime) -> dict[str, int]:
    """The hour's new sessions ("") and how many show each signal (by its key)."""
    answers = {
        signal.key: Count("pk", filter=Q(**{f"answers__{signal.answer[0]}": signal.answer[1]}))
        for signal in watched
        if signal.answer is not None
    }
    rows = (
        Session.objects.filter(
            created_at__gt=now - HOUR,
            created_at__lte=now,
            is_preview=False,
            started_by__isnull=True,
        )
        .values("outcome")
        .annotate(
            sessions=Count("pk"), **{f"answer_{n}": a for n, a in enumerate(answers.values())}
        )
        .order_by()
    )
    counts: dict[str, int] = {"": 0}
    grouped: list[Mapping[str, Any]] = list(rows)  # the annotations are named at run time
    for row in grouped:
        counts[""] += row["sessions"]
        if row["outcome"]:
            counts[row["outcome"]] = counts.get(row["outcome"], 0) + row["sessions"]
        for number, key in enumerate(answers):
            counts[key] = counts.get(key, 0) + row[f"answer_{number}"]
    return counts


def _usual(watched: list[Signal], today: dt.date) -> dict[tuple[str, str], int]:
    """The 14 days before today from the day rollup: sessions started, each answer's
    arrow taken, each solution stood on (sellers' own sessions)."""
    wanted = Q(measure=STARTED, step="")
    for measure in (TOOK, STANDS):
        steps = [signal.step for signal in watched if signal.measure == measure]
        wanted |= Q(measure=measure, step__in=steps)
    rows = (
        Tally.objects.filter(
            wanted,
            # The rollup's index starts with the version: name them all.
            flow_version__in=FlowVersion.objects.values("pk"),
            day__gte=today - dt.timedelta(days=USUAL_DAYS),
            day__lt=today,
            is_agent=False,
        )
        .values("measure", "step")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return {(row["measure"], row["step"]): row["total"] for row in rows}


def on_the_queue() -> tuple[list[Incident], list[Wave]]:
    """What the queue shows about incidents: those going on, or, while none is, the
    waves that suggest declaring one (computed at most once a minute)."""
    going_on = list(Incident.objects.active())
    if going_on:
        return going_on, []
    found: list[Wave] | None = cache.get(CACHE_KEY)
    if found is None:
        found = waves()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return going_on, found


# What a suggested incident says until staff word it: sellers read it at once, so it
# claims nothing beyond the reports.
MEANWHILE = Text(
    "Banyak penjual melaporkan masalah yang sama saat ini, dan kami sedang memeriksanya. "
    "Sementara itu, jangan mengulang tindakan yang sama berkali-kali; coba lagi nanti.",
    "Many sellers are reporting the same problem right now, and we are looking into it. "
    "Meanwhile, don't repeat the same action again and again; try again later.",
)


def declaration(key: str, now: dt.datetime | None = None) -> tuple[Wave | None, dict[str, object]]:
    """The suggested wave `key` and the declare form's first values for it: its
    solution's title, what to do meanwhile, a start now, and the figures for the log;
    nothing when the wave is no longer suggested."""
    _, found = on_the_queue() if key else ([], [])
    wave = next((wave for wave in found if wave.key == key), None)
    if wave is None:
        return None, {}
    return wave, {
        "title_indonesian": wave.solution.id,
        "title_english": wave.solution.en,
        "text_indonesian": MEANWHILE.id,
        "text_english": MEANWHILE.en,
        "starts_at": (now or timezone.now()).replace(second=0, microsecond=0),
        "note": (
            f"suggested by {wave.key}: {wave.count} of {wave.sessions} new sessions in the "
            f"last hour, usually {wave.usual_percent:.1f} %, p = {wave.p_value:.1e}"
        ),
    }
