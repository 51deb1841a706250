"""'Tell us in your words': a reading ranks, explains its ticks and abstains when unsure."""

from tests.documents import SMALL, SOURCES, solution
from wizard.flows import Flow, load_flow
from wizard.flows.match import behind_catch_alls, mask, normalise, read_words

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
  {value = "none", label = {id = "Tidak ada pesanan", en = "No orders"}, keywords = ["gak ada orderan", "no orders"]},
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
  {value = "tool", label = {id = "Aplikasi pihak ketiga", en = "A third-party app"}, keywords = ["ginee", "bigseller"]},
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


def ticks(flow: Flow, words: str, at: str | None = None) -> dict[str, str]:
    """The answers a reading pre-ticks."""
    return read_words(flow, words, at=at).answers


def ranked(flow: Flow, words: str) -> list[str]:
    """The first question's options, best first."""
    return [c.value for c in read_words(flow, words).candidates]


def test_normalising_lowers_case_drops_accents_and_punctuation_and_stems() -> None:
    assert normalise("  Atur-PENGIRIMAN!!  café ") == "atur kirim cafe"
    assert normalise("Pengirimannya dibatalkan") == "kirim batal"
    assert normalise("shipping orders") == "ship order"


def test_normalising_expands_chat_spellings() -> None:
    assert normalise("gak bs atur yg udh") == "tidak bisa atur yang sudah"
    assert normalise("orderan pesenan") == "pesanan pesanan"
    assert normalise("muter2") == normalise("muter")


def test_a_keyword_in_any_case_and_spacing_states_the_answer() -> None:
    reading = read_words(FLOW, "  ATUR    Pengiriman ")
    assert reading.answers == {"where": "ship"}
    assert reading.stated[0].words == "ATUR    Pengiriman"


def test_chat_spellings_and_affixes_meet_the_keyword() -> None:
    assert ticks(FLOW, "gak bisa atur pengirimannya") == {"where": "ship"}
    assert ticks(FLOW, "Seller Center gak bisa dibuka") == {"where": "open"}
    assert ticks(FLOW, "orderan nyangkut dari kemarin") == {"where": "ship"}


def test_two_words_state_only_side_by_side_and_longer_phrases_allow_one_between() -> None:
    assert ticks(FLOW, "pesenan saya nyangkut dari kemarin") == {}
    assert ranked(FLOW, "pesenan saya nyangkut dari kemarin")[0] == "ship"
    assert ticks(MORE, "kena lagi auto cancel") == {"where": "cancelled"}


def test_a_typo_in_a_long_word_is_corrected_but_not_in_a_short_one() -> None:
    assert ticks(FLOW, "atur pengirman") == {"where": "ship"}
    assert ticks(FLOW, "atir pengiriman") == {}


def test_english_keywords_match_too() -> None:
    assert ticks(MORE, "The courier didn't come today") == {"where": "courier"}


def test_words_out_of_order_rank_but_do_not_state() -> None:
    reading = read_words(MORE, "shipment: I cannot arrange it")
    assert reading.answers == {}
    assert reading.candidates[0].value == "ship"


def test_deeper_answers_are_stated_with_the_words_that_state_them() -> None:
    reading = read_words(MORE, "gak bisa atur pengiriman, statusnya perlu dikirim")
    assert reading.answers == {"where": "ship", "status": "to_ship"}
    assert [e.words for e in reading.stated] == ["atur pengiriman", "perlu dikirim"]


def test_an_implied_first_answer_is_ranked_first_but_not_ticked() -> None:
    reading = read_words(MORE, "orderan di Ginee gagal terus")
    assert reading.answers == {"status": "tool"}
    assert reading.candidates[0].value == "ship"
    assert reading.candidates[0].because is not None
    assert reading.candidates[0].because.words == "Ginee"
    assert reading.stated[0].label.en == "A third-party app"


