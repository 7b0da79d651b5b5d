"""docs/json.md matches the TypedDicts of the --json outputs (run with
SAPSMED_UPDATE_DOCS=1 to rewrite it from them)."""

from __future__ import annotations

import json
import os
import types
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

from sapsmed.domain import shapes
from sapsmed.domain.shapes_kpi import KpiShowJson
from sapsmed.domain.shapes_status import CountryLineRow, StatusJson
from sapsmed.render.jsondoc import reference

from .conftest import ROOT, Cli

PAGE = ROOT / "docs" / "json.md"


def test_json_reference_is_current() -> None:
    if os.environ.get("SAPSMED_UPDATE_DOCS") or os.environ.get("SAPSMED_UPDATE_README"):
        PAGE.write_text(reference())
    assert PAGE.read_text() == reference()


def test_the_shapes_name_the_keys_the_commands_write(cli: Cli, repo: object) -> None:
    for command, shape in shapes.COMMANDS.items():
        out = json.loads(cli(*command.split()).stdout)
        assert out, command
        assert mismatches(out, shape, command) == []


def mismatches(value: Any, tp: Any, where: str) -> list[str]:
    """Where ``value`` has other keys, in another order, than its TypedDict lists, nested
    objects included (a union's value must match one of its alternatives)."""
    if is_typeddict(tp):
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        if list(value) != keys(tp, value):
            return [f"{where}: keys {list(value)}, shape {list(tp.__annotations__)}"]
        hints = get_type_hints(tp)
        return [m for k, v in value.items() for m in mismatches(v, hints[k], f"{where}.{k}")]
    origin, args = get_origin(tp), get_args(tp)
    if origin is list and isinstance(value, list):
        return [m for i, v in enumerate(value) for m in mismatches(v, args[0], f"{where}[{i}]")]
    if origin is dict and isinstance(value, dict):
        return [m for k, v in value.items() for m in mismatches(v, args[1], f"{where}[{k}]")]
    if origin in (Union, types.UnionType):
        found = [mismatches(value, a, where) for a in args]
        return [] if [] in found else found[0]
    return []


def test_optional_keys_are_written_where_they_apply(cli: Cli, repo: object) -> None:
    out = json.loads(cli("status", "--json", "--country", "MYS").stdout)
    assert list(out) == list(StatusJson.__annotations__)
    for row in out["lines"]:
        assert list(row) == list(CountryLineRow.__annotations__)
    rows = json.loads(cli("lines", "--json", "--country", "MYS").stdout)
    assert rows
    for row in rows:
        assert list(row) == list(CountryLineRow.__annotations__)
    shown = json.loads(cli("kpi", "show", "KPI-A1", "--country", "MYS", "--json").stdout)
    assert list(shown) == [k for k in KpiShowJson.__annotations__ if k != "regional"]


def keys(shape: Any, row: dict[str, Any]) -> list[str]:
    """The keys ``shape`` lists, less the optional ones ``row`` leaves out."""
    return [k for k in shape.__annotations__ if k in shape.__required_keys__ or k in row]
