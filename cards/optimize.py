"""FSRS parameters fitted to the learner's own reviews, with the Rust optimiser Anki uses
(fsrs-rs, through fsrs-rs-python: imported only here, only when optimising).

`fit` does what Anki's "Optimize" does (rslib scheduler/fsrs/params.rs, compute_params):
the log as training items (cards.fsrs_items), fsrs-rs's compute_parameters with short-term
memory on, Anki's number of relearning steps and 8 epochs, and the parameters in use kept
when the fitted ones do no better on the same items. It also measures whether the fit
helps: both sets are scored (log loss, RMSE over bins) on the newest fifth of the items
after fitting on the rest, a split in time, so the score is of reviews the fit never saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cards.config import Settings
from cards.fsrs_items import Item, training_items
from cards.model import deck_of

MIN_ITEMS = 8  # below this fsrs-rs gives back the defaults (training.rs, compute_parameters)
FULL_FIT_ITEMS = 64  # below this it fits only the four initial stabilities
HELD_OUT = 0.2  # the newest fifth of the items scores the fit
EPOCHS = 8  # as Anki trains


class TooFewReviews(Exception):
    """The log is too short to fit parameters to; `needed`: items short of the minimum."""

    def __init__(self, items: int):
        self.items, self.needed = items, MIN_ITEMS - items
        super().__init__(
            f"optimising needs at least {MIN_ITEMS} reviews that follow a review on an earlier"
            f" day; you have {items}: {self.needed} more"
        )


@dataclass(frozen=True)
class Score:
    log_loss: float
    rmse: float  # RMSE over bins, as Anki shows it


@dataclass(frozen=True)
class Fit:
    parameters: list[float]  # what to use from now on (fitted on every item)
    items: int
    reviews: int  # reviews in the log
    current: Score  # the parameters in use, on the held-out items
    fitted: Score  # parameters fitted on the older items, on the held-out items
    kept_current: bool  # the fit did no better: the parameters in use stay
    partial: bool  # too few items for a full fit: only the initial stabilities moved


def items_of(rows: list[tuple], settings: Settings, now: datetime) -> tuple[list[Item], list[int]]:
    """Training items and their cards from Store.review_rows()."""
    from cards.scheduler import next_rollover

    next_day_at = int(next_rollover(now, settings.day_starts_at).timestamp())
    simple = ((r[4], r[1], r[2], r[5]) for r in rows)  # time, card, rating, state before
    items, cards, _ = training_items(simple, next_day_at)
    return items, cards


def as_fsrs(items: list[Item]):
    import fsrs_rs_python as fsrs_rs

    return [fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(r, d) for r, d in item]) for item in items]


def train(items, cards, current: list[float], relearning_steps: int) -> list[float]:
    """fsrs-rs's compute_parameters on FSRS items, configured as Anki configures it."""
    import fsrs_rs_python as fsrs_rs

    return fsrs_rs.FSRS(current).compute_parameters(
        items,
        card_ids=cards,
        enable_short_term=True,
        num_relearning_steps=relearning_steps,
        training_config=fsrs_rs.TrainingConfig(num_epochs=EPOCHS),
    )


def score(parameters: list[float], items) -> Score:
    import fsrs_rs_python as fsrs_rs

    e = fsrs_rs.FSRS(parameters).evaluate(items)
    return Score(e.log_loss, e.rmse_bins)


def _keep_current(current: list[float], fitted: list[float], items, steps: int) -> bool:
    """Anki's rule: the parameters in use stay when the fit scores no better on the same
    items, unless more than one relearning step a day would make the ones in use shrink
    a forgotten card's stability (params.rs, compute_params)."""
    import fsrs_rs_python as fsrs_rs

    if score(current, items).log_loss > score(fitted, items).log_loss:
        return False
    if steps <= 1:
        return True
    model = fsrs_rs.FSRS(current)
    memory = model.next_states(fsrs_rs.MemoryState(1.0, 1.0), 0.9, 2).again.memory
    for _ in range(steps):
        memory = model.next_states(memory, 0.9, 0).good.memory
    return memory.stability < 1.0


