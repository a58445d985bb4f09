"""The loader only ever returns decks or located errors, whatever it is fed."""

from __future__ import annotations

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards import deckfile
from tests.conftest import FIXTURE_DECKS

VALID = (FIXTURE_DECKS / "basics.toml").read_text()
KEYS = [
    "format",
    "deck",
    "id",
    "name",
    "notes",
    "sources",
    "kind",
    "front",
    "back",
    "text",
    "prompt",
    "options",
    "answer",
    "why",
    "advice",
    "verdict",
    "source",
    "evidence",
    "tags",
    "reverse",
    "extra",
    "title",
    "year",
]

scalars = st.one_of(
    st.text(max_size=30),
    st.integers(-5, 5),
    st.booleans(),
    st.floats(allow_nan=False),
    st.sampled_from(
        [
            "basic",
            "cloze",
            "choice",
            "verdict",
            "healthy",
            "{{c1::x}}",
            "{{c0::}}",
            "harper",
            "harper#1",
            "x",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(KEYS) | st.text(min_size=1, max_size=8), inner, max_size=5
        )
    ),
    max_leaves=25,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)


def check(text: str) -> None:
    lines = text.splitlines() or [""]
    deck, errors = deckfile.parse(text, "fuzz.toml")
    assert deck is not None or errors  # a deck, or a reason why not
    for e in errors:
        assert e.path == "fuzz.toml" and e.message
        assert 1 <= e.line <= len(lines) + 1 and e.col >= 1
        assert "\n" not in str(e)  # one line each


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_arbitrary_toml(doc):
    check(tomli_w.dumps(doc))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(VALID)), st.integers(0, 40), st.text(max_size=20))
def test_edits_of_a_valid_deck(at, cut, insert):
    check(VALID[:at] + insert + VALID[at + cut :])
