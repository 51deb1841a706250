"""Each correction of the 2026-12 fact-check, said by the shipped flow.

One test per item of corrections-2026-12.md §1 (and its other-market list). Each was run
against the content before the corrections (CONTENT_UNDER_TEST=<main's orders.toml>) and failed.
"""

from __future__ import annotations

import re

from wizard.flows import walk

from .shipped import NOW, every_text, flow, other_country, raw, said, walks

DEADLINE_PAGES = ("ship_deadline", "handover_deadline", "overdue")


def test_cuti_bersama_is_not_said_to_pause_the_clock_and_the_order_s_own_time_wins() -> None:
    for key in DEADLINE_PAGES:
        indonesian, english = said(key, "id"), said(key, "en")
        assert "cuti bersama tetap dihitung" in indonesian, key
        assert not re.search(r"tanpa[^.]*cuti bersama", indonesian), key
        assert not re.search(r"skips?[^.]*cuti bersama", english), key
        assert "kirim sebelum" in indonesian, key
        assert "yang berlaku" in indonesian, key
        # The SLA table in force is an unreadable image: no deadline page is solid.
        assert flow().solutions[key].confidence != "solid", key
    assert "cuti bersama tetap dihitung" in flow().facts["working_days_per_week"].label.id.lower()


def test_a_deducted_or_unpaid_balance_reaches_fees_tax_or_timing_and_only_a_hold_reaches_enforcement() -> (
    None
):
    ends: dict[str, set[str]] = {}
    for answers, end, _ in walks({"where": "balance"}):
        ends.setdefault(str(answers.get("payout")), set()).add(end)
    assert "balance_held" in ends["held"]
    assert {"fees_settlement", "tax_data"} <= ends["deducted"]
    assert ends["not_paid"] == {"fees_settlement"}
    for payout, reached in ends.items():
        if payout != "held":
            assert "balance_held" not in reached, payout
    tax = raw("tax_data", "id")
    assert "pmk 37/2025" in tax
    assert "{pph22_percent" in tax
    assert "npwp" in tax
    assert "nik" in tax
    assert flow().facts["pph22_percent"].value == 0.5
    fees = raw("fees_settlement", "id")
    assert "{order_fee_course_rp" in fees
    assert "{express_settlement_days" in fees


def test_a_lost_or_damaged_parcel_leads_to_the_compensation_claim_with_its_forty_day_limit() -> (
    None
):
    shipped = flow()
    assert shipped.facts["claim_limit_days"].value == 40
    claim = raw("compensation_claim", "id")
    assert "{claim_limit_days" in claim
    assert "pusat bantuan > log tiket" in claim
    assert "klaim" in claim
    assert "bukan banding" in claim
    starts = (
        {"where": "after_ship", "after_ship": "lost"},
        {"where": "after_ship", "after_ship": "damaged"},
        {"where": "cancelled", "cancel_reason": "lost"},
    )
    for answers in starts:
        assert walk(shipped, answers, NOW).step == "compensation_claim", answers
    # The 24 hours of "tracking stuck" are Vietnam's, and the page says so.
    assert "negara lain (mis. vietnam)" in said("tracking_stuck", "id")


def test_the_wrong_label_page_is_partial_and_holding_the_parcel_keeps_the_deadline() -> None:
    assert flow().solutions["wrong_label"].confidence == "partial"
    assert "without missing the ship-by deadline" in said("wrong_label", "en")
    assert "jangan sampai melewati batas kirim" in said("wrong_label", "id")


def test_ldr_points_lead_with_the_newer_ten_percent_and_the_records_live_under_catatan_pelanggaran() -> (
    None
):
    text = raw("violation_points", "id")
    assert text.index("{ldr_points_percent_en") < text.index("{ldr_points_percent_id")
    assert "kesehatan toko > poin pelanggaran" not in text
    assert "catatan pelanggaran" in text
    assert "{appeal_max_count}" in text
    assert "{points_warning_before" in text
    assert flow().facts["appeal_max_count"].value == 2
    assert flow().facts["points_warning_before"].value == 5


def test_holiday_mode_is_partial_and_its_us_claims_say_so() -> None:
    assert flow().solutions["holiday_mode"].confidence == "partial"
    indonesian = said("holiday_mode", "id")
    assert "negara lain (as)" in indonesian
    assert "produk tampak habis" in indonesian.split("negara lain (as)", 1)[1]


