from __future__ import annotations

import json
from pathlib import Path

from sapsmed.domain import schemas

from .conftest import ROOT, Cli


def test_committed_schemas_match_the_models() -> None:
    for name, text in schemas.generate().items():
        committed = ROOT / "schemas" / name
        assert committed.is_file(), f"{name} missing: run `sapsmed schema schemas`"
        assert committed.read_text(encoding="utf-8") == text, (
            f"{name} is stale: run `sapsmed schema schemas`"
        )


def test_schemas_are_draft_07_without_2020_keywords() -> None:
    for text in schemas.generate().values():
        assert "$defs" not in text and "prefixItems" not in text
        assert json.loads(text)["$schema"] == schemas.DRAFT_07


def test_reading_rows_are_typed_triples() -> None:
    data = json.loads(schemas.generate()["readings.schema.json"])
    rows = data["definitions"]["Release"]["properties"]["readings"]["items"]
    assert [item["type"] for item in rows["items"]] == ["string", "integer", "number"]
    assert rows["additionalItems"] is False
    assert rows["minItems"] == rows["maxItems"] == 3


def test_schema_command_writes_and_checks(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "s"
    result = cli("schema", str(out))
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(schemas.generate())
    assert cli("schema", str(out), "--check").exit_code == 0
    (out / "goal.schema.json").write_text("{}")
    stale = cli("schema", str(out), "--check")
    assert stale.exit_code == 1
    assert "goal.schema.json: out of date" in stale.stdout
    assert cli("schema", str(out)).stdout == f"wrote {out / 'goal.schema.json'}\n"
