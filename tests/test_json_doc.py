"""docs/json.md matches the TypedDicts of the --json outputs (run with
SAPSMED_UPDATE_README=1 to rewrite it from them)."""

from __future__ import annotations

import json
import os
from typing import Any, get_args

from sapsmed.domain import shapes
from sapsmed.domain.shapes_status import CountryLineRow, StatusJson
from sapsmed.render.jsondoc import reference

from .conftest import ROOT, Cli

PAGE = ROOT / "docs" / "json.md"


def test_json_reference_is_current() -> None:
    if os.environ.get("SAPSMED_UPDATE_README"):
        PAGE.write_text(reference())
    assert PAGE.read_text() == reference()


def test_the_shapes_name_the_keys_the_commands_write(cli: Cli, repo: object) -> None:
    for command, shape in shapes.COMMANDS.items():
        out = json.loads(cli(*command.split()).stdout)
        if isinstance(out, list):  # a list of rows, each of the shape the list holds
            assert out, command
            [shape] = get_args(shape)
        for row in out if isinstance(out, list) else [out]:
            assert list(row) == keys(shape, row), command


def test_optional_keys_are_written_where_they_apply(cli: Cli, repo: object) -> None:
    out = json.loads(cli("status", "--json", "--country", "MYS").stdout)
    assert list(out) == list(StatusJson.__annotations__)
    for row in out["lines"]:
        assert list(row) == list(CountryLineRow.__annotations__)
    rows = json.loads(cli("lines", "--json", "--country", "MYS").stdout)
    assert rows
    for row in rows:
        assert list(row) == list(CountryLineRow.__annotations__)


def keys(shape: Any, row: dict[str, Any]) -> list[str]:
    """The keys ``shape`` lists, less the optional ones ``row`` leaves out."""
    return [k for k in shape.__annotations__ if k in shape.__required_keys__ or k in row]
