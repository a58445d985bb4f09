"""Desired retention by its workload (issue 17): a year simulated with fsrs-rs at each
retention, for the user's collection size, limits and steps."""

from __future__ import annotations

import fsrs_rs_python as fsrs_rs

from cards.config import Settings
from cards.workload import RETENTIONS, simulate


def test_reviews_a_day_at_0_9_are_a_direct_simulation():
    """Acceptance 4 (the figure): reviews a day at 0.90 within 1% of calling fsrs-rs's
    simulate directly with the same setup, for default and fitted-looking settings."""
    from tests.fsrs_history import TRUTH

    for settings, cards in ((Settings(), 144), (Settings(new_per_day=5, fsrs_params=TRUTH,
                                                         learning_steps=("5m",)), 2000)):  # fmt: skip
        w = simulate(settings, cards, optimal=False)
        config = fsrs_rs.default_simulator_config()
        config.deck_size = cards
        config.learn_span = 365
        config.learn_limit = settings.new_per_day
        config.review_limit = settings.reviews_per_day
        config.max_ivl = float(settings.maximum_interval)
        config.max_cost_perday = 1e9
        config.learning_step_count = len(settings.learning_steps)
        config.relearning_step_count = len(settings.relearning_steps)
        params = list(settings.fsrs_params) or list(fsrs_rs.DEFAULT_PARAMETERS)
        direct = fsrs_rs.simulate(params, 0.9, config, 42).review_cnt_per_day
        ours = w.reviews_per_day[RETENTIONS.index(0.9)]
        assert abs(ours - sum(direct) / len(direct)) <= 0.01 * ours
        assert len(w.reviews_per_day) == len(RETENTIONS) == 28
        assert w.reviews_per_day[-1] > w.reviews_per_day[0] and w.optimal is None


def test_optimal_retention_is_in_range():
    w = simulate(Settings(), 300)
    assert RETENTIONS[0] <= w.optimal <= RETENTIONS[-1]