def test_sameday_is_tokopedia_s_and_instant_is_hidden_only_in_fixed_windows() -> None:
    for where, text in every_text():
        for language in ("id", "en"):
            words = text.get(language).lower()
            if "sameday" in words and where != "question service option sameday":
                assert "tokopedia" in words, f"{where} ({language}) offers Sameday on TikTok Shop"
            assert "instan/sameday" not in words, where
    assert "bukan sepanjang waktu di luar jam buka" in said("shipping_options", "id")
    assert "bukan sepanjang waktu di luar jam buka" in said("fast_shipping", "id")


def test_a_buyer_cancellation_before_menunggu_diambil_is_automatic_for_every_order() -> None:
    text = said("cancel_request", "id")
    before = text.split("setelah menunggu diambil", 1)[0]
    assert "sebelum status menunggu diambil" in before
    assert "semua pesanan, termasuk pre-order dan semua kategori" in before
    assert "dalam perjalanan" in text
    assert "log tiket" in text  # the logistics ticket to get a collected parcel back
    assert "2 hari kalender" not in raw("cancel_request", "id")  # said through the fact


def test_the_contact_path_is_help_center_ticket_log() -> None:
    for where, text in every_text():
        assert "hubungi kami" not in text.id.lower(), where
        assert "contact us" not in text.en.lower(), where
    assert "seller center > pusat bantuan > log tiket" in said("escalate", "id")
    assert "seller center > help center > ticket log" in said("escalate", "en")


def test_the_sub_account_limit_and_menu_rest_on_the_indonesian_page_without_a_hedge() -> None:
    shipped = flow()
    assert not other_country(shipped.facts["subaccount_activation_hours"].source)
    assert "negara lain" not in said("sub_account", "id")
    assert "pasar lain" not in said("sub_account", "id")
    assert "akun saya > pengaturan akun > manajemen pengguna" in said("sub_account", "id")
    assert not any(other_country(source) for source in shipped.solutions["sub_account"].sources)


def test_pre_orders_cite_the_official_fee_and_warn_or_refuse_absurd_processing_days() -> None:
    shipped = flow()
    assert shipped.sources[shipped.facts["preorder_fee_percent"].source].url.startswith(
        "https://seller-id.tokopedia.com/"
    )
    days = shipped.questions["preorder_days"]
    assert days.maximum <= 90
    answers = {"where": "cannot_ship", "placed_at": "", "service": "regular", "status": "preorder"}
    long_one = walk(shipped, {**answers, "preorder_days": 60}, NOW)
    assert "long_preorder" in [finding.key for finding in long_one.findings]
    short_one = walk(shipped, {**answers, "preorder_days": 7}, NOW)
    assert "long_preorder" not in [finding.key for finding in short_one.findings]


def test_the_risk_order_page_is_partial_and_does_not_claim_cancellations_are_final() -> None:
    assert flow().solutions["risk_order"].confidence == "partial"
    assert "final" not in said("risk_order", "en")


def test_the_integration_order_move_says_up_to_seventy_two_hours_and_cites_both_pages() -> None:
    shipped = flow()
    assert shipped.facts["integration_order_move_hours"].value == 72
    assert "hingga {integration_order_move_hours" in raw("integration", "id")
    assert {"shop_integration", "ship_via_platform"} <= set(
        shipped.solutions["integration"].sources
    )


def test_npwp_or_nik_and_the_omzet_statement_are_asked_for_under_pmk_37() -> None:
    text = said("tax_data", "id")
    assert "npwp atau nik" in text
    assert "surat pernyataan omzet" in text
    assert flow().facts["pph22_omzet_juta"].value == 500


def test_no_route_compares_the_app_version_against_an_unconfirmed_number() -> None:
    shipped = flow()
    assert "latest_app_version" not in shipped.facts
    assert shipped.questions["app_version"].kind != "version"


def test_every_other_country_number_says_di_negara_lain() -> None:
    shipped = flow()
    foreign = {key for key, fact in shipped.facts.items() if other_country(fact.source)}
    assert {
        "tracking_stuck_hours",
        "on_hold_hours",
        "holiday_effect_hours",
        "cod_block_days",
    } <= foreign
    for where, text in every_text():
        named = shipped.facts_in(text) & foreign
        if named and not where.startswith("question"):
            assert "negara lain" in text.id.lower(), f"{where} names {named}"
            assert "another country" in text.en.lower(), f"{where} names {named}"
        assert "pasar lain" not in text.id.lower(), where


def test_no_page_tagged_solid_rests_on_an_other_country_or_unreadable_source() -> None:
    shipped = flow()
    for key, solution in shipped.solutions.items():
        if solution.confidence != "solid":
            continue
        weak = [s for s in solution.sources if other_country(s) or s == "sla_image"]
        assert not weak, f"{key} is solid but cites {weak}"
