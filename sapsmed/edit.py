"""Edits to plan files that keep every byte outside the edited block.

An edit is text inserted at a position found from the YAML node tree, never a re-dump of the
file, so comments, key order, quoting and layout stay exactly as they were. Every edit is
checked by validating the whole plan with the new text before it is written; the write is
atomic (a temporary file, then a rename), and edits to one plan are serialised by a lock on
its folder so concurrent runs never lose each other's changes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .errors import SapsmedError
from .problems import Problem, has_errors
from .yamlio import compose

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, edits are not serialised
    fcntl = None  # type: ignore[assignment]


# Words every YAML reader reads back as the same string; anything else is double-quoted.
PLAIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
NOT_STRINGS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])


class EditError(SapsmedError):
    """An edit that cannot be made to this file as written."""


class EditRefused(SapsmedError):
    """An edit that would leave the plan invalid; nothing was written."""

    def __init__(self, problems: list[Problem], message: str = "the change would make the "
                 "plan invalid; nothing was written") -> None:
        super().__init__(message)
        self.problems = problems


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the plan folder (blocks while another edit runs)."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once: readers see the old file or the new one."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def scalar(value: Any) -> str:
    """A value as YAML that every YAML reader reads back the same (strings double-quoted)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if PLAIN_WORD.fullmatch(text) and text.lower() not in NOT_STRINGS:
        return text
    return json.dumps(text, ensure_ascii=False)


def block_item(fields: dict[str, Any], dash_col: int) -> str:
    """A block-style sequence item holding a mapping, indented with its dash at dash_col."""
    lines = []
    for i, (key, value) in enumerate((k, v) for k, v in fields.items() if v is not None):
        prefix = " " * dash_col + "- " if i == 0 else " " * (dash_col + 2)
        lines.append(f"{prefix}{key}: {scalar(value)}\n")
    return "".join(lines)


def find_node(root: yaml.Node, path: tuple[str | int, ...]) -> yaml.Node:
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next(v for k, v in node.value if k.value == part)
        else:
            node = node.value[part]
    return node


def last_leaf(node: yaml.Node) -> yaml.Node:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def offset_after(text: str, line_starts: list[int], node: yaml.Node) -> int:
    """Where a new line can go right after ``node``: the start of the line that follows it."""
    mark = node.end_mark
    position = line_starts[mark.line] + mark.column
    if mark.column == 0:  # block scalars end at the start of the next line
        return position
    newline = text.find("\n", position)
    return len(text) if newline < 0 else newline + 1


def append_item(text: str, mapping_path: tuple[str | int, ...], key: str,
                item: dict[str, Any] | Callable[[int], str]) -> str:
    """``text`` with ``item`` appended to the block list ``key`` of the mapping at
    ``mapping_path`` (the key is added after the mapping's last field if missing).

    ``item`` is a mapping of scalars, or a function that renders the item's lines given the
    column of its dash."""
    render = item if callable(item) else lambda col: block_item(item, col)
    root = compose(text)
    if root is None:
        raise EditError("the file is empty")
    mapping = find_node(root, mapping_path)
    if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style:
        raise EditError("the entry is written in flow style ({...}); write it as a block "
                        "mapping so sapsmed can add to it")
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    key_col = mapping.value[0][0].start_mark.column
    existing = next((v for k, v in mapping.value if k.value == key), None)
    if existing is None:
        at = offset_after(text, line_starts, last_leaf(mapping))
        insert = " " * key_col + f"{key}:\n" + render(key_col + 2)
    elif not isinstance(existing, yaml.SequenceNode):
        raise EditError(f"{key} is not a list")
    elif existing.flow_style and not existing.value:  # `key: []`: becomes a block list
        start = line_starts[existing.start_mark.line] + existing.start_mark.column
        end = line_starts[existing.end_mark.line] + existing.end_mark.column
        newline = text.find("\n", end)
        rest = text[end:newline if newline >= 0 else len(text)]
        if rest.strip() and not rest.strip().startswith("#"):
            raise EditError(f"cannot rewrite {key}: [] followed by {rest.strip()!r}")
        head = text[:start].rstrip(" ")
        return head + rest + "\n" + render(key_col + 2) + (
            text[newline + 1:] if newline >= 0 else "")
    elif existing.flow_style:
        raise EditError(f"{key} is written in flow style ([...]); write it as a block list so "
                        "sapsmed can add to it")
    else:
        first = existing.value[0].start_mark
        row = text[line_starts[first.line]:line_starts[first.line] + first.column]
        dash_col: int = row.rindex("-")
        at = offset_after(text, line_starts, last_leaf(existing))
        insert = render(dash_col)
    if at == len(text) and text and not text.endswith("\n"):
        insert = "\n" + insert
    if "\r\n" in text:  # keep the file's line endings
        insert = insert.replace("\n", "\r\n")
    return str(text[:at] + insert + text[at:])


def check_and_write(root: Path, texts: dict[Path, str], as_of: date | None = None
                    ) -> list[Problem]:
    """Validate the plan with the new ``texts`` of some files; write them only if nothing
    is wrong, each one atomically.

    Returns the warnings; raises :class:`EditRefused` with the errors."""
    from .problems import display_path
    from .validation import validate

    result = validate(root, as_of=as_of, overrides=texts)
    if has_errors(result.problems):
        raise EditRefused(result.problems)
    for path, text in texts.items():
        try:
            write_atomic(path, text)
        except OSError as exc:
            raise SapsmedError(f"could not write {display_path(path)}: "
                               f"{exc.strerror or exc}") from None
    if result.plan is not None:
        from . import snapshot

        snapshot.save(root, result.plan)  # the next command starts from the edited plan
    return result.problems
