"""docs/json.md matches the TypedDicts of the --json outputs (run with
SAPSMED_UPDATE_README=1 to rewrite it from them)."""

from __future__ import annotations

import json
import os

from sapsmed.domain import shapes
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
        assert list(out) == list(shape.__annotations__), command
