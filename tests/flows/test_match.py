"""'Describe it in your words': free text becomes answers only when it is clear."""

import dataclasses

from tests.documents import SMALL, SOURCES, solution
from wizard.flows import load_flow
from wizard.flows.match import normalise, suggest

FLOW = load_flow(SMALL)

WORDS = (
    """
[flow]
key = "words"
title = {id = "Alur kata", en = "Words flow"}
start = "where"

[questions.where]
kind = "choice"
text = {id = "Di mana masalahnya?", en = "Where is the problem?"}
options = [
  {value = "ship", label = {id = "Tidak bisa atur pengiriman", en = "Cannot arrange shipment"}, keywords = ["atur pengiriman", "arrange shipment"]},
  {value = "courier", label = {id = "Kurir tidak datang", en = "Courier did not come"}, keywords = ["kurir belum jemput", "courier did not come", "pickup gak datang"]},
  {value = "cancelled", label = {id = "Dibatalkan", en = "Cancelled"}, keywords = ["kena auto cancel", "pesanan dibatalkan"]},
]
routes = [
  {when = "where == ship", go = "status"},
  {when = "where == courier", go = "waited"},
  {go = "cancelled"},
]

[questions.status]
kind = "choice"
text = {id = "Status pesanan?", en = "Order status?"}
options = [
  {value = "to_ship", label = {id = "Perlu dikirim", en = "To ship"}, keywords = ["perlu dikirim", "to ship"]},
  {value = "unpaid", label = {id = "Belum dibayar", en = "Unpaid"}, keywords = ["belum dibayar", "unpaid"]},
]
routes = [
  {when = "status == to_ship", go = "label_fails"},
  {go = "unpaid"},
]

[questions.waited]
kind = "number"
text = {id = "Sudah berapa hari?", en = "How many days?"}
routes = [{go = "pickup_late"}]
"""
    + SOURCES
    + "".join(solution(key) for key in ("label_fails", "unpaid", "pickup_late", "cancelled"))
)
MORE = load_flow(WORDS)


def test_normalising_lowers_case_and_drops_accents_punctuation_and_extra_spaces() -> None:
    assert normalise("  Atur-PENGIRIMAN!!  café ") == "atur pengiriman cafe"


def test_normalising_expands_chat_spellings_and_drops_nya_and_di() -> None:
    assert normalise("gak bs atur pengirimannya yg udh") == "tidak bisa atur pengiriman yang sudah"
    assert normalise("tidak bisa dibuka") == "tidak bisa buka"
    assert normalise("orderan pesenan") == "pesanan pesanan"


def test_a_keyword_in_any_case_and_spacing_answers_the_question() -> None:
    suggestion = suggest(FLOW, "  ATUR    Pengiriman ")
    assert suggestion.answers == {"where": "ship"}


def test_chat_abbreviations_match_the_keyword() -> None:
    assert suggest(FLOW, "gak bisa atur pengiriman").answers == {"where": "ship"}
    assert suggest(FLOW, "ga bs buka").answers == {"where": "open"}
    assert suggest(FLOW, "Seller Center gak bisa dibuka").answers == {"where": "open"}


def test_chat_spellings_on_both_sides_meet_in_the_middle() -> None:
    # The keyword says "orderan nyangkut"; the seller writes "pesenan".
    assert suggest(FLOW, "pesenan saya nyangkut dari kemarin").answers == {"where": "ship"}


def test_a_small_typo_in_a_long_word_still_matches() -> None:
    assert suggest(FLOW, "atur pengirman").answers == {"where": "ship"}
    assert suggest(FLOW, "atur pengirimna").answers == {"where": "ship"}  # two letters swapped


def test_a_typo_in_a_short_word_does_not_match() -> None:
    assert suggest(FLOW, "atir pengiriman").answers == {}


def test_english_keywords_match_too() -> None:
    assert suggest(MORE, "The courier did not come today").answers == {"where": "courier"}


def test_words_in_any_order_match_a_keyword_phrase() -> None:
    assert suggest(MORE, "shipment: I cannot arrange it").answers == {"where": "ship"}


def test_the_walk_goes_on_while_the_words_stay_clear() -> None:
    suggestion = suggest(MORE, "gak bisa atur pengiriman, statusnya perlu dikirim")
    assert suggestion.answers == {"where": "ship", "status": "to_ship"}


def test_the_walk_stops_at_the_first_question_the_words_do_not_answer() -> None:
    suggestion = suggest(MORE, "atur pengiriman")
    assert suggestion.answers == {"where": "ship"}
    assert suggestion.question == "status"
    assert suggestion.candidates == ()


def test_words_for_an_answer_off_the_path_are_not_taken() -> None:
    # "unpaid" belongs to `status`, which a cancelled order never reaches.
    assert suggest(MORE, "kena auto cancel, unpaid").answers == {"where": "cancelled"}


def test_numbers_dates_versions_and_multiple_choice_are_never_suggested() -> None:
    assert suggest(MORE, "pickup ga datang 3 hari").answers == {"where": "courier"}
    assert suggest(MORE, "pickup ga datang 3 hari").question == "waited"
    assert suggest(FLOW, "atur pengiriman").question == "placed_at"
    settings_first = dataclasses.replace(FLOW, start="settings")
    assert suggest(settings_first, "address bank").answers == {}


def test_nothing_matched_gives_no_answers_and_no_candidates() -> None:
    suggestion = suggest(MORE, "halo kak, selamat pagi")
    assert suggestion.answers == {}
    assert suggestion.question == "where"
    assert suggestion.candidates == ()


def test_ambiguous_words_give_no_answers_but_candidates_ranked_by_words_explained() -> None:
    # "kurir belum jemput" explains three of the words, "atur pengiriman" two.
    suggestion = suggest(MORE, "atur pengiriman tapi kurir belum jemput")
    assert suggestion.answers == {}
    assert [candidate.value for candidate in suggestion.candidates] == ["courier", "ship"]


def test_partial_words_rank_candidates_without_answering() -> None:
    suggestion = suggest(MORE, "pesanan kurir")
    assert suggestion.answers == {}
    ranked = [(candidate.value, candidate.score) for candidate in suggestion.candidates]
    assert [value for value, _ in ranked] == ["cancelled", "courier"]
    assert ranked[0][1] > ranked[1][1] > 0


def test_a_route_that_reads_another_answer_is_not_guessed() -> None:
    guarded = WORDS.replace(
        '{when = "where == ship", go = "status"},',
        '{when = "where == ship and waited > 2", go = "status"},',
    )
    suggestion = suggest(load_flow(guarded), "atur pengiriman perlu dikirim")
    assert suggestion.answers == {"where": "ship"}
    assert suggestion.question is None
