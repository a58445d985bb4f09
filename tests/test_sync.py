"""`heartcards sync` against a real Anki sync server (`python -m anki.syncserver` on
127.0.0.1) and a second Anki collection as "the phone" (issue 14)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.cli import main as cli
from cards import anki as hc_anki
from cards.days import interday_learning, study_day
from cards.state import LEARNING, RELEARNING, REVIEW, Rating
from cards.store import Store

pytest.importorskip("anki.collection")
from anki.collection import Collection  # noqa: E402
from anki.sync_pb2 import SyncCollectionResponse  # noqa: E402

USER, PASSWORD = "learner", "correct horse"
ANKI_TYPE = {LEARNING: 1, REVIEW: 2, RELEARNING: 3}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("syncserver")
    port = free_port()
    env = {**os.environ, "SYNC_USER1": f"{USER}:{PASSWORD}", "SYNC_BASE": str(base),
           "SYNC_HOST": "127.0.0.1", "SYNC_PORT": str(port)}  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "anki.syncserver"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(10)


class Phone:
    """A second device: Anki's own collection, synced with the same account."""

    def __init__(self, path: Path, server: str):
        self.col = Collection(str(path))
        self.auth = self.col.sync_login(USER, PASSWORD, server)

    def sync(self) -> None:
        out = self.col.sync_collection(self.auth, False)
        needs = SyncCollectionResponse.ChangesRequired
        if out.required in (needs.FULL_DOWNLOAD, needs.FULL_SYNC):
            self.col.close_for_full_sync()
            self.col.full_upload_or_download(auth=self.auth, server_usn=None, upload=False)
            self.col.reopen(after_full_sync=True)

    def study(self, deck: str, answers: int, ratings=(3, 3, 4, 1)) -> list[int]:
        import anki.cards

        self.col.decks.select(self.col.decks.id_for_name(deck))
        done = []
        for i in range(answers):
            queued = self.col.sched.get_queued_cards()
            card = anki.cards.Card(self.col, backend_card=queued.cards[0].card)
            card.start_timer()
            rating = ratings[i % len(ratings)]
            self.col.sched.answer_card(
                self.col.sched.build_answer(
                    card=card, states=queued.cards[0].states, rating=rating - 1
                )  # fmt: skip
            )
            done.append(card.id)
        return done

    def cards(self) -> dict[str, tuple]:
        """GUID/ORD -> (type, queue, reps, lapses, due day or None)"""
        out = {}
        # Anki's day number as our study day (4 am rollover), not the calendar date: they
        # differ between midnight and 4 am
        today = study_day(datetime.now().astimezone(), 4)
        for cid in self.col.find_cards(""):
            c = self.col.get_card(cid)
            due_day = None
            if c.type == 2 or c.queue == 3:
                due_day = (today + timedelta(days=c.due - self.col.sched.today)).isoformat()
            out[f"{c.note().guid}/{c.ord}"] = (c.type, c.reps, c.lapses, due_day)
        return out

    def revlog_ids(self) -> set[int]:
        return set(self.col.db.list("SELECT id FROM revlog"))


def heartcards(home: Path, *args: str) -> int:
    os.environ["HEARTCARDS_SYNC_PASSWORD"] = PASSWORD
    try:
        return cli(["--home", str(home), *args])
    finally:
        del os.environ["HEARTCARDS_SYNC_PASSWORD"]


def our_cards(home: Path) -> dict[str, tuple]:
    from cards.library import load_library

    store = Store.open(home)
    try:
        states = store.states()
        key_of = {}
        for deck in load_library(builtin=True, home=home).decks:
            for card in deck.cards:
                key_of[card.key] = f"{hc_anki.note_guid(card.note_key)}/{card.ord - 1}"
        out = {}
        for key, st in states.items():
            if key not in key_of or st.is_new:
                continue
            # (in days, as the phone has them: reviews, and steps that ran past 4 am,
            # Anki's interday learning, its queue 3)
            in_days = st.state == REVIEW or interday_learning(st.due, st.last_review, 4, None)
            due_day = study_day(st.due.astimezone(), 4).isoformat() if in_days else None
            out[key_of[key]] = (ANKI_TYPE[st.state], st.reps, st.lapses, due_day)
        return out
    finally:
        store.close()


