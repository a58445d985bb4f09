"""The options of choice and verdict cards: the list keeps its option widgets from card to
card and gives them the new texts, so nothing of the last card's answer may stay."""

from __future__ import annotations

from textual.app import App

from app.tui.widgets.choices import ChoiceList


class OneList(App):
    def compose(self):
        yield ChoiceList(("Alpha", "Beta", "Gamma"), id="choices")


def lines(app) -> list[str]:
    return [
        " ".join(o.query_one(".choice-text").render().plain.split())
        for o in app.query("ChoiceOption")
    ]


def marks(app) -> list[str]:
    return [str(o.query_one(".choice-key").render()) for o in app.query("ChoiceOption")]


async def test_options_of_the_next_card_replace_the_last_ones_and_their_marks():
    app = OneList()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        options = app.query_one(ChoiceList)
        assert lines(app) == ["Alpha", "Beta", "Gamma"]
        options.move(1)
        options.reveal(correct=0, picked=1)
        await pilot.pause()
        assert marks(app) == ["✓", "✗", "3"]

        options.show(["Healthy", "Unhealthy"])  # a verdict card: fewer options
        await pilot.pause()
        assert lines(app) == ["Healthy", "Unhealthy"] and marks(app) == ["1", "2"]
        for option in app.query("ChoiceOption"):
            assert not option.classes & {"-correct", "-wrong", "-other", "-highlighted"}

        options.show(["one", "two", "three", "four"])  # more options than before
        await pilot.pause()
        assert lines(app) == ["one", "two", "three", "four"]
        assert marks(app) == ["1", "2", "3", "4"]
        options.move(1)
        options.move(1)
        await pilot.pause()
        highlighted = [o.index for o in app.query("ChoiceOption") if o.has_class("-highlighted")]
        assert highlighted == [1]

        options.show([])  # a card without options hides the list
        await pilot.pause()
        assert not options.display and not app.query("ChoiceOption")
