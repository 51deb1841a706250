"""The workshop's story in a real browser: a support lead changes the ship cut-off hour,
a second editor approves, it is published; sessions started before keep their version."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from wizard.flows import Flow
from wizard.sellers.models import FlowVersion
from wizard.web.roles import ensure_role

from . import axe
from .conftest import DESKTOP, PHONE
from .watch import Watch

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]
PASSWORD = "a long test password, typed into the sign-in form"
SHOTS = Path("/tmp/workshop-shots")


def editor(name: str) -> User:
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.add(ensure_role("editors"))
    return user


def browser_page(site: str, open_context: OpenContext, watch: Watch, device: dict) -> Page:
    context = open_context(device, base_url=site)
    watch.attach(context)
    axe.preload(context)
    return context.new_page()


def sign_in(page: Page, name: str) -> None:
    page.goto("/staff/login/")
    page.locator("input[name=username]").fill(name)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/flows/")


def clean(page: Page, name: str, *, shot: bool = True) -> None:
    """axe finds nothing; a screenshot is kept for a human look."""
    assert axe.violations(page) == [], name
    if not shot:
        return
    SHOTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def answer(page: Page, flow: Flow, key: str, value: str) -> None:
    option = flow.questions[key].option(value)
    assert option is not None
    page.get_by_label(option.label.id).check()
    page.locator("#step").get_by_role("button", name=re.compile("^(Lanjut|Next)$")).click()
    page.wait_for_url(re.compile(rf"/s/[\w-]+/(?!{key}/)\w+/$"))


@pytest.fixture
def orders(transactional_db: None) -> FlowVersion:
    version, _ = FlowVersion.load(settings.FLOW_FILES[0].read_text(encoding="utf-8"))
    return version


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_editors_change_the_cut_off_hour_and_only_new_sessions_see_it(
    site: str, orders: FlowVersion, open_context: OpenContext, watch: Watch, device: dict
) -> None:
    flow = orders.flow
    before = browser_page(site, open_context, watch, device)
    before.goto("/")
    before.get_by_role("button", name=re.compile("^(Mulai|Start)$")).click()
    answer(before, flow, "where", "cancelled")  # a session in progress on the old version
    editor("ayu")
    editor("budi")

    lead = browser_page(site, open_context, watch, device)
    sign_in(lead, "ayu")
    clean(lead, "workshop")
    lead.get_by_role("button", name="Buat draf").click()
    lead.wait_for_url(re.compile(r"/staff/flows/drafts/\d+/$"))
    clean(lead, "draft")
    lead.get_by_text(re.compile(r"^\d+ fakta$")).click()
    lead.get_by_role("link", name="ship_cutoff_hour", exact=True).click()
    clean(lead, "fact")
    lead.get_by_label("Nilai").fill("14")
    lead.get_by_label("Sumber").select_option("ldr")
    lead.get_by_role("button", name=re.compile("^Simpan, dicek hari ini")).click()
    expect(lead.locator("main")).to_contain_text("Fakta sudah disimpan di draf.")
    expect(lead.locator("#report")).to_contain_text("Tidak ada masalah")
    draft_url = lead.url.split("#")[0]
    lead.get_by_role("button", name="Pratinjau").click()  # walk the draft as a seller
    expect(lead.locator(".preview-bar")).to_contain_text("Pratinjau")
    # A full-page screenshot here would trip the CSP watch on the next htmx swap.
    clean(lead, "preview-question", shot=False)
    answer(lead, flow, "where", "cancelled")
    answer(lead, flow, "cancel_reason", "deadline")
    answer(lead, flow, "holiday_on", "no")
    expect(lead.locator(".preview-bar")).to_be_visible()
    expect(lead.locator("main")).to_contain_text("sebelum pukul 14.00")
    clean(lead, "preview-solution")
    lead.goto(draft_url + "paths/")
    expect(lead.locator("tbody tr").first).to_be_visible()
    clean(lead, "paths")
    lead.goto(draft_url + "diagram/")
    clean(lead, "diagram")
    lead.goto(draft_url)
    lead.get_by_role("link", name="Apa yang berubah").click()
    expect(lead.locator("main")).to_contain_text("ship_cutoff_hour")
    expect(lead.locator(".diff-new").first).to_have_text("14")
    clean(lead, "diff")
    lead.goto(draft_url)
    lead.get_by_role("button", name="Minta tinjauan", exact=True).click()
    expect(lead.locator(".review-state")).to_contain_text("menunggu tinjauan")

    reviewer = browser_page(site, open_context, watch, device)
    sign_in(reviewer, "budi")
    reviewer.goto(draft_url)
    reviewer.get_by_role("button", name="Setujui draf ini").click()
    expect(reviewer.locator("main")).to_contain_text("Disetujui oleh budi.")
    clean(reviewer, "approved")
    reviewer.get_by_role("link", name="Terbitkan…").first.click()
    expect(reviewer.locator("main")).to_contain_text("1 sesi sedang berjalan")
    clean(reviewer, "publish")
    reviewer.get_by_label("Catatan perubahan").fill("Jam batas kirim kini pukul 14.00.")
    reviewer.get_by_role("button", name="Terbitkan sekarang").click()
    reviewer.wait_for_url(re.compile(r"/staff/flows/versions/\d+/$"))
    expect(reviewer.locator("main")).to_contain_text("Jam batas kirim kini pukul 14.00.")
    clean(reviewer, "version")
    reviewer.goto("/staff/flows/facts/")
    clean(reviewer, "facts")
    reviewer.goto("/staff/flows/log/")
    expect(reviewer.locator("main")).to_contain_text("menerbitkan draf")
    clean(reviewer, "log")

    after = browser_page(site, open_context, watch, device)
    after.goto("/")
    after.get_by_role("button", name=re.compile("^(Mulai|Start)$")).click()
    answer(after, flow, "where", "cancelled")
    answer(after, flow, "cancel_reason", "deadline")
    answer(after, flow, "holiday_on", "no")
    expect(after.locator("main")).to_contain_text("sebelum pukul 14.00")
    answer(before, flow, "cancel_reason", "deadline")
    answer(before, flow, "holiday_on", "no")
    expect(before.locator("main")).to_contain_text("sebelum pukul 12.00")
    expect(before.locator("main")).not_to_contain_text("sebelum pukul 14.00")


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_editor_edits_a_step_adds_an_option_with_its_route_previews_and_publishes(
    site: str, orders: FlowVersion, open_context: OpenContext, watch: Watch, device: dict
) -> None:
    editor("ayu")
    editor("budi")
    lead = browser_page(site, open_context, watch, device)
    sign_in(lead, "ayu")
    lead.get_by_role("button", name="Buat draf").click()
    lead.wait_for_url(re.compile(r"/staff/flows/drafts/\d+/$"))
    draft_url = lead.url
    # htmx: typing in the whole text re-checks it, unsaved, and swaps in the report.
    text = lead.get_by_label("Dokumen alur (TOML)")
    text.press("Control+End")
    text.press_sequentially("\n[questions.broken")
    expect(lead.locator("#report")).to_contain_text("belum disimpan")
    expect(lead.locator("#report")).to_contain_text("bukan TOML yang sah")
    lead.reload()  # nothing was saved
    expect(lead.locator("#report")).to_contain_text("Tidak ada masalah")
    lead.get_by_text(re.compile(r"^\d+ solusi$")).click()
    lead.get_by_role("link", name="outage", exact=True).click()
    solution_url = lead.url
    clean(lead, "solution", shot=False)
    # htmx: a change re-checks the unsaved form; "Add a step" adds a row in place.
    lead.get_by_label("Langkah 1 (Bahasa Indonesia)").fill("Tunggu 15 menit, lalu coba lagi.")
    lead.get_by_label("Langkah 1 (Bahasa Inggris)").fill("Wait 15 minutes, then try again.")
    lead.get_by_label("Langkah 1 (Bahasa Inggris)").blur()
    expect(lead.locator("#report")).to_contain_text("belum disimpan")
    steps = lead.locator(".step-row").count()
    lead.get_by_role("button", name="Tambah langkah").click()
    expect(lead.locator(".step-row")).to_have_count(steps + 1)
    assert lead.url == solution_url  # swapped in place, not a new page
    expect(lead.get_by_label("Langkah 1 (Bahasa Indonesia)")).to_have_value(
        "Tunggu 15 menit, lalu coba lagi."
    )
    lead.get_by_label(f"Langkah {steps + 1} (Bahasa Indonesia)").fill("Catat jam gangguannya.")
    lead.get_by_label(f"Langkah {steps + 1} (Bahasa Inggris)").fill("Note when the outage began.")
    clean(lead, "solution-row", shot=False)
    lead.get_by_role("button", name="Simpan solusi").click()
    expect(lead.locator("main")).to_contain_text("Solusi disimpan di draf.")
    expect(lead.locator("#report")).to_contain_text("Tidak ada masalah")

    lead.get_by_text(re.compile(r"^\d+ pertanyaan$")).click()
    lead.get_by_role("link", name="where", exact=True).click()
    lead.get_by_role("link", name="Tambah pilihan beserta rutenya").click()
    clean(lead, "option", shot=False)
    lead.get_by_label("Nilai (namanya di dokumen)").fill("Salah Nama")
    lead.get_by_label("Label (Bahasa Indonesia)").fill("Semua tombol gagal sekaligus")
    lead.get_by_label("Label (Bahasa Inggris)").fill("Every button fails at once")
    lead.get_by_label("Kata kunci penjual, dipisah koma").fill("semua tombol gagal")
    lead.get_by_label("Menuju ke").select_option("outage")
    lead.get_by_role("button", name="Tambahkan pilihan").click()
    expect(lead.locator("main")).to_contain_text("Pakai huruf kecil, angka dan garis bawah")
    lead.get_by_label("Nilai (namanya di dokumen)").fill("all_buttons")
    lead.get_by_role("button", name="Tambahkan pilihan").click()
    expect(lead.locator("main")).to_contain_text("Pilihan dan rutenya ditambahkan ke draf.")
    expect(lead.locator("#report")).to_contain_text("Tidak ada masalah")
    lead.goto(draft_url + "new-solution/")
    clean(lead, "new-solution", shot=False)
    lead.goto(draft_url)
    lead.get_by_text(re.compile(r"^\d+ tips$")).click()
    lead.get_by_role("link", name="act_fast", exact=True).click()
    clean(lead, "tip", shot=False)

    lead.goto(draft_url)
    lead.get_by_role("button", name="Pratinjau").click()
    expect(lead.locator(".preview-bar")).to_contain_text("Pratinjau")
    lead.get_by_label("Semua tombol gagal sekaligus").check()
    lead.locator("#step").get_by_role("button", name=re.compile("^(Lanjut|Next)$")).click()
    expect(lead.locator("main")).to_contain_text("Tunggu 15 menit, lalu coba lagi.")
    expect(lead.locator("main")).to_contain_text("Catat jam gangguannya.")

    lead.goto(draft_url + "diff/")
    expect(lead.locator("main")).to_contain_text("Solusi diubah")
    expect(lead.locator("main")).to_contain_text("langkah 1 (Bahasa Indonesia)")
    expect(lead.locator("main")).to_contain_text("Pertanyaan diubah")
    clean(lead, "diff-labels", shot=False)
    lead.goto(draft_url)
    lead.get_by_role("button", name="Minta tinjauan", exact=True).click()

    reviewer = browser_page(site, open_context, watch, device)
    sign_in(reviewer, "budi")
    reviewer.goto("/staff/flows/solutions/outage/draft/")  # insight's link: budi has no draft
    expect(reviewer.get_by_role("button", name="Mulai draf di formulir ini")).to_be_visible()
    clean(reviewer, "open-at-form", shot=False)
    reviewer.goto(draft_url)
    reviewer.get_by_role("button", name="Setujui draf ini").click()
    reviewer.get_by_role("link", name="Terbitkan…").first.click()
    reviewer.get_by_label("Catatan perubahan").fill("Langkah gangguan lebih jelas; pilihan baru.")
    reviewer.get_by_role("button", name="Terbitkan sekarang").click()
    reviewer.wait_for_url(re.compile(r"/staff/flows/versions/\d+/$"))
    live = FlowVersion.live()
    assert live is not None
    assert live.flow.questions["where"].option("all_buttons") is not None
    assert live.flow.solutions["outage"].steps[0].en == "Wait 15 minutes, then try again."


def test_without_javascript_a_step_row_and_the_check_work_by_posting_the_form(
    site: str, orders: FlowVersion, open_context: OpenContext
) -> None:
    editor("ayu")
    page = open_context(DESKTOP, base_url=site, java_script_enabled=False).new_page()
    sign_in(page, "ayu")
    page.get_by_role("button", name="Buat draf").click()
    page.wait_for_url(re.compile(r"/staff/flows/drafts/\d+/$"))
    page.goto(page.url + "solutions/outage/")
    steps = page.locator(".step-row").count()
    page.get_by_label("Penyebab (Bahasa Indonesia)").fill("Diketik, belum disimpan.")
    page.get_by_role("button", name="Tambah langkah").click()
    expect(page.locator(".step-row")).to_have_count(steps + 1)
    expect(page.get_by_label("Penyebab (Bahasa Indonesia)")).to_have_value(
        "Diketik, belum disimpan."
    )
    page.get_by_role("button", name="Hapus langkah 1").click()
    expect(page.locator(".step-row")).to_have_count(steps)
    page.get_by_label(f"Langkah {steps} (Bahasa Indonesia)").fill("Langkah terakhir.")
    page.get_by_label(f"Langkah {steps} (Bahasa Inggris)").fill("The last step.")
    page.get_by_role("button", name="Periksa tanpa menyimpan").click()
    expect(page.locator("#report")).to_contain_text("belum disimpan")
    page.get_by_role("button", name="Simpan solusi").click()
    expect(page.locator("main")).to_contain_text("Solusi disimpan di draf.")
