"""The published JSON Schemas and `sapsmed validate` agree on every value a file holds: a set
of mutations of real plan files, each checked by the reference validator (jsonschema, with
formats) against the generated schema and by the models `validate` uses. An editor that
squiggles nothing and a CI that refuses the file, or the other way round, would be a bug."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from sapsmed.domain import schemas
from sapsmed.domain.models import FILE_MODELS
from sapsmed.yamlio import parse
from tests.conftest import PLAN, ROOT

SUCCESSOR = ROOT / "tests" / "fixtures" / "successor" / "plan"
FILES = {
    "plan": PLAN / "plan.yaml",
    "countries": PLAN / "countries.yaml",
    "goal": PLAN / "goals" / "B.yaml",
    "kpis": PLAN / "kpis.yaml",
    "readings": PLAN / "readings" / "KPI-D1.yaml",
    "plan2": SUCCESSOR / "plan.yaml",
    "countries2": SUCCESSOR / "countries.yaml",
    "goal2": SUCCESSOR / "goals" / "G1.yaml",
    "kpis2": SUCCESSOR / "kpis.yaml",
}
Path_ = tuple[str | int, ...]
DELETE = object()
# (file, path to the value, the new value): some valid, most not.
MUTATIONS: list[tuple[str, Path_, Any]] = [
    ("plan", ("start_year",), "2016"),
    ("plan", ("start_year",), True),
    ("plan", ("start_year",), 2016.5),
    ("plan", ("region",), 5),
    ("plan", ("region",), "ASEAN+3"),
    ("plan", ("levels",), ["goal", "line"]),
    ("plan", ("levels",), ["goal", "action", "line"]),
    ("plan", ("levels",), ["goal", "outcome", "outcome", "line"]),
    ("plan", ("phases",), []),
    ("plan", ("phases", 0, "id"), "Post Integration"),
    ("plan", ("mid_term_review", "due_year"), "2020"),
    ("plan", ("mid_term_review", "phase"), "post-integration"),
    ("plan", ("mid_term_review", "phase"), "Post"),
    ("plan", ("title",), DELETE),
    ("plan", ("title",), "  \t "),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "title"), ""),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "title"), " x "),
    ("plan", ("themes", 0, "colour"), "red"),
    ("plan2", ("units",), []),
    ("countries", ("member_states", 0, "id"), "BRUN"),
    ("countries", ("member_states", 0, "joined"), "2025-10-26"),
    ("countries", ("member_states", 0, "joined"), "2025-13-40"),
    ("countries", ("member_states", 0, "joined"), 2025),
    ("countries", ("member_states", 0, "left"), "26 October 2025"),
    ("countries", ("member_states",), []),
    ("countries2", ("member_states", 10, "joined"), None),
    ("goal", ("id",), "b"),
    ("goal", ("id",), "SG3"),
    ("goal", ("id",), "SGXYZ"),
    ("goal", ("champions",), []),
    ("goal", ("outcomes",), DELETE),
    ("goal", ("actions",), []),
    ("goal", ("outcomes", 0, "lines"), []),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "due_year"), "2020"),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "due_year"), True),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "due_year"), 2020.0),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "level"), "provincial"),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "lead"), []),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "lead"), ["mys"]),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "status"), "done"),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "id"), "B-1-1-1.1"),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "planned_start"), "2017-02-30"),
    ("goal", ("outcomes", 1, "actions", 0, "lines", 0, "budget"), {"currency": "usd"}),
    (
        "goal",
        ("outcomes", 1, "actions", 0, "lines", 0, "budget"),
        {"currency": "USD", "planned": -1},
    ),
    (
        "goal",
        ("outcomes", 1, "actions", 0, "lines", 0, "updates"),
        [{"date": "2018-01-01", "status": "ongoing", "percent": "60"}],
    ),
    (
        "goal",
        ("outcomes", 1, "actions", 0, "lines", 0, "updates"),
        [{"date": "2018-01-01", "status": "ongoing", "percent": 150}],
    ),
    (
        "goal",
        ("outcomes", 1, "actions", 0, "lines", 0, "updates"),
        [{"date": "2018-01-01", "status": "ongoing", "percent": 60}],
    ),
    ("goal2", ("actions", 0, "id"), "G1-1-1"),
    ("goal2", ("outcomes",), [{"id": "G1-1", "title": "T", "actions": []}]),
    ("kpis", ("kpis", 0, "unit"), "Percent Points"),
    ("kpis", ("kpis", 0, "unit"), "usd"),
    ("kpis", ("kpis", 0, "direction"), "up"),
    ("kpis", ("kpis", 0, "id"), "KPI-A"),
    ("kpis", ("kpis", 0, "id"), "KPI-G11"),
    ("kpis", ("kpis", 0, "targets"), [{"year": 2025, "value": "1.5"}]),
    ("kpis", ("kpis", 0, "targets"), [{"year": 2025, "value": 1.5}]),
    ("kpis2", ("units", 0, "decimals"), 9),
    ("kpis2", ("units", 0, "min"), "0"),
    ("kpis2", ("units", 0, "id"), "US Dollars"),
    ("kpis2", ("units", 0, "max"), DELETE),
    ("readings", ("releases", 0, "readings", 0), ["MYS", "2019", 1.0]),
    ("readings", ("releases", 0, "readings", 0), ["MYS", 2019, "1.0"]),
    ("readings", ("releases", 0, "readings", 0), ["MYS", 2019]),
    ("readings", ("releases", 0, "readings", 0), ["MYS", 2019, 1.0, "x"]),
    ("readings", ("releases", 0, "readings", 0), ["MYS", 2019, 1]),
    ("readings", ("releases", 0, "vintage"), "yesterday"),
    ("readings", ("releases", 0, "vintage"), None),
    ("readings", ("kpi",), "KPI-d1"),
]


def mutated(name: str, path: Path_, value: Any) -> tuple[str, Any]:
    """The file's kind and its YAML value (read as sapsmed reads it) with one change."""
    file = FILES[name]
    data = copy.deepcopy(parse.load(file, file.read_text(encoding="utf-8")).data)
    node = data
    for part in path[:-1]:
        node = node[part]
    if value is DELETE:
        del node[path[-1]]
    elif isinstance(node, list) and path[-1] == len(node):
        node.append(value)
    else:
        node[path[-1]] = value
    return name.rstrip("2"), data


