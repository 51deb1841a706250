"""A/B trials: a variant version that takes a share of the new sessions from the live one.

The trial is a seller's model because a `Session` points at the trial it joined, and
`sellers` may not import `editors`; starting and ending one is the workshop's business
(`wizard/editors/trials.py`), which keeps the audit log.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .versions import FlowVersion

# A share is read in hundredths of a per cent: sha256 spreads tokens evenly over 0..9999.
BUCKETS = 10_000
MAX_SHARE = 50  # a variant never takes most of the traffic: the live version stays the base


def in_variant(token: str, share: int) -> bool:
    """Whether a session token falls in the variant's `share` (a whole per cent).

    The same token always gives the same answer, in every process and after a restart,
    so an assignment can be recomputed and checked from the token alone.
    """
    bucket = int.from_bytes(hashlib.sha256(token.encode()).digest()[:4], "big") % BUCKETS
    return bucket < share * BUCKETS // 100


class Trial(models.Model):
    """A variant version tried on a share of new sellers' sessions beside the live one."""

    class Outcome(models.TextChoices):
        RUNNING = "", _("running")
        LIVE = "live", _("kept the live version")
        VARIANT = "variant", _("made the variant live")

    key = models.CharField(max_length=50)  # the flow's key
    live = models.ForeignKey(FlowVersion, on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(FlowVersion, on_delete=models.PROTECT, related_name="+")
    share = models.PositiveSmallIntegerField()  # per cent of new sessions given the variant
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            # Two editors starting a trial at once: the database lets only one run.
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(ended_at__isnull=True), name="one_running_trial"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gte=1, share__lte=MAX_SHARE), name="trial_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"trial {self.pk}: {self.variant} against {self.live} ({self.share} %)"

    @property
    def is_running(self) -> bool:
        return self.ended_at is None

    @property
    def tally_step(self) -> str:
        """The rollup's step under which this trial's sessions are counted per arm."""
        return f"trial {self.pk}"

    @classmethod
    def running_on(cls, live: FlowVersion) -> Trial | None:
        """The trial that shares new sessions of `live` with a variant, if one runs.

        A trial whose live version was replaced since (a publish, a file loaded) gives no
        new sessions until it is ended: its two arms would no longer be the versions a
        seller gets. One indexed query, made on each start like the live version's own.
        """
        trials = cls.objects.filter(live=live, ended_at__isnull=True).select_related("variant")
        trial = trials.defer("variant__document").first()
        if trial is not None:
            trial.live = live  # the caller's own copy: no second query for it
        return trial

    def version_for(self, token: str) -> FlowVersion:
        """The version a new session with this token is pinned to."""
        return self.variant if in_variant(token, self.share) else self.live
