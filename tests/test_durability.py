"""Every answer is durable once acknowledged: SIGKILL in the middle of a run loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from cards.store import Store

ROOT = Path(__file__).resolve().parent.parent

ANSWERING = textwrap.dedent("""
    import sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from cards.config import Settings
    from cards.library import load_library
    from cards.session import Session
    from cards.state import Rating
    from cards.store import Store

    home, decks = Path(sys.argv[1]), Path(sys.argv[2])
    t = [datetime(2026, 3, 2, 10, tzinfo=timezone.utc)]
    def clock():
        t[0] += timedelta(seconds=2)  # time moves on with every call
        return t[0]
    store = Store.open(home)
    session = Session(store, load_library(builtin=False, extra=[decks]).cards(),
                      Settings(new_per_day=9999), clock)
    while True:
        card = session.next_card()
        if card is None:
            break
        review = session.answer(card, Rating.AGAIN)  # Again keeps every card coming back
        print(review.id, card.key, flush=True)  # acknowledged: the answer is committed
""")


def test_sigkill_mid_run_loses_no_acknowledged_answer(tmp_path):
    decks = tmp_path / "decks"
    decks.mkdir()
    notes = "\n".join(
        f'[[notes]]\nid = "n{i}"\nkind = "basic"\nfront = "q"\nback = "a"' for i in range(50)
    )
    (decks / "d.toml").write_text(f'format = 1\n[deck]\nid = "d"\nname = "D"\n{notes}\n')
    home = tmp_path / "home"
    proc = subprocess.Popen(
        [sys.executable, "-c", ANSWERING, str(home), str(decks)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acknowledged = []
    for line in proc.stdout:
        acknowledged.append(int(line.split()[0]))
        if len(acknowledged) == 150:
            proc.send_signal(signal.SIGKILL)  # mid-run: it is answering as fast as it can
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    store = Store.open(home)
    try:
        assert store.integrity_ok()
        saved = {r.id for r in store.reviews()}
        assert set(acknowledged) <= saved
        # and the card states agree with the last logged review of each card
        states = store.states()
        for review in store.reviews():
            assert states[review.key].reps >= review.after.reps
    finally:
        store.close()
