"""Edits to plan files, exact by construction.

An edit is a list of operations on the file's value tree (:class:`Extend`, :class:`Delete`,
:class:`Set`, :class:`Unset`).
Each operation is carried out as text inserted or cut at character positions taken from the
YAML node tree, never as a re-dump of the file, so comments, key order, quoting and layout
stay as they were. Then the new text is parsed and its value tree compared with the old tree
plus the intended operations: any other difference refuses the edit before anything is
written (:class:`EditCheckFailed`). Values are written with :mod:`yamltext`, so any text
reads back as itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sapsmed.base.errors import SapsmedError
from sapsmed.base.problems import Problem, format_path
from sapsmed.yamlio.keys import set_item, set_key, unset_key
from sapsmed.yamlio.nodes import (
    EditError as EditError,
)
from sapsmed.yamlio.nodes import (
    after,
    child,
    dash_column,
    find_node,
    line_end,
    line_start,
)
from sapsmed.yamlio.parse import PathKey, compose, load
from sapsmed.yamlio.scalars import YamlError
from sapsmed.yamlio.text import block, plain_value


class EditCheckFailed(SapsmedError):
    """The new text does not hold exactly the intended change: nothing is written."""


class EditRefused(SapsmedError):
    """An edit that would leave the plan invalid; nothing was written."""

    def __init__(
        self,
        problems: list[Problem],
        message: str = "the change would make the plan invalid; nothing was written",
    ) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Extend:
    """Insert ``items`` into the list at ``path`` before index ``at`` (None: at the end).

    A mapping that lacks the list's key gets it."""

    path: PathKey
    items: tuple[Any, ...]
    at: int | None = None


@dataclass(frozen=True)
class Delete:
    """Remove the items at ``indices`` from the list at ``path`` (all of them: ``key: []``)."""

    path: PathKey
    indices: tuple[int, ...]


@dataclass(frozen=True)
class Set:
    """Make ``value`` the value of the mapping key at ``path``: the old value's text is
    replaced (flow or block), or the key is added at the end of its mapping. A path ending
    in a list index replaces that item whole."""

    path: PathKey
    value: Any


@dataclass(frozen=True)
class Unset:
    """Remove the mapping key at ``path`` and its value (lines of their own)."""

    path: PathKey


Op = Extend | Delete | Set | Unset


def edit_text(path: Path, text: str, ops: Sequence[Op]) -> str:
    """``text`` with ``ops`` carried out, checked: its values are the old ones plus the ops.

    Raises :class:`EditCheckFailed` when they are not, :class:`EditError` when the file is
    written in a way sapsmed cannot add to (flow style)."""
    if text.startswith("\ufeff"):
        raise EditError(
            f"{path.name} starts with a byte-order mark: save it as UTF-8 without one "
            "(the mark is invisible in most editors) to edit it with sapsmed"
        )
    if "\r" in text.replace("\r\n", ""):
        raise EditError(
            f"{path.name} has lines ending in a lone carriage return (old Mac style): save "
            "it with LF or CRLF line endings to edit it with sapsmed"
        )
    try:
        expected = load(path, text).data
    except YamlError as exc:
        raise EditError(f"{path.name}:{exc.line}:{exc.column}: {exc.message}") from None
    new = text
    for op in ops:
        after = apply_value(expected, op)
        if after == expected:
            continue  # setting a value it already has: nothing to change, nothing rewritten
        expected = after
        new = apply_text(new, op)
    try:
        actual = load(path, new).data
    except YamlError as exc:
        raise EditCheckFailed(
            f"internal check failed: the edit would make {path.name} "
            f"unreadable ({exc.message}); nothing was written"
        ) from None
    where = difference(expected, actual)
    if where is not None:
        raise EditCheckFailed(
            f"internal check failed: the edit would also change "
            f"{format_path(where) or 'the whole file'} in {path.name}; "
            "nothing was written"
        )
    return new


# --- the value side ----------------------------------------------------------------------


def apply_value(tree: Any, op: Op) -> Any:
    """The value tree ``tree`` with ``op`` applied (a changed copy).

    The copy shares nothing: where the file shares a list through a YAML alias, the intended
    change touches one place only, so an edit that would change both is caught."""
    tree = unshared(tree)
    *parents, key = op.path
    holder = tree
    for part in parents:
        holder = holder[part]
    if isinstance(op, Set) and isinstance(holder, list) and isinstance(key, int):
        holder[key] = plain_value(op.value)
    elif isinstance(op, Set | Unset):
        if not isinstance(holder, dict) or (isinstance(op, Unset) and key not in holder):
            raise EditError(f"{format_path(op.path)} is not in the file")
        if isinstance(op, Set):
            holder[key] = plain_value(op.value)
        else:
            del holder[key]
    elif isinstance(op, Extend):
        items = [plain_value(item) for item in op.items]
        current = holder.get(key) if isinstance(holder, dict) else holder[key]
        if current is None:
            holder[key] = items
        else:
            at = len(current) if op.at is None else op.at
            current[at:at] = items
    else:
        current = holder[key]
        for index in sorted(set(op.indices), reverse=True):
            del current[index]
    return tree


