"""KPI readings in, from World Bank files (`kpi import`) or by hand (`kpi record`).

A reading is keyed on KPI, country and year. A value equal to the stored one changes nothing
(so re-importing the same data, from any of the three formats, is a no-op); a different value
replaces the stored reading, unless the file's vintage is older than the stored one's. Files
are read after the plan is loaded, keeping only the values of its KPIs' series and member
states (memory stays flat however large the file); any error in any file stops the import
before anything is written, with every error listed. New and
changed readings go into a release (source and vintage) in the KPI's readings file: every
other byte of the file stays as it was, the whole plan is validated before anything is
written, and each file is replaced atomically.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sapsmed.base.problems import Problem
from sapsmed.domain.plan import Plan, Reading
from sapsmed.io.wdi import Download, ImportErrors, Observation, Wanted, keep_smallest, read
from sapsmed.validate import cache
from sapsmed.write.transaction import DEFAULT_WAIT, locked
from sapsmed.yamlio.edit import EditRefused

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

    def skip(self, reason: str, example: str, count: int = 1) -> None:
        """Count ``count`` values left out; the first few examples (in order) are kept."""
        keep_smallest(self.skipped.setdefault(reason, set()), example)
        self.skipped_count[reason] = self.skipped_count.get(reason, 0) + count


EMPTY = "empty cell or '..'"
OTHER_SERIES = "series measures no KPI of the plan"
OTHER_COUNTRY = "not a member state (aggregate or other country)"


def same(a: float, b: float) -> bool:
    """Equal but for float noise (relative, so a tiny value is not taken for zero)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


def older(new: str | None, stored: str | None) -> bool:
    """Is a file of vintage ``new`` older than a stored value's? Unknown counts as oldest."""
    if stored is None:
        return False
    return new is None or new < stored


def source_of(download: Download, code: str) -> str:
    return f"World Bank, World Development Indicators, {code} ({download.path.name})"


def compare(
    plan: Plan,
    downloads: list[Download],
    allow_older: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """What importing ``downloads`` would add, change and skip. Pure: nothing is written."""
    by_code = {k["indicator_code"]: k["id"] for k in plan.kpis.values() if k["indicator_code"]}
    stored: dict[Key, Reading] = {(r.kpi, r.country, r.year): r for r in plan.readings}
    report = ImportReport()
    for download in downloads:
        vintage = download.vintage.isoformat() if download.vintage else None
        if download.empty_cells:
            report.skipped_count[EMPTY] = report.skipped_count.get(EMPTY, 0) + download.empty_cells
            report.skipped.setdefault(EMPTY, set())
        for reason, tally in (
            (OTHER_SERIES, download.other_series),
            (OTHER_COUNTRY, download.other_countries),
        ):
            if tally.count:
                for example in tally.examples:
                    keep_smallest(report.skipped.setdefault(reason, set()), example)
                report.skipped_count[reason] = report.skipped_count.get(reason, 0) + tally.count
        for obs in download.observations:
            if progress is not None:
                progress(1)
            kpi = by_code.get(obs.code)
            if kpi is None:
                report.skip(OTHER_SERIES, obs.code)
            elif obs.country not in plan.countries:
                report.skip(OTHER_COUNTRY, obs.country or "?")
            else:
                change = decide(
                    report, stored, kpi, obs, source_of(download, obs.code), vintage, allow_older
                )
                if change is not None:
                    stored[(kpi, obs.country, obs.year)] = Reading(
                        kpi, obs.country, obs.year, obs.value, change.source, vintage
                    )
    return report


def decide(
    report: ImportReport,
    stored: dict[Key, Reading],
    kpi: str,
    obs: Observation,
    source: str,
    vintage: str | None,
    allow_older: bool,
) -> Change | None:
    old = stored.get((kpi, obs.country, obs.year))
    if old is not None and same(old.value, obs.value):
        report.unchanged += 1
        return None
    if old is not None and not allow_older and older(vintage, old.vintage):
        report.skip(
            "older vintage than the stored value's (use --allow-older)",
            f"{kpi} {obs.country} {obs.year}",
        )
        return None
    change = Change(
        kpi,
        obs.country,
        obs.year,
        old.value if old else None,
        obs.value,
        old.vintage if old else None,
        source,
        vintage,
    )
    (report.changed if old else report.added).append(change)
    return change


def wanted(plan: Plan) -> Wanted:
    """The values of a plan's use: its KPIs' series, for its member states."""
    return Wanted(
        frozenset(k["indicator_code"] for k in plan.kpis.values() if k["indicator_code"]),
        frozenset(plan.countries),
    )


def read_all(
    plan: Plan,
    paths: Sequence[Path],
    vintage: date | None = None,
    as_of_year: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Download]:
    """Read every file, keeping the values the plan can use; ImportErrors lists everything
    wrong in any of them. ``vintage`` is the vintage of a file that carries none (a file
    that carries another one is an error)."""
    keep = wanted(plan)
    downloads, messages, total = [], [], 0
    for path in paths:
        download = read(path, keep, as_of_year, progress)
        if vintage is not None:
            if download.vintage is None:
                download.vintage = vintage
            elif download.vintage != vintage:
                download.errors.append(
                    f"{path}: the file's vintage is {download.vintage.isoformat()}, not "
                    f"{vintage.isoformat()} as --vintage says (--vintage is only for files "
                    "that carry none)"
                )
                download.error_count += 1
        today = date.today() if as_of_year is None else date(as_of_year, 12, 31)
        if download.vintage is not None and download.vintage > today:
            download.errors.append(
                f"{path}: the last-updated date {download.vintage.isoformat()} is after {today}"
            )
            download.error_count += 1
        messages += download.errors
        total += download.error_count
        downloads.append(download)
    conflicts = disagreements(downloads)
    if total or conflicts:
        raise ImportErrors(messages + conflicts[:50], total + len(conflicts))
    return downloads


def disagreements(downloads: list[Download]) -> list[str]:
    """The same series, country and year given different values by two files."""
    first: dict[tuple[str, str, int], tuple[Path, float]] = {}
    out = []
    for download in downloads:
        for obs in download.observations:
            path, value = first.setdefault(
                (obs.code, obs.country, obs.year), (download.path, obs.value)
            )
            if path != download.path and not same(value, obs.value):
                out.append(
                    f"{download.path}: {obs.code} {obs.country} {obs.year} is "
                    f"{obs.value:g} here but {value:g} in {path}; import one of them"
                )
    return out


def import_files(
    root: Path,
    paths: Sequence[Path],
    allow_older: bool,
    dry_run: bool,
    vintage: date | None = None,
    as_of_year: int | None = None,
    progress: Callable[[int], None] | None = None,
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> ImportReport:
    """Read the files (``progress``: bytes read) and import what the plan can use."""
    with locked(root, wait, waiting):
        plan, problems = cache.load(root)
        if plan is None:
            raise EditRefused(problems, "the plan is invalid; fix it first, nothing was written")
        downloads = read_all(plan, paths, vintage, as_of_year, progress)
        report = compare(plan, downloads, allow_older)
        if not dry_run:
            from sapsmed.write.readings import apply

            apply(root, plan, report)
    return report
