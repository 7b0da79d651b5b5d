"""The typed entities (domain/entities.py) hold exactly what the models validate: same
fields, and the plan a validation builds has those fields and no other."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_type_hints

import pytest

from sapsmed.domain import entities, models
from sapsmed.validate.validation import validate

from .conftest import PLAN, SMALL

PAIRS: list[tuple[type[Any], type[models.Model]]] = [
    (entities.Phase, models.Phase),
    (entities.MidTermReview, models.MidTermReview),
    (entities.Pathway, models.Pathway),
    (entities.MeasureType, models.MeasureType),
    (entities.Theme, models.Theme),
    (entities.Meta, models.PlanFile),
    (entities.Country, models.Country),
    (entities.Update, models.Update),
    (entities.Budget, models.Budget),
    (entities.Personnel, models.Personnel),
    (entities.Output, models.Output),
    (entities.Risk, models.Risk),
    (entities.Line, models.ActionLine),
    (entities.Action, models.Action),
    (entities.Outcome, models.Outcome),
    (entities.Goal, models.Goal),
    (entities.KpiTarget, models.KpiTarget),
    (entities.Discontinued, models.Discontinued),
    (entities.Kpi, models.Kpi),
    (entities.DeclaredUnit, models.DeclaredUnit),
]


@pytest.mark.parametrize(("typed", "model"), PAIRS, ids=[t.__name__ for t, _ in PAIRS])
def test_each_entity_has_the_fields_of_its_model(typed: type[Any], model: type[Any]) -> None:
    assert set(get_type_hints(typed)) == set(model.model_fields)


def test_every_typed_dict_of_the_module_is_paired_with_a_model() -> None:
    typed = {
        name
        for name, value in vars(entities).items()
        if isinstance(value, type) and issubclass(value, dict)
    }
    assert typed == {t.__name__ for t, _ in PAIRS}


def keys_of(typed: type[Any]) -> set[str]:
    return set(get_type_hints(typed))


@pytest.mark.parametrize("root", [PLAN, SMALL], ids=["frozen", "small"])
def test_a_validated_plan_holds_exactly_those_fields(root: Path) -> None:
    plan = validate(root).plan
    assert plan is not None
    assert set(plan.meta) == keys_of(entities.Meta)
    for goal in plan.goals:
        assert set(goal) == keys_of(entities.Goal)
    for ref in plan.lines.values():
        assert set(ref.line) == keys_of(entities.Line)
        assert set(ref.action) == keys_of(entities.Action)
        assert ref.outcome is not None  # both plans have outcomes
        assert set(ref.outcome) == keys_of(entities.Outcome)
        for update in ref.line["updates"]:
            assert set(update) == keys_of(entities.Update)
    for kpi in plan.kpis.values():
        assert set(kpi) == keys_of(entities.Kpi)
    for country in plan.countries.values():
        assert set(country) == keys_of(entities.Country)
    for unit in plan.units.values():
        assert set(unit) == keys_of(entities.DeclaredUnit)


def test_the_small_plan_has_updates_to_check() -> None:
    plan = validate(SMALL).plan
    assert plan is not None and any(ref.line["updates"] for ref in plan.lines.values())
