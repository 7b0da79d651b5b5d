"""KPI readings in, from World Bank files (`kpi import`) or by hand (`kpi record`).

A reading is keyed on KPI, country and year. A value equal to the stored one changes nothing
(so re-importing the same data, from any of the three formats, is a no-op); a different value
replaces the stored reading, unless the file's vintage is older than the stored one's. New and
changed readings go into a release (source and vintage) in the KPI's readings file: every
other byte of the file stays as it was, the whole plan is validated before anything is
written, and each file is replaced atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import snapshot
from .edit import EditRefused
from .plan import Plan, Reading
from .problems import Problem
from .transaction import locked
from .wdi import Download, Observation

Key = tuple[str, str, int]  # KPI, country, year


@dataclass(frozen=True)
class Change:
    kpi: str
    country: str
    year: int
    old: float | None
    new: float
    old_vintage: str | None
    source: str
    vintage: str | None


@dataclass
class ImportReport:
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: dict[str, set[str]] = field(default_factory=dict)  # reason -> examples
    skipped_count: dict[str, int] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def skip(self, reason: str, example: str) -> None:
        self.skipped.setdefault(reason, set()).add(example)
        self.skipped_count[reason] = self.skipped_count.get(reason, 0) + 1


def same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def older(new: str | None, stored: str | None) -> bool:
    """Is a file of vintage ``new`` older than a stored value's? Unknown counts as oldest."""
    if stored is None:
        return False
    return new is None or new < stored


def source_of(download: Download, code: str) -> str:
    return f"World Bank, World Development Indicators, {code} ({download.path.name})"


def compare(plan: Plan, downloads: list[Download], allow_older: bool = False,
            progress: Callable[[int], None] | None = None) -> ImportReport:
    """What importing ``downloads`` would add, change and skip. Pure: nothing is written."""
    by_code = {k["indicator_code"]: k["id"] for k in plan.kpis.values() if k["indicator_code"]}
    stored: dict[Key, Reading] = {(r.kpi, r.country, r.year): r for r in plan.readings}
    report = ImportReport()
    for download in downloads:
        vintage = download.vintage.isoformat() if download.vintage else None
        if download.empty_cells:
            report.skipped_count["empty cell or '..'"] = (
                report.skipped_count.get("empty cell or '..'", 0) + download.empty_cells)
            report.skipped.setdefault("empty cell or '..'", set())
        for obs in download.observations:
            if progress is not None:
                progress(1)
            kpi = by_code.get(obs.code)
            if kpi is None:
                report.skip("series measures no KPI of the plan", obs.code)
            elif obs.country not in plan.countries:
                report.skip("not a member state (aggregate or other country)",
                            obs.country or "?")
            else:
                change = decide(report, stored, kpi, obs, source_of(download, obs.code),
                                vintage, allow_older)
                if change is not None:
                    stored[(kpi, obs.country, obs.year)] = Reading(
                        kpi, obs.country, obs.year, obs.value, change.source, vintage)
    return report


def decide(report: ImportReport, stored: dict[Key, Reading], kpi: str, obs: Observation,
           source: str, vintage: str | None, allow_older: bool) -> Change | None:
    old = stored.get((kpi, obs.country, obs.year))
    if old is not None and same(old.value, obs.value):
        report.unchanged += 1
        return None
    if old is not None and not allow_older and older(vintage, old.vintage):
        report.skip("older vintage than the stored value's (use --allow-older)",
                    f"{kpi} {obs.country} {obs.year}")
        return None
    change = Change(kpi, obs.country, obs.year, old.value if old else None, obs.value,
                    old.vintage if old else None, source, vintage)
    (report.changed if old else report.added).append(change)
    return change


def import_files(root: Path, downloads: list[Download], allow_older: bool, dry_run: bool,
                 progress: Callable[[int], None] | None = None) -> ImportReport:
    with locked(root):
        plan, problems = snapshot.load(root)
        if plan is None:
            raise EditRefused(problems, "the plan is invalid; fix it first, nothing was written")
        report = compare(plan, downloads, allow_older, progress)
        if not dry_run:
            from .readings_edit import apply

            apply(root, plan, report)
    return report
