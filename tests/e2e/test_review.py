"""Review in a real browser, with two editors: the author asks for a review, the reviewer
requests changes with a comment, the author changes the draft and asks again, the
reviewer approves and the author publishes; each step is emailed through the outbox."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import BrowserContext, Page, expect

from tests.documents import SMALL
from wizard.editors.models import Draft
from wizard.editors.trials import start_trial
from wizard.sellers.models import FlowVersion
from wizard.support.outbox import Outbox, deliver_due
from wizard.web.roles import EDITORS, ensure_role

from . import axe
from .watch import Watch

pytestmark = pytest.mark.browser

PASSWORD = "a long test password, typed into the sign-in form"
SHOTS = os.environ.get("REVIEW_SCREENSHOTS", "")  # a folder: save what the test saw


def editor(name: str) -> User:
    user = User.objects.create_user(
        name, email=f"{name}@example.com", password=PASSWORD, is_staff=True
    )
    user.groups.add(ensure_role(EDITORS))
    return user


def signed_in(
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    site: str,
    name: str,
    **options: Any,
) -> Page:
    context = open_context(base_url=site, **options)
    watch.attach(context)
    page = context.new_page()
    page.goto("/staff/login/")
    page.locator("input[name=username]").fill(name)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/flows/")
    return page


def looked_at(page: Page, name: str) -> None:
    """axe finds nothing, the page fits the screen; a screenshot is kept for a human look."""
    assert axe.violations(page) == [], name
    viewport = page.viewport_size or {"width": 0}
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, name
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/review-{name}-{viewport['width']}.png", full_page=True)


def sent_to(address: str) -> list[str]:
    return list(Outbox.objects.filter(recipient=address).values_list("subject", flat=True))


def test_a_draft_goes_through_request_changes_approve_and_publish_with_notifications(
    site: str,
    small_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    device: dict[str, Any],
    settings: Any,
) -> None:
    settings.SUPPORT_LANGUAGE = "id"
    editor("ayu")
    editor("budi")
    # The author works in Indonesian, the reviewer in English.
    author = signed_in(open_context, watch, site, "ayu", **device)
    reviewer = signed_in(open_context, watch, site, "budi", locale="en-GB", **device)

    author.get_by_role("button", name="Buat draf").click()
    author.wait_for_url(re.compile(r"/staff/flows/drafts/\d+/$"))
    draft_url = author.url
    text = author.get_by_label("Dokumen alur (TOML)")
    text.fill(SMALL.replace("Alur kecil", "Alur pesanan"))
    author.get_by_role("button", name="Simpan draf").click()
    expect(author.locator("#report")).to_contain_text("Tidak ada masalah")
    expect(author.locator(".review-state")).to_contain_text("sedang disunting")
    author.get_by_role("button", name="Minta tinjauan", exact=True).click()
    expect(author.locator("main")).to_contain_text("Dikirim untuk ditinjau")
    expect(author.locator(".review-state")).to_contain_text("menunggu tinjauan")
    looked_at(author, "waiting-id")
    draft = Draft.objects.get()
    assert sent_to("budi@example.com") == [
        f"[Pesanan Lancar] Draf {draft.pk} menunggu tinjauan Anda"
    ]
    assert sent_to("ayu@example.com") == []

    reviewer.goto("/staff/flows/")
    waiting = reviewer.locator("section[aria-labelledby=waiting-title]")
    expect(waiting).to_contain_text("waiting for your review")
    looked_at(reviewer, "workshop-en")
    waiting.get_by_role("link", name=f"Draft {draft.pk}").click()
    reviewer.get_by_role("button", name="Request changes").click()  # no comment: not sent
    expect(reviewer.locator(".review-state")).to_contain_text("waiting for review")
    reviewer.get_by_label("Your comment").fill("“Alur pesanan” is vague: say “Masalah pesanan”.")
    reviewer.get_by_role("button", name="Request changes").click()
    expect(reviewer.locator("main")).to_contain_text("Changes requested: the author")
    expect(reviewer.locator(".review-state")).to_contain_text("changes requested")
    expect(reviewer.locator(".comment-changes")).to_contain_text("Masalah pesanan")
    looked_at(reviewer, "changes-requested-en")
    assert sent_to("ayu@example.com") == [
        f"[Pesanan Lancar] Perubahan diminta untuk draf {draft.pk}"
    ]

    author.goto("/staff/flows/")
    expect(author.locator("section[aria-labelledby=waiting-title]")).to_contain_text(
        "perubahan diminta"
    )
    looked_at(author, "workshop-id")
    author.goto(draft_url)
    expect(author.locator(".comment-changes")).to_contain_text("Masalah pesanan")
    author.get_by_label("Dokumen alur (TOML)").fill(SMALL.replace("Alur kecil", "Masalah pesanan"))
    author.get_by_role("button", name="Simpan draf").click()
    expect(author.locator(".review-state")).to_contain_text("sedang disunting")
    author.get_by_label("Komentar Anda").fill("Sudah diganti.")
    author.get_by_role("button", name="Tambahkan komentar").click()
    author.get_by_role("button", name="Minta tinjauan", exact=True).click()
    expect(author.locator(".review-state")).to_contain_text("menunggu tinjauan")
    expect(author.get_by_role("button", name="Setujui draf ini")).to_have_count(0)

    assert len(sent_to("budi@example.com")) == 2
    reviewer.reload()
    expect(reviewer.locator(".comment")).to_have_count(2)
    expect(reviewer.locator(".comment").last).to_contain_text("Sudah diganti.")
    reviewer.get_by_role("link", name="What changed").click()
    expect(reviewer.locator("main")).to_contain_text("Masalah pesanan")
    reviewer.go_back()
    reviewer.get_by_role("button", name="Approve this draft").click()
    expect(reviewer.locator(".review-state")).to_contain_text("Approved by budi.")
    looked_at(reviewer, "approved-en")
    assert sent_to("ayu@example.com")[-1] == f"[Pesanan Lancar] Draf {draft.pk} disetujui"

    author.goto("/staff/flows/")
    expect(author.locator("section[aria-labelledby=waiting-title]")).to_contain_text(
        "disetujui: Anda boleh menerbitkannya"
    )
    author.goto(draft_url)
    author.locator("#review-title ~ div").get_by_role("link", name="Terbitkan…").click()
    author.get_by_label("Catatan perubahan").fill("Judul alur lebih jelas.")
    author.get_by_role("button", name="Terbitkan sekarang").click()
    author.wait_for_url(re.compile(r"/staff/flows/versions/\d+/$"))
    live = FlowVersion.live("small")
    assert live is not None
    assert (live.number, live.flow.title.id) == (2, "Masalah pesanan")
    author.goto("/staff/flows/log/")
    for done in ("meminta tinjauan", "meminta perubahan", "berkomentar", "menyetujui draf"):
        expect(author.locator("main")).to_contain_text(done)
    looked_at(author, "log-id")

    mail.outbox.clear()
    assert deliver_due() is None  # the worker sends them all
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ayu@example.com",  # changes requested
        "ayu@example.com",  # approved
        "budi@example.com",  # a review, asked twice
        "budi@example.com",
    ]
    assert f"/staff/flows/drafts/{draft.pk}/" in mail.outbox[0].body


def test_a_rollback_and_keeping_a_variant_wait_for_a_second_editor(
    site: str,
    small_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    device: dict[str, Any],
) -> None:
    ayu, budi = editor("ayu"), editor("budi")
    renamed = Draft.start(small_flow, by=ayu)
    renamed.save_document(SMALL.replace("Alur kecil", "Alur baru"), revision=1, by=ayu)
    renamed.submit(by=ayu)
    renamed.approve(by=budi)
    renamed.publish(by=ayu, note="renamed")
    author = signed_in(open_context, watch, site, "ayu", **device)
    reviewer = signed_in(open_context, watch, site, "budi", locale="en-GB", **device)

    author.goto(f"/staff/flows/versions/{small_flow.pk}/")
    author.get_by_label("Catatan perubahan").fill("Nama lama lebih dikenal penjual.")
    author.get_by_role("button", name="Minta pengembalian versi").click()
    author.wait_for_url(re.compile(r"/staff/flows/drafts/\d+/"))
    expect(author.locator("main")).to_contain_text("pengembalian versi")
    expect(author.get_by_role("button", name="Simpan draf")).to_have_count(0)  # not editable
    looked_at(author, "rollback-id")
    # Nothing reached sellers yet.
    assert FlowVersion.objects.filter(published_at__isnull=False).count() == 2

    reviewer.goto("/staff/flows/")
    waiting = reviewer.locator("section[aria-labelledby=waiting-title]")
    expect(waiting).to_contain_text("a rollback, by ayu")
    waiting.get_by_role("link").first.click()
    reviewer.get_by_role("button", name="Approve this draft").click()
    reviewer.locator("#review-title ~ div").get_by_role("link", name="Publish…").click()
    expect(reviewer.get_by_label("Change note")).to_have_value("Nama lama lebih dikenal penjual.")
    reviewer.get_by_role("button", name="Publish now").click()
    reviewer.wait_for_url(re.compile(r"/staff/flows/versions/\d+/$"))
    live = FlowVersion.live("small")
    assert live is not None
    assert (live.number, live.document) == (3, SMALL)

    variant = Draft.start(live, by=ayu)
    variant.save_document(SMALL.replace("Alur kecil", "Alur varian"), revision=1, by=ayu)
    variant.submit(by=ayu)
    variant.approve(by=budi)
    trial = start_trial(variant, by=ayu, note="a shorter title", share=50)
    author.goto(f"/staff/insight/trials/{trial.pk}/")
    author.get_by_role("button", name="Minta varian dipertahankan").click()
    author.wait_for_url(re.compile(r"/staff/flows/drafts/\d+/$"))
    expect(author.locator("main")).to_contain_text(f"uji {trial.pk} diakhiri")
    looked_at(author, "keep-variant-id")

    reviewer.goto(author.url)
    reviewer.get_by_role("button", name="Approve this draft").click()
    reviewer.get_by_role("link", name="End the trial…").click()
    expect(reviewer.locator("main")).to_contain_text("budi approved keeping the variant")
    reviewer.locator("input[name=keep][value=variant]").check()
    looked_at(reviewer, "keep-approved-en")
    reviewer.locator("#end-heading ~ form button[type=submit]").click()
    expect(reviewer.locator("main")).to_contain_text("The trial has ended")
    assert FlowVersion.live("small") == trial.variant
