"""The Indicators API v2 JSON (`/v2/country/<ISO>/indicator/<CODE>?format=json`), streamed:
the metadata, then one row object at a time, each decoded with JSONDecoder.raw_decode over a
moving buffer. A place in the file is named by its JSON path (`[1][3].value`)."""

from __future__ import annotations

import json
import re
from typing import IO, TYPE_CHECKING

from sapsmed.io.wdi import CHUNK, Fatal, bad_utf8, number, shown

if TYPE_CHECKING:
    from sapsmed.io.wdi import Reader

YEAR = re.compile(r"[0-9]{4}")
WHITESPACE = re.compile(r"[ \t\r\n]*")
MAX_JSON_VALUE = 1 << 20  # characters of one JSON row or of the metadata


class Num(str):
    """A JSON number, as its text (validated like a CSV cell)."""


class Constant(str):
    """NaN, Infinity or -Infinity in JSON (never a value)."""


DECODER = json.JSONDecoder(parse_int=Num, parse_float=Num, parse_constant=Constant)


def kind(value: object) -> str:
    if isinstance(value, Constant):
        return str(value)
    for cls, name in (
        (dict, "an object"),
        (list, "an array"),
        (bool, "a boolean"),
        (Num, "a number"),
        (str, "a string"),
        (type(None), "null"),
    ):
        if isinstance(value, cls):
            return name
    return type(value).__name__


