"""A config.toml that would crash later: one line naming the key (or the file and line),
exit 1, for every command; `heartcards config KEY VALUE` repairs it."""

from __future__ import annotations

import pytest

from tests.test_cli import fixture, run

DEEP = "[" * 600 + "]" * 600
FAULTS = [
    ('learning_steps = ["3000000d"]\n', "learning_steps: '3000000d' is longer than a step"),
    ('relearning_steps = ["99999999999d"]\n', "relearning_steps: '99999999999d' is longer"),
    (b"# caf\xe9\nfuzz = true\n", "config.toml:1: not valid UTF-8 text"),
    (f"fuzz = {DEEP}\n", "config.toml: TOML nested too deeply to read"),
    ("day_starts_at = 24\n", "day_starts_at: an hour from 0 to 23"),
]


@pytest.mark.parametrize(("content", "message"), FAULTS)
def test_a_bad_config_is_one_line_and_config_repairs_it(tmp_path, content, message):
    home = tmp_path / "home"
    home.mkdir()
    path = home / "config.toml"
    original = content if isinstance(content, bytes) else content.encode()
    path.write_bytes(original)
    for command in (("list",), ("stats",), ("config",), ("config", "fuzz")):
        result = run(*fixture(*command), home=home)
        assert result.returncode == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    key = message.split(":")[0] if "config.toml" not in message else "fuzz"
    value = {"learning_steps": '["1m", "10m"]', "relearning_steps": '["10m"]',
             "day_starts_at": "4", "fuzz": "true"}[key]  # fmt: skip
    repaired = run(*fixture("config", key, value), home=home)
    assert repaired.returncode == 0, repaired.stderr
    assert run(*fixture("list"), home=home).returncode == 0
    assert run(*fixture("config", key), home=home).stdout.strip() == value
    if isinstance(content, bytes) or "nested" in message:  # unreadable: kept aside, said so
        assert (home / "config.toml.bad").read_bytes() == original
        assert "kept as" in repaired.stderr
    else:
        assert not (home / "config.toml.bad").exists()


def test_settings_follow_the_file_through_the_parsed_copy(tmp_path):
    # config.toml's table is kept in cache/config (start-up then skips tomllib); it must
    # only ever stand for the text it was read from
    from cards import config

    home = tmp_path / "home"
    home.mkdir()
    path = home / "config.toml"
    path.write_text("new_per_day = 5\n", encoding="utf-8")
    assert config.load(home).new_per_day == 5
    assert (home / "cache" / "config").exists()
    assert config.load(home).new_per_day == 5  # (from the copy)
    path.write_text("new_per_day = 7\n", encoding="utf-8")  # same size, same second
    assert config.load(home).new_per_day == 7
    (home / "cache" / "config").write_bytes(b"\x00garbage")
    assert config.load(home).new_per_day == 7
    path.write_text("new_per_day = [\n", encoding="utf-8")  # broken: the copy is no excuse
    with pytest.raises(config.ConfigError, match="config.toml"):
        config.load(home)
    path.write_text('theme = "nord"\n', encoding="utf-8")
    (home / "cache").chmod(0o500)  # a copy that cannot be written: read all the same
    try:
        assert config.load(home).theme == "nord"
    finally:
        (home / "cache").chmod(0o700)
