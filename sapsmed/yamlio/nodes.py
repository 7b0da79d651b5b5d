"""Where things are in a YAML text: nodes found by path, and the character positions of the
lines around them (what :mod:`edit` inserts at and cuts between)."""

from __future__ import annotations

import yaml

from sapsmed.base.errors import SapsmedError
from sapsmed.base.problems import format_path
from sapsmed.yamlio.parse import PathKey


class EditError(SapsmedError):
    """An edit that cannot be made to this file as written."""


def find_node(root: yaml.Node, path: PathKey) -> yaml.Node:
    node = root
    for part in path:
        found = child(node, part)
        if found is None:
            raise EditError(f"{format_path(path)} is not in the file")
        node = found
    return node


def child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        return next((v for k, v in node.value if k.value == part), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return node.value[part] if 0 <= part < len(node.value) else None
    return None


def last_leaf(node: yaml.Node) -> yaml.Node:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        if node.flow_style:
            return node
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def line_end(text: str, position: int) -> int:
    """The start of the line after ``position`` (or the end of the text)."""
    newline = text.find("\n", position)
    return len(text) if newline < 0 else newline + 1


def after(text: str, node: yaml.Node) -> int:
    """Where a new line can go right after ``node``: the start of the line that follows it."""
    end = last_leaf(node).end_mark.index
    if end > 0 and text[end - 1] == "\n":  # block scalars end at the next line's start
        return end
    return line_end(text, end)


def line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def dash_column(text: str, item: yaml.Node) -> int:
    """The column of the dash before a block sequence item; refuses other layouts."""
    start = line_start(text, item.start_mark.index)
    before = text[start : item.start_mark.index]
    if before.strip(" -") or before.count("-") != 1:
        raise EditError(
            "the list is not written one '- item' a line; write it so sapsmed can edit it"
        )
    return before.index("-")
