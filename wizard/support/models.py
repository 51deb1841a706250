"""Read-only share links to a session, and the log of everyone who opened one.

A link's token exists only in the response that created it: the database keeps its
SHA-256 hash, so a copy of the database (a backup, a leak) opens nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from base64 import urlsafe_b64encode
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wizard.sellers.models import hash_token

from .channels import SupportChannel
from .erasure import DeletedSession, ErasedLink
from .outbox import Outbox
from .queue import Case
from .summary import case_summary

__all__ = [
    "Case",
    "DeletedSession",
    "ErasedLink",
    "Note",
    "Outbox",
    "ShareLink",
    "ShareView",
    "SupportChannel",
]

if TYPE_CHECKING:
    from wizard.sellers.models import Session


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    """Share links, with what the pages listing them need."""

    def with_views(self) -> ShareLinkQuerySet:
        """Each link with its number of views and the time of the last one (one query)."""
        return self.annotate(
            view_count=models.Count("views"), last_viewed_at=models.Max("views__viewed_at")
        )

    def usable(self, now: dt.datetime | None = None) -> ShareLinkQuerySet:
        """Links that still open: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """A read-only link to one session's transcript and solution."""

    session = models.ForeignKey("sellers.Session", on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Staff who made the link; empty when the seller made it from their session.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Made for "contact support": the summary the seller sends carries this link.
    is_for_support = models.BooleanField(default=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        db_table = "wizard_sharelink"  # its name from before the apps (no rows moved)
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["session", "-created_at"], name="sharelink_session_recent")]

    def __str__(self) -> str:
        return f"share link {self.pk} of {self.session_id}"

    @classmethod
    def create(
        cls,
        session: Session,
        *,
        by: Any = None,
        is_for_support: bool = False,
        token: str | None = None,
    ) -> tuple[ShareLink, str]:
        """Make a link; returns it with its token, which is never stored."""
        token = token or secrets.token_urlsafe(32)
        now = timezone.now()
        link = cls.objects.create(
            session=session,
            token_hash=hash_token(token),
            created_at=now,
            created_by=by,
            is_for_support=is_for_support,
            expires_at=now + dt.timedelta(days=settings.SHARE_LINK_DAYS),
        )
        return link, token

    @classmethod
    def for_support(cls, session: Session, *, staff_url: str = "") -> tuple[ShareLink, str]:
        """The seller asks support for help: a link for the summary, and the case escalates;
        the first time it does, the team is notified (through the outbox)."""
        is_new = session.status != session.Status.ESCALATED
        with transaction.atomic():
            created = cls._support_link(session)
            session.set_status(session.Status.ESCALATED)
            Case.escalated(session)
            if is_new:
                Outbox.escalation(escalation_notice(session, staff_url))
        return created

    @classmethod
    def _support_link(cls, session: Session) -> tuple[ShareLink, str]:
        """The case's one support link: each press of a contact button (WhatsApp, then
        email, then again) carries the same link while it works, a new one after it was
        revoked or expired. Only hashes are stored, so the token is derived again, with
        Django's salted HMAC of the secret key, from the session and the link's number."""
        made = cls.objects.filter(session=session, is_for_support=True).count()
        if made:
            token = _support_token(session, made - 1)
            link = cls.objects.filter(token_hash=hash_token(token)).first()
            if link is not None and link.is_usable:
                return link, token
        token = _support_token(session, made)
        return cls.create(session, is_for_support=True, token=token)

    @classmethod
    def find(cls, token: str) -> ShareLink | None:
        """The link a token names, with its session, whether or not it still opens."""
        return (
            cls.objects.select_related("session", "session__flow_version")
            .defer("session__flow_version__document", "session__flow_version__checksum")
            .filter(token_hash=hash_token(token))
            .first()
        )

    @property
    def is_revoked(self) -> bool:
        """Whether someone revoked the link."""
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        """Whether the link's time ran out."""
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        """Whether the link still opens."""
        return not self.is_revoked and not self.is_expired

    def revoke(self, *, by: Any = None) -> None:
        """Close the link for good (the first revocation's time and author are kept)."""
        now = timezone.now()
        if ShareLink.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        ):
            self.revoked_at, self.revoked_by = now, by

    def record_view(self, viewer: Any) -> None:
        """Log that the link was opened, by signed-in staff or by an anonymous holder.

        The one write a GET makes: every opening must be on record for the seller and
        staff, and a log row changes nothing the page shows."""
        # Only support reading the case counts as a staff view; anyone else is a holder.
        staff = viewer if viewer is not None and viewer.has_perm("sellers.view_session") else None
        ShareView.objects.create(link=self, viewer=staff)


