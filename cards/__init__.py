"""heartcards core: decks, scheduling, storage, export, stats. Never imports Textual or Rich."""

__version__ = "0.1.0"
