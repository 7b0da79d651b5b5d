"""KPI targets: `sapsmed kpi target` sets one (a member state's or the regional one, for a
year) or removes it, as a checked edit of kpis.yaml."""

from __future__ import annotations

from pathlib import Path

from sapsmed.base.errors import SapsmedError
from sapsmed.domain.plan import Plan
from sapsmed.write.edits import Build
from sapsmed.write.lineparts import compact, number
from sapsmed.yamlio.edit import Delete, Extend, Op, Set


def set_target(
    kpi_id: str,
    country: str | None,
    year: int,
    value: float | None,
    source: str | None = None,
    remove: bool = False,
) -> Build:
    """The target of ``kpi_id`` for ``country`` (None: the regional one) in ``year``: set
    (added, or its value and source replaced) or, with ``remove``, removed."""

    def build(plan: Plan) -> tuple[dict[Path, list[Op]], str]:
        plan.require(kpi_id, "kpi")
        if country is not None:
            plan.require_scope(country=country)
        path = plan.root / "kpis.yaml"
        where = ("kpis", list(plan.kpis).index(kpi_id), "targets")
        targets = plan.kpis[kpi_id]["targets"]
        same = [i for i, t in enumerate(targets) if t["country"] == country and t["year"] == year]
        whose = f"{country or 'regional'} {year}"
        if remove:
            if not same:
                raise SapsmedError(f"{kpi_id} has no {whose} target to remove")
            return {path: [Delete(where, tuple(same))]}, f"removed the {whose} target of {kpi_id}"
        assert value is not None
        kept = source if source is not None or not same else targets[same[0]]["source"]
        item = compact({"country": country, "year": year, "value": number(value), "source": kept})
        if same:  # the item replaced whole, in the style it is written in
            ops: list[Op] = [Set((*where, same[0]), item)]
            return {path: ops}, f"set the {whose} target of {kpi_id}"
        return {path: [Extend(where, (item,))]}, f"added the {whose} target of {kpi_id}"

    return build