class JsonRows:
    """`/v2/country/<ISO>/indicator/<CODE>?format=json`: [metadata, rows], read one value at a
    time (the metadata, then each row) with JSONDecoder.raw_decode over a moving buffer."""

    def __init__(self, reader: Reader, text: IO[str]) -> None:
        self.reader, self.text = reader, text
        self.path = reader.path
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # newlines in the text dropped from the buffer

    def fill(self) -> bool:
        """Read more text into the buffer; False at the end of the file."""
        chunk = self.text.read(CHUNK)
        self.reader.tick()
        if not chunk:
            self.eof = True
            return False
        if (at := bad_utf8(chunk)) is not None:
            self.buf += chunk[:at]
            raise Fatal(f"not UTF-8 text ({self.where(len(self.buf))})")
        if self.pos:
            self.lines_before += self.buf.count("\n", 0, self.pos)
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += chunk
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end)."""
        while True:
            match = WHITESPACE.match(self.buf, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def where(self, at: int) -> str:
        line = self.lines_before + self.buf.count("\n", 0, at) + 1
        column = at - (self.buf.rfind("\n", 0, at) + 1) + 1
        return f"line {line}, column {column}"

    def fail(self, path: str, message: str) -> Fatal:
        return Fatal(message, f"{self.path}: {path}" if path else None)

    def value(self, path: str) -> object:
        """The JSON value at the current place, however many reads it takes (bounded)."""
        self.peek()
        while True:
            try:
                obj, end = DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos > MAX_JSON_VALUE:
                    raise self.fail(
                        path,
                        f"not valid JSON, or a value longer than "
                        f"{MAX_JSON_VALUE} characters: {exc.msg} "
                        f"({self.where(exc.pos)})",
                    ) from None
                if not self.eof and self.fill():
                    continue
                raise self.fail(
                    path, f"not valid JSON: {exc.msg} ({self.where(exc.pos)})"
                ) from None
            except RecursionError:
                raise self.fail(
                    path, f"not valid JSON: nested too deeply ({self.where(self.pos)})"
                ) from None
            if end == len(self.buf) and not self.eof and self.fill():
                continue  # a number may go on in the next chunk
            self.pos = end
            return obj

    def expect(self, path: str, chars: str, what: str) -> str:
        char = self.peek()
        if not char or char not in chars:
            found = f"{char!r}" if char else "the end of the file"
            raise self.fail(
                path, f"not valid JSON: expected {what}, found {found} ({self.where(self.pos)})"
            )
        self.pos += 1
        return char

    def run(self) -> None:
        shape = "not an Indicators API v2 answer ([metadata, rows])"
        if self.peek() != "[":
            raise self.fail("", f"{shape}: the top level is {kind(self.value(''))}")
        self.pos += 1
        if self.peek() == "]":
            raise self.fail("", f"{shape}: an empty array")
        meta = self.value("[0]")
        if isinstance(meta, dict) and "message" in meta:
            raise self.fail(
                "", "the World Bank API answered with an error: " + api_messages(meta["message"])
            )
        if not isinstance(meta, dict):
            raise self.fail("[0]", f"{shape}: the metadata is {kind(meta)}, not an object")
        updated = meta.get("lastupdated")
        if type(updated) is str:  # not a Num or Constant, kept as str subclasses
            self.reader.set_vintage(f"{self.path}: [0].lastupdated", updated)
        elif updated is not None:
            self.reader.error(
                f"{self.path}: [0].lastupdated", f"{kind(updated)}, not a date string"
            )
        if self.expect("", ",]", "',' and the rows") == "]":
            raise self.fail("", f"{shape}: no rows after the metadata")
        if self.peek() == "[":
            self.pos += 1
            self.rows()
        else:
            rows = self.value("[1]")
            if rows is not None:
                raise self.fail("[1]", f"{shape}: the rows are {kind(rows)}, not an array")
        if self.expect("", ",]", "']' after the rows") == ",":
            raise self.fail("", f"{shape}: more than two elements")
        if self.peek():
            raise self.fail("", f"not valid JSON: more after the end ({self.where(self.pos)})")

    def rows(self) -> None:
        if self.peek() == "]":
            self.pos += 1
            return
        i = 0
        while True:
            self.row(f"[1][{i}]", self.value(f"[1][{i}]"))
            i += 1
            if self.expect(f"[1][{i}]", ",]", "',' or ']'") == "]":
                return

    def row(self, at: str, row: object) -> None:
        reader = self.reader
        where = f"{self.path}: {at}"
        if not isinstance(row, dict):
            reader.error(where, f"a row is {kind(row)}, not an object")
            return
        errors = reader.download.error_count
        indicator = row.get("indicator")
        code = None
        if isinstance(indicator, dict):
            code = self.string(indicator, "id", f"{where}.indicator", "a series code")
        else:
            reader.error(
                f"{where}.indicator",
                "missing" if indicator is None else f"{kind(indicator)}, not an object",
            )
        country: str | None = ""
        if row.get("countryiso3code") is not None:
            country = self.string(row, "countryiso3code", where, "a country code", empty=True)
        year = 0
        date_text = self.string(row, "date", where, "a 4-digit year string")
        if date_text is not None and not YEAR.fullmatch(date_text):
            reader.error(f"{where}.date", f"{shown(date_text)}, not a 4-digit year string")
        elif date_text is not None:
            try:
                year = reader.year(date_text)
            except ValueError as exc:
                reader.error(f"{where}.date", str(exc))
        value = self.number(row, where)
        if reader.download.error_count == errors and code and country is not None:
            reader.observe(
                f"{where}.value", f"at {at}.value", code, country, year, value, str(row["value"])
            )

    def string(
        self, obj: dict[str, object], key: str, where: str, what: str, empty: bool = False
    ) -> str | None:
        """A string field, stripped; None (and an error) if it is missing or not a string."""
        value = obj.get(key)
        if type(value) is str and (empty or value.strip()):
            return value.strip()
        self.reader.error(
            f"{where}.{key}",
            "missing"
            if value is None
            else f"{kind(value) if value else 'an empty string'}, not {what}",
        )
        return None

    def number(self, row: dict[str, object], where: str) -> float | None:
        """A row's value: a number or null; an error (and None) otherwise."""
        if "value" not in row:
            self.reader.error(f"{where}.value", "missing")
            return None
        raw = row["value"]
        try:
            if isinstance(raw, Num):
                return number(raw)
            if isinstance(raw, Constant):
                raise ValueError(f"{raw} is not a finite number")
            if raw is not None:
                raise ValueError(f"{kind(raw)}, not a number")
        except ValueError as exc:
            self.reader.error(f"{where}.value", str(exc))
        return None


def api_messages(messages: object) -> str:
    if not isinstance(messages, list):
        return str(messages)[:200]
    return "; ".join(
        f"{m.get('id')} {m.get('key')}: {m.get('value')}" if isinstance(m, dict) else str(m)
        for m in messages
    )[:500]
