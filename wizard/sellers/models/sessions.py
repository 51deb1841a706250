"""Seller sessions and the log of every answer ever given."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wizard.flows import Flow, Solution, Value, Walk, walk
from wizard.flows.changes import FactChange, carried_answers, fact_changes
from wizard.flows.deadlines import ZONES, Deadline, deadline, seller_zone
from wizard.flows.engine import kept_answers
from wizard.flows.graph import reachable
from wizard.flows.match import mask
from wizard.web.limits import sliding
from wizard.web.metrics import ANSWERS

from . import tallies, writes
from .trials import Trial
from .versions import FlowVersion, parsed_flow

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud on calls


def new_token() -> str:
    """A session token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token (a session's or a share link's): its SHA-256. A copy of
    the database then opens nothing; 256 random bits need no salt or slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    """A short code a seller can read to support staff over the phone."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class TokenUnknown(RuntimeError):
    """The session's token was asked for, but this instance was not reached by it: only
    its hash is stored, so only the request that made it or carries it knows it."""


class StaleRevision(Exception):
    """The session changed since the page was shown (another tab, a double tap)."""


class NotOnPath(Exception):
    """The question is not on the session's current path."""


class Session(models.Model):
    """A seller's answers to one pinned flow version, and what they were told."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")
        ESCALATED = "escalated", _("escalated")

    class StartMode(models.TextChoices):
        QUESTIONS = "questions", _("from the questions")
        WORDS = "words", _("from the seller's words")
        SCREENSHOT = "screenshot", _("from a screenshot")

    # The token itself is never stored: it is in the seller's link only (see `token`).
    token_hash = models.CharField(max_length=64, unique=True)
    code = models.CharField(max_length=12, unique=True, default=new_code)
    flow_version = models.ForeignKey(FlowVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    current_step = models.CharField(max_length=64)
    outcome = models.CharField(max_length=64, blank=True)
    helped = models.BooleanField(null=True, blank=True)
    # The cause the seller said solved it: the solution reached, or a next cause after a
    # "No". Staff setting a status never writes it, so a case page can tell the two apart.
    solved_by = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="id")
    zone = models.CharField(max_length=8, default="WIB")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    # An editor walking a draft: not a case, not counted, purged after a day.
    is_preview = models.BooleanField(default=False)
    # The A/B trial the session was assigned in (by its token); `flow_version` says which
    # of the two versions it got. NULL: started while no trial ran (or by staff, or a
    # preview), so it is in no trial's figures.
    trial = models.ForeignKey(
        Trial, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    # The session's own rate limit (RATE_LIMIT_ANSWERS): how many writes it made in the
    # limit's current window and in the one before, counted in the UPDATE that writes.
    # An answer needs no cache round trip for it (on SQLite's file cache that was three
    # file operations, 0.4 ms of an answer's 2.4 ms under gunicorn), and the limit holds
    # on every app server with or without Redis.
    writes_window = models.BigIntegerField(default=0)
    writes = models.PositiveIntegerField(default=0)
    writes_before = models.PositiveIntegerField(default=0)
    # How the seller began: pressing Start, their own words, or a screenshot's text.
    start_mode = models.CharField(
        max_length=12, choices=StartMode.choices, default=StartMode.QUESTIONS
    )
    # What the seller wrote (or a screenshot said), masked, for support to read: a list of
    # {"source": "words" | "screenshot", "at": question key, "text": masked text}.
    words = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "wizard_session"  # its name from before the apps (no rows moved)
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="session_status_recent"),
            models.Index(fields=["outcome", "-updated_at"], name="session_outcome_recent"),
            # The staff case list filters on one of these and shows newest activity first.
            models.Index(fields=["language", "-updated_at"], name="session_language_recent"),
            models.Index(fields=["flow_version", "-updated_at"], name="session_version_recent"),
            models.Index(fields=["helped", "-updated_at"], name="session_helped_recent"),
            # Insight compares help rates by how sessions started, per version.
            models.Index(fields=["flow_version", "start_mode"], name="session_version_start"),
            # The sessions started in the last hour, which suggest an incident when too
            # many of them point at the platform (wizard/support/waves.py).
            models.Index(fields=["created_at"], name="session_started"),
        ]

    # The token, when this instance was made by `start` or found by `opened_by`.
    _token: str | None = None

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        """The session link: resumes where the seller left off."""
        return reverse("resume", args=[self.token])

    @property
    def token(self) -> str:
        """The token of the seller's link, known only to the request that created the
        session or carries the token in its path; anything else reaches a session by
        its code on a staff page."""
        if self._token is None:
            raise TokenUnknown(f"session {self.code} was not opened by its token")
        return self._token

    @classmethod
    def opened_by(cls, token: str) -> Session | None:
        """The session a token opens (by its hash, a unique index), carrying the token:
        the one read of every step."""
        # get(), not first(): the hash is unique, and first() would add an ORDER BY.
        try:
            session = cls.objects.get(token_hash=hash_token(token))
        except cls.DoesNotExist:
            return None
        session._token = token
        return session

    @classmethod
    def in_progress(cls, key: str) -> int:
        """How many open sessions are on some version of a flow (each stays on its own)."""
        sessions = cls.objects.filter(flow_version__key=key, status=cls.Status.OPEN)
        return sessions.filter(is_preview=False).count()

    @classmethod
    def start(
        cls,
        version: FlowVersion,
        *,
        language: str,
        started_by: Any = None,
        answers: dict[str, Value] | None = None,
        is_preview: bool = False,
        trial: Trial | None = None,
        token: str | None = None,
        words: str = "",
        source: str = StartMode.WORDS,
    ) -> Session:
        """Begin a session on a published version, with any answers the seller already
        confirmed (from their own words); those off the path they make are ignored. The
        words themselves (`source`: typed, or read from a screenshot) are kept masked.

        In a `trial`, `version` is the one the session's `token` was assigned to
        (`Trial.version_for`); the session keeps it, whatever happens to the trial."""
        now = timezone.now()
        position = walk(version.flow, answers or {}, now)
        # Answers to questions still ahead (past a date the words could not give) wait
        # there, as after any answer.
        confirmed = kept_answers(version.flow, answers or {}, position)
        token = token or new_token()
        with transaction.atomic():
            session = cls.objects.create(
                token_hash=hash_token(token),
                flow_version=version,
                trial=trial,
                answers=confirmed,
                revision=len(confirmed),
                current_step=position.step,
                outcome=position.solution.key if position.solution else "",
                solved_at=now if position.solution else None,
                language=language if language in dict(settings.LANGUAGES) else "id",
                started_by=started_by,
                is_preview=is_preview,
                created_at=now,
                updated_at=now,
                start_mode=_start_mode(words, source),
                words=_kept_words([], words, source, version.flow.start),
            )
            session._token = token  # returned in the seller's link, never stored
            tallies.add(tallies.facts(session))
            Answer.objects.bulk_create(
                Answer(
                    session=session,
                    question=key,
                    value=value,
                    revision=number,
                    answered_at=now,
                    answered_by=started_by,
                )
                for number, (key, value) in enumerate(confirmed.items(), 1)
            )
        return session

    @property
    def flow(self) -> Flow:
        """The flow version this session is pinned to."""
        return parsed_flow(self.flow_version_id)

    def walk(self, now: dt.datetime | None = None) -> Walk:
        """Where the seller stands, computed from the flow and the answers."""
        return walk(self.flow, self.answers, now or timezone.now())

    def answer(
        self,
        key: str,
        value: Value,
        *,
        revision: int,
        by: Any = None,
        zone: str | None = None,
        before: Walk | None = None,
    ) -> Walk:
        """Record an answer (new or changed) given on the page shown at `revision`; a
        date/time answer also keeps the seller's time zone (WIB, WITA or WIT).

        `before` is this request's walk of the stored answers, when the caller has one
        already: walking again would give the same path."""
        if revision != self.revision:
            raise StaleRevision
        now = timezone.now()
        if before is None:
            before = self.walk(now)
        if not before.is_on_path(key):
            raise NotOnPath
        answers = dict(self.answers)
        answers[key] = value
        after = walk(self.flow, answers, now)
        changes = self._walked_to(after, answers, revision, now)
        if zone in ZONES:
            changes["zone"] = zone
        # The rollup's move is worked out before the transaction (it walks the flow): on
        # SQLite the transaction holds the database's one write lock, on PostgreSQL the
        # rollup's rows (every answer of a day moves the same counts) until it commits.
        # `after` is the walk of the new answers at `now`, the changes' updated_at.
        counted_after = tallies.facts(self, changes, position=after)
        moved = tallies.difference(
            tallies.facts(self), counted_after + tallies.answered(self, key, now)
        )
        log = Answer(
            session_id=self.pk,
            question=key,
            value=value,
            revision=revision + 1,
            answered_at=now,
            answered_by=by,
        )
        # The revision in the WHERE clause makes a second writer of the same revision
        # update nothing, so neither answer is silently overwritten.
        if not writes.write(Session, self.pk, revision, changes, moved, [log]):
            raise StaleRevision
        ANSWERS.inc()  # /metrics: answers per minute
        for field, new in changes.items():
            setattr(self, field, new)
        return after

    def explain(
        self,
        at: str,
        answers: dict[str, str],
        *,
        words: str,
        source: str,
        revision: int,
        before: Walk | None = None,
    ) -> Walk:
        """Take the answers the seller confirmed from their words on question `at` (that
        question's and those of questions after it; others are ignored), and keep the
        words, masked, for support. No answer confirmed: only the words are kept."""
        if revision != self.revision:
            raise StaleRevision
        now = timezone.now()
        if before is None:
            before = self.walk(now)
        if not before.is_on_path(at):
            raise NotOnPath
        ahead = {at} | reachable(self.flow, at)
        given = {key: value for key, value in answers.items() if key in ahead}
        merged: dict[str, Value] = {**self.answers, **given}
        after = walk(self.flow, merged, now)
        changes = self._walked_to(after, merged, revision, now)
        changes["words"] = _kept_words(self.words, words, source, at)
        kept = changes["answers"]
        logs = [
            Answer(session=self, question=key, value=value, revision=revision + 1, answered_at=now)
            for key, value in given.items()
            if key in kept
        ]
        after_facts = tallies.facts(self, changes, position=after)
        if logs:
            questions = [log.question for log in logs]
            after_facts += tallies.answered(self, questions[0], now, then=questions[1:])
        moved = tallies.difference(tallies.facts(self), after_facts)
        if not writes.write(Session, self.pk, revision, changes, moved, logs):
            raise StaleRevision
        for field, new in changes.items():
            setattr(self, field, new)
        return after

    def deadline(self, walk: Walk, now: dt.datetime | None = None) -> Deadline | None:
        """The deadline the page talks about: the solution's own rule, or else the first
        "also check" finding's, computed from the seller's answers."""
        for step in (walk.solution, *walk.findings):
            if step is not None and step.deadline is not None:
                return self.deadline_for(step, walk, now)
        return None

    def deadline_for(
        self, step: Solution, walk: Walk, now: dt.datetime | None = None
    ) -> Deadline | None:
        """The deadline one solution or finding names, from the seller's answers."""
        if step.deadline is None:
            return None
        return deadline(
            step.deadline,
            self.flow,
            walk.answers,
            seller_zone(self.zone),
            now or timezone.now(),
            since=step.deadline_from,
        )

    def rule_changes(self, live: FlowVersion | None) -> list[FactChange]:
        """The facts this session's pages show whose value the live version changed; none
        when it is on the live version, a preview, or in a trial (it keeps its arm)."""
        if (
            live is None
            or live.pk == self.flow_version_id
            or self.is_preview
            or self.trial_id is not None
        ):
            return []
        if live.key != self.flow.key:
            return []
        return fact_changes(self.flow, live.flow, self.walk())

    def move_to(self, version: FlowVersion, *, revision: int) -> Walk:
        """Continue on `version`, carrying the answers to the same questions that it still
        accepts; the log keeps every answer given on the older one."""
        now = timezone.now()
        answers = carried_answers(self.answers, version.flow, now)
        after = walk(version.flow, answers, now)
        outcome = after.solution.key if after.solution else ""
        changes: dict[str, Any] = {
            "flow_version_id": version.pk,
            "answers": answers,
            "current_step": after.step,
            "outcome": outcome,
        }
        if outcome != self.outcome:
            changes |= {"helped": None, "solved_at": now if outcome else None}
        self._change(revision, **changes)
        return after

    def restart(self, *, revision: int) -> None:
        """Start over: clear the answers that count (the log keeps them all)."""
        self._change(
            revision,
            answers={},
            current_step=self.flow.start,
            outcome="",
            helped=None,
            solved_by="",
            solved_at=None,
            status=self.Status.OPEN,
        )

    def record_feedback(self, helped: bool, *, revision: int) -> None:
        """Store the seller's answer to "Did this solve it?"."""
        status = self.Status.RESOLVED if helped else self.Status.OPEN
        solved_by = self.outcome if helped else ""
        self._change(revision, helped=helped, status=status, solved_by=solved_by)

    def solved_by_next_cause(self, cause: str) -> None:
        """The seller says a next cause, checked after a "No", solved it."""
        now = timezone.now()
        changes = {"status": self.Status.RESOLVED, "solved_by": cause, "updated_at": now}
        with transaction.atomic():
            Session.objects.filter(pk=self.pk).update(**changes)
            tallies.change(tallies.facts(self), tallies.facts(self, changes))
        self.status, self.solved_by, self.updated_at = self.Status.RESOLVED, cause, now

    def set_status(self, status: str) -> None:
        """Change the case status (staff, or the seller asking for support). The revision
        stays: a status change must not make the seller's open page stale."""
        now = timezone.now()
        changes = {"status": status, "updated_at": now}
        with transaction.atomic():
            Session.objects.filter(pk=self.pk).update(**changes)
            tallies.change(tallies.facts(self), tallies.facts(self, changes))
        self.status, self.updated_at = status, now

    def touch(self) -> None:
        """Mark activity on the case (a staff note), so the case list shows it first."""
        now = timezone.now()
        with transaction.atomic():
            Session.objects.filter(pk=self.pk).update(updated_at=now)
            # Only a path that turns with time (hours since the order) changes a count.
            tallies.change(tallies.facts(self), tallies.facts(self, {"updated_at": now}))
        self.updated_at = now

    def set_language(self, language: str) -> None:
        """Keep the seller's language choice with the session (a write of its budget)."""
        if language in dict(settings.LANGUAGES) and language != self.language:
            with transaction.atomic():
                before = tallies.facts(self)
                self.count_write(language=language)
                tallies.change(before, tallies.facts(self))

    def count_write(self, **changes: Any) -> None:
        """Count a write of the seller's that is not made on a revision (a language
        change, a share link revoked, a sighting ended) against the session's budget,
        with `changes` in the same UPDATE; OverLimit past it. The counts are added in
        SQL, so two at once both count."""
        counted = self._counted(timezone.now())
        counting = _counting_in_sql(counted["writes_window"])
        Session.objects.filter(pk=self.pk).update(**changes, **counting)
        for field, new in {**changes, **counted}.items():
            setattr(self, field, new)

    def _walked_to(
        self, after: Walk, answers: dict[str, Value], revision: int, now: dt.datetime
    ) -> dict[str, Any]:
        """The row's changes when `answers` lead to `after`: the answers still on the path,
        the step, the outcome (a new one resets its feedback) and the write's count, which
        raises OverLimit past the session's budget, before anything is written."""
        outcome = after.solution.key if after.solution else ""
        changes: dict[str, Any] = {
            "answers": kept_answers(self.flow, answers, after),
            "revision": revision + 1,
            "current_step": after.step,
            "outcome": outcome,
            "updated_at": now,
            **self._counted(now),
        }
        if outcome != self.outcome:
            changes |= {"helped": None, "solved_at": now if outcome else None}
        return changes

    def _counted(self, now: dt.datetime) -> dict[str, int]:
        """The write counts after one more write at `now`, for the UPDATE that makes it
        (on its revision, so no other write of this session comes between); OverLimit
        past the session's budget."""
        window, current, previous = sliding(
            "answer", now.timestamp(), self.writes_window, self.writes, self.writes_before
        )
        return {"writes_window": window, "writes": current, "writes_before": previous}

    def _change(self, revision: int, **changes: Any) -> None:
        if revision != self.revision:
            raise StaleRevision
        now = timezone.now()
        changes |= {"revision": revision + 1, "updated_at": now, **self._counted(now)}
        moved = tallies.difference(tallies.facts(self), tallies.facts(self, changes))
        if not writes.write(Session, self.pk, revision, changes, moved):
            raise StaleRevision
        for field, new in changes.items():
            setattr(self, field, new)

    def step_url(self, key: str | None = None) -> str:
        """The page of one step (the current one by default)."""
        return reverse("step", args=[self.token, key or self.current_step])


class Answer(models.Model):
    """One answer as it was given; the log is append-only and keeps changed answers."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="log")
    question = models.CharField(max_length=64)
    value = models.JSONField()
    revision = models.PositiveIntegerField()
    answered_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "wizard_answer"  # its name from before the apps (no rows moved)
        ordering = ["answered_at", "id"]
        indexes = [models.Index(fields=["session", "answered_at"], name="answer_session_time")]

    def __str__(self) -> str:
        return f"{self.question} = {self.value!r}"


WORDS_KEPT = 5  # a seller who explains again and again keeps the latest few
WORDS_LENGTH = 1000  # characters of one explanation kept (the form takes 300; OCR more)


def _start_mode(words: str, source: str) -> str:
    if not words.strip():
        return Session.StartMode.QUESTIONS
    return source if source in Session.StartMode.values else Session.StartMode.WORDS


def _kept_words(kept: list[dict[str, str]], words: str, source: str, at: str) -> list[Any]:
    """The seller's explanations with this one added, masked (phone and order numbers)."""
    text = mask(words.strip())[:WORDS_LENGTH]
    if not text:
        return list(kept)
    source = (
        source if source in (Session.StartMode.WORDS, Session.StartMode.SCREENSHOT) else "words"
    )
    return [*kept, {"source": source, "at": at, "text": text}][-WORDS_KEPT:]


def _counting_in_sql(window: int) -> dict[str, Any]:
    """One more write in `window`, as UPDATE assignments that read the row's counts as
    they are then (for writes that are not made on a revision)."""
    same, next_one = models.Q(writes_window=window), models.Q(writes_window=window - 1)
    return {
        "writes": models.Case(
            models.When(same, then=models.F("writes") + 1), default=models.Value(1)
        ),
        "writes_before": models.Case(
            models.When(same, then=models.F("writes_before")),
            models.When(next_one, then=models.F("writes")),
            default=models.Value(0),
        ),
        "writes_window": models.Value(window),
    }
