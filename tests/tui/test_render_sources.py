"""The source line under an answer names each work once, with every section cited."""

from __future__ import annotations

from app.tui import render
from cards.model import Card, Deck, Note, Source


def test_a_source_cited_twice_is_named_once_with_both_sections():
    note = Note("n", "basic", {"front": "q", "back": "a"},
                source=("brown#c3", "brown#a4", "brown"), evidence=("dai", "brown#a4"))  # fmt: skip
    deck = Deck("d", "D", sources=(Source("brown", "An article", author="Lachlan Brown"),
                                   Source("dai", "A study", author="Dai, Dong & Jia", year=2014)),
                notes=(note,))  # fmt: skip
    assert render.sources(Card("d", note), deck) == ["Lachlan Brown (c3, a4)", "Dai et al. 2014"]