def test_a_deep_answer_points_at_the_first_answer_that_leads_to_it() -> None:
    reading = read_words(MORE, "statusnya belum dibayar")
    assert reading.answers == {"status": "unpaid"}
    assert reading.candidates[0].value == "ship"
    assert "where" not in reading.answers  # implied, so asked


def test_negated_words_count_against_their_option() -> None:
    assert ticks(MORE, "bukan kena auto cancel") == {}
    assert "cancelled" not in ranked(MORE, "bukan kena auto cancel")[:1]
    assert ticks(MORE, "pesanan belum dibatalkan") == {}


def test_not_knowing_why_denies_the_knowing_not_the_thing() -> None:
    assert ticks(MORE, "gak tau kenapa pesanan dibatalkan") == {"where": "cancelled"}
    assert ticks(MORE, "not sure why pesanan dibatalkan") == {"where": "cancelled"}
    # A negator after the "why" still counts.
    assert ticks(MORE, "kenapa pesanan belum dibatalkan") == {}


def test_a_state_the_order_was_in_before_now_states_nothing() -> None:
    assert ticks(MORE, "tadi pagi masih perlu dikirim, sekarang hilang") == {}
    assert ticks(MORE, "td pagi msh di perlu dikirim, skrg gak ada") == {}
    # Without a "now" after it, "still" says what is so today.
    assert ticks(MORE, "dari kemarin masih perlu dikirim") == {"status": "to_ship"}


def test_a_negator_inside_a_phrase_turns_it_around() -> None:
    assert ticks(MORE, "kena bukan auto cancel") == {}


def test_contrast_weighs_the_clause_after_tapi_more() -> None:
    reading = read_words(MORE, "kurir belum jemput tapi atur pengiriman gagal")
    assert reading.candidates[0].value == "ship"


def test_a_condition_or_a_wish_ranks_but_states_nothing() -> None:
    assert ticks(MORE, "kalau kena auto cancel gimana") == {}
    assert ticks(MORE, "pembeli minta pesanan dibatalkan") == {}
    assert ticks(MORE, "apa kena auto cancel?") == {}
    assert ranked(MORE, "kalau kena auto cancel gimana")[0] == "cancelled"


def test_kalau_ada_is_not_read_as_nothing_there() -> None:
    reading = read_words(MORE, "pesanan di ginee gak muncul, kalau di seller center ada")
    assert reading.answers == {"status": "tool"}
    assert reading.candidates[0].value == "ship"
    assert "none" not in reading.answers.values()
    assert ticks(MORE, "gak ada orderan masuk") == {"where": "none"}


def test_words_for_an_answer_off_the_path_are_not_ticked() -> None:
    # "unpaid" belongs to `status`, which a cancelled order never reaches.
    assert ticks(MORE, "kena auto cancel, unpaid") == {"where": "cancelled"}


def test_words_pointing_two_ways_tick_nothing_and_abstain() -> None:
    reading = read_words(MORE, "atur pengiriman tapi kurir belum jemput")
    assert reading.answers == {}
    assert not reading.confident
    assert set(ranked(MORE, "atur pengiriman tapi kurir belum jemput")[:2]) == {"ship", "courier"}


def test_nothing_matched_abstains_with_no_candidates() -> None:
    reading = read_words(MORE, "halo kak, selamat pagi")
    assert reading.answers == {}
    assert reading.question == "where"
    assert not reading.confident
    assert reading.candidates == ()


def test_a_reading_from_a_later_question_only_looks_ahead() -> None:
    reading = read_words(MORE, "kurir belum jemput, statusnya perlu dikirim", at="status")
    assert reading.question == "status"
    assert reading.answers == {"status": "to_ship"}
    assert [c.value for c in reading.candidates][:1] == ["to_ship"]


def test_a_question_that_is_not_a_choice_ranks_nothing_but_reads_ahead() -> None:
    reading = read_words(MORE, "3 hari", at="waited")
    assert reading.question is None
    assert reading.candidates == ()
    assert reading.stated == ()
    placed = read_words(FLOW, "statusnya perlu dikirim", at="placed_at")
    assert placed.question is None
    assert placed.candidates == ()


