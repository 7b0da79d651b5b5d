"""Benchmarks of sapsmed, run as a user runs it (whole processes, wall time, peak memory).

    python bench/run.py            # all figures, as in docs/performance.md
    python bench/run.py --runs 5   # fewer repetitions

1. `sapsmed status --goal B` on the shipped plan against `python -c "import typer, rich,
   pydantic, yaml"` (the libraries' own import cost) and against a do-nothing Typer command
   with one option (what Typer itself costs at run time).
2. `sapsmed validate` on generated plans of 2,000 action lines and 10,000 / 100,000 readings:
   wall time and peak memory (max RSS of the child), and the ratio of the two times.
3. Progress monitoring and reports on the large plan: `lines`, `scorecard` and `report` (warm:
   the validated plan is in the cache) and `update` (which validates the whole
   plan with the change); `kpi import` of the real World Bank files into the shipped plan.
4. Hostile shapes (`python bench/run.py --shapes` runs only these): `validate` of 1,000 /
   2,000 / 4,000 duplicate readings, of the shipped KPI-A1 release pasted 2 / 4 times, and
   of 10,000 / 20,000 / 40,000 one-row releases against the same readings in one release.
   Time should grow linearly with each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate, shape  # noqa: E402

# As users run it: with Python's bytecode cache. (Set, PYTHONDONTWRITEBYTECODE makes every run
# compile sapsmed's modules from source, which costs an editable install 10-20 ms a command.)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
SAPSMED = shutil.which("sapsmed") or "sapsmed"
TYPER_FLOOR = """
import typer
app = typer.Typer()
@app.command()
def status(goal: str = typer.Option(None)) -> None:
    print(goal)
app()
"""


def timed(cmd: list[str], runs: int, cwd: Path | None = None) -> float:
    """Median wall seconds over ``runs`` runs of a whole process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    return statistics.median(times)