class ShareView(models.Model):
    """One opening of a share link: when, and which staff member (empty: anonymous)."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(default=timezone.now)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "wizard_shareview"  # its name from before the apps (no rows moved)
        ordering = ["-viewed_at", "-id"]
        indexes = [models.Index(fields=["link", "-viewed_at"], name="shareview_link_recent")]

    def __str__(self) -> str:
        return f"view of {self.link_id} at {self.viewed_at:%Y-%m-%d %H:%M}"


class Note(models.Model):
    """A staff note on a case; a note may also record a change of status."""

    # Empty once the seller deleted their answers: the team's note stays, unlinked.
    session = models.ForeignKey(
        "sellers.Session", null=True, on_delete=models.SET_NULL, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    # The status the case was set to with this note; empty when it stayed the same.
    status = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "wizard_note"  # its name from before the apps (no rows moved)
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"], name="note_session_time")]

    def __str__(self) -> str:
        return f"note on {self.session_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, session: Session, *, author: Any, text: str, status: str) -> Note | None:
        """Add a note and/or change the status; nothing is stored when neither is new."""
        text = text.strip()
        changed = status if status and status != session.status else ""
        if not text and not changed:
            return None
        with transaction.atomic():
            if changed:
                session.set_status(changed)
            else:
                session.touch()
            if changed == session.Status.ESCALATED:
                Case.escalated(session)
            Case.responded(session)
            return cls.objects.create(session=session, author=author, text=text, status=changed)


def _support_token(session: Session, number: int) -> str:
    digest = salted_hmac(
        "pesanan-lancar.support-link", f"{session.pk}:{number}", algorithm="sha256"
    )
    return urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def escalation_notice(session: Session, staff_url: str) -> dict[str, Any]:
    """What the team's notifications say about a case (in the team's language): its code,
    solution, language, deadline, the whole case as the seller's message has it (every
    answer) and the staff link — never a seller's or share token. `text` is the email's
    body and what Slack-compatible webhooks show."""
    walk = session.walk()
    flow = session.flow
    deadline = session.deadline(walk)
    with translation.override(settings.SUPPORT_LANGUAGE):
        solution = flow.render(walk.solution.title, get_language()) if walk.solution else ""
        due = deadline.due_at.strftime("%Y-%m-%d %H:%M") + f" {session.zone}" if deadline else ""
        facts = {"code": session.code, "solution": solution or _("no solution yet")}
        text = _("Case %(code)s needs support: %(solution)s.") % facts
        text += " " + _("Seller's language: %(language)s.") % {"language": session.language}
        if due:
            text += " " + _("Deadline: %(when)s.") % {"when": due}
        text += f" {staff_url}"
        text += "\n\n" + case_summary(session, walk, language=settings.SUPPORT_LANGUAGE)
        subject = _("[Pesanan Lancar] Case %(code)s needs support") % facts
    return {
        "subject": subject,
        "text": text,
        "code": session.code,
        "solution": solution,
        "solution_key": session.outcome,
        "language": session.language,
        "deadline": deadline.due_at.isoformat() if deadline else None,
        "staff_url": staff_url,
    }