def test_the_index_is_built_once_per_flow() -> None:
    flow = load_flow(WORDS)
    read_words(flow, "atur pengiriman")
    index = flow.__dict__["_match_index"]
    read_words(flow, "kurir belum jemput")
    assert flow.__dict__["_match_index"] is index


def test_a_route_that_reads_another_answer_keeps_both_ways_open() -> None:
    guarded = WORDS.replace(
        '{when = "where == ship", go = "status"},',
        '{when = "where == ship and waited > 2", go = "status"},',
    )
    assert ticks(load_flow(guarded), "atur pengiriman perlu dikirim") == {
        "where": "ship",
        "status": "to_ship",
    }


def test_masking_hides_phone_numbers_order_numbers_and_emails() -> None:
    masked = mask("hub 0812-3456-7890 atau +62 812 3456 7890, pesanan 578123456789012345, a@b.co")
    assert "3456" not in masked
    assert "578123" not in masked
    assert "a@b.co" not in masked
    assert masked.startswith("hub [phone] atau [phone], pesanan [number], [email]")
    assert mask("stok 20, harga 150000") == "stok 20, harga 150000"


def test_every_stated_answer_is_an_option_of_its_question() -> None:
    for words in ("gak bisa atur pengiriman perlu dikirim", "kurir belum jemput", "ginee"):
        for evidence in read_words(MORE, words).stated:
            assert evidence.value in MORE.questions[evidence.question].values
            assert evidence.words.lower() in words.lower()


def test_a_catch_all_option_is_never_offered() -> None:
    with_catch_all = WORDS.replace(
        '  {value = "none", label',
        '  {value = "other", label = {id = "Lainnya", en = "Something else"}, catch_all = true},\n'
        '  {value = "none", label',
    )
    flow = load_flow(with_catch_all)
    assert flow.questions["where"].option("other") is not None
    reading = read_words(flow, "pesanan kurir tidak jelas lainnya, something else")
    assert "other" not in [candidate.value for candidate in reading.candidates]
    assert reading.candidates  # the others still are


def test_a_question_reached_only_through_not_sure_stays_out_of_the_words_index() -> None:
    # The words box never offers "not sure", so it can never lead to the symptom list:
    # its labels must not be offered, nor shift the other options' weights.
    unsure = WORDS.replace(
        '  {value = "none", label',
        '  {value = "other", catch_all = true, label = {id = "Lainnya", en = "Other"}},\n'
        '  {value = "none", label',
    )
    behind = unsure.replace(
        '  {go = "cancelled"},\n]\n\n[questions.status]',
        '  {when = "where == other", go = "symptom"},\n  {go = "cancelled"},\n]\n\n'
        "[questions.symptom]\n"
        'kind = "choice"\n'
        'text = {id = "Mana yang mirip?", en = "Which is closest?"}\n'
        "options = [\n"
        '  {value = "stale", label = {id = "Daftar pesanan lama muncul di browser", en = "An old order list shows in the browser"}},\n'
        '  {value = "other", catch_all = true, label = {id = "Tidak ada", en = "None"}},\n'
        "]\n"
        'routes = [{go = "cancelled"}]\n\n'
        "[questions.status]",
    )
    flow, without = load_flow(behind), load_flow(unsure)
    assert behind_catch_alls(flow) == {"symptom"}
    assert behind_catch_alls(MORE) == set()
    for words in ("daftar pesanan lama di browser", "pesanan dibatalkan", "perlu dikirim"):
        reading, plain = read_words(flow, words), read_words(without, words)
        assert "symptom" not in reading.answers
        assert [(c.question, c.value, c.score) for c in reading.candidates] == [
            (c.question, c.value, c.score) for c in plain.candidates
        ]
