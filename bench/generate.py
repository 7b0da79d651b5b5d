"""Write a large, valid plan for benchmarks: `python bench/generate.py OUT --lines 2000
--readings 100000`. Plan metadata and member states are the shipped SAP SMED's; goals,
action lines, KPIs and readings are synthetic (10 countries, deterministic). Readings span
at most 100 years per country (1926-2025), so a large plan has more KPIs (2 per goal, or
as many as 100 years per country need).

The hostile shapes (:func:`shape`) lay one readings file over a generated plan: duplicate
readings, a real release pasted several times, many one-row releases."""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
import string
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]
CHAMPIONS = {
    "A": ["THA", "VNM"],
    "B": ["MYS", "LAO"],
    "C": ["SGP", "THA"],
    "D": ["KHM", "IDN"],
    "E": ["BRN", "PHL", "MMR"],
}
STATUSES = ["not_started", "ongoing", "completed", "on_hold", "cancelled"]
OUTCOMES, ACTIONS = 4, 5  # per goal, per outcome
YEARS = 100  # at most this many years per country and KPI: 1926-2025


def goal_file(goal: str, lines: int, rng: random.Random) -> str:
    per_action = max(1, lines // (OUTCOMES * ACTIONS))
    out = [
        "# yaml-language-server: $schema=../../schemas/goal.schema.json",
        f"id: {goal}",
        f"title: Synthetic goal {goal}",
        f"champions: [{', '.join(CHAMPIONS[goal])}]",
        "outcomes:",
    ]
    made: list[str] = []
    dues: dict[str, int] = {}
    for o in range(1, OUTCOMES + 1):
        out += [f"  - id: {goal}-{o}", f"    title: Outcome {goal}-{o}", "    actions:"]
        for a in range(1, ACTIONS + 1):
            out += [
                f"      - id: {goal}-{o}-{a}",
                f"        title: Action {goal}-{o}-{a}",
                "        lines:",
            ]
            for n in range(1, per_action + 1):
                if len(made) >= lines:
                    break
                line_id = f"{goal}-{o}-{a}.{n}"
                due = rng.randint(2016, 2025)
                earlier = [m for m in made if dues[m] <= due]
                deps = rng.sample(earlier, 1) if earlier and rng.random() < 0.3 else []
                level = rng.choice(["regional", "national"])
                status = rng.choice(STATUSES)
                out += [
                    f"          - id: {line_id}",
                    f"            title: Synthetic action line {line_id}",
                    f"            timeframe: By {due}",
                    f"            due_year: {due}",
                    f"            lead: [{rng.choice(CHAMPIONS[goal])}]",
                    f"            level: {level}",
                    f"            themes: [{rng.choice(['incentives', 'micro-enterprises'])}]",
                    f"            dependencies: [{', '.join(deps)}]",
                    f"            planned_start: {due - 2}-01-01",
                    f"            budget: {{currency: USD, planned: 10000, "
                    f"spent: {rng.randint(0, 12000)}}}",
                ]
                if status in ("ongoing", "completed"):
                    out.append("            updates:")
                    for country in COUNTRIES if level == "national" else [None]:
                        where = f", country: {country}" if country else ""
                        out.append(
                            f"              - {{date: {max(due - 1, 2016)}-06-30, "
                            f"status: {status}, "
                            f"percent: {100 if status == 'completed' else 40}{where}}}"
                        )
                elif status != "not_started":
                    out.append(f"            status: {status}")
                made.append(line_id)
                dues[line_id] = due
    return "\n".join(out) + "\n"


def kpi_ids(readings: int) -> list[str]:
    per_goal = max(2, -(-readings // (len(COUNTRIES) * YEARS * len(CHAMPIONS))))
    return [f"KPI-{goal}{n}" for goal in CHAMPIONS for n in range(1, per_goal + 1)]


def kpis_file(kpis: list[str], available: dict[str, list[str]] | None = None) -> str:
    """kpis.yaml: each KPI available for the ten countries, or as ``available`` says."""
    out = ["# yaml-language-server: $schema=../schemas/kpis.schema.json", "kpis:"]
    for kpi in kpis:
        goal, countries = kpi[4], (available or {}).get(kpi, COUNTRIES)
        out += [
            f"  - id: {kpi}",
            f"    goal: {goal}",
            f"    name: KPI {kpi[4:]}",
            "    unit: percent",
            "    direction: higher_is_better",
            "    source: synthetic",
            f"    available_for: [{', '.join(countries)}]",
        ]
    return "\n".join(out) + "\n"


def readings_file(kpi: str, count: int, rng: random.Random) -> str:
    out = [
        "# yaml-language-server: $schema=../../schemas/readings.schema.json",
        f"kpi: {kpi}",
        "releases:",
        "  - source: synthetic benchmark data",
        "    vintage: 2026-07-01",
        "    readings:",
    ]
    years = -(-count // len(COUNTRIES))
    written = 0
    for country in COUNTRIES:
        value = rng.uniform(20, 80)
        for year in range(2025 - years + 1, 2026):
            if written == count:
                break
            value = min(95.0, max(5.0, value * rng.uniform(0.97, 1.03)))  # a smooth series
            out.append(f"      - [{country}, {year}, {value:.2f}]")
            written += 1
    return "\n".join(out) + "\n"


def generate(target: Path, lines: int, readings: int, seed: int = 2016) -> None:
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "goals").mkdir(parents=True)
    (target / "readings").mkdir()
    for name in ("plan.yaml", "countries.yaml"):
        shutil.copyfile(ROOT / "plan" / name, target / name)
    kpis = kpi_ids(readings)
    (target / "kpis.yaml").write_text(kpis_file(kpis))
    goals = list(CHAMPIONS)
    for i, goal in enumerate(goals):
        share = lines // len(goals) + (1 if i < lines % len(goals) else 0)
        (target / "goals" / f"{goal}.yaml").write_text(goal_file(goal, share, rng))
    for i, kpi in enumerate(kpis):
        share = readings // len(kpis) + (1 if i < readings % len(kpis) else 0)
        (target / "readings" / f"{kpi}.yaml").write_text(readings_file(kpi, share, rng))


def synthetic_countries(count: int) -> list[str]:
    """``count`` made-up ISO-like codes (QAA, QAB, ...) beyond the ten real ones."""
    codes = ("Q" + a + b for a, b in itertools.product(string.ascii_uppercase, repeat=2))
    return list(itertools.islice(codes, count))


def rows(countries: list[str], years: int = YEARS) -> list[str]:
    """One canonical reading row per country and year (distinct, smooth values)."""
    return [
        f"      - [{c}, {2025 - y}, {20 + (i % 50) + y / 10:.1f}]"
        for i, c in enumerate(countries)
        for y in range(years)
    ]


SHAPES = ("duplicates", "pasted", "one-release", "one-row-releases")


def shape(target: Path, kind: str, size: int) -> None:
    """A plan whose KPI-A1 readings file has one of the hostile shapes:

    - ``duplicates``: ``size`` distinct readings, then each of them again (``size``
      duplicates, every one reported);
    - ``pasted``: the shipped plan's KPI-A1 release pasted ``size`` times;
    - ``one-release`` / ``one-row-releases``: ``size`` distinct readings in one release, or
      each in a release of its own (the same readings: the times should be close).
    """
    generate(target, 200, 1000)
    if kind == "pasted":
        text = (ROOT / "plan" / "readings" / "KPI-A1.yaml").read_text()
        head, release = text.split("releases:\n", 1)
        (target / "readings" / "KPI-A1.yaml").write_text(head + "releases:\n" + release * size)
        return
    extra = synthetic_countries(-(-size // YEARS))
    (target / "countries.yaml").write_text(
        "member_states:\n"
        + "".join(f"  - {{id: {c}, name: Country {c}}}\n" for c in COUNTRIES + extra)
    )
    (target / "kpis.yaml").write_text(kpis_file(kpi_ids(1000), {"KPI-A1": extra}))
    body = rows(extra)[:size]
    head = "kpi: KPI-A1\nreleases:\n"
    release = "  - source: synthetic\n    vintage: 2025-12-31\n    readings:\n"
    if kind == "duplicates":
        text = head + release + "\n".join(body + body) + "\n"
    elif kind == "one-release":
        text = head + release + "\n".join(body) + "\n"
    elif kind == "one-row-releases":
        text = head + "".join(release + row + "\n" for row in body)
    else:
        raise ValueError(f"unknown shape {kind!r}; one of {', '.join(SHAPES)}")
    (target / "readings" / "KPI-A1.yaml").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--readings", type=int, default=100_000)
    parser.add_argument("--shape", choices=SHAPES, help="a hostile shape of KPI-A1's readings")
    parser.add_argument("--size", type=int, default=4000, help="the shape's size")
    args = parser.parse_args()
    if args.shape:
        shape(args.out, args.shape, args.size)
    else:
        generate(args.out, args.lines, args.readings)


if __name__ == "__main__":
    main()
