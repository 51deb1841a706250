"""A/B trials in the workshop and in insight: publishing a draft as a variant, ending the
trial with one of its two versions live, and comparing the two arms.

A trial's figures come from the rollup (`Tally`, step "trial <id>", one row per arm, day,
language and bucket), so comparing costs one query whatever the number of sessions. The
help rate is compared with the difference's 95 % interval (Newcombe's, from the two Wilson
intervals, as insight's version comparison); the time to a solution with a Mann-Whitney
test on the rollup's duration buckets, the medians beside it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wizard.flows import FlowError
from wizard.sellers.models import FlowVersion, Tally, Trial
from wizard.sellers.models import tallies as m
from wizard.sellers.models.trials import MAX_SHARE

from .insight import Difference, Rate, _plain, _quantile
from .models import Action, Draft, ReviewError

# Below this many solved sessions in an arm, the normal approximation of Mann-Whitney's U
# is too rough to be read: the page then gives the medians only.
TIME_TEST_MIN = 10
ALPHA = 0.05  # a two-sided test at the 95 % level, like the intervals


def start_trial(draft: Draft, *, by: Any, note: str, share: int) -> Trial:
    """Publish the draft as a variant (numbered, not live) and start its trial against
    the live version. The same review rules as a publish apply: a variant reaches real
    sellers too."""
    draft.check_publishable()
    if not 1 <= share <= MAX_SHARE:
        raise ReviewError(_("A variant's share must be from 1 to 50 %."))
    live = FlowVersion.live(draft.key)
    if live is None:
        raise ReviewError(_("No version of this flow is live yet: publish one first."))
    running = _("A trial is already running: end it before starting another.")
    if Trial.objects.filter(ended_at__isnull=True).exists():
        raise ReviewError(running)
    try:
        with transaction.atomic():
            variant = FlowVersion.publish(draft.document, by=by, note=note, live=False)
            trial = Trial.objects.create(
                key=draft.key, live=live, variant=variant, share=share, started_by=by
            )
            Draft.objects.filter(pk=draft.pk).update(published_as=variant)
            Action.record(
                by,
                Action.Kind.TRIAL_START,
                draft=draft,
                version=variant,
                trial=trial,
                note=note,
            )
    except FlowError as error:
        raise ReviewError(_("The checker refuses this draft: %s") % error) from error
    except IntegrityError as error:  # another editor started one at the same moment
        raise ReviewError(running) from error
    draft.refresh_from_db()
    return trial


def end_trial(trial: Trial, *, by: Any, keep: str) -> FlowVersion:
    """End the trial keeping `keep` ("live" or "variant") as the live version; returns it.

    Keeping the variant publishes it as the live version, so, like a publish, it needs a
    second editor's approval when review is required: of the draft `Draft.keep_variant`
    made to ask for it. Either way, sessions already pinned to a version keep it; new
    sessions simply stop being shared.
    """
    if keep not in (Trial.Outcome.LIVE, Trial.Outcome.VARIANT):
        raise ReviewError(_("Choose which version stays live."))
    with transaction.atomic():
        locked = Trial.objects.select_for_update().select_related("live", "variant")
        trial = locked.defer("live__document", "variant__document").get(pk=trial.pk)
        if not trial.is_running:
            raise ReviewError(_("This trial has already ended."))
        kept = trial.variant if keep == Trial.Outcome.VARIANT else trial.live
        if keep == Trial.Outcome.VARIANT:
            live = FlowVersion.live(trial.key)
            if live is not None and live.pk != trial.live_id:
                raise ReviewError(
                    _(
                        "%(version)s was published after the trial started, so the variant "
                        "cannot replace it: keep the live version."
                    )
                    % {"version": live}
                )
            request = _approved_keep_request(trial)
            kept.make_live()
            if request is not None:
                request.mark_published(kept)
        Trial.objects.filter(pk=trial.pk).update(ended_by=by, ended_at=timezone.now(), outcome=keep)
        Action.record(by, Action.Kind.TRIAL_END, version=kept, trial=trial)
    return kept


def _approved_keep_request(trial: Trial) -> Draft | None:
    """The approved request to keep the trial's variant (None when no review is required);
    ReviewError when review is required and none is approved."""
    asked = Draft.objects.select_for_update().filter(trial=trial, published_as__isnull=True)
    request = asked.first()
    if request is not None and request.is_approved:
        return request
    if settings.FLOW_REVIEW_REQUIRED:
        raise ReviewError(
            _("A second editor must approve keeping the variant: ask for their review first.")
        )
    return request


@dataclass(frozen=True)
class Arm:
    """One side of a trial: its version and what its sessions did."""

    arm: str  # "live" or "variant"
    version: str
    version_id: int
    sessions: int
    solved: int
    yes: int
    no: int
    help_rate: Rate
    median_seconds: int | None
    seconds: list[tuple[int, int]]  # (bucket, sessions) of the time to a solution


@dataclass(frozen=True)
class TimeTest:
    """Time to a solution in the two arms: medians, and Mann-Whitney's test when both arms
    have enough solved sessions (`tested` False: medians only, not tested)."""

    live_median: int | None
    variant_median: int | None
    tested: bool
    faster_share: float | None  # the chance a variant session is faster (ties: half)
    p_value: float | None
    verdict: str  # "too_few", "not_significant", "faster" or "slower"


@dataclass(frozen=True)
class TrialFigures:
    """A trial's two arms side by side, with the differences and the verdicts."""

    trial: int
    flow: str
    share: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    outcome: str
    live: Arm
    variant: Arm
    help: Difference  # the variant's help rate minus the live one's
    help_verdict: str  # "too_few", "not_significant", "helps_more" or "helps_less"
    time: TimeTest

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (moments in ISO 8601)."""
        out = asdict(self)
        for moment in ("started_at", "ended_at"):
            value = getattr(self, moment)
            out[moment] = value.isoformat() if value else None
        plain: dict[str, Any] = _plain(out)
        return plain


def trial_figures(trial: Trial) -> TrialFigures:
    """The comparison of a trial's two arms, from the rollup in one query."""
    sums: dict[int, Counter[tuple[str, int]]] = {
        trial.live_id: Counter(),
        trial.variant_id: Counter(),
    }
    rows = Tally.objects.filter(
        flow_version__in=list(sums), step=trial.tally_step, measure__in=m.TRIAL_MEASURES
    )
    for row in rows.values("flow_version", "measure", "bucket").annotate(n=Sum("count")):
        sums[row["flow_version"]][(row["measure"], row["bucket"])] += row["n"]
    live = _arm("live", trial.live, sums[trial.live_id])
    variant = _arm("variant", trial.variant, sums[trial.variant_id])
    help_change = Difference.of("trial", "help", "", live.help_rate, variant.help_rate)
    return TrialFigures(
        trial=trial.pk,
        flow=trial.key,
        share=trial.share,
        started_at=trial.started_at,
        ended_at=trial.ended_at,
        outcome=trial.outcome,
        live=live,
        variant=variant,
        help=help_change,
        help_verdict=_help_verdict(help_change),
        time=time_test(live.seconds, variant.seconds),
    )


