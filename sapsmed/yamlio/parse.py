"""All YAML reading goes through here: safe, fast, and with positions for every node.

The file is parsed once with libyaml's C event parser and built into plain Python values by
a small event walker. Scalars are resolved with YAML 1.2 core rules (``no`` stays a string,
``2016-01-01`` stays a string, ``010`` is 10), explicit tags are refused, duplicate keys are
reported with both positions, integers are bounded to 64 bits, control characters placed on
their line, and alias expansion is bounded by size (so a "billion laughs" file fails in
milliseconds). Positions are not kept on the fast path: :meth:`Document.locate` re-reads the
file once for the paths that have problems.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sapsmed.base.problems import Problem, clip, quote
from sapsmed.yamlio.rows import rows_fast
from sapsmed.yamlio.scalars import (
    STANDARD_TAGS,
    NumberTooLarge,
    YamlError,
    bad_tag,
    event_error,
    event_position,
    explicit,
    resolve_plain,
    syntax_error,
    too_large,
    yaml11_surprise,
)

_Parser: Any
try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None

PathKey = tuple[str | int, ...]

# Aliases may expand a document to at most this many times its size in characters (plus
# slack): a scalar counts its length, so one big scalar aliased many times is refused too.
MAX_EXPANSION, EXPANSION_SLACK = 10, 10_000
MAX_DEPTH = 64
CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
# What YAML allows (1.2, 5.1): libyaml refuses the rest at "position N"; here it gets its line.
BAD_CHAR = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "ESC",
    0x7F: "DEL",
}


@dataclass
class Document:
    """One YAML file: its text, its value, and warnings found while reading it."""

    path: Path
    text: str
    data: Any
    warnings: list[Problem] = field(default_factory=list)

    def locate(self, paths: Iterable[PathKey]) -> dict[PathKey, tuple[int, int]]:
        """Map each path to the 1-based (line, column) of its node, or of its nearest parent.

        A path to a key that is missing falls back to the mapping that should hold it.
        """
        wanted = set(paths)
        prefixes = {p[:i] for p in wanted for i in range(len(p) + 1)}
        found: dict[PathKey, tuple[int, int]] = {}
        _walk(self.text, prefixes, found)
        result = {}
        for p in wanted:
            for i in range(len(p), -1, -1):
                if p[:i] in found:
                    result[p] = found[p[:i]]
                    break
            else:
                result[p] = (1, 1)
        return result


class _NodeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Composes a node tree (for edits) without resolving scalars: callers read raw text."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return (
            "tag:yaml.org,2002:str"
            if kind is yaml.ScalarNode
            else ("tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map")
        )


def compose(text: str) -> yaml.Node | None:
    """The node tree of a document, with marks: where an edit goes. Scalars stay raw text."""
    return yaml.compose(text, Loader=_NodeLoader)


def read_text(path: Path) -> str:
    """Read a file as strict UTF-8; a bad byte is reported at its line and column."""
    return decode(path.read_bytes())


def decode(raw: bytes) -> str:
    """Bytes as strict UTF-8; a bad byte is reported at its line and column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = position(raw, exc.start)
        raise YamlError(
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
            line,
            column,
            "Y-ENCODING",
        ) from None


def load(path: Path, text: str | None = None) -> Document:
    """Read one YAML file (or ``text`` given for it) into plain values.

    Raise :class:`YamlError` if it cannot be read at all."""
    if text is None:
        text = read_text(path)
    warnings: list[Problem] = []
    if text.startswith("\ufeff"):
        text = text[1:]
        warnings.append(
            Problem.at(
                path, 1, 1, "Y-BOM", "file starts with a byte-order mark; save it without one"
            )
        )
    _precheck(text)
    data = rows_fast(text, lambda skeleton: _walk(skeleton, None, None, warnings, path))
    if data is None:
        data = _walk(text, None, None, warnings, path)
    return Document(path, text, data, warnings)


def _precheck(text: str) -> None:
    """Catch what the YAML parser would report badly or not at all."""
    if match := CONFLICT_RE.search(text):
        raise YamlError(
            "git merge-conflict marker; resolve the conflict before committing",
            position(text, match.start())[0],
            1,
            "Y-CONFLICT",
        )
    if bad := BAD_CHAR.search(text):
        code = ord(bad.group())
        name = CONTROL_NAMES.get(code, "control character" if code < 0xA0 else "non-character")
        raise YamlError(
            f"{name} (U+{code:04X}) is not allowed in a YAML file; remove it, or "
            f"write it as \\u{code:04X} in a double-quoted string",
            *position(text, bad.start()),
            "Y-CONTROL",
        )
    if not any(s and not s.startswith("#") for s in (ln.strip() for ln in text.splitlines())):
        raise YamlError("file is empty: it holds no YAML content", 1, 1, "Y-EMPTY")
    if "\t" in text:
        for number, row in enumerate(text.splitlines(), 1):
            indent = len(row) - len(row.lstrip(" \t"))
            if "\t" in row[:indent]:
                raise YamlError(
                    "tab character in indentation; YAML indents with spaces only",
                    number,
                    row.index("\t") + 1,
                    "Y-TAB",
                )


