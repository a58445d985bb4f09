"""`heartcards sync` on the scale run's collection (bench.gen: 10 reviews a card) through a
real `anki.syncserver` on 127.0.0.1 (issue 14, acceptance 6): after the first sync (a full
upload, not timed), 100 answers, then the sync timed; several rounds. Beside it, Anki's
engine syncing its own 100 answers on a second device (the phone, after a full download)
with the same server: what one normal sync costs Anki itself."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.timing import Row, Stat


def _server(base: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SYNC_USER1": "bench:bench", "SYNC_BASE": str(base),
           "SYNC_HOST": "127.0.0.1", "SYNC_PORT": str(port)}  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "anki.syncserver"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port}/"


def rows(synth, label: str, rounds: int = 3, answers: int = 100) -> list[Row]:
    import anki.cards
    from anki.collection import Collection

    from cards import config, sync
    from cards.library import load_library
    from cards.session import Session
    from cards.state import Rating
    from cards.store import Store

    ours, theirs = [], []
    with tempfile.TemporaryDirectory(prefix="hc-bench-sync-") as tmp:
        root = Path(tmp)
        home = root / "home"
        shutil.copytree(synth.home, home)
        proc, url = _server(root / "server")
        try:
            decks = load_library(builtin=False, extra=[synth.decks_dir]).decks
            settings = config.load(home)
            store = Store.open(home)

            def clock():
                return datetime.now().astimezone()

            auth = sync.login(home, "bench", "bench", url)
            sync.sync(home, store, decks, settings, clock, auth, lambda required: "upload")
            phone = Collection(str(root / "phone.anki2"))
            key = phone.sync_login("bench", "bench", url)
            phone.sync_collection(key, False)
            phone.close_for_full_sync()
            phone.full_upload_or_download(auth=key, server_usn=None, upload=False)
            phone.reopen(after_full_sync=True)
            session = Session(store, [c for d in decks for c in d.cards], settings, clock)
            for _ in range(rounds):
                for _ in range(answers):
                    card = session.next_card()
                    if card is None:
                        break
                    session.answer(card, Rating.GOOD, duration_ms=1000)
                t = time.perf_counter()
                sync.sync(home, store, decks, settings, clock, auth, lambda required: None)
                ours.append(time.perf_counter() - t)
                for _ in range(answers):
                    queued = phone.sched.get_queued_cards()
                    if not queued.cards:
                        break
                    card = anki.cards.Card(phone, backend_card=queued.cards[0].card)
                    card.start_timer()
                    phone.sched.answer_card(phone.sched.build_answer(
                        card=card, states=queued.cards[0].states, rating=2))  # fmt: skip
                t = time.perf_counter()
                phone.sync_collection(key, False)
                theirs.append(time.perf_counter() - t)
            phone.close()
            store.close()
        finally:
            proc.terminate()
            proc.wait(10)
    return [
        Row(
            f"sync after {answers} answers",
            label,
            "s",
            Stat(ours),
            "Anki engine, its own sync",
            Stat(theirs),
            target="< 5 s",
            max_abs_p99=5.0,
            note=f"{rounds} rounds, loopback anki.syncserver",
        )
    ]
