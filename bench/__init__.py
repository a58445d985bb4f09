"""heartcards benchmarks: `python -m bench` (see bench/__main__.py and bench/README.md).

Modules: gen (synthetic collections), anki_ref (the same in Anki's engine), timing
(figures and the table), answer (answer path, today's queue), check, firstcard
(start-up and memory, through startup.py), exporting (through export.py),
tests/test_session_equivalence (the indexed queue equals the reference one).
"""
