"""heartcards: the Textual TUI and the command line. Imports cards/, never the reverse."""
