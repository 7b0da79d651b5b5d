"""Set and Unset, the checked edits of one mapping key: any value reads back as itself, and
every byte outside the key's own lines stays as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sapsmed.yamlio.edit import EditCheckFailed, EditError, Set, Unset, edit_text
from sapsmed.yamlio.parse import load

from .conftest import ROOT

GOAL = (ROOT / "tests" / "fixtures" / "small-plan" / "goals" / "A.yaml").read_text()
LINE = ("outcomes", 0, "actions", 0, "lines", 1)  # A-1-1.2: flow budget, flow updates
HAND = (
    "# a hand-written mapping\n"
    "item:\n"
    "  title: Plain words   # a comment that stays\n"
    "  notes: |\n"
    "    Two lines\n"
    "    of notes.\n"
    "  # a comment line between keys\n"
    "  lead:\n"
    "    - MYS\n"
    "    - THA\n"
    "  empty:\n"
    "  quoted: 'single'\n"
    "  last: >-\n"
    "    folded\n"
    "    text\n"
    "# the end\n"
)
KEYS = ["title", "notes", "lead", "empty", "quoted", "last", "new_key"]
TEXT = st.text(max_size=40)
VALUE = (
    TEXT
    | st.integers(-(10**12), 10**12)
    | st.booleans()
    | st.none()
    | st.lists(TEXT | st.integers(0, 9999), max_size=4)
    | st.dictionaries(st.sampled_from(["currency", "planned", "note"]), TEXT, max_size=3)
)


def data(text: str) -> Any:
    return load(Path("x.yaml"), text).data


def key_lines(text: str, key: str) -> tuple[int, int]:
    """The span of a key of HAND's item: its line to the next key or comment line."""
    start = text.index(f"\n  {key}:") + 1
    ends = [text.find(f"\n  {k}", start + 1) for k in [*KEYS, "#"]] + [text.find("\n#", start)]
    return start, min(e for e in ends if e > 0) + 1


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(KEYS), VALUE, st.booleans())
def test_any_value_set_reads_back_and_keeps_every_other_byte(
    key: str, value: Any, crlf: bool
) -> None:
    old = HAND.replace("\n", "\r\n") if crlf else HAND
    new = edit_text(Path("x.yaml"), old, [Set(("item", key), value)])
    expected = data(old)
    expected["item"][key] = [*value] if isinstance(value, list) else value
    assert data(new) == expected
    if key == "new_key":  # added after the last value, before the closing comment
        at = old.index("# the end")
        assert new[:at] == old[:at] and new.endswith(old[at:])
        return
    start, end = key_lines(old.replace("\r\n", "\n"), key)
    if crlf:
        start, end = start + old[:start].count("\n"), end + old[:end].count("\n")
    assert new.startswith(old[:start]) and new.endswith(old[end:])
    assert len(new) >= start + len(old) - end
    if key == "title" and not isinstance(value, dict | list) or value in ({}, []):
        assert "# a comment that stays" in new


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "notes", "timeframe", "pathway"]), VALUE)))
def test_set_then_unset_on_a_real_line_returns_the_file(pairs: list[tuple[str, Any]]) -> None:
    """Set keys of a real plan line (some present, some not) one edit after another; then
    unsetting the added keys and setting back the old values gives the file back."""
    text = GOAL
    line = data(GOAL)["outcomes"][0]["actions"][0]["lines"][1]
    for key, value in pairs:
        text = edit_text(Path("A.yaml"), text, [Set((*LINE, key), value)])
    restore: list[Set | Unset] = [
        Set((*LINE, key), line[key]) if key in line else Unset((*LINE, key))
        for key in dict.fromkeys(k for k, _ in pairs)
    ]
    back = edit_text(Path("A.yaml"), text, restore) if restore else text
    assert data(back) == data(GOAL)
    head, tail = GOAL.split("          - id: A-1-1.2\n")[0], GOAL.split("      - id: A-1-2\n")[1]
    assert back.startswith(head) and back.endswith(tail)


@given(TEXT)
def test_unset_removes_the_key_s_lines_only(value: str) -> None:
    for key in ["notes", "lead", "empty", "last", "quoted"]:
        new = edit_text(Path("x.yaml"), HAND, [Unset(("item", key))])
        start, end = key_lines(HAND, key)
        assert new == HAND[:start] + HAND[end:]


def test_a_flow_mapping_value_is_replaced_whole() -> None:
    new = edit_text(
        Path("A.yaml"), GOAL, [Set((*LINE, "budget"), {"currency": "EUR", "planned": 5})]
    )
    old_line = "            budget: {currency: USD, planned: 1000, spent: 1500}\n"
    assert new == GOAL.replace(
        old_line,
        "            budget:\n" + ("              currency: EUR\n              planned: 5\n"),
    )


@pytest.mark.parametrize(
    ("text", "op", "message"),
    [
        ("a: {b: 1}\n", Set(("a", "b"), 2), "flow style"),
        ("a: {b: 1, c: 2}\n", Unset(("a", "b")), "flow style"),
        ("a:\n  b: 1\n", Unset(("a", "c")), "not in the file"),
        ("a:\n  b: 1\n", Unset(("a", "b")), "only key"),
        ("l:\n  - b: 1\n    c: 2\n", Unset(("l", 0, "b")), "list dash"),
        ("x: &v 1\na:\n  b: *v\n  c: 2\n", Set(("a", "b"), 3), "alias"),
    ],
)
def test_what_set_and_unset_refuse(text: str, op: Set | Unset, message: str) -> None:
    with pytest.raises((EditError, EditCheckFailed), match=message):
        edit_text(Path("x.yaml"), text, [op])


ITEMS = (
    "items:\n  - {year: 2030, value: 5}  # flow\n  - year: 2031\n    value: 6\n  - plain\n# end\n"
)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 2),
    st.dictionaries(
        st.sampled_from(["year", "value", "source"]),
        TEXT | st.integers(-(10**12), 10**12),
        min_size=1,
    )
    | TEXT,
)
def test_a_list_item_replaced_whole_reads_back(index: int, value: Any) -> None:
    new = edit_text(Path("x.yaml"), ITEMS, [Set(("items", index), value)])
    expected = data(ITEMS)
    expected["items"][index] = value
    assert data(new) == expected
    kept = ITEMS.splitlines(keepends=True)
    assert new.startswith(kept[0]) and new.endswith("# end\n")
    if index == 0 and isinstance(value, dict):
        assert new.splitlines()[1].endswith("}  # flow")  # still one flow item