def interleaved(cmds: list[list[str]], runs: int, cwd: Path) -> list[float]:
    """Median wall seconds of each command, run in turn so drift hits them all alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            times[i].append(timed(cmd, 1, cwd))
    return [statistics.median(t) for t in times]


def peak_of(cmd: list[str]) -> float:
    """Peak RSS (MiB) of one run, measured by GNU time when present (per process)."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if not os.path.exists(gnu_time):
        return float("nan")
    done = subprocess.run(
        [gnu_time, "-f", "%M", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--shapes", action="store_true", help="only the hostile shapes")
    args = parser.parse_args()
    py = sys.executable
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    if args.shapes:
        with tempfile.TemporaryDirectory() as tmp:
            shapes_bench(Path(tmp), max(3, args.runs // 3))
        return
    with tempfile.TemporaryDirectory() as tmp:
        away = Path(tmp)  # no plan/ above it: the shipped plan is used
        floor_file = away / "floor.py"
        floor_file.write_text(TYPER_FLOOR)
        timed([SAPSMED, "status", "--goal", "B"], 1, away)  # the cached plan, as after any use
        base, floor, status = interleaved(
            [
                [py, "-c", "import typer, rich, pydantic, yaml"],
                [py, str(floor_file), "--goal", "B"],
                [SAPSMED, "status", "--goal", "B"],
            ],
            args.runs,
            away,
        )
        print(f"import typer, rich, pydantic, yaml     {base * 1000:7.0f} ms  1.00x")
        print(f"do-nothing Typer command, one option   {floor * 1000:7.0f} ms  {floor / base:.2f}x")
        print(
            f"sapsmed status --goal B (shipped plan) {status * 1000:7.0f} ms  {status / base:.2f}x"
        )
        results = {}
        for readings in (10_000, 100_000):
            plan = away / f"plan-{readings}"
            generate(plan, 2000, readings)
            runs = max(3, args.runs // 3)
            wall = timed([SAPSMED, "--plan", str(plan), "validate"], runs, away)
            peak = peak_of([SAPSMED, "--plan", str(plan), "validate"])
            results[readings] = wall
            print(
                f"validate 2,000 lines + {readings:>7,} readings  {wall:6.2f} s  "
                f"peak {peak:5.0f} MiB"
            )
        print(
            f"time at 100,000 / time at 10,000 readings: {results[100_000] / results[10_000]:.1f}x"
        )
        big = away / "plan-100000"
        on_big = [SAPSMED, "--plan", str(big)]
        runs = max(3, args.runs // 3)
        timed([*on_big, "status"], 1, away)  # caches the validated plan
        day = ["--as-of", "2026-11-28"]
        for label, cmd in [
            (
                "lines --flag overdue (large plan)",
                [*on_big, "lines", "--flag", "overdue", "--as-of", "2021-01-01"],
            ),
            ("scorecard --by country (large plan)", [*on_big, "scorecard", "--by", "country"]),
            ("report, whole plan (large plan)", [*on_big, "report", "--as-of", "2026-11-28"]),
            ("report, whole plan (shipped plan)", [SAPSMED, "report", "--as-of", "2026-11-28"]),
            ("grid, national lines (large plan)", [*on_big, "grid", "--as-of", "2026-11-28"]),
            ("site, 38 pages (shipped plan)", [SAPSMED, "site", "-o", "shipped-site", *day]),
        ]:
            print(f"{label:<38} {timed(cmd, runs, away) * 1000:7.0f} ms")
        website = timed([*on_big, "site", "-o", "large-site", *day], runs, away)
        pages = sorted((away / "large-site").rglob("*.html"), key=lambda p: p.stat().st_size)
        print(
            f"{f'site, {len(pages):,} pages (large plan)':<38} {website:7.2f} s  "
            f"largest page {pages[-1].stat().st_size / 2**20:.2f} MiB"
        )
        listed = subprocess.run(
            [*on_big, "lines", "--level", "regional", "--status", "not_started", "--json"],
            capture_output=True,
            text=True,
        )
        line_id = json.loads(listed.stdout)[0]["id"]
        update = timed(
            [
                *on_big,
                "update",
                line_id,
                "--status",
                "ongoing",
                "--date",
                "2019-01-01",
                "--note",
                "bench",
            ],
            runs,
            away,
        )
        print(f"{'update (large plan, validates it all)':<38} {update:7.2f} s")
        line_set = timed(
            [*on_big, "line", "set", line_id, "title=Benchmarked title", "--dry-run"], runs, away
        )
        print(f"{'line set --dry-run (large plan)':<38} {line_set:7.2f} s")
        shipped = away / "shipped" / "plan"
        shutil.copytree(HERE.parent / "plan", shipped)
        files = [str(p) for p in sorted((HERE.parent / "data" / "wdi").rglob("API_*.csv"))]
        if files:
            again = timed([SAPSMED, "--plan", str(shipped), "kpi", "import", *files], runs, away)
            print(
                f"{'kpi import, 8 World Bank files':<38} {again * 1000:7.0f} ms  "
                "(all 1,475 values already stored)"
            )
        back = HERE.parent / "data" / "examples" / "returns" / "KHM-2020.csv"
        returned = timed(
            [*[SAPSMED, "--plan", str(shipped)], "returns", "import", str(back), "--dry-run"]
            + ["--as-of", "2021-01-15"],
            runs,
            away,
        )
        print(f"{'returns import --dry-run, one return':<38} {returned * 1000:7.0f} ms")
        history_bench(away / "history", runs)
        shapes_bench(away / "shapes", runs)


def validate_time(plan: Path, runs: int, cwd: Path) -> float:
    """Median wall seconds of `validate` (which exits 1 on a plan with errors)."""
    times = []
    cmd = [SAPSMED, "--plan", str(plan), "validate", "--as-of", "2026-11-28"]
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    return statistics.median(times)


def shapes_bench(folder: Path, runs: int) -> None:
    """Hostile shapes of one readings file: each must take time linear in its size."""
    folder.mkdir(parents=True, exist_ok=True)
    measured: dict[tuple[str, int], float] = {}
    for kind, sizes in [
        ("duplicates", (1000, 2000, 4000)),
        ("pasted", (1, 2, 4)),
        ("one-release", (10_000, 20_000, 40_000)),
        ("one-row-releases", (10_000, 20_000, 40_000)),
    ]:
        for size in sizes:
            plan = folder / f"{kind}-{size}"
            shape(plan, kind, size)
            measured[kind, size] = wall = validate_time(plan, runs, folder)
            label = f"validate, {kind} x {size:,}"
            print(f"{label:<38} {wall * 1000:7.0f} ms")
    duplicates = measured["duplicates", 4000] / measured["duplicates", 1000]
    releases = measured["one-row-releases", 40_000] / measured["one-release", 40_000]
    print(
        f"4,000 duplicates / 1,000: {duplicates:.1f}x; 40,000 one-row releases / the same "
        f"readings in one release: {releases:.1f}x"
    )


def history_bench(repo: Path, runs: int) -> None:
    """A plan repository with 20 commits of progress: `diff` across them and `history`."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@example.org",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@example.org",
    }
    shutil.copytree(HERE.parent / "plan", repo / "plan")
    for args in (["init", "-q", "-b", "main"], ["add", "plan"], ["commit", "-qm", "plan"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    for i in range(20):
        subprocess.run(
            [
                SAPSMED,
                "update",
                "B-2-1.3",
                "--status",
                "ongoing",
                "--progress",
                str(5 * i),
                "--date",
                f"2018-{1 + i // 2:02d}-{1 + 10 * (i % 2):02d}",
            ],
            cwd=repo,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(["git", "commit", "-qam", f"progress {i}"], cwd=repo, env=env, check=True)
    diff = timed([SAPSMED, "diff", "HEAD~20", "HEAD"], runs, repo)
    print(f"{'diff across 20 commits (shipped plan)':<38} {diff * 1000:7.0f} ms")
    story = timed([SAPSMED, "history", "B-2-1.3"], max(3, runs // 3), repo)
    print(f"{'history of a line over 21 commits':<38} {story:7.2f} s")


if __name__ == "__main__":
    main()
