"""The Indicators API v2 JSON (`/v2/country/<ISO>/indicator/<CODE>?format=json`), streamed:
the metadata, then one row object at a time, each decoded with JSONDecoder.raw_decode over a
moving buffer. A place in the file is named by its JSON path (`[1][3].value`)."""

from __future__ import annotations

import json
import re
from typing import IO, TYPE_CHECKING

from .wdi import CHUNK, Fatal, number, shown

if TYPE_CHECKING:
    from .wdi import Reader

YEAR = re.compile(r"\d{4}")
WHITESPACE = re.compile(r"[ \t\r\n]*")
MAX_JSON_VALUE = 1 << 20  # characters of one JSON row or of the metadata


class Num(str):
    """A JSON number, as its text (validated like a CSV cell)."""


class Constant(str):
    """NaN, Infinity or -Infinity in JSON (never a value)."""


DECODER = json.JSONDecoder(parse_int=Num, parse_float=Num, parse_constant=Constant)


def kind(value: object) -> str:
    if isinstance(value, Constant):
        return f"{value}, not a finite number"
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
        if isinstance(updated, str):
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
        code = ""
        if not isinstance(indicator, dict):
            reader.error(
                f"{where}.indicator",
                "missing" if indicator is None else f"{kind(indicator)}, not an object",
            )
        elif not isinstance(indicator.get("id"), str) or not indicator["id"].strip():
            reader.error(
                f"{where}.indicator.id",
                "missing"
                if indicator.get("id") is None
                else f"{kind(indicator.get('id'))}, not a series code",
            )
        else:
            code = indicator["id"].strip()
        country = row.get("countryiso3code")
        if country is None:
            country = ""
        elif not isinstance(country, str):
            reader.error(f"{where}.countryiso3code", f"{kind(country)}, not a country code")
        date_text = row.get("date")
        year = 0
        if not (isinstance(date_text, str) and YEAR.fullmatch(date_text)):
            reader.error(
                f"{where}.date",
                "missing"
                if date_text is None
                else f"{shown(date_text) if isinstance(date_text, str) else kind(date_text)}"
                ", not a 4-digit year string",
            )
        else:
            try:
                year = reader.year(date_text)
            except ValueError as exc:
                reader.error(f"{where}.date", str(exc))
        if "value" not in row:
            reader.error(f"{where}.value", "missing")
            return
        raw = row["value"]
        value: float | None = None
        if isinstance(raw, Num):
            try:
                value = number(raw)
            except ValueError as exc:
                reader.error(f"{where}.value", str(exc))
        elif raw is not None:
            reader.error(f"{where}.value", f"{kind(raw)}, not a number")
        if reader.download.error_count == errors:
            assert isinstance(country, str)
            reader.observe(
                f"{where}.value", f"at {at}.value", code, country.strip(), year, value, str(raw)
            )


def api_messages(messages: object) -> str:
    if not isinstance(messages, list):
        return str(messages)[:200]
    return "; ".join(
        f"{m.get('id')} {m.get('key')}: {m.get('value')}" if isinstance(m, dict) else str(m)
        for m in messages
    )[:500]
