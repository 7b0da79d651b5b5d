"""Units declared in kpis.yaml beside the built-in ones: their rules, their ranges applied to
readings and targets as the built-in ones are, their names in the outputs, and the JSON
Schema refusing what validation refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sapsmed.domain import schemas

from .conftest import Cli

AS_OF = "2026-11-28"
D1_UNIT = "    name: Time and cost required to start a business (days)\n    unit: days\n"
DECLARED = (
    "units:\n"
    "  - {id: usd, name: US dollars, min: 0, max: null, decimals: 0}\n"
    "  - {id: percent_change, name: percent change, min: null, max: null}\n"
    "  - {id: working-days, name: working days, min: 0, max: 100}\n"
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def declare(plan: Path, units: str = DECLARED, d1_unit: str | None = None) -> None:
    """``units`` laid at the top of kpis.yaml; KPI-D1 (days, 149 readings) given ``d1_unit``."""
    edit(plan / "kpis.yaml", "kpis:\n", units + "kpis:\n")
    if d1_unit is not None:
        edit(plan / "kpis.yaml", D1_UNIT, D1_UNIT.replace("unit: days", f"unit: {d1_unit}"))


def findings(cli: Cli) -> list[str]:
    """Each finding as 'file: path: severity: message [CODE]', without line and column."""
    out = cli("validate", "--as-of", AS_OF).stdout
    return [
        re.sub(r":[0-9]+:[0-9]+:", ":", line)
        for line in out.splitlines()
        if line.startswith("plan/")
    ]


def test_declared_units_validate_and_may_be_used(cli: Cli, plan_copy: Path) -> None:
    declare(plan_copy, d1_unit="usd")
    result = cli("validate", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stdout


def test_an_unknown_unit_is_a_reference_with_a_hint_over_declared_units(
    cli: Cli, plan_copy: Path
) -> None:
    declare(plan_copy, d1_unit="percent-chnage")
    assert findings(cli) == [
        "plan/kpis.yaml: kpis[5].unit: error: unit 'percent-chnage' does not exist; did you "
        "mean 'percent_change'? [R-REFERENCE]"
    ]


def test_a_declared_id_repeating_a_unit_is_a_duplicate(cli: Cli, plan_copy: Path) -> None:
    declare(
        plan_copy,
        DECLARED + "  - {id: days, name: d, min: 0, max: null}\n"
        "  - {id: usd, name: dollars, min: 0, max: null}\n",
    )
    assert findings(cli) == [
        "plan/kpis.yaml: units[3].id: error: unit 'days' is a built-in unit: declare it under "
        "another id [R-DUPLICATE-ID]",
        "plan/kpis.yaml: units[4].id: error: unit 'usd' is already used at kpis.yaml:5 "
        "[R-DUPLICATE-ID]",
    ]


def test_a_declared_min_above_its_max(cli: Cli, plan_copy: Path) -> None:
    declare(plan_copy, "units:\n  - {id: score, name: score, min: 10, max: 1}\n", "score")
    assert findings(cli) == [
        "plan/kpis.yaml: units[0].max: error: unit 'score' has max 1 below its min 10 "
        "[R-UNIT-RANGE]"
    ]


def test_readings_are_checked_against_the_declared_range(cli: Cli, plan_copy: Path) -> None:
    declare(plan_copy, d1_unit="working-days")  # 0-100: BRN's 121.5 days of 2006 are out
    found = findings(cli)
    assert found and all(f.endswith("(0-100) [R-READING-RANGE]") for f in found)
    assert found[0] == (
        "plan/readings/KPI-D1.yaml: releases[0].readings[0][2]: error: 121.5 is outside the "
        "range of working-days (0-100) [R-READING-RANGE]"
    )


def test_a_unit_without_min_allows_negative_readings(cli: Cli, plan_copy: Path) -> None:
    readings = plan_copy / "readings" / "KPI-D1.yaml"
    edit(readings, "      - [BRN, 2006, 121.5]\n", "      - [BRN, 2006, -121.5]\n")
    assert findings(cli) == [
        "plan/readings/KPI-D1.yaml: releases[0].readings[0][2]: error: -121.5 is outside the "
        "range of days (>= 0) [R-READING-RANGE]"
    ]
    declare(plan_copy, d1_unit="percent_change")
    assert findings(cli) == []


def test_targets_are_checked_against_the_declared_range(cli: Cli, plan_copy: Path) -> None:
    declare(plan_copy, d1_unit="working-days")
    edit(
        plan_copy / "readings" / "KPI-D1.yaml",
        "kpi: KPI-D1\n",
        "kpi: KPI-D2\n",  # the readings out of the way: only the target is judged
    )
    edit(
        plan_copy / "kpis.yaml",
        "    unit: working-days\n",
        "    unit: working-days\n    targets: [{year: 2025, value: 120}]\n",
    )
    assert [f for f in findings(cli) if "R-TARGET" in f] == [
        "plan/kpis.yaml: kpis[5].targets[0].value: error: KPI-D1 target 120 is outside the "
        "range of working-days (0-100) [R-TARGET]"
    ]


def test_declared_names_are_shown_built_in_ones_as_before(cli: Cli, plan_copy: Path) -> None:
    declare(plan_copy, d1_unit="usd")
    listing = cli("kpi", "list", "--as-of", AS_OF).stdout
    assert "KPI-D1  D     US dollars " in listing
    assert "KPI-A1  A     ppp_dollars " in listing
    assert "goal D, US dollars, lower is better" in cli("kpi", "show", "KPI-D1").stdout
    assert '"unit": "usd"' in cli("kpi", "show", "KPI-D1", "--json").stdout
    report = cli("report", "--as-of", AS_OF).stdout
    assert "Unit: US dollars; lower is better" in report
    assert "Unit: percent of gdp; higher is better" in report


# (unit as written in kpis.yaml, the property mutated, the code): refused by validation and
# by the JSON Schema alike.
MUTATIONS = [
    ("{id: US Dollars, name: d, min: 0, max: null}", "id", "R-ID-FORMAT"),
    ("{id: usd_, name: d, min: 0, max: null}", "id", "R-ID-FORMAT"),
    ("{id: usd, name: d, min: 0, max: null, decimals: 9}", "decimals", "S-INVALID"),
    ("{id: usd, name: d, min: 0, max: null, decimals: -1}", "decimals", "S-INVALID"),
    ("{id: usd, name: d, min: '0', max: null}", "min", "S-INVALID"),
    ("{id: usd, name: 7, min: 0, max: null}", "name", "S-INVALID"),
]


def accepts(schema: dict[str, Any], value: Any) -> bool:
    """The few JSON Schema keywords a declared unit's properties use."""
    if "anyOf" in schema:
        return any(accepts(s, value) for s in schema["anyOf"])
    kinds: dict[str, type | tuple[type, ...]] = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "null": type(None),
    }
    if "type" in schema and (
        isinstance(value, bool) or not isinstance(value, kinds[schema["type"]])
    ):
        return False
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return False
    if "minimum" in schema and value < schema["minimum"]:
        return False
    return not ("maximum" in schema and value > schema["maximum"])


@pytest.mark.parametrize(("unit", "field", "code"), MUTATIONS)
def test_schema_and_validation_refuse_the_same_units(
    cli: Cli, plan_copy: Path, unit: str, field: str, code: str
) -> None:
    declare(plan_copy, f"units:\n  - {unit}\n")
    found = findings(cli)
    assert len(found) == 1, found
    assert found[0].startswith(f"plan/kpis.yaml: units[0].{field}: error: ")
    assert found[0].endswith(f"[{code}]")
    schema = json.loads(schemas.generate()["kpis.schema.json"])
    props = schema["definitions"]["DeclaredUnit"]["properties"]
    assert not accepts(props[field], yaml.safe_load(unit)[field])
    good = yaml.safe_load(DECLARED)["units"][0]
    assert all(accepts(props[k], v) for k, v in good.items())
