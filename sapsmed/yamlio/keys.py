"""The text side of :class:`~sapsmed.yamlio.edit.Set` and :class:`~sapsmed.yamlio.edit.Unset`:
a mapping key's value replaced, a key added, a key removed, a list item replaced, at
positions from the node tree.

Only the value's own text changes (a comment after a value on its line stays); a key is added
as the last of its block mapping, and removed with the lines it stands on. Flow mappings
(``{a: 1}``) and a key that shares its line with a list dash are refused."""

from __future__ import annotations

from typing import Any

import yaml

from sapsmed.yamlio.nodes import EditError, after, dash_column, line_end, line_start
from sapsmed.yamlio.text import block, is_scalar, mapping, scalar

INLINE_STYLES = (None, "", '"', "'")  # scalars whose text is exactly their node's span


def inline(value: Any) -> str | None:
    """``value`` written on one line (a scalar, a list of scalars, an empty mapping); None
    for what needs lines of its own."""
    if is_scalar(value):
        return scalar(value)
    if isinstance(value, list | tuple) and all(is_scalar(v) for v in value):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict) and not value:
        return "{}"
    return None


def below(value: Any, col: int) -> str:
    """``value`` (a mapping or a list of collections) as lines at column ``col``."""
    if isinstance(value, dict):
        return mapping(value, col)
    return "".join(block(item, col) for item in value)


def holder_column(holder: yaml.Node, what: str) -> int:
    if not isinstance(holder, yaml.MappingNode) or holder.flow_style or not holder.value:
        raise EditError(
            f"{what} is in a mapping written in flow style ({{...}}); write it as a block "
            "mapping so sapsmed can edit it"
        )
    return int(holder.value[0][0].start_mark.column)


def flow_mapping(value: dict[str, Any]) -> str | None:
    """A mapping of scalars as one flow mapping (``{year: 2030, value: 5}``); else None."""
    if not all(is_scalar(v) for v in value.values()):
        return None
    return "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in value.items()) + "}"


def set_item(text: str, holder: yaml.Node, node: yaml.Node | None, value: Any, nl: str) -> str:
    """A list item replaced whole: a flow item by a flow item, a block one by a block one."""
    if not isinstance(holder, yaml.SequenceNode) or holder.flow_style or node is None:
        raise EditError("the item is not in a block list ('- item' a line)")
    start, stop = node.start_mark.index, node.end_mark.index
    flow = isinstance(node, yaml.CollectionNode) and bool(node.flow_style)
    if isinstance(node, yaml.ScalarNode) and node.style in INLINE_STYLES or flow:
        one_line = flow_mapping(value) if isinstance(value, dict) else inline(value)
        if one_line is not None and start < stop:
            return text[:start] + one_line + text[stop:]
    col = dash_column(text, node)
    lines = block(value, col).replace("\n", nl)
    return text[: line_start(text, start)] + lines + text[after(text, node) :]


def set_key(
    text: str, holder: yaml.Node, key: str | int, node: yaml.Node | None, value: Any, nl: str
) -> str:
    col = holder_column(holder, str(key))
    one_line = inline(value)
    head = f"{scalar(key)}:" + (f" {one_line}\n" if one_line is not None else "\n")
    if node is None:  # a new key, last in its mapping
        body = head if one_line is not None else head + below(value, col + 2)
        insert = (" " * col + body).replace("\n", nl)
        at = after(text, holder)
        if at == len(text) and text and not text.endswith("\n"):
            insert = nl + insert
        return text[:at] + insert + text[at:]
    key_node = next(k for k, _ in holder.value if k.value == key)
    start, stop = node.start_mark.index, node.end_mark.index
    if start < key_node.end_mark.index:
        raise EditError(f"{key} is written as an alias (*name); write its value out to edit it")
    in_span = (
        isinstance(node, yaml.ScalarNode)
        and node.style in INLINE_STYLES
        or isinstance(node, yaml.CollectionNode)
        and bool(node.flow_style)
    )
    if one_line is not None and in_span and start < stop:
        return text[:start] + one_line + text[stop:]  # the value's text only
    colon = text.index(":", key_node.end_mark.index)
    first_end = line_end(text, colon + 1)
    end = max(first_end, after(text, node)) if start < stop else first_end
    comment = ""
    if start >= first_end or start == stop:  # nothing of the value on the key's line
        rest = text[colon + 1 : first_end].strip()
        comment = f"  {rest}" if rest.startswith("#") else ""
    value_text = f" {one_line}" if one_line is not None else ""
    lines = "" if one_line is not None else below(value, col + 2).replace("\n", nl)
    return text[: colon + 1] + value_text + comment + nl + lines + text[end:]


def unset_key(text: str, holder: yaml.Node, key: str | int, node: yaml.Node | None) -> str:
    holder_column(holder, str(key))
    if node is None:
        raise EditError(f"{key} is not in the file")
    assert isinstance(holder, yaml.MappingNode)
    if len(holder.value) == 1:
        raise EditError(f"{key} is the only key of its mapping; sapsmed does not remove it")
    key_node = next(k for k, _ in holder.value if k.value == key)
    start = line_start(text, key_node.start_mark.index)
    if text[start : key_node.start_mark.index].strip():
        raise EditError(f"{key} shares its line with a list dash; sapsmed does not remove it")
    colon = text.index(":", key_node.end_mark.index)
    end = line_end(text, colon + 1)
    if node.start_mark.index < node.end_mark.index:
        end = max(end, after(text, node))
    return text[:start] + text[end:]
