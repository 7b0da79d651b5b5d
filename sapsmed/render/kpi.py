"""Plain-text renderers of the KPI commands (pure functions, like render.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sapsmed.render.text import fmt_value, lines_of, plural, table

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes_kpi import CoverageJson, KpiListRow, KpiShowJson
    from sapsmed.domain.shapes_status import KpiReading

if TYPE_CHECKING:  # the write path is loaded only by the commands that write
    from sapsmed.write.importer import ImportReport

COVERAGE_MARKS = {
    "ok": "",
    "stale": "!",
    "discontinued": "†",
    "undeclared": "?",
    "missing": "MISSING",
    "none": "·",
}


def kpi_list_text(rows: list[KpiListRow], units: Mapping[str, str] | None = None) -> str:
    """The KPI table; ``units`` names the declared units (unit id -> name)."""
    units = units or {}
    body = [
        [
            r["id"],
            r["goal"],
            units.get(r["unit"], r["unit"]),
            r["direction"].replace("_is_better", ""),
            r["indicator_code"] or "-",
            str(len(r["countries_with_data"])),
            str(r["latest_year"] or "-"),
            r["name"],
        ]
        for r in rows
    ]
    return table(["id", "goal", "unit", "better", "series", "countries", "latest", "name"], body)


def pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:+.2f}%"


def assessment_text(a: Mapping[str, Any], decimals: int | None = None) -> str:
    """One verdict with the numbers behind it."""
    if a["base_year"] is None or a.get("reason"):
        return f"{a['status']} ({a['method']}: {a.get('reason') or 'no baseline'})"
    parts = [
        f"{a['base_year']} {fmt_value(a['base_value'], decimals)} -> {a['latest_year']} "
        f"{fmt_value(a['latest_value'], decimals)}",
        f"CAGR {pct(a['cagr_actual'])}",
    ]
    if a["target_year"] is not None:
        parts.append(f"target {fmt_value(a['target_value'], decimals)} by {a['target_year']}")
        if a["cagr_required"] is not None:
            parts.append(f"required CAGR {pct(a['cagr_required'])}")
        if a["ratio"] is not None:
            parts.append(f"ratio {a['ratio']:.2f}")
        if a["score"] is not None:
            parts.append(
                f"projected {fmt_value(a['projected_value'], decimals)}, score {a['score']:.2f}"
            )
    return f"{a['status']} ({a['method']}: {'; '.join(parts)})"


def kpi_show_text(
    data: KpiShowJson,
    show_all: bool = False,
    units: Mapping[str, str] | None = None,
    decimals: int | None = None,
) -> str:
    """A KPI's readings and verdicts; ``units`` names the declared units (id -> name),
    ``decimals`` the places its unit's values are shown with (None: up to two)."""
    code = f" [{data['indicator_code']}]" if data["indicator_code"] else ""
    unit = (units or {}).get(data["unit"], data["unit"])
    out = [
        f"{data['id']}  {data['name']}{code}",
        f"goal {data['goal']}, {unit}, {data['direction'].replace('_', ' ')}; "
        f"source as the plan names it: {data['source']}",
        f"baseline: {data['baseline_rule']}; readings known on {data['as_of']}",
    ]
    if data["discontinued"]:
        d = data["discontinued"]
        out.append(f"discontinued {d['ended']}: last data year {d['last_data_year']}")
    by_country: dict[str, list[KpiReading]] = {}
    for r in data["readings"]:
        by_country.setdefault(r["country"], []).append(r)
    cut = False
    for entry in data["countries"]:
        rows = by_country.get(entry["country"], [])
        shown = rows if show_all else rows[-SHOWN:]
        cut = cut or len(shown) < len(rows)
        out.append("")
        count = plural(len(rows), "reading")
        out.append(
            f"{entry['country']}: {count}"
            + (f" (the last {len(shown)} shown)" if len(shown) < len(rows) else "")
        )
        if rows:
            out.append(
                "  " + "  ".join(f"{r['year']}: {fmt_value(r['value'], decimals)}" for r in shown)
            )
            vintages = sorted({r["vintage"] or "unknown" for r in rows})
            out.append(f"  vintage {', '.join(vintages)}")
        for a in entry["assessments"]:
            out.append(f"  {assessment_text(a, decimals)}")
    if "regional" in data:
        reg = data["regional"]
        out.append("")
        out.append(f"{reg['region'][:1].upper()}{reg['region'][1:]}: {reg['rule']}.")
        members = ", ".join(
            f"{m['country']} {m['baseline']['year']} "
            f"{fmt_value(m['baseline']['value'], decimals)} -> {m['latest']['year']} "
            f"{fmt_value(m['latest']['value'], decimals)}"
            for m in reg["panel"]
        )
        out.append(
            f"  panel: {len(reg['panel'])} of {reg['members']} member states"
            + (f": {members}" if members else "")
        )
        if reg["series"]:
            tail = reg["series"] if show_all else reg["series"][-8:]
            out.append(
                f"  panel mean ({reg['series_rule']}): "
                + "  ".join(f"{s['year']}: {fmt_value(s['mean'], decimals)}" for s in tail)
            )
        for a in reg["assessments"]:
            out.append(f"  {assessment_text(a, decimals)}")
    if cut:
        out.append("")
        out.append("(--all shows every reading)")
    return lines_of(out)


SHOWN = 12  # readings shown per country unless --all


def coverage_text(data: CoverageJson) -> str:
    head = ["kpi", *data["countries"]]
    rows = []
    for kpi in data["kpis"]:
        cells = []
        for code in data["countries"]:
            c = kpi["countries"][code]
            if c["last"] is None:
                cells.append(COVERAGE_MARKS[c["state"]])
            else:
                cells.append(f"{c['last']}{COVERAGE_MARKS[c['state']]}")
        rows.append([kpi["id"], *cells])
    legend = (
        f"latest year with data; ! stale (none in the {data['stale_after_years']} years "
        f"before {data['as_of'][:4]}), † series discontinued, ? not declared available, "
        "MISSING declared but no data, · neither"
    )
    return table(head, rows) + legend + "\n"


def import_text(report: ImportReport, dry_run: bool) -> str:
    out = []
    for change in report.added:
        out.append(f"added    {change.kpi} {change.country} {change.year}: {fmt_value(change.new)}")
    for change in report.changed:
        out.append(
            f"changed  {change.kpi} {change.country} {change.year}: "
            f"{fmt_value(change.old or 0)} -> {fmt_value(change.new)} "
            f"(vintage {change.old_vintage or 'unknown'} -> "
            f"{change.vintage or 'unknown'})"
        )
    for reason in sorted(report.skipped_count):
        examples = sorted(report.skipped.get(reason, ()))
        shown = (
            f": {', '.join(examples[:8])}{', ...' if len(examples) > 8 else ''}" if examples else ""
        )
        out.append(f"skipped  {report.skipped_count[reason]} ({reason}){shown}")
    verb = "would add" if dry_run else "added"
    summary = (
        f"{verb} {len(report.added)}, {'would change' if dry_run else 'changed'} "
        f"{len(report.changed)}, unchanged {report.unchanged}"
    )
    if dry_run:
        summary += "; dry run: nothing written"
    elif report.written:
        summary += "; wrote " + ", ".join(str(p.name) for p in report.written)
    return lines_of([*out, summary])