def unshared(tree: Any) -> Any:
    """A copy of a value tree in which no list or mapping appears twice."""
    if isinstance(tree, dict):
        return {k: unshared(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [unshared(v) for v in tree]
    return tree


def difference(a: Any, b: Any, where: PathKey = ()) -> PathKey | None:
    """The first path where ``a`` and ``b`` differ (types too: 1, 1.0 and True differ)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return (*where, key)
            found = difference(a[key], b[key], (*where, key))
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = difference(x, y, (*where, i))
            if found is not None:
                return found
        return None if len(a) == len(b) else (*where, min(len(a), len(b)))
    same_type = type(a) is type(b) or (
        isinstance(a, int | float)
        and isinstance(b, int | float)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    )
    if same_type and (
        a == b
        or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
    ):
        return None
    return where


# --- the text side -----------------------------------------------------------------------


def apply_text(text: str, op: Op) -> str:
    root = compose(text)
    if root is None:
        raise EditError("the file is empty")
    *parents, key = op.path
    holder = find_node(root, tuple(parents))
    node = child(holder, key)
    newline = "\r\n" if "\r\n" in text else "\n"
    if isinstance(op, Set) and isinstance(key, int):
        return set_item(text, holder, node, op.value, newline)
    if isinstance(op, Set):
        return set_key(text, holder, key, node, op.value, newline)
    if isinstance(op, Unset):
        return unset_key(text, holder, key, node)
    if isinstance(op, Extend):
        return _extend(text, holder, key, node, op, newline)
    if not isinstance(node, yaml.SequenceNode) or not isinstance(holder, yaml.MappingNode):
        raise EditError(f"{format_path(op.path)} is not a list in a mapping")
    key_node = next(k for k, v in holder.value if v is node)
    return _delete(text, key_node, node, op.indices)


def _extend(
    text: str, holder: yaml.Node, key: str | int, node: yaml.Node | None, op: Extend, newline: str
) -> str:
    if not isinstance(holder, yaml.MappingNode) or holder.flow_style:
        raise EditError(
            "the entry is written in flow style ({...}); write it as a block "
            "mapping so sapsmed can add to it"
        )
    key_col = holder.value[0][0].start_mark.column
    if node is None or _empty(node):  # a new key, `key:` or `key: []`: a new block list
        body = "".join(block(item, key_col + 2) for item in op.items).replace("\n", newline)
        if node is None:
            at = after(text, holder)
            insert = " " * key_col + f"{key}:{newline}" + body
            if at == len(text) and text and not text.endswith("\n"):
                insert = newline + insert
            return str(text[:at] + insert + text[at:])
        key_node = next(k for k, v in holder.value if v is node)
        colon = text.index(":", key_node.end_mark.index)
        end = line_end(text, colon + 1)
        start, stop = node.start_mark.index, node.end_mark.index
        if colon < start < end:  # the empty value written on the key's line (`[]`, `null`)
            end = line_end(text, stop)
            rest = text[colon + 1 : start] + text[stop:end]
        else:
            rest = text[colon + 1 : end]
        comment = rest.strip()
        if comment and not comment.startswith("#"):
            raise EditError(f"cannot add to {key}: written as {rest.strip()!r}")
        head = text[: colon + 1] + (f"  {comment}" if comment else "") + newline
        return head + body + text[end:]
    if not isinstance(node, yaml.SequenceNode):
        raise EditError(f"{key} is not a list")
    if node.flow_style:
        raise EditError(
            f"{key} is written in flow style ([...]); write it as a block list so "
            "sapsmed can add to it"
        )
    items = node.value
    col = dash_column(text, items[0])
    at = len(items) if op.at is None else op.at
    body = "".join(block(item, col) for item in op.items).replace("\n", newline)
    if at == 0:
        position = line_start(text, items[0].start_mark.index)
    else:
        position = after(text, items[at - 1])
    if position == len(text) and text and not text.endswith("\n"):
        body = newline + body
    return text[:position] + body + text[position:]


def _empty(node: yaml.Node) -> bool:
    if isinstance(node, yaml.SequenceNode):
        return bool(node.flow_style) and not node.value
    return (
        isinstance(node, yaml.ScalarNode)
        and not node.style
        and node.value in ("", "~", "null", "Null", "NULL")
    )


def _delete(text: str, key: yaml.Node, node: yaml.SequenceNode, indices: tuple[int, ...]) -> str:
    if node.flow_style:
        raise EditError(
            "the list is written in flow style ([...]); write it as a block list "
            "so sapsmed can edit it"
        )
    doomed = sorted(set(indices))
    if any(not 0 <= i < len(node.value) for i in doomed):
        raise EditError("no such list item")
    spans = []
    for i in doomed:
        item = node.value[i]
        dash_column(text, item)
        spans.append((line_start(text, item.start_mark.index), after(text, item)))
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    if len(doomed) == len(node.value):  # the list goes, the key stays: `key: []`
        colon = text.index(":", key.end_mark.index)
        text = text[: colon + 1] + " []" + text[colon + 1 :]
    return text
