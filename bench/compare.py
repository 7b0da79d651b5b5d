"""Two installations of sapsmed compared on the same machine, their runs interleaved so that
the machine's drift falls on both alike (the figures of docs/performance.md, "before and after").

    python bench/compare.py OLD/.venv/bin/sapsmed NEW/.venv/bin/sapsmed --runs 15

Times `status --goal B` on the shipped plan and `validate` of the large generated plan
(bench/generate.py: 2,000 lines, 100,000 readings), each against the libraries' import time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

# As users run it: with Python's bytecode cache (see bench/run.py).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("old", help="the sapsmed executable of the first installation")
    parser.add_argument("new", help="the sapsmed executable of the second installation")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    old, new = (str(Path(shutil.which(e) or e).resolve()) for e in (args.old, args.new))
    with tempfile.TemporaryDirectory() as folder:
        large = Path(folder) / "large" / "plan"
        generate(large, lines=2000, readings=100_000)
        # plan.yaml's `region:` is newer than 32abe82 (issue "Any plan"); the old version
        # refuses it, and nothing reads it while validating: left out for both
        meta = large / "plan.yaml"
        kept = [ln for ln in meta.read_text().splitlines(True) if not ln.startswith("region:")]
        meta.write_text("".join(kept))
        away = Path(folder) / "elsewhere"  # no plan/ here: status reads the shipped plan
        away.mkdir()
        cmds = {
            "import typer, rich, pydantic, yaml": [
                sys.executable,
                "-c",
                "import typer, rich, pydantic, yaml",
            ]
        }
        for label, exe in (("old", old), ("new", new)):
            cmds[f"status --goal B ({label})"] = [exe, "status", "--goal", "B"]
        for label, exe in (("old", old), ("new", new)):
            cmds[f"validate, large plan ({label})"] = [exe, "--plan", str(large), "validate"]
        times: dict[str, list[float]] = {k: [] for k in cmds}
        for cmd in cmds.values():  # warm: bytecode and the validated-plan cache
            subprocess.run(cmd, capture_output=True, cwd=away)
        for _ in range(args.runs):
            for name, cmd in cmds.items():
                start = time.perf_counter()
                done = subprocess.run(cmd, capture_output=True, cwd=away)
                times[name].append(time.perf_counter() - start)
                if done.returncode != 0:
                    raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-300:]}")
    libs = statistics.median(times["import typer, rich, pydantic, yaml"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:40s} {median * 1000:6.0f} ms  {median / libs:.2f}x")


if __name__ == "__main__":
    main()
