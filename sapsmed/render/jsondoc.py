"""docs/json.md: the `--json` output of each command, generated from the TypedDicts in
:mod:`sapsmed.domain.shapes` (tests/test_json_doc.py keeps the page current)."""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

from sapsmed.domain import shapes

HEAD = (
    "# JSON outputs\n\n"
    "Generated from the TypedDicts of `sapsmed/domain/shapes*.py` (run the tests with "
    "SAPSMED_UPDATE_DOCS=1 to rewrite it). Each command's output is one object, or a list of "
    "them; a nested object links to its own table; a key marked optional is left out where "
    "it does not apply.\n\n"
)


def type_text(tp: Any) -> str:
    """A type as the page writes it: `list[Rate]`, `str | null`, `"goal" | "country"`."""
    origin = get_origin(tp)
    if is_typeddict(tp):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    if origin is Literal:
        return " \\| ".join(f'`"{a}"`' for a in get_args(tp))
    if origin in (Union, types.UnionType):
        return " \\| ".join(type_text(a) for a in get_args(tp))
    if origin in (list, dict):
        return f"{origin.__name__}[{', '.join(type_text(a) for a in get_args(tp))}]"
    if tp is type(None):
        return "null"
    return {bool: "bool", int: "int", float: "float", str: "str", Any: "any"}.get(tp, repr(tp))


def nested(tp: Any) -> list[Any]:
    """The TypedDicts a type refers to."""
    if is_typeddict(tp):
        return [tp]
    return [n for a in get_args(tp) for n in nested(a)]


def table(shape: Any) -> str:
    rows = [f"### {shape.__name__}\n", "| key | type |", "|---|---|"]
    optional = shape.__optional_keys__
    rows += [
        f"| `{k}`{' (optional)' if k in optional else ''} | {type_text(t)} |"
        for k, t in get_type_hints(shape).items()
    ]
    return "\n".join(rows) + "\n"


def reference() -> str:
    parts = [HEAD]
    for command, shape in shapes.COMMANDS.items():
        parts.append(f"## `sapsmed {command}`\n\n")
        if not is_typeddict(shape):
            parts.append(f"A list, each item a {type_text(get_args(shape)[0])}.\n\n")
        seen: list[Any] = []
        todo = nested(shape)
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.append(current)
            parts.append(table(current) + "\n")
            todo += [n for t in get_type_hints(current).values() for n in nested(t)]
    return "".join(parts).rstrip("\n") + "\n"
