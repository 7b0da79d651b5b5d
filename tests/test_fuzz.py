"""Fuzz the CLI: generated arguments and generated damage to a fixture plan's files.

Whatever the input, a read command exits 0, 1 or 2, never with an internal error (or an
exception: the runner does not catch them), and prints a bounded amount.

Profiles: "ci" (the default: 200 examples, derandomized, so CI runs are repeatable) and
"long" (random, many more examples), chosen by the environment:

    HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import PLAN, ROOT, Cli

SMALL = ROOT / "tests" / "fixtures" / "small-plan"
settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZ = settings(settings.get_profile(PROFILE))
# The frozen plan is 14 files and ~1,300 readings: fewer examples keep the suite quick.
FUZZ_FROZEN = settings(FUZZ, max_examples=max(20, FUZZ.max_examples // 5))

# Text that YAML, the schema or a terminal may take badly.
NASTY = [
    "\x00",
    "\x1b[31m",
    "\x1b]8;;x\x07",
    "\u2028",
    "\u2029",
    "\u0085",
    "\ufeff",
    "\t",
    "\r",
    "\x7f",
    "\u202e",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!python/x ",
    "!x ",
    "'",
    '"',
    "#",
    "|",
    ">",
    "<<<<<<< ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "? ",
    "9" * 30,
    "1e309",
    "-1",
    "0",
    "99999",
    "-5",
    ".nan",
    ".inf",
    "0x7fffffffffffffff",
    "2016-02-30",
    "yes",
    "~",
    "null",
    "\n  ",
    "\n    - ",
    "é",
    "😀",
    "x" * 300,
]
text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.lists(st.sampled_from(NASTY), max_size=4).map("".join),
)
raw_bytes = st.one_of(text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=8))

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10**6)),
    st.tuples(st.just("duplicate"), st.integers(0, 10**6), st.integers(1, 50)),
    st.tuples(st.just("replace"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("insert"), st.integers(0, 10**7), raw_bytes),
    st.tuples(st.just("truncate"), st.integers(0, 10**7)),
    st.tuples(
        st.just("number"),
        st.integers(0, 10**6),
        st.sampled_from(
            [
                b"0",
                b"-1",
                b"99999",
                b"10000000",
                b"1e309",
                b"-1e309",
                b"9" * 25,
                b"1899",
                b"2201",
                b"2016",
                b"1.5",
                b".nan",
            ]
        ),
    ),
)


def mutate(data: bytes, change: tuple[Any, ...]) -> bytes:
    """One change to a file's bytes; positions wrap around the file's length."""
    lines = data.split(b"\n")
    kind, where = change[0], change[1]
    i = where % len(lines)
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines[i:i] = [lines[i]] * change[2]
    elif kind == "replace":
        lines[i] = lines[change[2] % len(lines)]
    elif kind == "insert":
        at = where % (len(data) + 1)
        inserted: bytes = change[2]
        return data[:at] + inserted + data[at:]
    elif kind == "truncate":
        return data[: where % (len(data) + 1)]
    elif kind == "number":
        digits = [j for j, line in enumerate(lines) if any(c in b"0123456789" for c in line)]
        if digits:
            j = digits[where % len(digits)]
            line = lines[j]
            start = next(k for k, c in enumerate(line) if c in b"0123456789")
            end = start
            while end < len(line) and line[end] in b"0123456789.":
                end += 1
            lines[j] = line[:start] + change[2] + line[end:]
    return b"\n".join(lines)


ids = st.sampled_from(
    [
        "A",
        "B",
        "A-1",
        "A-1-1",
        "A-1-1.1",
        "A-1-1.2",
        "B-2-1.3",
        "KPI-A1",
        "KPI-D1",
        "MYS",
        "THA",
        "micro",
        "incentives",
        "a",
        "kpi-a1",
        "",
    ]
)
dates = st.one_of(
    st.sampled_from(
        [
            "2026-11-28",
            "2016-01-01",
            "1900-01-01",
            "9999-12-31",
            "0001-01-01",
            "2020-02-29",
            "2021-02-29",
            "today",
            "",
            "2026-13-01",
            "99999-01-01",
        ]
    ),
    st.dates().map(str),
    text,
)
words = st.one_of(ids, text)
dated: st.SearchStrategy[list[str]] = st.one_of(st.just([]), dates.map(lambda d: ["--as-of", d]))
json_flag = st.sampled_from([[], ["--json"]])


def command() -> st.SearchStrategy[list[str]]:
    """A read command with generated arguments (some of them invalid on purpose)."""
    return st.one_of(
        st.tuples(
            st.just(["validate"]),
            dated,
            st.sampled_from(
                [[], ["--format", "json"], ["--format", "github"], ["--format", "xml"]]
            ),
        ),
        st.tuples(
            st.just(["status"]),
            dated,
            json_flag,
            st.sampled_from([[], ["--goal"], ["--country"]]).flatmap(
                lambda o: st.just(o) if not o else words.map(lambda w: [*o, w])
            ),
        ),
        st.tuples(st.just(["show"]), words.map(lambda w: [w]), dated, json_flag),
        st.tuples(
            st.just(["lines"]),
            dated,
            st.sampled_from([[], ["--json"], ["--csv"]]),
            st.one_of(
                st.just([]),
                st.tuples(
                    st.sampled_from(
                        [
                            "--goal",
                            "--lead",
                            "--theme",
                            "--due",
                            "--phase",
                            "--status",
                            "--flag",
                            "--sort",
                            "--level",
                            "--measure",
                            "--pathway",
                            "--outcome",
                            "--action",
                        ]
                    ),
                    st.one_of(
                        words,
                        st.sampled_from(
                            [
                                "2016-2020",
                                "2020",
                                "2020-2016",
                                "99999999999999",
                                "-5",
                                "overdue",
                                "ongoing",
                                "due",
                            ]
                        ),
                    ),
                ).map(list),
            ),
        ),
        st.tuples(
            st.just(["scorecard"]),
            dated,
            json_flag,
            st.sampled_from(
                [
                    [],
                    ["--by", "country"],
                    ["--by", "phase"],
                    ["--by", "theme"],
                    ["--by", "measure"],
                    ["--by", "x"],
                ]
            ),
        ),
        st.tuples(
            st.just(["grid"]),
            dated,
            st.sampled_from([[], ["--json"], ["--csv"]]),
            st.one_of(st.just([]), words.map(lambda w: ["--goal", w])),
        ),
        st.tuples(st.just(["kpi", "list"]), json_flag),
        st.tuples(
            st.just(["kpi", "show"]),
            words.map(lambda w: [w]),
            json_flag,
            st.one_of(st.just([]), words.map(lambda w: ["--country", w])),
        ),
        st.tuples(st.just(["kpi", "coverage"]), dated, json_flag),
        st.tuples(
            st.just(["report"]),
            dated,
            st.sampled_from(
                [[], ["--mid-term"], ["--goal", "A"], ["--country", "MYS"], ["--goal", "Z"]]
            ),
        ),
        st.tuples(
            st.just(["export"]),
            dated,
            st.sampled_from([[], ["--format", "csv"], ["--format", "csv", "--table", "readings"]]),
        ),
    ).map(lambda parts: [arg for part in parts for arg in part])


# What must never reach a terminal raw: C0 controls but tab and newline, DEL, C1, bidi.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_output_is_clean(result: Any, input_size: int) -> None:
    """What every run must show, whatever it was given."""
    output = result.output
    assert result.exit_code in (0, 1, 2), (result.exit_code, output[-2000:])
    assert "internal error" not in output, output[-2000:]
    assert "Traceback" not in output, output[-2000:]
    assert len(output) <= 200_000 + 20 * input_size, len(output)
    raw = RAW_CONTROL.search(result.stdout)
    assert raw is None, (raw, result.stdout[max(0, raw.start() - 80) : raw.end() + 80])


def run_on(source: Path, changes: dict[str, list[tuple[Any, ...]]], args: list[str]) -> None:
    cli = Cli()
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan"
        shutil.copytree(source, plan)
        for name, file_changes in changes.items():
            data = (plan / name).read_bytes()
            for change in file_changes:
                data = mutate(data, change)
            (plan / name).write_bytes(data)
        size = sum(p.stat().st_size for p in plan.rglob("*.yaml"))
        result = cli("--plan", str(plan), *args, env={"SAPSMED_NO_CACHE": "1"})
        if os.environ.get("SAPSMED_FUZZ_LOG"):
            with open(os.environ["SAPSMED_FUZZ_LOG"], "a") as log:
                log.write(f"{result.exit_code} {args[:2]} {result.output[:120]!r}\n")
        assert_output_is_clean(result, size)


def file_changes(files: list[str]) -> st.SearchStrategy[dict[str, list[tuple[Any, ...]]]]:
    return st.dictionaries(
        st.sampled_from(files), st.lists(mutation, min_size=1, max_size=4), min_size=0, max_size=2
    )


def plan_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))


@FUZZ
@given(changes=file_changes(plan_files(SMALL)), args=command())
def test_damaged_small_plan_never_crashes_a_command(
    changes: dict[str, list[tuple[Any, ...]]], args: list[str]
) -> None:
    run_on(SMALL, changes, args)


@FUZZ_FROZEN
@given(changes=file_changes(plan_files(PLAN)), args=command())
def test_damaged_frozen_plan_never_crashes_a_command(
    changes: dict[str, list[tuple[Any, ...]]], args: list[str]
) -> None:
    run_on(PLAN, changes, args)