def _arm(name: str, version: FlowVersion, sums: Counter[tuple[str, int]]) -> Arm:
    seconds = sorted((b, n) for (measure, b), n in sums.items() if measure == m.TRIAL_SECONDS and n)
    yes, no = sums[(m.TRIAL_YES, 0)], sums[(m.TRIAL_NO, 0)]
    return Arm(
        arm=name,
        version=str(version),
        version_id=version.pk,
        sessions=sums[(m.TRIAL_STARTED, 0)],
        solved=sum(n for _, n in seconds),
        yes=yes,
        no=no,
        help_rate=Rate.of(yes, yes + no),
        median_seconds=_quantile(seconds, 0.5),
        seconds=seconds,
    )


def _help_verdict(change: Difference) -> str:
    if change.change is None:
        return "too_few"
    if not change.is_significant:
        return "not_significant"
    return "helps_more" if change.change > 0 else "helps_less"


def time_test(live: list[tuple[int, int]], variant: list[tuple[int, int]]) -> TimeTest:
    """Mann-Whitney's U on two histograms of (seconds bucket, sessions), two-sided.

    Sessions in the same bucket count as ties (half a win each), and the variance is
    corrected for them, so the bucketing makes the test cautious, never bold. The normal
    approximation (with continuity correction) needs TIME_TEST_MIN sessions per arm.
    """
    live_median, variant_median = _quantile(live, 0.5), _quantile(variant, 0.5)
    n_live, n_variant = sum(n for _, n in live), sum(n for _, n in variant)
    if min(n_live, n_variant) < TIME_TEST_MIN:
        return TimeTest(live_median, variant_median, False, None, None, "too_few")
    counts: dict[int, list[int]] = {}
    for bucket, n in live:
        counts.setdefault(bucket, [0, 0])[0] += n
    for bucket, n in variant:
        counts.setdefault(bucket, [0, 0])[1] += n
    faster = 0.0  # pairs (variant, live) where the variant session took less time
    slower_live = n_live  # live sessions in buckets above the current one
    ties = 0
    for bucket in sorted(counts):
        in_live, in_variant = counts[bucket]
        slower_live -= in_live
        faster += in_variant * (slower_live + in_live / 2)
        ties += (in_live + in_variant) ** 3 - (in_live + in_variant)
    total = n_live + n_variant
    pairs = n_live * n_variant
    variance = pairs / 12 * ((total + 1) - ties / (total * (total - 1)))
    share = faster / pairs
    if variance <= 0:  # every session in one bucket: nothing tells the arms apart
        return TimeTest(live_median, variant_median, True, share, 1.0, "not_significant")
    z = max(abs(faster - pairs / 2) - 0.5, 0.0) / math.sqrt(variance)
    p_value = math.erfc(z / math.sqrt(2))
    verdict = "faster" if share > 0.5 else "slower"
    if p_value >= ALPHA:
        verdict = "not_significant"
    return TimeTest(live_median, variant_median, True, share, p_value, verdict)


TABLES = ("arms", "difference")


def trial_table(result: TrialFigures, name: str) -> list[dict[str, Any]]:
    """One table of the trial page as rows of plain values (the CSV export writes these)."""
    if name == "arms":
        rows = []
        for arm in (result.live, result.variant):
            row = {k: v for k, v in asdict(arm).items() if k not in ("help_rate", "seconds")}
            rows.append(row | {f"help_rate_{k}": v for k, v in asdict(arm.help_rate).items()})
        return rows
    time = result.time
    return [
        {
            "measure": "help_rate",
            "live": result.live.help_rate.value,
            "variant": result.variant.help_rate.value,
            "change": result.help.change,
            "low": result.help.low,
            "high": result.help.high,
            "p_value": None,
            "verdict": result.help_verdict,
        },
        {
            "measure": "median_seconds",
            "live": time.live_median,
            "variant": time.variant_median,
            "change": None
            if time.live_median is None or time.variant_median is None
            else time.variant_median - time.live_median,
            "low": None,
            "high": None,
            "p_value": time.p_value,
            "verdict": time.verdict,
        },
    ]
