"""The benchmark's generated plans are valid plans (else the figures would measure errors)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sapsmed.validate.validation import validate

from .conftest import ROOT


def test_generated_plan_is_valid_and_sized(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path / "plan", lines=200, readings=3000)
    result = validate(tmp_path / "plan")
    assert result.problems == []
    assert result.plan is not None
    assert len(result.plan.lines) == 200
    assert len(result.plan.readings) == 3000
    assert {r.country for r in result.plan.readings} == set(module.COUNTRIES)