def memory(rows: list[tuple], settings: Settings, now: datetime, parameters: list[float]):
    """Card number -> (stability, difficulty) from its reviews with `parameters`, as Anki
    recomputes a card's memory (cards.fsrs_items.memory_items, fsrs-rs in one batch)."""
    import fsrs_rs_python as fsrs_rs

    from cards.fsrs_items import memory_items
    from cards.scheduler import next_rollover

    next_day_at = int(next_rollover(now, settings.day_starts_at).timestamp())
    items = memory_items(((r[4], r[1], r[2], r[5]) for r in rows), next_day_at)
    cards = list(items)
    states = fsrs_rs.FSRS(parameters).memory_state_batch(as_fsrs([items[c] for c in cards]))
    return {card: (m.stability, m.difficulty) for card, m in zip(cards, states, strict=True)}


def in_scope(settings: Settings, deck: str | None):
    """Whether a card key's schedule uses the parameters of `deck` (its [decks.ID]
    fsrs_params), or for `deck` None the collection's (every deck without its own)."""
    own = {d for d, t in settings.decks.items() if t.get("fsrs_params")}
    if deck is not None:
        return lambda key: deck_of(key) == deck
    return lambda key: deck_of(key) not in own


def rows_for(store, settings: Settings, deck: str | None, rows=None) -> list[tuple]:
    """Store.review_rows() of the cards whose parameters `deck` names (see in_scope), of
    each card only those after its last Forget."""
    rows = store.review_rows() if rows is None else rows
    forgot = store.forgotten()
    if forgot:  # a Forget starts a card's history afresh, as in Anki (is_reset)
        rows = [r for r in rows if r[0] > forgot.get(r[1], -1)]
    if deck is None and not any(t.get("fsrs_params") for t in settings.decks.values()):
        return rows
    wanted = in_scope(settings, deck)
    numbers = {n for key, n in store.card_numbers().items() if wanted(key)}
    return [r for r in rows if r[1] in numbers]


def apply(
    store,
    settings: Settings,
    home,
    parameters: list[float],
    now: datetime,
    rows=None,
    deck: str | None = None,
) -> int:
    """Use `parameters` from now on, for the collection or for one deck (`deck`, saved in
    its [decks.ID] table): the memory (stability, difficulty) of every reviewed card they
    schedule worked out again from its reviews with them, its due date kept (Anki's
    "reschedule cards" off), and `fsrs_params` saved in config.toml, the two together: if
    the settings cannot be saved, no card changes. The number of cards updated."""

    from cards import config

    if deck is None:
        new = settings.replace(fsrs_params=tuple(parameters))
    else:
        own = {**settings.decks.get(deck, {}), "fsrs_params": tuple(parameters)}
        new = settings.replace(decks={**settings.decks, deck: own})
    wanted = in_scope(settings, deck)
    numbers = store.card_numbers()
    rows = rows_for(store, settings, deck, rows)  # (the fit's, if it has them)
    found = memory(rows, settings, now, parameters)
    updates = [(key, *found[n]) for key, n in numbers.items() if n in found and wanted(key)]
    store.set_memory(updates, save=lambda: config.save(home, new))
    return len(updates)


def fit(rows: list[tuple], settings: Settings, now: datetime) -> Fit:
    """Fit parameters to the reviews `rows` (Store.review_rows()); TooFewReviews below
    the minimum. Nothing is saved: the caller decides."""
    from cards.scheduler import parameters

    items, cards = items_of(rows, settings, now)
    if len(items) < MIN_ITEMS:
        raise TooFewReviews(len(items))
    current = parameters(settings)
    steps = sum(1 for s in settings.relearning_deltas() if s.total_seconds() < 86_400)
    fsrs_items = as_fsrs(items)
    cut = max(1, int(len(items) * (1 - HELD_OUT)))
    older, newer = fsrs_items[:cut], fsrs_items[cut:] or fsrs_items[-1:]
    on_older = train(older, cards[:cut], current, steps) if cut >= MIN_ITEMS else current
    fitted = train(fsrs_items, cards, current, steps)
    kept = _keep_current(current, fitted, fsrs_items, steps)
    return Fit(
        parameters=current if kept else fitted,
        items=len(items),
        reviews=len(rows),
        current=score(current, newer),
        fitted=score(on_older, newer),
        kept_current=kept,
        partial=len(items) < FULL_FIT_ITEMS,
    )
