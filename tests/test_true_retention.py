"""True retention (issue 17): young and mature pass rates by period, as Anki's statistics
count them, checked against the log by hand and against Anki's engine on the same log."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cards.anki_days import interval_of
from cards.config import Settings
from cards.store import Store
from cards.true_retention import PERIODS, of_reviews, of_rows, true_retention
from tests.fsrs_history import generate


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    home = tmp_path_factory.mktemp("retention")
    store = Store.open(home)
    now = datetime.now().astimezone()
    generate(store, 200, now - timedelta(minutes=5), days=400, seed=3)
    rows = store.review_rows()
    yield home, store, rows, now
    store.close()


def test_counts_are_the_logs(log):
    """Acceptance 5: each period's counts equal counts made here from the log: reviews
    of cards whose last interval was a day or more, young below 21 days, Again failing."""
    _, _, rows, now = log
    table = true_retention(of_rows(rows), 4, now)
    _, store, _, _ = log
    assert true_retention(of_reviews(store.reviews()), 4, now) == table  # the same from either
    from cards.scheduler import next_rollover

    end = next_rollover(now, 4).timestamp()
    interval = interval_of(4)
    back = {"today": (1, 0), "yesterday": (2, 1), "week": (7, 0), "month": (30, 0),
            "year": (365, 0), "all_time": (10**6, 0)}  # fmt: skip
    for period in PERIODS:
        a, b = back[period]
        young = mature = young_failed = mature_failed = 0
        for row in rows:
            last = interval(row[5], row[6], row[7])
            if not (end - a * 86400 <= row[4] / 1000 < end - b * 86400):
                continue
            if row[5] != 2 and -86400 < last < 1:
                continue
            if last < 21:
                young += 1
                young_failed += row[2] == 1
            else:
                mature += 1
                mature_failed += row[2] == 1
        r = table[period]
        assert (r.young_passed + r.young_failed, r.young_failed) == (young, young_failed), period
        assert (r.mature_passed + r.mature_failed, r.mature_failed) == (mature, mature_failed)
    assert table["all_time"].mature_passed > 100 and table["month"].rate("young") is not None


def test_counts_are_ankis(log, tmp_path):
    """Anki's engine, the same log exported to it with --scheduling: the same table."""
    pytest.importorskip("anki.collection")
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from cards.anki import export_apkg
    from cards.deckfile import parse

    _, store, rows, now = log
    notes = "".join(
        f'\n[[notes]]\nid = "c{i}"\nkind = "basic"\nfront = "q"\nback = "a"\n' for i in range(200)
    )
    deck, errors = parse(f'format = 1\n[deck]\nid = "gen"\nname = "Gen"\n{notes}')
    assert not errors
    export_apkg([deck], tmp_path / "r.apkg", store=store, scheduling=True,
                settings=Settings(), now=now)  # fmt: skip
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(tmp_path / "r.apkg"),
            options=ImportAnkiPackageOptions(with_scheduling=True)))  # fmt: skip
        theirs = col._backend.graphs(search="", days=0).true_retention  # (0: all history)
        ours = true_retention(of_rows(rows), 4, now)
        for period in PERIODS:
            t, o = getattr(theirs, period), ours[period]
            assert (t.young_passed, t.young_failed, t.mature_passed, t.mature_failed) == (
                o.young_passed, o.young_failed, o.mature_passed, o.mature_failed), period  # fmt: skip
    finally:
        col.close()
