"""Edits as a hostile reviewer tried them: what is not asked for is not written (comments in
a list an edit cuts from, a value set to what it already is), a re-run changes nothing,
numbers and currencies are not silently wrong, and what a reader cannot see is escaped."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.conftest import Cli


def digest(folder: Path) -> str:
    return hashlib.sha256(
        b"".join(p.read_bytes() for p in sorted(folder.rglob("*.yaml")))
    ).hexdigest()


def test_a_forced_remove_cuts_only_its_id_from_a_commented_list(cli: Cli, successor: Path) -> None:
    g2 = successor / "goals" / "G2.yaml"
    g2.write_text(
        g2.read_text().replace(
            "        lead: [IDN, THA]\n        level: regional\n",
            "        lead: [IDN, THA]\n        level: regional\n        dependencies:\n"
            "          - G1-1.2   # needs the scheme\n          # and the directory:\n"
            "          - G1-1.1\n",
        )
    )
    before = g2.read_text()
    result = cli("line", "remove", "G1-1.2", "--force")
    assert result.exit_code == 0, result.stderr
    assert g2.read_text() == before.replace("          - G1-1.2   # needs the scheme\n", "")


def test_setting_a_value_it_has_changes_nothing(cli: Cli, successor: Path) -> None:
    before = digest(successor)
    result = cli("line", "set", "G1-1.2", "timeframe=By 2026", "level=national")
    assert (result.exit_code, result.stdout) == (
        0,
        "nothing to change: set G1-1.2 timeframe=By 2026, level=national\n",
    )
    assert digest(successor) == before


def test_closing_a_risk_twice_records_it_once(cli: Cli, successor: Path) -> None:
    args = ("risk", "G2-1.2", "Customs delay", "--closed", "2026-03-01")
    assert cli(*args).exit_code == 0
    after = digest(successor)
    again = cli(*args)
    assert again.exit_code == 0 and again.stdout.startswith("nothing to change")
    assert digest(successor) == after
    early = cli("risk", "G2-1.2", "Old risk", "--closed", "2010-01-01")
    assert early.exit_code == 2 and "is not between the plan's start (2026)" in early.stderr


def test_a_budget_does_not_change_currency_under_its_spending(cli: Cli, successor: Path) -> None:
    assert (
        cli("budget", "G1-1.1", "--planned", "100", "--spent", "5", "--currency", "USD").exit_code
        == 0
    )
    before = digest(successor)
    result = cli("budget", "G1-1.1", "--planned", "200", "--currency", "EUR")
    assert result.exit_code == 2
    assert "give --spent in EUR too" in result.stderr
    huge = cli("budget", "G1-1.1", "--planned", "1e20", "--currency", "USD")
    assert huge.exit_code == 2 and "too large a number" in huge.stderr
    assert digest(successor) == before


def test_invisible_and_reordering_characters_are_written_as_escapes(
    cli: Cli, successor: Path
) -> None:
    title = "evil\u202e\u2066txt\u200b\xad"
    assert cli("line", "set", "G2-1.2", f"title={title}").exit_code == 0
    text = (successor / "goals" / "G2.yaml").read_text()
    assert 'title: "evil\\u202e\\u2066txt\\u200b\\xad"' in text
    assert not any(c in text for c in "\u202e\u2066\u200b\xad")


def test_a_file_with_a_byte_order_mark_is_named_not_failed(cli: Cli, successor: Path) -> None:
    g2 = successor / "goals" / "G2.yaml"
    g2.write_text("\ufeff" + g2.read_text())
    before = digest(successor)
    result = cli("line", "set", "G2-1.2", "title=New")
    assert result.exit_code == 1
    assert "G2.yaml starts with a byte-order mark" in result.stderr
    assert "internal" not in result.stderr
    assert digest(successor) == before


def test_a_blank_title_is_refused_with_its_place(cli: Cli, successor: Path) -> None:
    before = digest(successor)
    result = cli(
        "line",
        "add",
        "G2-1",
        "--title",
        " \t",
        "--due",
        "2027",
        "--lead",
        "THA",
        "--level",
        "regional",
    )
    assert result.exit_code == 1
    assert (
        "plan/goals/G2.yaml:24:9: actions[0].lines[2].title: error: title is blank: write "
        "the text it stands for [S-INVALID]"
    ) in result.stderr
    assert digest(successor) == before
