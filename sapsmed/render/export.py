"""`sapsmed export`: the plan's lines and readings for other tools."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from sapsmed.base.safetext import csv_cell, json_text
from sapsmed.domain.plan import Plan, Reading
from sapsmed.monitor import progress
from sapsmed.monitor.views import id_key

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes import ExportJson
    from sapsmed.domain.shapes_status import LineRow

CSV_COLUMNS = (
    "id",
    "goal",
    "outcome",
    "action",
    "title",
    "timeframe",
    "due_year",
    "lead",
    "level",
    "status",
    "percent",
    "flags",
    "themes",
    "completed_on",
)


def lines_csv(rows: Sequence[LineRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in rows:
        row: Mapping[str, object] = line  # looked up by the columns' names
        writer.writerow(
            [
                csv_cell(" ".join(v) if isinstance(v, list) else ("" if v is None else v))
                for v in (row[c] for c in CSV_COLUMNS)
            ]
        )
    return out.getvalue()


READING_COLUMNS = ("kpi", "country", "year", "value", "source", "vintage")


def line_rows(plan: Plan, as_of: date) -> list[LineRow]:
    states = progress.states(plan, as_of)
    return [states[i].as_dict() for i in sorted(states, key=id_key)]


def known(plan: Plan, as_of: date) -> list[Reading]:
    """The readings known on ``as_of``, sorted by KPI, country and year."""
    return sorted((r for k in plan.kpis for r in plan.readings_of(k, as_of)), key=lambda r: r[:3])


def export_json(plan: Plan, as_of: date) -> str:
    return json_text(export_data(plan, as_of)) + "\n"


def export_data(plan: Plan, as_of: date) -> ExportJson:
    """What `export --format json` writes: every action line and every reading known on
    ``as_of``."""
    meta = plan.meta
    return {
        "as_of": as_of.isoformat(),
        "plan": {
            "title": meta["title"],
            "start_year": meta["start_year"],
            "end_year": meta["end_year"],
            "base_year": meta["base_year"],
        },
        "lines": line_rows(plan, as_of),
        "readings": [
            {
                "kpi": r.kpi,
                "country": r.country,
                "year": r.year,
                "value": r.value,
                "source": r.source,
                "vintage": r.vintage,
            }
            for r in known(plan, as_of)
        ],
    }


def export_csv(plan: Plan, as_of: date, table: str) -> str:
    if table == "lines":
        return lines_csv(line_rows(plan, as_of))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(READING_COLUMNS)
    for r in known(plan, as_of):
        writer.writerow(
            [csv_cell(v) for v in (r.kpi, r.country, r.year, r.value, r.source, r.vintage or "")]
        )
    return out.getvalue()
