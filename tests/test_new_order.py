"""New cards interleaved across notes and decks (new_order = "mixed", the default), in an
order that holds all day and changes the next; "file" keeps the decks' order."""

from __future__ import annotations

from cards.config import Settings
from cards.library import load_library
from cards.session import Session
from cards.store import Store


def new_keys(store, cards, settings, clock) -> list[str]:
    return [c.key for c in Session(store, cards, settings, clock).queue().new]


def test_mixed_new_cards_come_from_every_deck_and_hold_all_day(tmp_path, clock):
    lib = load_library(builtin=True)
    with_limit = Settings(new_per_day=30)
    store = Store.open(tmp_path)
    try:
        mixed = new_keys(store, lib.cards(), with_limit, clock)
        filed = new_keys(store, lib.cards(), Settings(new_per_day=30, new_order="file"), clock)
        assert len({k.split("/")[0] for k in mixed}) >= 4  # from (nearly) every deck
        assert len({k.split("/")[0] for k in filed}) == 1  # the first deck's, in order
        clock.advance(hours=5)
        assert new_keys(store, lib.cards(), with_limit, clock) == mixed  # all day
        clock.advance(days=1)
        assert new_keys(store, lib.cards(), with_limit, clock) != mixed  # a new mix
    finally:
        store.close()


def runs_deck(folder) -> object:
    """A deck whose 30 verdicts come in runs of five alike, in file order."""
    lines = ["format = 1", "[deck]", 'id = "runs"', 'name = "Runs"']
    for i in range(30):
        verdict = ("healthy", "unhealthy", "depends")[i // 5 % 3]
        lines += ["[[notes]]", f'id = "n{i}"', 'kind = "verdict"', f'advice = "Advice {i}."',
                  f'verdict = "{verdict}"', 'why = "Because."']  # fmt: skip
    folder.mkdir()
    (folder / "runs.toml").write_text("\n".join(lines) + "\n")
    return load_library(builtin=False, extra=[folder])


def test_a_decks_verdicts_are_not_in_the_files_runs(tmp_path, clock):
    """Over a week, a verdict follows one of the same verdict less often than in a file
    where they come in runs (a new mix each day: the average is what holds)."""
    lib = runs_deck(tmp_path / "decks")
    verdict_of = {c.key: c.note.fields["verdict"] for c in lib.cards() if c.kind == "verdict"}

    def same_pairs(order: str) -> int:
        settings = Settings(new_per_day=100, new_order=order)
        keys = [k for k in new_keys(store, lib.cards(), settings, clock) if k in verdict_of]
        assert len(keys) == len(verdict_of)
        return sum(verdict_of[a] == verdict_of[b] for a, b in zip(keys, keys[1:], strict=False))

    store = Store.open(tmp_path / "home")
    try:
        in_file = same_pairs("file")
        mixed = []
        for _ in range(7):
            mixed.append(same_pairs("mixed"))
            assert same_pairs("file") == in_file
            clock.advance(days=1)
        assert sum(mixed) / len(mixed) < in_file, (mixed, in_file)
    finally:
        store.close()


def test_one_card_of_a_note_a_day_still(tmp_path, clock):
    """Mixing keeps a note's cards together, and burying still shows one a day."""
    lib = load_library(builtin=True)
    notes = {c.note_key for c in lib.cards() if c.ord > 1}
    assert notes  # the shipped decks have notes of two cards or more
    store = Store.open(tmp_path)
    try:
        queued = Session(store, lib.cards(), Settings(new_per_day=200), clock).queue().new
        seen = [c.note_key for c in queued]
        assert len(seen) == len(set(seen)) and notes & set(seen)
    finally:
        store.close()
