"""The deck cache never changes what is shown: a damaged or truncated entry is parsed again
from the deck file, and an edit is seen even when it keeps the size and the mtime."""

from __future__ import annotations

import os
import random
import shutil

from cards import deckcache
from cards.deckfile import load
from tests.conftest import FIXTURE_DECKS

BASICS = FIXTURE_DECKS / "basics.toml"


def cached(tmp_path):
    deck_path = tmp_path / "basics.toml"
    if not deck_path.exists():
        shutil.copy(BASICS, deck_path)
    return deck_path, tmp_path / "cache"


def entry_files(cache_dir):
    (deck_file,) = cache_dir.glob("*.deck")
    return deck_file, deck_file.with_suffix(".notes")


def text_of(deck) -> list:
    return [(c.key, dict(c.note.fields)) for c in deck.cards]


def test_every_damaged_byte_is_caught(tmp_path):
    deck_path, cache_dir = cached(tmp_path)
    truth = text_of(load(deck_path)[0])
    rng = random.Random(3)
    for trial in range(80):
        deckcache.load(deck_path, str(deck_path), cache_dir)  # a sound entry (rewritten)
        target = entry_files(cache_dir)[trial % 2]
        data = bytearray(target.read_bytes())
        at = rng.randrange(len(data))
        data[at] ^= 1 << rng.randrange(8)
        target.write_bytes(bytes(data))
        deck, errors = deckcache.load(deck_path, str(deck_path), cache_dir)
        assert errors == [] and text_of(deck) == truth, (target.suffix, at)


def test_a_truncated_notes_file_is_parsed_again(tmp_path):
    deck_path, cache_dir = cached(tmp_path)
    truth = text_of(load(deck_path)[0])
    deckcache.load(deck_path, str(deck_path), cache_dir)
    _, notes_file = entry_files(cache_dir)
    notes_file.write_bytes(notes_file.read_bytes()[:-40])
    for _ in range(2):  # and the next start-up too
        deck, _ = deckcache.load(deck_path, str(deck_path), cache_dir)
        assert text_of(deck) == truth


def test_a_same_size_edit_with_the_mtime_put_back_is_seen(tmp_path):
    deck_path, cache_dir = cached(tmp_path)
    deckcache.load(deck_path, str(deck_path), cache_dir)
    st = os.stat(deck_path)
    text = deck_path.read_text(encoding="utf-8")
    edited = text.replace("Free Spaced Repetition Scheduler", "Free Spaced Repetition Schedulor")
    assert len(edited) == len(text) and edited != text
    with open(deck_path, "r+", encoding="utf-8") as f:  # in place: same inode, same size
        f.write(edited)
    os.utime(deck_path, ns=(st.st_atime_ns, st.st_mtime_ns))
    deck, _ = deckcache.load(deck_path, str(deck_path), cache_dir)
    assert deck.notes[0].fields["back"] == "Free Spaced Repetition Schedulor"