def position(text: Any, offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of character (or byte) ``offset`` in ``text`` (str, bytes)."""
    newline = "\n" if isinstance(text, str) else b"\n"
    return text.count(newline, 0, offset) + 1, offset - text.rfind(newline, 0, offset)


def _walk(
    text: str,
    want: set[PathKey] | None,
    found: dict[PathKey, tuple[int, int]] | None,
    warnings: list[Problem] | None = None,
    path: Path | None = None,
) -> Any:
    """Build the document's value from parser events; with ``want``, record positions too.

    Hot loop: a plan's readings are hundreds of thousands of scalars, so the scalar case comes
    first, plain scalars are resolved once per distinct text, and the collector is paused.
    """
    parser = _Parser(text) if _Parser is not None else yaml.SafeLoader(text)
    get = parser.get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    memo: dict[str, tuple[Any, str | None]] = {}  # plain scalar -> (value, YAML 1.1 warning)
    anchors: dict[str, tuple[Any, int]] = {}
    # Frames of open collections: [container, pending key or None, path, key marks of a
    # mapping (None for a sequence), expanded size, anchor]
    stack: list[list[Any]] = []
    frame: list[Any] | None = None
    root: Any = None
    nodes = expanded = 0
    limit = MAX_EXPANSION * len(text) + EXPANSION_SLACK
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the collector would triple the time spent building many small containers
    try:
        while True:
            try:
                event: Any = get()
            except yaml.MarkedYAMLError as exc:
                raise syntax_error(exc) from None
            except yaml.reader.ReaderError as exc:  # a character _precheck let through
                raise YamlError(
                    f"YAML error: {clip(exc.reason)} (character U+{exc.character:04X})",
                    *position(text, exc.position),
                    "Y-CONTROL",
                ) from None
            except yaml.YAMLError as exc:
                raise YamlError(f"YAML error: {exc}", 1, 1, "Y-SYNTAX") from None
            kind = type(event)
            nodes += 1
            if kind is scalar_event:
                size = 1 + len(event.value)
                tag = event.tag
                if tag is None and not event.style:
                    raw = event.value
                    try:
                        value, surprise = memo[raw]
                    except KeyError:
                        try:
                            value = resolve_plain(raw)
                        except NumberTooLarge:
                            raise too_large(event, raw) from None
                        surprise = yaml11_surprise(raw, value)
                        memo[raw] = (value, surprise)
                    if surprise is not None and warnings is not None:
                        warnings.append(
                            Problem.at(path, *event_position(event), "Y-YAML11", surprise)
                        )
                elif tag is None or tag == "!":
                    value = event.value
                elif tag in STANDARD_TAGS:
                    value = explicit(event, tag, event.value)
                else:
                    raise bad_tag(event, tag)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, size)
            elif kind is alias_event:
                if event.anchor not in anchors:
                    raise event_error(
                        event, f"alias *{clip(event.anchor)} has no anchor", "Y-ALIAS"
                    )
                value, size = anchors[event.anchor]
                expanded += size
                if expanded > limit:
                    raise event_error(
                        event,
                        "aliases expand the document too far: to more than "
                        f"{MAX_EXPANSION} times its size (an alias bomb?)",
                        "Y-ALIAS",
                    )
            elif kind is mapping_start or kind is sequence_start:
                tag = event.tag
                if tag is not None and tag != "!" and tag not in STANDARD_TAGS:
                    raise bad_tag(event, tag)
                if len(stack) >= MAX_DEPTH:
                    raise event_error(event, f"nesting deeper than {MAX_DEPTH} levels", "Y-DEPTH")
                frame_path: PathKey = ()
                if want is not None:
                    frame_path = _child_path(frame)
                    if frame_path in want:
                        found.setdefault(frame_path, event_position(event))  # type: ignore[union-attr]
                is_map = kind is mapping_start
                frame = [
                    {} if is_map else [],
                    None,
                    frame_path,
                    {} if is_map else None,
                    1,
                    event.anchor,
                ]
                stack.append(frame)
                continue
            elif kind is mapping_end or kind is sequence_end:
                done = stack.pop()
                frame = stack[-1] if stack else None
                value, size = done[0], done[4]
                if done[5] is not None:
                    anchors[done[5]] = (value, size)
            elif kind is yaml.StreamEndEvent:
                return root
            else:  # stream and document boundaries
                if kind is yaml.DocumentStartEvent and nodes > 3:
                    raise event_error(event, "a plan file holds one YAML document", "Y-SYNTAX")
                continue
            # a complete value: attach it to the open collection
            if frame is None:
                root = value
                continue
            frame[4] += size
            keys = frame[3]
            if keys is None:  # a sequence item
                if want is not None and kind is not mapping_end and kind is not sequence_end:
                    item_path = frame[2] + (len(frame[0]),)
                    if item_path in want:
                        found[item_path] = event_position(event)  # type: ignore[index]
                frame[0].append(value)
            elif frame[1] is None:  # a mapping key
                if not isinstance(value, str | int | float | bool):
                    raise event_error(event, "mapping keys must be plain scalars", "Y-KEY")
                key = value if isinstance(value, str) else str(value)
                mark = event_position(event)
                if key in keys:
                    first = keys[key]
                    raise YamlError(
                        f"duplicate key {quote(key)} (first at line {first[0]}, column {first[1]})",
                        mark[0],
                        mark[1],
                        "Y-DUPLICATE-KEY",
                    )
                keys[key] = mark
                frame[1] = key
                if want is not None and frame[2] + (key,) in want:
                    found[frame[2] + (key,)] = mark  # type: ignore[index]
            else:  # a mapping value
                frame[0][frame[1]] = value
                frame[1] = None
    finally:
        if gc_was_enabled:
            gc.enable()


def _child_path(frame: list[Any] | None) -> PathKey:
    """The path of the collection about to start inside the open ``frame``."""
    if frame is None:
        return ()
    parent: PathKey = frame[2]
    if frame[3] is None:
        return (*parent, len(frame[0]))
    if frame[1] is None:
        return parent  # a collection used as a key: refused when it closes
    return (*parent, frame[1])
