"""Paired differences between two methods scored on the same traces."""

import random

from intentlens.metrics.paired import paired_difference


def _scores(n: int, seed: int = 3) -> dict[str, float]:
    rng = random.Random(seed)
    return {f"t{i}": rng.random() for i in range(n)}


def test_a_consistent_gain_gets_an_interval_above_zero() -> None:
    reference = _scores(40)
    rng = random.Random(7)
    candidate = {k: v + 0.1 + rng.gauss(0, 0.05) for k, v in reference.items()}
    diff = paired_difference(reference, candidate, metric="s_text")
    assert diff is not None and diff.traces == 40 and diff.metric == "s_text"
    assert 0 < diff.low < diff.difference < diff.high and diff.excludes_zero
    assert diff.better + diff.worse + diff.ties == 40 and diff.better > diff.worse


def test_noise_around_zero_gives_an_interval_across_zero() -> None:
    reference = _scores(40)
    rng = random.Random(11)
    candidate = {k: v + rng.choice((-0.05, 0.05)) for k, v in reference.items()}
    diff = paired_difference(reference, candidate, metric="s_text")
    assert diff is not None and diff.low < 0 < diff.high and not diff.excludes_zero


def test_identical_methods_tie_on_every_trace() -> None:
    reference = _scores(10)
    diff = paired_difference(reference, dict(reference), metric="m_entity")
    assert diff is not None
    assert (diff.difference, diff.low, diff.high) == (0.0, 0.0, 0.0)
    assert (diff.better, diff.worse, diff.ties) == (0, 0, 10)


def test_pairs_are_matched_by_trace_and_missing_scores_drop_out() -> None:
    reference = {"a": 0.5, "b": None, "c": 0.2, "d": 0.9}
    candidate = {"d": 1.0, "c": 0.1, "b": 0.7, "a": 0.5, "e": 0.3}  # order differs, "e" unpaired
    diff = paired_difference(reference, candidate, metric="m_entity")
    assert diff is not None and diff.traces == 3  # a, c, d
    assert (diff.better, diff.worse, diff.ties) == (1, 1, 1)
    assert diff.difference == round((0.0 - 0.1 + 0.1) / 3, 4)


def test_too_few_pairs_give_no_interval() -> None:
    assert paired_difference({"a": 0.5}, {"a": 0.6}, metric="s_text") is None
    assert paired_difference({"a": None, "b": 0.1}, {"a": 0.3, "c": 0.2}, metric="s_text") is None


def test_the_interval_is_reproducible() -> None:
    reference = _scores(30)
    candidate = _scores(30, seed=4)
    assert paired_difference(reference, candidate, metric="s_text") == paired_difference(
        reference, candidate, metric="s_text")
