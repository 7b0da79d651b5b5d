"""Write a large, valid plan for benchmarks: `python bench/generate.py OUT --lines 2000
--readings 100000`. Plan metadata and member states are the shipped SAP SMED's; goals,
action lines, KPIs and readings are synthetic (10 countries, deterministic)."""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]
CHAMPIONS = {"A": ["THA", "VNM"], "B": ["MYS", "LAO"], "C": ["SGP", "THA"],
             "D": ["KHM", "IDN"], "E": ["BRN", "PHL", "MMR"]}
STATUSES = ["not_started", "ongoing", "completed", "on_hold", "cancelled"]
OUTCOMES, ACTIONS = 4, 5  # per goal, per outcome


def goal_file(goal: str, lines: int, rng: random.Random) -> str:
    per_action = max(1, lines // (OUTCOMES * ACTIONS))
    out = ["# yaml-language-server: $schema=../../schemas/goal.schema.json",
           f"id: {goal}", f"title: Synthetic goal {goal}",
           f"champions: [{', '.join(CHAMPIONS[goal])}]", "outcomes:"]
    made: list[str] = []
    dues: dict[str, int] = {}
    for o in range(1, OUTCOMES + 1):
        out += [f"  - id: {goal}-{o}", f"    title: Outcome {goal}-{o}", "    actions:"]
        for a in range(1, ACTIONS + 1):
            out += [f"      - id: {goal}-{o}-{a}", f"        title: Action {goal}-{o}-{a}",
                    "        lines:"]
            for n in range(1, per_action + 1):
                if len(made) >= lines:
                    break
                line_id = f"{goal}-{o}-{a}.{n}"
                due = rng.randint(2016, 2025)
                earlier = [m for m in made if dues[m] <= due]
                deps = rng.sample(earlier, 1) if earlier and rng.random() < 0.3 else []
                level = rng.choice(["regional", "national"])
                status = rng.choice(STATUSES)
                out += [f"          - id: {line_id}",
                        f"            title: Synthetic action line {line_id}",
                        f"            timeframe: By {due}", f"            due_year: {due}",
                        f"            lead: [{rng.choice(CHAMPIONS[goal])}]",
                        f"            level: {level}",
                        f"            themes: [{rng.choice(['incentives', 'micro-enterprises'])}]",
                        f"            dependencies: [{', '.join(deps)}]",
                        f"            planned_start: {due - 2}-01-01",
                        f"            budget: {{currency: USD, planned: 10000, "
                        f"spent: {rng.randint(0, 12000)}}}"]
                if status in ("ongoing", "completed"):
                    out.append("            updates:")
                    for country in (COUNTRIES if level == "national" else [None]):
                        where = f", country: {country}" if country else ""
                        out.append(f"              - {{date: {max(due - 1, 2016)}-06-30, "
                                   f"status: {status}, "
                                   f"percent: {100 if status == 'completed' else 40}{where}}}")
                elif status != "not_started":
                    out.append(f"            status: {status}")
                made.append(line_id)
                dues[line_id] = due
    return "\n".join(out) + "\n"


def kpis_file() -> str:
    out = ["# yaml-language-server: $schema=../schemas/kpis.schema.json", "kpis:"]
    for goal in CHAMPIONS:
        for n in (1, 2):
            out += [f"  - id: KPI-{goal}{n}", f"    goal: {goal}", f"    name: KPI {goal}{n}",
                    "    unit: percent", "    direction: higher_is_better",
                    "    source: synthetic", f"    available_for: [{', '.join(COUNTRIES)}]"]
    return "\n".join(out) + "\n"


def readings_file(kpi: str, count: int, rng: random.Random) -> str:
    out = ["# yaml-language-server: $schema=../../schemas/readings.schema.json",
           f"kpi: {kpi}", "releases:", "  - source: synthetic benchmark data",
           "    vintage: 2026-07-01", "    readings:"]
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
    (target / "kpis.yaml").write_text(kpis_file())
    goals = list(CHAMPIONS)
    for i, goal in enumerate(goals):
        share = lines // len(goals) + (1 if i < lines % len(goals) else 0)
        (target / "goals" / f"{goal}.yaml").write_text(goal_file(goal, share, rng))
    kpis = [f"KPI-{g}{n}" for g in goals for n in (1, 2)]
    for i, kpi in enumerate(kpis):
        share = readings // len(kpis) + (1 if i < readings % len(kpis) else 0)
        (target / "readings" / f"{kpi}.yaml").write_text(readings_file(kpi, share, rng))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--readings", type=int, default=100_000)
    args = parser.parse_args()
    generate(args.out, args.lines, args.readings)


if __name__ == "__main__":
    main()