def answer(home: Path, deck: str, n: int, ratings=(3, 4, 3, 1)) -> None:
    """`n` answers here, at the real clock. (Answers within one ms get the next ids, as
    Anki's do: the pause after them keeps the phone's from taking the same ones, as two
    people's answers never would.)"""
    from app.context import Context

    ctx = Context(home=home)
    session = ctx.session([deck])
    for i in range(n):
        card = session.next_card()
        session.answer(card, Rating(ratings[i % len(ratings)]), duration_ms=3000)
    ctx.store.close()
    time.sleep(0.05)


def answer_card(home: Path, guid: str, ord_: int, rating: Rating) -> str:
    """Answer the card the phone knows as GUID/ORD here; its key."""
    from app.context import Context

    ctx = Context(home=home)
    card = next(c for d in ctx.library.decks for c in d.cards
                if hc_anki.note_guid(c.note_key) == guid and c.ord == ord_ + 1)  # fmt: skip
    ctx.session().answer(card, rating, duration_ms=2000)
    ctx.store.close()
    time.sleep(0.05)
    return card.key


def reviewed(store_home: Path) -> set[int]:
    store = Store.open(store_home)
    try:
        return {r.id for r in store.reviews()}
    finally:
        store.close()


def test_two_devices_through_a_real_sync_server(server, tmp_path, capsys):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        f'fuzz = false\nsync_server = "{server}"\nsync_user = "{USER}"\n'
    )
    answer(home, "advice", 4)

    # the first sync needs a full one: without a terminal or a flag, it says how to choose
    assert heartcards(home, "sync") == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--full-upload" in err and "--full-download" in err
    # 1. the first sync uploads; the phone downloads everything
    assert heartcards(home, "sync", "--full-upload") == 0
    assert "full upload" in capsys.readouterr().out
    phone = Phone(tmp_path / "phone.anki2", server)
    phone.sync()
    from cards.library import load_library

    library = load_library(builtin=True, home=home).decks
    assert phone.col.note_count() == sum(len(d.notes) for d in library)
    assert phone.col.card_count() == sum(len(d.cards) for d in library)
    assert phone.revlog_ids() == reviewed(home)
    theirs = phone.cards()
    assert all(theirs[k] == v for k, v in our_cards(home).items())  # each studied card

    # 2. ten cards here, ten others there; both sync, then heartcards again
    answer(home, "advice", 10)
    phone.study("heartcards::Why a partner pulls away", 10)
    assert heartcards(home, "sync") == 0
    phone.sync()
    assert heartcards(home, "sync") == 0
    phone.sync()
    ids = reviewed(home)
    assert len(ids) == 24 and phone.revlog_ids() == ids
    mine, theirs = our_cards(home), phone.cards()
    assert mine and all(theirs[k] == v for k, v in mine.items())

    # 3. one card reviewed on both sides between syncs: both reviews everywhere, and its
    # state that of its whole merged log replayed
    (cid,) = phone.study("heartcards::Why a partner pulls away", 1, ratings=(1,))
    time.sleep(0.05)
    same = phone.col.get_card(cid)
    guid, ord_ = same.note().guid, same.ord
    both = answer_card(home, guid, ord_, Rating.GOOD)
    assert heartcards(home, "sync") == 0
    phone.sync()
    assert heartcards(home, "sync") == 0
    phone.sync()
    ids = reviewed(home)
    assert len(ids) == 26 and phone.revlog_ids() == ids
    mine, theirs = our_cards(home), phone.cards()
    assert all(theirs[k] == v for k, v in mine.items())
    assert theirs[f"{guid}/{ord_}"][1] >= 2  # (reps: both answers count)
    from cards import config, scheduler
    from cards.state import CardState

    settings = config.load(home)
    store = Store.open(home)
    history = store.reviews(key=both)
    replayed = CardState(both)
    for review in sorted(history, key=lambda r: r.time):
        replayed = scheduler.review(settings, replayed, review.rating, review.time)
    assert len(history) >= 2 and {r.rating for r in history} >= {Rating.AGAIN, Rating.GOOD}
    assert store.get(both) == replayed
    store.close()
    phone.col.close()