@pytest.mark.parametrize(
    ("name", "path", "value"), MUTATIONS, ids=[f"{m[0]}:{m[1]}={m[2]!r}" for m in MUTATIONS]
)
def test_schema_and_validate_agree(name: str, path: Path_, value: Any) -> None:
    kind, data = mutated(name, path, value)
    schema = json.loads(schemas.generate()[f"{kind}.schema.json"])
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    by_schema = [e.message for e in validator.iter_errors(data)]
    try:
        FILE_MODELS[kind].model_validate(data)
        by_models: list[str] = []
    except ValidationError as exc:
        by_models = [str(e["msg"]) for e in exc.errors()]
    assert bool(by_schema) == bool(by_models), (by_schema, by_models)


def test_the_files_mutated_are_valid_as_they_are() -> None:
    for name, file in FILES.items():
        kind = name.rstrip("2")
        data = parse.load(file, file.read_text(encoding="utf-8")).data
        schema = json.loads(schemas.generate()[f"{kind}.schema.json"])
        jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
        FILE_MODELS[kind].model_validate(data)


def test_some_mutations_are_valid_and_most_are_not() -> None:
    """The set has both kinds, so agreement is not one validator refusing everything."""
    verdicts = []
    for name, path, value in MUTATIONS:
        kind, data = mutated(name, path, value)
        try:
            FILE_MODELS[kind].model_validate(data)
            verdicts.append(True)
        except ValidationError:
            verdicts.append(False)
    assert 8 <= verdicts.count(True) < verdicts.count(False)
