"""Review as editors expect it: a draft waits for review, a reviewer comments, requests
changes or approves, the editors hear of it by email, and a rollback or a kept variant
needs the same second editor as a publish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import translation

from tests.documents import SMALL
from tests.staff import signed_in, staff_user
from wizard.editors.models import Comment, Draft, ReviewError
from wizard.editors.trials import end_trial, start_trial
from wizard.sellers.models import FlowVersion, Trial
from wizard.support.outbox import Outbox, deliver_due

RENAMED = SMALL.replace("Alur kecil", "Alur A")


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    with translation.override("en"):  # the messages the models raise, read in English
        yield


@pytest.fixture
def author(db: None) -> User:
    return staff_user("editors", "ayu")


@pytest.fixture
def reviewer(db: None) -> User:
    return staff_user("editors", "budi")


@pytest.fixture
def draft(version: FlowVersion, author: User) -> Draft:
    draft = Draft.start(version, by=author)
    draft.save_document(RENAMED, revision=1, by=author)
    return draft


def in_english(user: User) -> Client:
    return signed_in(user, HTTP_ACCEPT_LANGUAGE="en")


def with_email(user: User, address: str) -> User:
    user.email = address
    user.save(update_fields=["email"])
    return user


# The states.


def test_a_draft_goes_from_editing_to_waiting_to_changes_requested_and_back_to_approved(
    draft: Draft, author: User, reviewer: User
) -> None:
    assert draft.state == Draft.State.EDITING
    draft.submit(by=author)
    assert draft.state == Draft.State.WAITING
    draft.request_changes("Name it in English too.", by=reviewer)
    assert draft.state == Draft.State.CHANGES_REQUESTED
    draft.save_document(RENAMED.replace("Alur A", "Alur B"), revision=draft.revision, by=author)
    assert draft.state == Draft.State.EDITING  # the author works on it
    draft.submit(by=author)
    draft.approve(by=reviewer)
    assert (draft.state, draft.is_approved, draft.approved_by) == ("approved", True, reviewer)
    version = draft.publish(by=author, note="renamed")
    assert (draft.state, draft.published_as) == ("published", version)


@pytest.mark.parametrize(
    ("before", "step", "message"),
    [
        ("editing", "approve", "Only a draft waiting for review can be approved; this one is “being edited”."),
        ("editing", "request_changes", "can be sent back for changes; this one is “being edited”."),
        ("waiting", "submit", "can be sent for review; this one is “waiting for review”."),
        ("approved", "submit", "can be sent for review; this one is “approved”."),
        ("approved", "approve", "can be approved; this one is “approved”."),
        ("changes", "approve", "can be approved; this one is “changes requested”."),
        ("changes", "request_changes", "this one is “changes requested”."),
        ("published", "submit", "this one is “published”."),
    ],
)  # fmt: skip
def test_a_step_the_state_does_not_allow_is_refused_and_says_why(
    draft: Draft, author: User, reviewer: User, before: str, step: str, message: str
) -> None:
    if before != "editing":
        draft.submit(by=author)
    if before in ("approved", "published"):
        draft.approve(by=reviewer)
    if before == "changes":
        draft.request_changes("Not yet.", by=reviewer)
    if before == "published":
        draft.publish(by=author, note="n")
    steps: dict[str, Callable[[], object]] = {
        "submit": lambda: draft.submit(by=author),
        "approve": lambda: draft.approve(by=reviewer),
        "request_changes": lambda: draft.request_changes("Again.", by=reviewer),
    }
    with pytest.raises(ReviewError) as refused:
        steps[step]()
    assert message in str(refused.value)
    draft.refresh_from_db()
    assert draft.state == before


def test_the_author_neither_approves_nor_requests_changes_and_a_request_needs_a_comment(
    draft: Draft, author: User, reviewer: User
) -> None:
    draft.submit(by=author)
    with pytest.raises(ReviewError, match="author of a draft cannot approve it"):
        draft.approve(by=author)
    with pytest.raises(ReviewError, match="cannot request changes to their own draft"):
        draft.request_changes("Hmm.", by=author)
    with pytest.raises(ReviewError, match="needs a comment"):
        draft.request_changes("  ", by=reviewer)
    draft.refresh_from_db()
    assert draft.state == Draft.State.WAITING
    assert not Comment.objects.exists()


def test_an_editor_who_changed_the_draft_cannot_approve_it(
    draft: Draft, author: User, reviewer: User
) -> None:
    draft.save_document(RENAMED, revision=draft.revision, by=reviewer)  # a helping hand
    draft.submit(by=author)
    with pytest.raises(ReviewError, match="You changed this draft"):
        draft.approve(by=reviewer)
    third = staff_user("editors", "citra")
    draft.approve(by=third)
    draft.refresh_from_db()
    assert (draft.state, draft.approved_by) == (Draft.State.APPROVED, third)


def test_a_save_keeps_a_waiting_draft_waiting_and_voids_an_approval(
    draft: Draft, author: User, reviewer: User
) -> None:
    draft.submit(by=author)
    seen = draft.revision
    draft.save_document(RENAMED.replace("Alur A", "Alur B"), revision=seen, by=author)
    assert draft.state == Draft.State.WAITING
    with pytest.raises(ReviewError, match="saved since you opened it"):
        draft.approve(by=reviewer, revision=seen)  # the reviewer read the older text
    draft.approve(by=reviewer, revision=draft.revision)
    draft.save_document(RENAMED, revision=draft.revision, by=author)
    assert (draft.state, draft.is_approved) == ("editing", False)
    with pytest.raises(ReviewError, match="second editor must approve"):
        draft.publish(by=author, note="after the approval")


def test_two_reviewers_at_once_cannot_both_move_the_draft(
    draft: Draft, author: User, reviewer: User
) -> None:
    draft.submit(by=author)
    other = Draft.objects.get(pk=draft.pk)  # a second reviewer's page, opened at the same time
    draft.request_changes("Not like this.", by=reviewer)
    with pytest.raises(ReviewError, match="this one is “changes requested”"):
        other.approve(by=staff_user("editors", "citra"))
    draft.refresh_from_db()
    assert (draft.state, draft.approved_by) == ("changes", None)


def test_a_rollback_or_a_kept_variant_cannot_be_edited(
    version: FlowVersion, draft: Draft, author: User, reviewer: User
) -> None:
    rollback = Draft.roll_back(version, by=reviewer, note="back")
    assert not rollback.is_editable
    with pytest.raises(ReviewError, match="cannot be edited"):
        rollback.save_document(RENAMED, revision=rollback.revision, by=reviewer)
    response = in_english(reviewer).post(
        f"/staff/flows/drafts/{rollback.pk}/", {"document": RENAMED, "revision": 1}
    )
    assert response.status_code == 200
    rollback.refresh_from_db()
    assert rollback.document == SMALL


# The pages.


def test_a_reviewer_comments_then_requests_changes_and_the_author_sees_both(
    draft: Draft, author: User, reviewer: User
) -> None:
    draft.submit(by=author)
    client = in_english(reviewer)
    url = f"/staff/flows/drafts/{draft.pk}"
    page = client.get(f"{url}/").content.decode()
    assert "Approve this draft" in page
    assert "Request changes" in page
    client.post(f"{url}/comment/", {"text": "Is “Alur A” final?", "revision": draft.revision})
    response = client.post(f"{url}/request-changes/", {"text": "", "revision": draft.revision})
    assert response.status_code == 303
    draft.refresh_from_db()
    assert draft.state == Draft.State.WAITING  # no comment, no request
    client.post(f"{url}/request-changes/", {"text": "Use “Alur B”.", "revision": draft.revision})
    draft.refresh_from_db()
    assert draft.state == Draft.State.CHANGES_REQUESTED
    comments = [(c.author, c.is_change_request, c.revision) for c in draft.comments.all()]
    assert comments == [(reviewer, False, 2), (reviewer, True, 2)]
    page = in_english(author).get(f"{url}/").content.decode()
    assert "Is “Alur A” final?" in page
    assert "Use “Alur B”." in page
    assert "changes requested" in page
    assert "Ask for a review again" in page
    assert "Approve this draft" not in page


def test_the_approve_button_holds_for_the_revision_the_reviewer_read(
    draft: Draft, author: User, reviewer: User
) -> None:
    draft.submit(by=author)
    read = draft.revision
    draft.save_document(RENAMED.replace("Alur A", "Alur B"), revision=read, by=author)
    response = in_english(reviewer).post(
        f"/staff/flows/drafts/{draft.pk}/approve/", {"revision": read}, follow=True
    )
    assert "saved since you opened it" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_approved
    in_english(reviewer).post(
        f"/staff/flows/drafts/{draft.pk}/approve/", {"revision": draft.revision}
    )
    draft.refresh_from_db()
    assert draft.is_approved


def test_the_workshop_lists_what_waits_for_each_editor(
    draft: Draft, author: User, reviewer: User
) -> None:
    def waiting(user: User) -> str:
        page = in_english(user).get("/staff/flows/").content.decode()
        return page.split('id="waiting-title"')[1].split("</section>")[0]

    assert "Nothing waits for you." in waiting(reviewer)
    in_english(author).post(f"/staff/flows/drafts/{draft.pk}/submit/")
    assert "waiting for your review" in waiting(reviewer)
    assert "Nothing waits for you." in waiting(author)  # the author cannot review it
    draft.refresh_from_db()
    draft.request_changes("Shorter.", by=reviewer)
    assert "changes were requested" in waiting(author)
    assert "Nothing waits for you." in waiting(reviewer)
    draft.submit(by=author)
    draft.approve(by=reviewer)
    assert "approved: you may publish it" in waiting(author)


def test_a_draft_the_checker_refuses_is_not_sent_for_review(
    version: FlowVersion, author: User
) -> None:
    broken = Draft.start(version, by=author)
    broken.save_document(SMALL.replace('go = "outage"', 'go = "nowhere"'), revision=1, by=author)
    response = in_english(author).post(f"/staff/flows/drafts/{broken.pk}/submit/", follow=True)
    assert "Fix the problems the checker found" in response.content.decode()
    broken.refresh_from_db()
    assert broken.state == Draft.State.EDITING
    assert not Outbox.objects.exists()


# Notifications.


def test_a_draft_sent_for_review_emails_the_other_editors_with_its_link(
    draft: Draft, author: User, reviewer: User, settings: Any
) -> None:
    settings.SUPPORT_LANGUAGE = "en"
    with_email(author, "ayu@example.com")
    with_email(reviewer, "budi@example.com")
    staff_user("editors", "citra")  # no address: nothing to send
    with_email(staff_user("support", "sari"), "sari@example.com")  # may not approve
    response = in_english(author).post(f"/staff/flows/drafts/{draft.pk}/submit/")
    assert response.status_code == 303
    [message] = Outbox.objects.all()
    assert message.recipient == "budi@example.com"
    assert message.subject == f"[Pesanan Lancar] Draft {draft.pk} waits for your review"
    assert f"ayu asks for a review of draft {draft.pk}" in message.body["text"]
    assert f"http://testserver/staff/flows/drafts/{draft.pk}/" in message.body["text"]
    assert deliver_due() is None  # the worker sends it
    assert mail.outbox[-1].to == ["budi@example.com"]


def test_the_author_hears_of_a_request_for_changes_and_of_the_approval(
    draft: Draft, author: User, reviewer: User, settings: Any
) -> None:
    settings.SUPPORT_LANGUAGE = "en"
    with_email(author, "ayu@example.com")
    with_email(reviewer, "budi@example.com")
    draft.submit(by=author)
    Outbox.objects.all().delete()
    client = in_english(reviewer)
    client.post(
        f"/staff/flows/drafts/{draft.pk}/request-changes/",
        {"text": "Say it in English too.", "revision": draft.revision},
    )
    [changes] = Outbox.objects.all()
    assert changes.recipient == "ayu@example.com"
    assert "budi requested changes" in changes.body["text"]
    assert "Say it in English too." in changes.body["text"]
    draft.submit(by=author)
    Outbox.objects.all().delete()
    client.post(f"/staff/flows/drafts/{draft.pk}/approve/", {"revision": draft.revision})
    [approved] = Outbox.objects.all()
    assert (approved.recipient, approved.subject) == (
        "ayu@example.com",
        f"[Pesanan Lancar] Draft {draft.pk} is approved",
    )


def test_notifications_are_written_in_the_teams_language(
    draft: Draft, author: User, reviewer: User, settings: Any
) -> None:
    settings.SUPPORT_LANGUAGE = "id"
    with_email(reviewer, "budi@example.com")
    draft.submit(by=author)
    message = Outbox.objects.get()
    assert message.subject == f"[Pesanan Lancar] Draf {draft.pk} menunggu tinjauan Anda"


# A rollback and a kept variant need a second editor, like a publish.


def test_a_rollback_waits_for_another_editor_who_is_notified(
    version: FlowVersion, draft: Draft, author: User, reviewer: User
) -> None:
    draft.submit(by=author)
    draft.approve(by=reviewer)
    draft.publish(by=author, note="renamed")
    with_email(reviewer, "budi@example.com")
    response = in_english(author).post(
        f"/staff/flows/versions/{version.pk}/rollback/", {"note": "the old name was right"}
    )
    rollback = Draft.objects.get(kind=Draft.Kind.ROLLBACK)
    assert response["Location"] == f"/staff/flows/drafts/{rollback.pk}/#review-title"
    assert (rollback.state, rollback.note) == ("waiting", "the old name was right")
    assert Outbox.objects.get().recipient == "budi@example.com"
    with pytest.raises(ReviewError, match="author of a draft cannot approve it"):
        rollback.approve(by=author)
    response = in_english(author).post(
        f"/staff/flows/drafts/{rollback.pk}/publish/", {"note": "alone"}
    )
    assert "A second editor must approve this draft" in response.content.decode()
    assert FlowVersion.objects.filter(published_at__isnull=False).count() == 2
    rollback.approve(by=reviewer)
    assert rollback.publish(by=author, note="back").document == SMALL


@pytest.fixture
def trial(draft: Draft, author: User, reviewer: User) -> Trial:
    draft.submit(by=author)
    draft.approve(by=reviewer)
    return start_trial(draft, by=author, note="renamed", share=50)


def test_keeping_the_variant_needs_a_second_editors_approval(
    trial: Trial, author: User, reviewer: User, settings: Any
) -> None:
    with pytest.raises(ReviewError, match="second editor must approve keeping the variant"):
        end_trial(trial, by=author, keep="variant")
    client = in_english(author)
    page = client.get(f"/staff/insight/trials/{trial.pk}/").content.decode()
    assert "Ask to keep the variant" in page
    response = client.post(f"/staff/insight/trials/{trial.pk}/keep/")
    asked = Draft.objects.get(kind=Draft.Kind.KEEP_VARIANT)
    assert response["Location"] == f"/staff/flows/drafts/{asked.pk}/"
    assert (asked.state, asked.trial, asked.base_id) == ("waiting", trial, trial.variant_id)
    client.post(f"/staff/insight/trials/{trial.pk}/keep/")  # asking twice: the same request
    assert Draft.objects.filter(kind=Draft.Kind.KEEP_VARIANT).count() == 1
    response = client.post(f"/staff/insight/trials/{trial.pk}/end/", {"keep": "variant"})
    assert "second editor must approve keeping the variant" in response.content.decode()
    with pytest.raises(ReviewError, match="author of a draft cannot approve it"):
        asked.approve(by=author)
    with pytest.raises(ReviewError, match="on the trial's page"):
        asked.publish(by=author, note="n")
    trial.refresh_from_db()
    assert trial.is_running
    with_email(author, "ayu@example.com")
    settings.SUPPORT_LANGUAGE = "en"
    asked.approve(by=reviewer)
    [approved] = Outbox.objects.filter(recipient="ayu@example.com")
    assert "The trial may now end keeping its variant" in str(approved.body)
    assert "may be published now" not in str(approved.body)
    page = client.get(f"/staff/insight/trials/{trial.pk}/").content.decode()
    assert "budi approved keeping the variant" in page
    response = client.post(f"/staff/insight/trials/{trial.pk}/end/", {"keep": "variant"})
    assert response.status_code == 303
    assert FlowVersion.live("small") == trial.variant
    asked.refresh_from_db()
    assert (asked.state, asked.published_as_id) == ("published", trial.variant_id)


def test_keeping_the_live_version_needs_no_review_and_closes_the_question(
    trial: Trial, author: User, reviewer: User
) -> None:
    asked = Draft.keep_variant(trial, by=author)
    assert end_trial(trial, by=author, keep="live") == trial.live
    page = in_english(reviewer).get("/staff/flows/").content.decode()
    assert f"/staff/flows/drafts/{asked.pk}/" not in page  # nothing left to review
    asked.refresh_from_db()
    with pytest.raises(ReviewError, match="already ended"):
        asked.approve(by=reviewer)