def test_sync_errors_are_one_line_and_change_nothing(server, tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'sync_server = "{server}"\nsync_user = "{USER}"\n')
    answer(home, "advice", 2)
    before = reviewed(home)
    monkeypatch.setenv("HEARTCARDS_SYNC_PASSWORD", "wrong")
    assert cli(["--home", str(home), "sync", "--full-upload"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused the user name or password" in err
    monkeypatch.setenv("HEARTCARDS_SYNC_PASSWORD", PASSWORD)
    down = f"http://127.0.0.1:{free_port()}/"
    assert cli(["--home", str(home), "sync", "--server", down, "--full-upload"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the sync server" in err
    monkeypatch.setattr("cards.sync.available", lambda: False)
    assert cli(["--home", str(home), "sync"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'heartcards[sync]'" in err
    assert reviewed(home) == before


def test_a_sync_killed_midway_loses_and_doubles_nothing(server, tmp_path, capsys):
    """Acceptance 4: kill -9 during a sync, at several points; the next sync finishes it."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'sync_server = "{server}"\nsync_user = "{USER}"\n')
    answer(home, "advice", 3)
    assert heartcards(home, "sync", "--full-upload") == 0
    answer(home, "advice", 5)
    ours = reviewed(home)
    env = {**os.environ, "HEARTCARDS_SYNC_PASSWORD": PASSWORD}
    cmd = [sys.executable, "-m", "app", "--home", str(home), "sync"]
    root = Path(__file__).resolve().parent.parent
    for delay in (0.05, 0.15, 0.3, 0.5, 0.8):
        proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(delay)
        proc.kill()
        proc.wait()
        store = Store.open(home)
        assert store.integrity_ok() and {r.id for r in store.reviews()} == ours
        store.close()
    assert heartcards(home, "sync") == 0
    assert reviewed(home) == ours
    phone = Phone(tmp_path / "phone.anki2", server)
    phone.sync()
    rows = phone.col.db.all("SELECT id FROM revlog")
    assert sorted(r[0] for r in rows) == sorted(ours)  # each once
    phone.col.close()


async def test_y_on_home_syncs_and_says_so(server, tmp_path, capsys, monkeypatch):
    from app.context import Context
    from tests.tui.helpers import make_app

    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'sync_server = "{server}"\nsync_user = "{USER}"\n')
    assert heartcards(home, "sync", "--full-upload") == 0
    phone = Phone(tmp_path / "phone.anki2", server)
    phone.sync()
    phone.study("heartcards::Why a partner pulls away", 3)
    phone.sync()
    theirs = phone.revlog_ids()
    phone.col.close()
    monkeypatch.delenv("HEARTCARDS_SYNC_PASSWORD", raising=False)  # (the key kept is used)
    app = make_app(Context(home=home))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "Synced: " in " ".join(said) and "3 reviews merged from elsewhere" in " ".join(said)
    assert reviewed(home) == theirs


def test_a_note_edited_here_reaches_the_phone(server, tmp_path, capsys):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'sync_server = "{server}"\nsync_user = "{USER}"\n')
    assert heartcards(home, "new", "mine") == 0
    assert heartcards(home, "sync", "--full-upload") == 0
    phone = Phone(tmp_path / "phone.anki2", server)
    phone.sync()
    guid = hc_anki.note_guid("mine/first-card")
    (note,) = [phone.col.get_note(n) for n in phone.col.find_notes("") if
               phone.col.get_note(n).guid == guid]  # fmt: skip
    assert note["Front"] == "What is spaced repetition?"
    deck = home / "decks" / "mine.toml"
    deck.write_text(deck.read_text().replace("What is spaced repetition?", "What is SRS?"))
    time.sleep(1.1)  # (a note's modification time is in seconds)
    assert heartcards(home, "sync") == 0
    phone.sync()
    assert phone.col.get_note(note.id)["Front"] == "What is SRS?"
    phone.col.close()


def test_a_first_sync_can_download_what_the_server_has(server, tmp_path, capsys):
    """An account that holds a collection already (the phone's own notes): --full-download
    keeps it, adds our decks and reviews, and sends the union back up."""
    phone = Phone(tmp_path / "phone.anki2", server)
    note = phone.col.new_note(phone.col.models.by_name("Basic"))
    note["Front"], note["Back"] = "phone's own", "card"
    phone.col.add_note(note, 1)
    out = phone.col.sync_collection(phone.auth, False)
    phone.col.close_for_full_sync()
    phone.col.full_upload_or_download(auth=phone.auth, server_usn=None, upload=True)
    phone.col.reopen(after_full_sync=True)
    assert out.required  # (a full sync: the server took the phone's collection)

    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'sync_server = "{server}"\nsync_user = "{USER}"\n')
    answer(home, "advice", 3)
    assert heartcards(home, "sync", "--full-download") == 0
    assert "full download" in capsys.readouterr().out
    phone.sync()
    fronts = {phone.col.get_note(n).fields[0] for n in phone.col.find_notes("")}
    assert "phone's own" in fronts and len(fronts) > 100
    assert phone.revlog_ids() == reviewed(home)
    phone.col.close()
