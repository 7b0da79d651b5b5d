"""Rules about KPIs and their readings: references, targets, duplicates, units, jumps,
coverage."""

from __future__ import annotations

import math

from sapsmed.base.hints import did_you_mean
from sapsmed.base.problems import YEAR_MIN, quote
from sapsmed.domain.models import UNIT_RANGES, Kpi
from sapsmed.validate.loader import Parsed, PathKey, Salvaged
from sapsmed.validate.rules import Point, Rules, is_number
from sapsmed.yamlio.parse import Document

Range = tuple[float | None, float | None]  # inclusive (low, high); None is unbounded


def bounds(low: float | None, high: float | None) -> str:
    """A unit's range as messages show it: 0-100, >= 0, <= 5."""
    if low is not None and high is not None:
        return f"{low:g}-{high:g}"
    return f">= {low:g}" if low is not None else f"<= {high:g}"


class KpiRules(Rules):
    """KPIs, their targets and their readings."""

    # The built-in units' ranges and those of the units kpis.yaml declares (:meth:`units`).
    ranges: dict[str, Range] = {u: r for u, r in UNIT_RANGES.items()}

    def units(self, parsed: Parsed) -> None:
        """The units kpis.yaml declares: new ids, each range with its min not above its max."""
        doc = parsed.doc
        ranges: dict[str, Range] = {u: r for u, r in UNIT_RANGES.items()}
        seen: dict[str, tuple[Document, PathKey]] = {}
        for i, unit in enumerate(parsed.model.units):
            if unit.id in UNIT_RANGES:
                self.out.add(
                    doc,
                    ("units", i, "id"),
                    "R-DUPLICATE-ID",
                    f"unit {quote(unit.id)} is a built-in unit: declare it under another id",
                )
                continue
            if not self.register(unit.id, doc, ("units", i, "id"), seen, "unit"):
                continue
            ranges[unit.id] = (unit.min, unit.max)
            if unit.min is not None and unit.max is not None and unit.min > unit.max:
                self.out.add(
                    doc,
                    ("units", i, "max"),
                    "R-UNIT-RANGE",
                    f"unit {quote(unit.id)} has max {unit.max:g} below its min {unit.min:g}",
                )
                ranges[unit.id] = (None, None)  # its values are not all reported again
        self.ranges = ranges

    def kpis(self, parsed: Parsed) -> None:
        self.units(parsed)
        for i, kpi in enumerate(parsed.model.kpis):
            self.register(kpi.id, parsed.doc, ("kpis", i, "id"))
            if kpi.unit not in self.ranges and not self.unreadable(kpi.unit):
                self.out.add(
                    parsed.doc,
                    ("kpis", i, "unit"),
                    "R-REFERENCE",
                    f"unit {kpi.unit!r} does not exist{did_you_mean(kpi.unit, self.ranges)}",
                )
            if kpi.goal not in self.goal_ids:
                self.out.add(
                    parsed.doc,
                    ("kpis", i, "goal"),
                    "R-REFERENCE",
                    f"goal {kpi.goal!r} does not exist{did_you_mean(kpi.goal, self.goal_ids)}",
                )
            elif not (
                kpi.id.startswith(f"KPI-{kpi.goal}") and is_number(kpi.id[4 + len(kpi.goal) :])
            ):
                self.out.add(
                    parsed.doc,
                    ("kpis", i, "id"),
                    "R-ID-PARENT",
                    f"KPI {kpi.id!r} belongs to goal {kpi.goal!r}: its id must be "
                    f"KPI-{kpi.goal}<number>",
                )
            for j, code in enumerate(kpi.available_for):
                self.country(code, parsed.doc, ("kpis", i, "available_for", j))
            for j, target in enumerate(kpi.targets):
                if target.country is not None:
                    self.country(target.country, parsed.doc, ("kpis", i, "targets", j, "country"))
                self.target(parsed.doc, ("kpis", i, "targets", j), kpi, target.year, target.value)
            if kpi.discontinued is not None:
                self.year(
                    parsed.doc,
                    ("kpis", i, "discontinued", "last_data_year"),
                    kpi.discontinued.last_data_year,
                    "last data year",
                )

    def target(self, doc: Document, path: PathKey, kpi: Kpi, year: int, value: float) -> None:
        """A target the progress methods can measure against: set for a year after the base
        year (growth is measured from the baseline) and not below zero (growth rates of a
        negative value are not real numbers), within the unit's range."""
        if not self.year(doc, (*path, "year"), year, "target year"):
            pass
        elif self.meta is not None and year <= self.meta.base_year:
            self.out.add(
                doc,
                (*path, "year"),
                "R-TARGET",
                f"{kpi.id} target for {year} is not after the base year "
                f"{self.meta.base_year}: progress towards it cannot be measured",
            )
        low, high = self.ranges.get(kpi.unit, (None, None))  # an unknown unit is reported
        if (low is not None and value < low) or (high is not None and value > high):
            self.out.add(
                doc,
                (*path, "value"),
                "R-TARGET",
                f"{kpi.id} target {value:g} is outside the range of {kpi.unit} "
                f"({bounds(low, high)})",
            )
        elif value < 0:
            self.out.add(
                doc,
                (*path, "value"),
                "R-TARGET",
                f"{kpi.id} target {value:g} is negative: growth towards it cannot be measured",
            )

    def readings(self) -> None:
        """Readings name known KPIs, are unique per KPI, country and year, fit their unit."""
        kpis = {k.id: k for p in self.files["kpis"] for k in p.model.kpis}
        seen: dict[tuple[str, str, int], tuple[Document, int, int]] = {}
        series: dict[tuple[str, str], list[Point]] = {}  # for the jump rule
        out = self.out
        year_over = (self.as_of.month, self.as_of.day) == (12, 31)
        quiet_until = self.as_of.year if year_over else self.as_of.year - 1
        for parsed in self.files["readings"]:
            doc, kpi_id = parsed.doc, parsed.model.kpi
            if isinstance(doc, Salvaged):  # a country's only readings may have been cut
                self.partial_kpis.add(kpi_id)
            if kpi_id not in kpis and (kpi_id in self.unread or "kpis" in self.out.unnamed):
                continue
            if kpi_id not in kpis:
                out.add(
                    doc,
                    ("kpi",),
                    "R-REFERENCE",
                    f"KPI {kpi_id!r} does not exist{did_you_mean(kpi_id, kpis)}",
                )
                continue
            unit, available = kpis[kpi_id].unit, frozenset(kpis[kpi_id].available_for)
            low, high = self.ranges.get(unit, (None, None))  # an unknown unit is reported
            low = float("-inf") if low is None else low
            high = float("inf") if high is None else high
            for ri, release in enumerate(parsed.model.releases):
                if release.vintage is not None and release.vintage > self.as_of:
                    out.add(
                        doc,
                        ("releases", ri, "vintage"),
                        "R-VINTAGE-FUTURE",
                        f"vintage {release.vintage} is after the as-of date {self.as_of}",
                    )
                vintage_year = release.vintage.year if release.vintage is not None else None
                quiet = min(quiet_until, vintage_year or quiet_until)  # no year rule to say
                for i, (code, year, value) in enumerate(release.readings):
                    if not YEAR_MIN <= year <= quiet and not self.reading_year(
                        doc, (ri, i), kpi_id, code, year, vintage_year
                    ):
                        continue
                    first = seen.setdefault((kpi_id, code, year), (doc, ri, i))
                    if first[1] == ri and first[2] == i and first[0] is doc:
                        series.setdefault((kpi_id, code), []).append((year, value, doc, ri, i))
                    else:
                        self.pointers.append(
                            (
                                doc,
                                ("releases", ri, "readings", i),
                                "R-READING-DUPLICATE",
                                f"a second {kpi_id} reading for {code} {year} (first at ",
                                ")",
                                first[0],
                                ("releases", first[1], "readings", first[2]),
                            )
                        )
                    if not low <= value <= high:
                        out.add(
                            doc,
                            ("releases", ri, "readings", i, 2),
                            "R-READING-RANGE",
                            f"{value:g} is outside the range of {unit} "
                            f"({bounds(*self.ranges[unit])})",
                        )
                    if code not in available:
                        self.country(code, doc, ("releases", ri, "readings", i, 0))
                        out.add(
                            doc,
                            ("releases", ri, "readings", i, 0),
                            "R-READING-AVAILABILITY",
                            f"{kpi_id} is not declared available for {code}",
                        )
        self.jumps(series)
        self.coverage(kpis, set(series))

    def reading_year(
        self,
        doc: Document,
        where: tuple[int, int],
        kpi_id: str,
        code: str,
        year: int,
        vintage_year: int | None,
    ) -> bool:
        """A reading's year from 1900 to the as-of year (False, reported, if not); a warning
        for the as-of year itself (not over on the as-of date) or one after the vintage's."""
        path = ("releases", where[0], "readings", where[1], 1)
        as_of = self.as_of
        if not YEAR_MIN <= year <= as_of.year:
            self.out.add(
                doc,
                path,
                "R-READING-YEAR",
                f"{kpi_id} reading for {code} {year}: a reading's year is "
                f"{YEAR_MIN}-{as_of.year} (the as-of year)",
            )
            return False
        if vintage_year is not None and year > vintage_year:
            self.out.add(
                doc,
                path,
                "R-READING-FUTURE",
                f"{kpi_id} reading for {code} {year} is in a release of "
                f"{vintage_year}: from after its vintage?",
            )
        elif year == as_of.year and (as_of.month, as_of.day) != (12, 31):
            self.out.add(
                doc,
                path,
                "R-READING-FUTURE",
                f"{kpi_id} reading for {code} {year}: that year is not over on the "
                f"as-of date {as_of}",
            )
        return True

    def jumps(self, series: dict[tuple[str, str], list[Point]]) -> None:
        """Flag an order-of-magnitude step in a series that otherwise moves smoothly."""
        for (kpi, country), points in series.items():
            points.sort(key=lambda p: p[0])
            steps = [
                (math.log(b[1]) - math.log(a[1]), a, b)  # no underflow to log(0)
                for a, b in zip(points, points[1:], strict=False)
                if a[1] > 0 and b[1] > 0
            ]
            if len(steps) < 3:
                continue
            typical = sorted(abs(r) for r, _, _ in steps)[len(steps) // 2]
            for log_ratio, before, after in steps:
                if abs(log_ratio) >= math.log(10) and typical < math.log(2):
                    self.out.add(
                        after[2],
                        ("releases", after[3], "readings", after[4], 2),
                        "R-READING-JUMP",
                        f"{kpi} {country}: {after[1]:g} in {after[0]} after "
                        f"{before[1]:g} in {before[0]} (x{after[1] / before[1]:.3g}); "
                        "a unit or typing error?",
                    )

    def coverage(self, kpis: dict[str, Kpi], have: set[tuple[str, str]]) -> None:
        """A KPI with data for some declared countries but none for others."""
        for parsed in self.files["kpis"]:
            for i, kpi in enumerate(parsed.model.kpis):
                with_data = {c for k, c in have if k == kpi.id}
                if not with_data or kpi.id in self.partial_kpis:
                    continue
                for j, code in enumerate(kpi.available_for):
                    if code not in with_data:
                        self.out.add(
                            parsed.doc,
                            ("kpis", i, "available_for", j),
                            "R-COVERAGE",
                            f"{kpi.id} is declared available for {code}, which has "
                            f"no readings (other countries have)",
                        )
