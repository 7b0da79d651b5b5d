"""A plan that passes `validate` never crashes another command.

Every read command runs on every valid fixture plan, and on a hostile one built here: every
free-text field holds hostile text (terminal escapes, NUL, bidirectional overrides, line and
paragraph separators, markup, a long value) and every number sits at its allowed extreme
(years 1900 and 2200, the largest finite float, the largest 64-bit integer, 0 and 100).
Whether the text outputs escape hostile text is tested elsewhere; here: exit 0, no internal
error.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sapsmed.base.problems import INT_MAX, YEAR_MAX, YEAR_MIN
from sapsmed.yamlio import parse as yamlio

from .conftest import PLAN, ROOT, Cli

SMALL = ROOT / "tests" / "fixtures" / "small-plan"
BIG = sys.float_info.max
HOSTILE = (
    "\x1b[31mred\x1b[0m \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 "
    "nul\x00 bell\x07 del\x7f \u202eevil\u202c \u2028line\u2029para "
    "<script>alert(1)</script> [bold]markup[/bold] | pipe | `tick` *star* "
    "# not a comment: really {braces} %s {0} \\ backslash "
)
TEXT_FIELDS = {
    "title",
    "short_title",
    "source_document",
    "vision",
    "mission",
    "name",
    "priority",
    "scope",
    "notes",
    "description",
    "timeframe",
    "note",
    "by",
    "source",
    "indicator_name",
    "availability_note",
    "mitigation",
}
AS_OF = "2026-11-28"


def hostile_text(i: int) -> str:
    """Hostile text, made distinct (and one of them long) so no two fields are alike."""
    return HOSTILE + str(i) + ("x" * 5000 if i == 3 else "")


def hostile(value: Any, counter: list[int]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in TEXT_FIELDS and isinstance(item, str):
                counter[0] += 1
                out[key] = hostile_text(counter[0])
            else:
                out[key] = hostile(item, counter)
        return out
    if isinstance(value, list):
        return [hostile(item, counter) for item in value]
    return value


def write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=10**6))


def build_hostile_plan(target: Path) -> Path:
    """The small plan with hostile text everywhere and numbers at their extremes."""
    shutil.copytree(SMALL, target)
    counter = [0]
    files = {p: hostile(yamlio.load(p).data, counter) for p in target.rglob("*.yaml")}
    plan = files[target / "plan.yaml"]
    plan.update(start_year=YEAR_MIN, end_year=YEAR_MAX, base_year=YEAR_MIN)
    plan["phases"][0].update(start_year=YEAR_MIN, end_year=YEAR_MIN)
    plan["phases"][1].update(start_year=YEAR_MIN + 1, end_year=YEAR_MAX)
    plan["mid_term_review"]["due_year"] = YEAR_MAX
    plan["types_of_measures"][0]["number"] = INT_MAX
    plan["pathways"] = [{"id": "p", "name": hostile_text(900), "description": hostile_text(909)}]
    goal = files[target / "goals" / "A.yaml"]
    goal["printed_as"] = {"title": hostile_text(901)}
    lines = goal["outcomes"][0]["actions"][0]["lines"]
    lines[0].update(
        due_year=YEAR_MAX,
        timeframe=f"By {YEAR_MAX}",
        proponents=[HOSTILE],
        printed_as={"title": HOSTILE},
        pathway="p",
        required_time="long_term",
        planned_start="1900-01-01",
        budget={"currency": "USD", "planned": BIG, "spent": BIG},
        personnel={"planned": BIG, "used": 0},
        outputs=[{"title": HOSTILE, "delivered": "2017-01-01", "quality": "poor"}],
        risks=[{"description": HOSTILE, "level": "high", "mitigation": HOSTILE}],
    )
    lines[0]["updates"][0].update(percent=100.0, by=HOSTILE, source=HOSTILE, status="ongoing")
    lines[1].update(
        due_year=YEAR_MIN,
        timeframe=str(YEAR_MIN),
        planned_start="1900-01-01",
        budget={"currency": "USD", "planned": 0, "spent": BIG},
    )
    lines[1].pop("dependencies")
    lines[1]["updates"][1]["percent"] = 0.0
    kpis = files[target / "kpis.yaml"]
    kpi = kpis["kpis"][0]
    kpi.update(
        unit="ppp_dollars",
        direction="higher_is_better",
        printed_as={"name": HOSTILE},
        # growth that overflows by the target year; a target in the year the baseline
        # is taken from (the base year has no reading); a subnormal regional target
        targets=[
            {"country": "MYS", "year": YEAR_MAX, "value": BIG},
            {"country": "THA", "year": YEAR_MIN + 5, "value": 0.0},
            {"year": YEAR_MAX, "value": 5e-324, "source": HOSTILE},
        ],
        discontinued={"ended": "2025-01-01", "last_data_year": YEAR_MAX, "note": HOSTILE},
    )
    percent = dict(
        kpi,
        id="KPI-A2",
        unit="percent",
        direction="lower_is_better",
        targets=[
            {"country": "MYS", "year": YEAR_MAX, "value": 100.0},
            {"country": "THA", "year": YEAR_MAX, "value": 0.0},
        ],
        discontinued=None,
    )
    kpis["kpis"].append(percent)
    readings = files[target / "readings" / "KPI-A1.yaml"]
    release = readings["releases"][0]
    release["vintage"] = None
    release["readings"] = [
        ["MYS", YEAR_MIN, 1.0],
        ["MYS", YEAR_MIN + 1, 11.0],
        ["MYS", 2025, BIG],
        ["THA", YEAR_MIN + 5, BIG],
        ["THA", 2025, BIG],
        ["VNM", YEAR_MIN, 0.0],
        ["VNM", 2001, 5e-324],
        ["VNM", 2025, 0.0],
    ]
    files[target / "readings" / "KPI-A2.yaml"] = {
        "kpi": "KPI-A2",
        "releases": [
            {
                "source": HOSTILE,
                "vintage": "2025-12-31",
                "note": HOSTILE,
                "readings": [
                    ["MYS", YEAR_MIN, 100.0],
                    ["MYS", 2025, 0.0],
                    ["THA", YEAR_MIN, 0.0],
                    ["THA", 2024, 100.0],
                    ["VNM", 1950, 100.0],
                    ["VNM", 1951, 100.0],
                ],
            },
            {"source": HOSTILE, "vintage": None, "readings": [["MYS", 1960, 50.0]]},
        ],
    }
    for path, data in files.items():
        write(path, data)
    return target


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plans")
    return {"frozen": PLAN, "small": SMALL, "hostile": build_hostile_plan(folder / "hostile")}


READ_COMMANDS: list[list[str]] = [
    ["status"],
    ["status", "--json"],
    ["status", "--goal", "A"],
    ["status", "--country", "MYS"],
    ["show", "A"],
    ["show", "A-1"],
    ["show", "A-1-1"],
    ["show", "A-1-1.1"],
    ["show", "A-1-1.2"],
    ["show", "KPI-A1"],
    ["show", "MYS"],
    ["show", "A-1-1.1", "--json"],
    ["lines"],
    ["lines", "--json"],
    ["lines", "--csv"],
    ["lines", "--sort", "due"],
    ["scorecard"],
    ["scorecard", "--by", "country"],
    ["scorecard", "--by", "phase"],
    ["scorecard", "--by", "theme"],
    ["scorecard", "--by", "measure"],
    ["scorecard", "--json"],
    ["kpi", "list"],
    ["kpi", "list", "--json"],
    ["kpi", "show", "KPI-A1"],
    ["kpi", "show", "KPI-A1", "--json"],
    ["kpi", "show", "KPI-A1", "--country", "MYS"],
    ["kpi", "coverage"],
    ["kpi", "coverage", "--json"],
    ["report"],
    ["report", "--country", "MYS"],
    ["report", "--goal", "A"],
    ["report", "--mid-term"],
    ["export"],
    ["export", "--format", "csv"],
    ["export", "--format", "csv", "--table", "readings"],
]
FROZEN_IDS = {"A-1-1": "A-1-2", "A-1-1.1": "A-1-2.1", "A-1-1.2": "A-1-3.1", "KPI-A1": "KPI-D1"}
DATED = {"status", "show", "lines", "scorecard", "report", "export"}


@pytest.mark.parametrize("name", ["frozen", "small", "hostile"])
def test_a_valid_plan_passes_every_read_command(
    name: str, plans: dict[str, Path], cli: Cli
) -> None:
    plan = plans[name]
    checked = cli("--plan", str(plan), "validate", "--as-of", AS_OF)
    assert checked.exit_code == 0, checked.stdout
    failures = []
    for command in READ_COMMANDS:
        for as_of in [AS_OF, "1900-01-01", "9999-12-31"] if command[0] in DATED else [None]:
            args = ["--plan", str(plan), *command, *(["--as-of", as_of] if as_of else [])]
            if name == "frozen":  # the same kinds of entity, as the frozen plan names them
                args = [FROZEN_IDS.get(arg, arg) for arg in args]
            result = cli(*args)  # an exception here is the test failing: catch_exceptions=False
            output = result.stdout + (result.stderr if result.stderr_bytes else "")
            if result.exit_code != 0 or "internal error" in output:
                failures.append(f"{' '.join(args[2:])}: exit {result.exit_code}: {output[-300:]}")
    assert failures == []


def test_the_hostile_plan_is_hostile(plans: dict[str, Path]) -> None:
    """The fixture really holds what it claims (a guard against a silently tamed builder)."""
    text = (plans["hostile"] / "goals" / "A.yaml").read_text()
    assert "\\e[31m" in text and "\\0" in text and "\\u202E" in text
    assert (
        "1.7976931348623157e+308" in text
        and str(INT_MAX) in (plans["hostile"] / "plan.yaml").read_text()
    )
