"""The contract every card kind keeps, run over the registry (cards.kinds.NAMES).

Each kind has two fixtures in tests/fixtures/kinds/: NAME.toml, notes whose text looks like
markup and HTML, and NAME-bad.toml, broken notes with a `# error: ...` comment on the line
each error must be reported at. A new kind is covered by adding its two fixtures."""

from __future__ import annotations

import re

import pytest

from cards import kinds
from cards.anki import export_apkg, note_guid
from cards.deckfile import load
from cards.model import Deck
from cards.text import plain
from tests.conftest import FIXTURES

KIND_FIXTURES = FIXTURES / "kinds"
NAMES = kinds.NAMES


def squeeze(text: str) -> str:
    """Text with every space gone: renderers differ in where they break and pad."""
    return "".join(text.split())


def good_deck(name: str) -> Deck:
    deck, errors = load(KIND_FIXTURES / f"{name}.toml")
    assert errors == [] and deck is not None
    return deck


def test_every_kind_has_its_fixtures():
    assert set(NAMES) == {p.stem for p in KIND_FIXTURES.glob("*.toml") if "-" not in p.stem}
    for name in NAMES:
        assert kinds.get(name).name == name
        assert (KIND_FIXTURES / f"{name}-bad.toml").is_file()
    assert kinds.get("nope") is None


@pytest.mark.parametrize("name", NAMES)
def test_loads_and_makes_its_cards(name):
    deck = good_deck(name)
    kind = kinds.get(name)
    assert deck.notes and {n.kind for n in deck.notes} == {name}
    assert [c.ord for c in deck.cards] == [o for n in deck.notes for o in kind.ords(n.fields)]
    for card in deck.cards:
        assert card.label and kind.question(card).strip() and kind.answer(card).strip()


@pytest.mark.parametrize("name", NAMES)
def test_bad_notes_are_located_errors(name):
    path = KIND_FIXTURES / f"{name}-bad.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    expected = {
        i + 1: m[1].strip()
        for i, line in enumerate(lines)
        if (m := re.search(r"# error: (.*)", line))
    }
    deck, errors = load(path)
    assert deck is not None and deck.notes == ()  # every broken note left out, the deck kept
    assert expected and len(errors) == len(expected)
    for error in errors:
        assert error.line in expected, error
        assert expected[error.line] in error.message, error
        assert error.col >= 1 and error.message.startswith("note ")


@pytest.mark.parametrize("name", NAMES)
def test_question_and_answer_are_literal(name):
    from app.tui.faces import face_for

    for card in good_deck(name).cards:
        kind = kinds.get(name)
        face = face_for(card)
        question = face.question(card).plain
        assert squeeze(plain(kind.question(card))) in squeeze(question)
        assert squeeze(plain(kind.answer(card))) in squeeze(face.answer(card).plain)
        assert "[b]" in question or "[...]" in question or "[a hint]" in question


def responses(kind, card) -> tuple[object, object] | None:
    """A right and a wrong response, for a kind that grades one; None if self-graded."""
    if kind.options(card):
        right = kind.correct(card)
        return right, (right + 1) % len(kind.options(card))
    if kind.grade(card, kind.answer(card)) is not None:
        return kind.answer(card), kind.answer(card) + " not this"
    return None


@pytest.mark.parametrize("name", NAMES)
def test_grading(name):
    kind = kinds.get(name)
    for card in good_deck(name).cards:
        assert kind.grade(card, None) is None  # only shown: the learner grades
        pair = responses(kind, card)
        if pair is not None:
            right, wrong = pair
            assert kind.grade(card, right) is True and kind.grade(card, wrong) is False


@pytest.fixture(scope="module")
def in_anki(tmp_path_factory):
    """Every kind's fixture deck, exported in one package and imported into Anki's engine."""
    anki_collection = pytest.importorskip("anki.collection")
    from tests.test_export import import_apkg, notes_by_guid

    tmp = tmp_path_factory.mktemp("kinds")
    decks = [good_deck(name) for name in NAMES]
    export_apkg(decks, tmp / "kinds.apkg")
    (tmp / "anki").mkdir()
    col = anki_collection.Collection(str(tmp / "anki" / "collection.anki2"))
    log = import_apkg(col, tmp / "kinds.apkg")
    assert not log.conflicting and not log.duplicate
    yield {d.id: d for d in decks}, notes_by_guid(col)
    col.close()


@pytest.mark.parametrize("name", NAMES)
def test_exports_and_renders_in_anki(name, in_anki):
    from tests.test_export import text_of

    decks, anki_notes = in_anki
    kind = kinds.get(name)
    deck = decks[f"kind-{name}"]
    for note in deck.notes:
        an = anki_notes[note_guid(f"{deck.id}/{note.id}")]
        note_type = kind.note_type(note)
        assert an.note_type()["name"] == note_type.name
        assert list(an.keys())[: len(note_type.fields)] == list(note_type.fields)
        theirs = sorted(an.cards(), key=lambda c: c.ord)
        ours = [c for c in deck.cards if c.note.id == note.id]
        assert [c.ord + 1 for c in theirs] == [c.ord for c in ours]
        for card, anki_card in zip(ours, theirs, strict=True):
            q, a = text_of(anki_card.question()), text_of(anki_card.answer())
            assert "{{" not in q + a
            assert squeeze(plain(kind.question(card))) in squeeze(q)
            template = note_type.templates[0 if note_type.cloze else card.ord - 1]
            typed_in = re.findall(r"\{\{type:([^}]+)\}\}", template[2])
            if typed_in:  # Anki's reviewer shows the answer in its type-in comparison
                assert f"[[type:{typed_in[0]}]]" in a
            else:
                assert squeeze(plain(kind.answer(card))) in squeeze(a)


@pytest.mark.parametrize("name", NAMES)
async def test_reviewed_in_the_app(name, tmp_path):
    """The kind's cards in the TUI: the question literal, the right response graded Good
    (or, self-graded, Good preselected), and the answer logged."""
    from app.tui.screens.review import ReviewScreen
    from cards.state import Rating
    from tests.tui.helpers import make_app, make_ctx, screen_text
    from tests.tui.test_tui_flows import answer_current

    ctx = make_ctx(tmp_path, [KIND_FIXTURES / f"{name}.toml"])
    ctx.settings = ctx.settings.replace(bury_siblings=False)  # every card of a note today
    app = make_app(ctx, start_review=True)
    kind = kinds.get(name)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen: list[str] = []  # each card once (Good keeps a new card in learning)
        while isinstance(app.screen, ReviewScreen) and app.screen.card.key not in seen:
            card = app.screen.card
            question = squeeze(plain(kind.question(card)))[:24]
            assert question in squeeze(screen_text(app))
            await answer_current(pilot, right=True)  # Enter accepts the grade selected
            seen.append(card.key)
        assert seen == [c.key for c in good_deck(name).cards]
    assert [r.rating for r in ctx.store.reviews()] == [Rating.GOOD] * len(seen)
