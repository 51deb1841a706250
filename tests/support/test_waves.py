"""The test behind suggested incidents: a one-sided binomial tail, checked against sums
written out by hand, and the rule that turns it into a suggestion."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from wizard.support.waves import binomial_tail, is_wave, usual_share


def exact_tail(successes: int, trials: int, share: float) -> float:
    """P(X ≥ successes) as 1 - P(X < successes), in exact fractions term by term."""
    p = Fraction(str(share))
    below = sum(math.comb(trials, k) * p**k * (1 - p) ** (trials - k) for k in range(successes))
    return float(1 - below)


def test_the_tail_of_a_fair_coin_is_counted_by_hand() -> None:
    assert binomial_tail(1, 1, 0.5) == pytest.approx(0.5)
    assert binomial_tail(8, 10, 0.5) == pytest.approx(56 / 1024)  # 45 + 10 + 1 ways
    assert binomial_tail(10, 10, 0.5) == pytest.approx(1 / 1024)


@pytest.mark.parametrize(
    ("successes", "trials", "share"),
    [(12, 20, 0.04), (3, 20, 0.04), (20, 2000, 0.01), (45, 2000, 0.01), (6, 100, 0.01)],
)
def test_the_tail_matches_the_sum_of_the_binomial_terms(
    successes: int, trials: int, share: float
) -> None:
    assert binomial_tail(successes, trials, share) == pytest.approx(
        exact_tail(successes, trials, share), rel=1e-9
    )


def test_the_edges_of_the_tail() -> None:
    assert binomial_tail(0, 20, 0.04) == 1.0  # at least none: always
    assert binomial_tail(21, 20, 0.04) == 0.0  # more than there were: never
    assert binomial_tail(3, 20, 0.0) == 0.0
    assert binomial_tail(3, 20, 1.0) == 1.0


def test_a_signal_never_seen_is_rare_not_impossible() -> None:
    assert usual_share(0, 0) == 0.5  # no history: nothing can look unusual
    assert usual_share(0, 999) == pytest.approx(0.0005)
    assert usual_share(40, 999) == pytest.approx(0.0405)


def test_twelve_of_twenty_where_four_percent_is_usual_is_a_wave() -> None:
    # Expected 0.8 sessions; P(≥ 12) is about 1e-12.
    assert binomial_tail(12, 20, 0.04) < 1e-11
    assert is_wave(12, 20, 0.04, tested=60)


def test_fewer_than_five_sessions_never_suggest_an_incident() -> None:
    # P(≥ 4 of 4 | 1 %) = 1e-8, far below the threshold, but four sellers are not a wave.
    assert binomial_tail(4, 4, 0.01) < 1e-7
    assert not is_wave(4, 4, 0.01)


def test_a_share_under_three_times_the_usual_one_is_no_wave() -> None:
    # 150 of 1000 at a usual 6 %: 2.5 x usual and p ≈ 1e-20, still no suggestion.
    assert binomial_tail(150, 1000, 0.06) < 1e-15
    assert not is_wave(150, 1000, 0.06)
    assert is_wave(180, 1000, 0.06)  # 3 x usual


def test_normal_traffic_is_no_wave() -> None:
    assert not is_wave(1, 20, 0.04)
    assert not is_wave(8, 200, 0.04)  # just the usual share
    assert not is_wave(5, 20, 0.1)  # 2.5 x usual, and p ≈ 0.04


def test_the_threshold_is_shared_among_the_signals_tested() -> None:
    # 6 of 100 at a usual 1 %: p ≈ 6e-4, under 0.001 alone, not under 0.001 / 60.
    assert 1e-4 < binomial_tail(6, 100, 0.01) < 1e-3
    assert is_wave(6, 100, 0.01, tested=1)
    assert not is_wave(6, 100, 0.01, tested=60)
