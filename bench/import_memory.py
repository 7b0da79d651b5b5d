"""Peak memory and wall time of `kpi import` on a large WDI bulk CSV (streamed: memory flat).

    python bench/import_memory.py            # a ~100 MB file
    python bench/import_memory.py --mb 10    # a ~10 MB file, to compare

Generates, in a temp folder, a WDI bulk CSV of about the asked size (many countries with the
10 ASEAN member states among them, many series with IC.REG.DURS among them, 1960-2024), then
runs `sapsmed --plan <copy of tests/fixtures/frozen/plan> kpi import FILE --dry-run` once and
prints its wall time and peak RSS (getrusage RUSAGE_CHILDREN ru_maxrss) on one line.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLAN = HERE.parent / "tests" / "fixtures" / "frozen" / "plan"
SAPSMED = shutil.which("sapsmed") or "sapsmed"
ASEAN = ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"]
YEARS = list(range(1960, 2025))
# what cells look like in a real download: mostly empty, some values of a few digits
CELLS = [
    "",
    "",
    "",
    "12.5",
    "173",
    "0.482917364",
    "",
    "1873.2611",
    "56.89",
    "",
    "3.1",
    "24069.4813906",
    "",
    "99",
    "0.18",
]


def generate(path: Path, megabytes: float) -> int:
    """A WDI bulk CSV of about ``megabytes`` MB; returns its number of data rows."""
    countries = ASEAN + [f"X{a}{b}" for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJ"]
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(
            '"Data Source","World Development Indicators",\r\n\r\n'
            '"Last Updated Date","2026-07-01",\r\n\r\n'
        )
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=",\r\n")
        writer.writerow(
            ["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, YEARS)]
        )
        series = 0
        while out.tell() < megabytes * 1_000_000:
            code = "IC.REG.DURS" if series == 0 else f"SYN.GEN.{series:04d}.ZS"
            for n, country in enumerate(countries):
                if out.tell() >= megabytes * 1_000_000:
                    break
                cells = [CELLS[(n * 7 + series * 3 + i) % len(CELLS)] for i in range(len(YEARS))]
                if code == "IC.REG.DURS":
                    cells = [f"{10 + (n + i) % 50}" for i in range(len(YEARS))]
                writer.writerow([f"Country {country}", country, f"Series {code}", code, *cells])
                rows += 1
            series += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=100, help="size of the file (MB)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = folder / "plan"
        shutil.copytree(PLAN, plan)
        data = folder / "API_BENCH_DS2_en_csv_v2_1.csv"
        rows = generate(data, args.mb)
        cmd = [SAPSMED, "--plan", str(plan), "kpi", "import", str(data), "--dry-run"]
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-500:]}")
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
        size = data.stat().st_size / 1_000_000
        print(
            f"kpi import --dry-run of a {size:.0f} MB WDI bulk CSV ({rows:,} rows x "
            f"{len(YEARS)} years): {wall:.1f} s, peak RSS {peak_kib / 1024:.0f} MiB"
        )


if __name__ == "__main__":
    main()
