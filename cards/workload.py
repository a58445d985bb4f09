"""Desired retention by its workload: a year of study simulated at each retention from
0.70 to 0.97 with fsrs-rs's simulator (the one Anki's deck options use), for a collection
of this many cards under these limits and steps; how many reviews a day it takes on
average, and how many cards are remembered at the end of the year. Also fsrs-rs's
optimal_retention for the same setup. fsrs-rs-python is imported only here, when asked."""

from __future__ import annotations

from dataclasses import dataclass

from cards.config import Settings

RETENTIONS = tuple(round(0.70 + 0.01 * i, 2) for i in range(28))  # 0.70 .. 0.97
DAYS = 365
SEED = 42  # the same simulation every time, so the chart does not flicker between runs


@dataclass(frozen=True)
class Workload:
    retentions: tuple[float, ...]
    reviews_per_day: tuple[float, ...]  # the year's average
    memorized: tuple[float, ...]  # cards remembered on the last day
    optimal: float | None  # fsrs-rs's optimal_retention, clamped to the range shown


def simulator_config(settings: Settings, cards: int):
    """fsrs-rs's simulator set up for `cards` cards with the user's limits and steps."""
    import fsrs_rs_python as fsrs_rs

    config = fsrs_rs.default_simulator_config()
    config.deck_size = max(1, cards)
    config.learn_span = DAYS
    config.learn_limit = settings.new_per_day
    config.review_limit = settings.reviews_per_day
    config.max_ivl = float(settings.maximum_interval)
    config.max_cost_perday = 1e9  # the daily limits bound the day, not a time budget
    config.learning_step_count = len(settings.learning_steps)
    config.relearning_step_count = len(settings.relearning_steps)
    return config


def simulate(settings: Settings, cards: int, *, optimal: bool = True) -> Workload:
    """The workload at every retention in RETENTIONS (and the optimum if `optimal`)."""
    import fsrs_rs_python as fsrs_rs

    from cards.scheduler import parameters

    params = parameters(settings)
    config = simulator_config(settings, cards)
    reviews, memorized = [], []
    for retention in RETENTIONS:
        result = fsrs_rs.simulate(params, retention, config, SEED)
        days = result.review_cnt_per_day
        reviews.append(sum(days) / len(days) if days else 0.0)
        memorized.append(result.memorized_cnt_per_day[-1] if result.memorized_cnt_per_day else 0)
    best = None
    if optimal:
        best = min(max(fsrs_rs.optimal_retention(config, params), RETENTIONS[0]), RETENTIONS[-1])
    return Workload(RETENTIONS, tuple(reviews), tuple(memorized), best)
