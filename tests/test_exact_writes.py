"""Every write is exact: each case seen in the issue, then properties over arbitrary text and
random sequences of updates, readings and corrections on real plan files."""

from __future__ import annotations

import bisect
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sapsmed.base.errors import SapsmedError
from sapsmed.validate.validation import validate
from sapsmed.write.importer import same
from sapsmed.write.readings import record
from sapsmed.write.updates import record_update
from sapsmed.yamlio import edit
from sapsmed.yamlio.edit import EditRefused
from sapsmed.yamlio.text import quote

from .conftest import ROOT, Cli

SMALL = ROOT / "tests" / "fixtures" / "small-plan"
ODD = [
    "a\u2028b\u2028c",
    "x\u2029y",
    "nel\x85end",
    "cr\rlone",
    "crlf\r\nend",
    "nul\x00byte",
    "esc\x1b[2J",
    "del\x7f",
    "c1\x9b",
    "bom\ufeffmid",
    "tab\tok",
    'quote"back\\slash',
    "  padded  ",
    "- [MYS, 2019, 99]",
    "key: value",
    "#hash",
    "'single'",
    "",
    "yes",
    "010",
    "2019-01-01",
    "null",
    "~",
    "\u202eevil",
    "emoji 😀",
    "&anchor *alias",
    "!tag",
    "|",
    ">",
]


def plan_at(root: Path):  # type: ignore[no-untyped-def]
    result = validate(root)
    assert result.ok, result.problems
    assert result.plan is not None
    return result.plan


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- text that YAML reads as line breaks or forbids --------------------------------------


@pytest.mark.parametrize("text", ODD)
def test_any_text_reads_back_as_itself(text: str) -> None:
    import yaml

    from sapsmed.yamlio.parse import load

    assert yaml.load(f"k: {quote(text)}\n", Loader=yaml.CSafeLoader) == {"k": text}
    assert load(Path("x.yaml"), f"k: {quote(text)}\n").data == {"k": text}


def test_a_line_separator_note_does_not_move_the_next_update(cli: Cli, plan_copy: Path) -> None:
    """The issue's first case: the second entry landed inside the title of action A-2-1."""
    first = cli(
        "update",
        "A-1-2.1",
        "--status",
        "ongoing",
        "--date",
        "2018-09-01",
        "--note",
        "a\u2028b\u2028c",
    )
    assert first.exit_code == 0, first.stderr
    second = cli(
        "update", "A-1-3.1", "--status", "ongoing", "--date", "2018-09-02", "--note", "SECOND"
    )
    assert second.exit_code == 0, second.stderr
    assert cli("validate").exit_code == 0
    plan = plan_at(plan_copy)
    assert [u["note"] for u in plan.lines["A-1-2.1"].line["updates"]] == ["a\u2028b\u2028c"]
    assert [u["note"] for u in plan.lines["A-1-3.1"].line["updates"]] == ["SECOND"]
    goal, frozen = plan.goal("A"), validate(ROOT / "tests" / "fixtures" / "frozen" / "plan").plan
    assert goal is not None and frozen is not None
    titles = {a["id"]: a["title"] for o in goal["outcomes"] for a in o["actions"]}
    frozen_goal = frozen.goal("A")
    assert frozen_goal is not None
    assert titles == {a["id"]: a["title"] for o in frozen_goal["outcomes"] for a in o["actions"]}


@pytest.mark.parametrize("text", ["nel\x85end", "x\u2029y", "cr\rlone", "nul\x00", "\x1b]0;t\x07"])
def test_notes_read_back_exactly(cli: Cli, plan_copy: Path, text: str) -> None:
    for day in ("2018-01-01", "2018-02-01"):
        result = cli(
            "update",
            "B-2-1.3",
            "--status",
            "ongoing",
            "--date",
            day,
            "--note",
            text,
            "--by",
            text,
            "--source",
            text,
        )
        assert result.exit_code == 0, result.stderr
    log = plan_at(plan_copy).lines["B-2-1.3"].line["updates"]
    assert [(u["note"], u["by"], u["source"]) for u in log] == [(text, text, text)] * 2


def test_a_source_with_a_line_separator_twice(cli: Cli, plan_copy: Path) -> None:
    for year in ("2019", "2020"):
        result = cli(
            "kpi",
            "record",
            "KPI-E3",
            "--country",
            "MYS",
            "--year",
            year,
            "--value",
            "40",
            "--source",
            "x\u2028y",
        )
        assert result.exit_code == 0, result.stderr
    text = (plan_copy / "readings" / "KPI-E3.yaml").read_text()
    assert text.count("source:") == 1  # the second reading joined the first one's release
    assert {(r.year, r.source) for r in plan_at(plan_copy).readings_of("KPI-E3")} == {
        (2019, "x\u2028y"),
        (2020, "x\u2028y"),
    }


def test_command_line_values_are_data_not_syntax(cli: Cli, plan_copy: Path) -> None:
    before = files(plan_copy)
    result = cli(
        "kpi",
        "record",
        "KPI-E3",
        "--country",
        "MYS, 2019, 99]\n      - [THA, 2018, 77]\n      - [MYS",
        "--year",
        "2020",
        "--value",
        "1",
        "--source",
        "s",
    )
    assert result.exit_code == 1
    assert "is not a member state of the plan" in result.stderr
    assert files(plan_copy) == before
    result = cli("update", "B-2-1.3", "--status", "ongoing", "--country", "XXX")
    assert result.exit_code == 1
    assert files(plan_copy) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "99999"], "--year must be from 1900 to"),
        (["--year", "1800"], "--year must be from 1900 to"),
        (["--source", "  "], "--source must name where the value comes from"),
    ],
)
def test_record_checks_values_first(
    cli: Cli, plan_copy: Path, args: list[str], message: str
) -> None:
    base = {"--country": "MYS", "--year": "2020", "--value": "1", "--source": "s"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    before = files(plan_copy)
    result = cli("kpi", "record", "KPI-E3", *[x for kv in base.items() for x in kv])
    assert result.exit_code == 1
    assert message in result.stderr
    assert files(plan_copy) == before


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (
            [
                "kpi",
                "record",
                "KPI-E3",
                "--country",
                "MYS",
                "--year",
                "2020",
                "--source",
                "s",
                "--value",
                "nan",
            ],
            "--value",
        ),
        (
            [
                "kpi",
                "record",
                "KPI-E3",
                "--country",
                "MYS",
                "--year",
                "2020",
                "--source",
                "s",
                "--value",
                "-inf",
            ],
            "--value",
        ),
        (["update", "B-2-1.3", "--status", "ongoing", "--progress", "nan"], "--progress"),
        (["update", "B-2-1.3", "--status", "ongoing", "--wait", "nan"], "--wait"),
        (["update", "B-2-1.3", "--status", "ongoing", "--wait", "inf"], "--wait"),
    ],
)
def test_numbers_that_are_not_finite_are_usage_errors(
    cli: Cli, plan_copy: Path, args: list[str], option: str
) -> None:
    before = files(plan_copy)
    result = cli(*args)
    assert result.exit_code == 2
    assert f"Invalid value for {option}: " in result.stderr
    assert "is not a finite number" in result.stderr
    assert files(plan_copy) == before


def test_invalid_utf8_in_an_argument_is_a_usage_error(plan_copy: Path) -> None:
    before = files(plan_copy)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sapsmed",
            "update",
            "B-2-1.3",
            "--status",
            "ongoing",
            "--note",
            b"caf\xe9",
        ],
        cwd=plan_copy.parent,
        capture_output=True,
    )
    assert done.returncode == 2
    assert b"Invalid value for --note: not valid UTF-8 (byte 0xe9)" in done.stderr
    assert b"Traceback" not in done.stderr
    assert files(plan_copy) == before


# --- corrections --------------------------------------------------------------------------


def e3(root: Path) -> dict[tuple[str, int], tuple[float, str, str | None]]:
    return {
        (r.country, r.year): (r.value, r.source, r.vintage)
        for r in plan_at(root).readings_of("KPI-E3")
    }


def rec(cli: Cli, country: str, year: int, value: str, source: str, *more: str) -> None:
    result = cli(
        "kpi",
        "record",
        "KPI-E3",
        "--country",
        country,
        "--year",
        str(year),
        "--value",
        value,
        "--source",
        source,
        *more,
    )
    assert result.exit_code == 0, result.stderr


def test_a_correction_replaces_the_only_row_of_a_release(cli: Cli, plan_copy: Path) -> None:
    rec(cli, "MYS", 2020, "48", "A")
    rec(cli, "THA", 2020, "30", "B")
    rec(cli, "MYS", 2020, "49", "A revised")
    assert e3(plan_copy) == {("MYS", 2020): (49, "A revised", None), ("THA", 2020): (30, "B", None)}
    text = (plan_copy / "readings" / "KPI-E3.yaml").read_text()
    assert '"A"' not in text  # the emptied release went with its row
    rec(cli, "THA", 2020, "31", "C")  # now the first of two releases
    rec(cli, "MYS", 2020, "50", "D")  # and again, with three
    assert e3(plan_copy) == {("MYS", 2020): (50, "D", None), ("THA", 2020): (31, "C", None)}
    assert cli("validate").exit_code == 0


def test_a_correction_keeps_the_next_release_whole(cli: Cli, plan_copy: Path) -> None:
    rec(cli, "MYS", 2019, "1", "A")
    rec(cli, "MYS", 2020, "2", "A")
    rec(cli, "THA", 2020, "3", "B")
    rec(cli, "MYS", 2019, "4", "B")  # the row leaves release A, which keeps MYS 2020
    assert e3(plan_copy) == {
        ("MYS", 2019): (4, "B", None),
        ("MYS", 2020): (2, "A", None),
        ("THA", 2020): (3, "B", None),
    }


def test_a_correction_in_the_same_release(cli: Cli, plan_copy: Path) -> None:
    rec(cli, "MYS", 2019, "1", "A", "--vintage", "2020-01-01")
    rec(cli, "MYS", 2019, "2", "A", "--vintage", "2020-01-01")
    assert e3(plan_copy) == {("MYS", 2019): (2, "A", "2020-01-01")}


def test_import_of_a_correction_in_databank_form(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    """The issue: a DataBank file correcting one value gave `duplicate key 'vintage'`."""
    stored = {(r.country, r.year): r.value for r in plan_at(plan_copy).readings_of("KPI-D1")}
    value = stored[("MYS", 2019)]
    data = tmp_path / "Data.csv"
    data.write_text(
        "Series Name,Series Code,Country Name,Country Code,2018 [YR2018],2019 [YR2019]\n"
        f"Time required to start a business (days),IC.REG.DURS,Malaysia,MYS,"
        f"{stored[('MYS', 2018)]},{value + 1}\n\n\n"
        "Data from database: World Development Indicators\nLast Updated: 12/01/2025\n"
    )
    result = cli("kpi", "import", str(data))
    assert result.exit_code == 0, result.stderr
    after = {
        (r.country, r.year): (r.value, r.vintage) for r in plan_at(plan_copy).readings_of("KPI-D1")
    }
    assert after[("MYS", 2019)] == (value + 1, "2025-12-01")
    assert after[("MYS", 2018)][0] == stored[("MYS", 2018)]
    assert len(after) == len(stored)


# --- the check before writing -------------------------------------------------------------


def test_an_edit_that_would_change_anything_else_is_refused(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = edit.apply_text

    def sloppy(text: str, op: edit.Op) -> str:
        return real(text, op).replace(
            "title: Increase Access to Finance", "title: Increase Access to Finances"
        )

    monkeypatch.setattr(edit, "apply_text", sloppy)
    before = files(plan_copy)
    result = cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "sapsmed: internal check failed: the edit would also change "
        "title in B.yaml; nothing was written\n"
    )
    assert files(plan_copy) == before


# --- files, links, locks and temporary files ----------------------------------------------


def test_a_symlinked_plan_file_stays_a_link_and_keeps_its_mode(cli: Cli, plan_copy: Path) -> None:
    store = plan_copy / "store"
    store.mkdir()
    (plan_copy / "goals" / "B.yaml").rename(store / "B.yaml")
    (plan_copy / "goals" / "B.yaml").symlink_to("../store/B.yaml")
    os.chmod(store / "B.yaml", 0o640)
    result = cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-01-01")
    assert result.exit_code == 0, result.stderr
    assert (plan_copy / "goals" / "B.yaml").is_symlink()
    assert "2018-01-01" in (store / "B.yaml").read_text()
    assert (store / "B.yaml").stat().st_mode & 0o777 == 0o640


def test_a_read_only_file_is_a_clear_refusal(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    os.chmod(path, 0o444)
    before = files(plan_copy)
    result = cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "sapsmed: plan/goals/B.yaml is read-only; make it writable to "
        "edit it (nothing was written)\n"
    )
    assert files(plan_copy) == before


HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(30)
"""


def test_a_held_lock_says_who_holds_it_and_gives_up(plan_copy: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(plan_copy)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sapsmed",
                "update",
                "B-2-1.3",
                "--status",
                "ongoing",
                "--date",
                "2018-01-01",
                "--wait",
                "1.5",
            ],
            cwd=plan_copy.parent,
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    who = f"process {holder.pid} (python"
    assert lines[0].startswith(f"sapsmed: waiting for {who}")
    assert lines[0].endswith("to finish its edit of the plan (up to 1.5 s, --wait)")
    assert lines[1].startswith(f"sapsmed: the plan is being edited by {who}")
    assert lines[1].endswith("gave up after 1.5 s (--wait); nothing was written")
    assert "2018-01-01" not in (plan_copy / "goals" / "B.yaml").read_text()


def test_sigterm_while_writing_leaves_no_temp_file(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files(plan_copy)

    def killed(fd: int) -> None:
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(os, "fsync", killed)
    result = cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-01-01")
    assert result.exit_code == 128 + signal.SIGTERM
    assert files(plan_copy) == before  # no temporary file left, nothing changed


def test_a_leftover_temp_file_is_neither_read_nor_counted(cli: Cli, plan_copy: Path) -> None:
    (plan_copy / "goals" / ".B.yaml.k2j3.tmp").write_text("id: [broken")
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout == "ok: 14 files, no problems\n"


# --- properties -----------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
SOURCE = TEXT.filter(lambda s: bool(s.strip()))
DAYS = st.dates(date(2016, 1, 1), date(2025, 12, 31))
UPDATE = st.tuples(
    st.just("update"),
    st.sampled_from(["A-1-1.1", "A-1-1.2", "A-1-2.1"]),
    DAYS,
    st.sampled_from(["ongoing", "on_hold", "not_started"]),
    st.none() | st.integers(0, 100),
    st.none() | TEXT,
    st.none() | TEXT,
    st.none() | TEXT,
    st.sampled_from(["MYS", "THA", "VNM"]),
)
READING = st.tuples(
    st.just("record"),
    st.sampled_from(["MYS", "THA", "VNM"]),
    st.integers(2010, 2025),
    st.floats(0, 1e6, allow_nan=False) | st.integers(0, 10**6),
    SOURCE,
    st.none() | st.dates(date(2000, 1, 1), date(2025, 12, 31)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(UPDATE | READING, min_size=1, max_size=6))
def test_random_edits_read_back_exactly(ops: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "plan"
        shutil.copytree(SMALL, root)
        os.environ["SAPSMED_NO_CACHE"] = "1"
        try:
            run_edits(root, ops)
        finally:
            del os.environ["SAPSMED_NO_CACHE"]


def run_edits(root: Path, ops: list[tuple[object, ...]]) -> None:
    plan = plan_at(root)
    logs = {i: list(plan.lines[i].line["updates"]) for i in plan.lines}
    readings = {
        (r.country, r.year): (r.value, r.source, r.vintage) for r in plan.readings_of("KPI-A1")
    }
    for op in ops:
        before = files(root)
        try:
            if op[0] == "update":
                changed = "goals/A.yaml"
                Update = tuple[
                    str, str, date, str, float | None, str | None, str | None, str | None, str
                ]
                _, line, day, status, percent, note, by, source, country = cast(Update, op)
                national = plan.lines[str(line)].line["level"] == "national"
                record_update(
                    root,
                    str(line),
                    str(status),
                    day,
                    percent,
                    note,
                    by,
                    str(country) if national else None,
                    source,
                )
                entry = {
                    "date": day.isoformat(),
                    "status": status,
                    "percent": percent,
                    "country": country if national else None,
                    "note": note,
                    "by": by,
                    "source": source,
                }
                log = logs[str(line)]
                at = bisect.bisect_right([u["date"] for u in log], entry["date"])
                log.insert(at, entry)
            else:
                changed = "readings/KPI-A1.yaml"
                Reading = tuple[str, str, int, float, str, date | None]
                _, country, year, value, source, vintage = cast(Reading, op)
                record(
                    root,
                    "KPI-A1",
                    str(country),
                    year,
                    float(value),
                    str(source),
                    vintage,
                    replace=True,
                )
                old = readings.get((country, year))
                if old is None or not same(old[0], float(value)):
                    readings[(country, year)] = (
                        float(value),
                        source,
                        vintage.isoformat() if vintage else None,
                    )
        except EditRefused:
            assert files(root) == before
            continue
        except SapsmedError as exc:
            pytest.fail(f"{op}: {exc}")
        plan = plan_at(root)
        assert {
            i: [
                {k: u[k] for k in ("date", "status", "percent", "country", "note", "by", "source")}
                for u in plan.lines[i].line["updates"]
            ]
            for i in plan.lines
        } == {
            i: [
                {
                    k: u.get(k)
                    for k in ("date", "status", "percent", "country", "note", "by", "source")
                }
                for u in log
            ]
            for i, log in logs.items()
        }
        assert {
            (r.country, r.year): (r.value, r.source, r.vintage) for r in plan.readings_of("KPI-A1")
        } == readings
        after = files(root)
        assert {k: v for k, v in after.items() if k != changed} == {
            k: v for k, v in before.items() if k != changed
        }
        if op[0] == "update":  # one block inserted, every other byte kept
            old_bytes, new_bytes = before[changed], after[changed]
            prefix = len(os.path.commonprefix([old_bytes, new_bytes]))
            suffix = len(os.path.commonprefix([old_bytes[::-1], new_bytes[::-1]]))
            assert prefix + suffix >= len(old_bytes)


# --- found by attacking the above -----------------------------------------------------------


def test_a_first_readings_file_is_never_written_through_a_link_outside(
    cli: Cli, plan_copy: Path
) -> None:
    elsewhere = plan_copy.parent / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(plan_copy / "readings")
    (plan_copy / "readings").symlink_to(elsewhere)
    result = cli(
        "kpi",
        "record",
        "KPI-E3",
        "--country",
        "MYS",
        "--year",
        "2020",
        "--value",
        "48",
        "--source",
        "DOSM",
    )
    assert result.exit_code == 1
    assert "leads outside the plan folder" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_plan_without_a_readings_folder_gets_its_first_reading(cli: Cli, plan_copy: Path) -> None:
    shutil.rmtree(plan_copy / "readings")
    rec(cli, "MYS", 2020, "48", "DOSM")
    assert e3(plan_copy) == {("MYS", 2020): (48, "DOSM", None)}


def test_an_update_never_reaches_another_line_through_an_alias(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "A.yaml"
    lines = path.read_text().split("\n")
    first = next(i for i, ln in enumerate(lines) if "id: A-1-2.1" in ln)
    second = next(i for i, ln in enumerate(lines) if "id: A-1-3.1" in ln)
    pad = " " * (len(lines[first]) - len(lines[first].lstrip()) + 2)  # past "- "
    lines.insert(second + 1, f"{pad}updates: *u")
    lines.insert(
        first + 1, f"{pad}updates: &u\n{pad}  - date: 2017-01-01\n{pad}    status: ongoing"
    )
    path.write_text("\n".join(lines))
    assert cli("validate").exit_code == 0
    before = files(plan_copy)
    result = cli("update", "A-1-3.1", "--status", "completed", "--date", "2018-01-01")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "sapsmed: internal check failed: the edit would also "
        "change outcomes[0].actions[1].lines[0].updates[1]"
    )
    assert files(plan_copy) == before


def test_a_readings_file_is_named_for_its_kpi(cli: Cli, plan_copy: Path) -> None:
    (plan_copy / "readings" / "KPI-E3.yaml").write_text(
        "kpi: KPI-B1\nreleases:\n  - source: Bank survey\n    vintage: 2021-01-01\n"
        "    readings:\n      - [IDN, 2019, 20]\n"
    )
    result = cli("validate")
    assert result.exit_code == 1
    assert (
        "plan/readings/KPI-E3.yaml:1:1: kpi: error: readings of KPI-B1 are in "
        "KPI-E3.yaml; their file should be KPI-B1.yaml (or KPI-B1-*.yaml) "
        "[R-ID-PARENT]"
    ) in result.stdout


def test_sigterm_between_renames_still_writes_all_files(tmp_path: Path, plan_copy: Path) -> None:
    """An import writes two readings files; a SIGTERM after the first rename waits."""
    head = (
        '"Data Source","World Development Indicators",\n\n"Last Updated Date",'
        '"2026-01-01",\n\n"Country Name","Country Code","Indicator Name","Indicator Code",'
        '"2018",\n'
    )
    data = plan_copy.parent / "two.csv"
    data.write_text(
        head + '"M","MYS","x","SL.TLF.CACT.FE.ZS","55"\n"M","MYS","x","SL.TLF.ACTI.1524.ZS","44"\n'
    )
    script = (
        "import os, signal, sys\nreal = os.replace\nn = [0]\n"
        "def replace(a, b):\n    real(a, b)\n    n[0] += str(b).endswith('.yaml')\n"
        "    if n[0] == 1:\n        os.kill(os.getpid(), signal.SIGTERM)\n"
        "os.replace = replace\nsys.argv = ['sapsmed', 'kpi', 'import', 'two.csv']\n"
        "from sapsmed.cli.app import run\nrun()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=plan_copy.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 128 + signal.SIGTERM  # the signal is delivered, after the writes
    plan = plan_at(plan_copy)
    assert {
        (r.kpi, r.year)
        for r in plan.readings
        if r.country == "MYS" and r.year == 2018 and r.value in (55, 44)
    } == {("KPI-E1", 2018), ("KPI-E2", 2018)}


def test_two_import_files_that_disagree_are_an_error(cli: Cli, plan_copy: Path) -> None:
    def download(folder: str, value: str, updated: str = "2026-01-01") -> str:
        path = plan_copy.parent / folder / "f.csv"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            '"Data Source","World Development Indicators",\n\n"Last Updated Date",'
            f'"{updated}",\n\n"Country Name","Country Code","Indicator Name",'
            f'"Indicator Code","2020",\n"M","MYS","x","SL.TLF.CACT.FE.ZS",'
            f'"{value}",\n'
        )
        return str(path.relative_to(plan_copy.parent))

    before = files(plan_copy)
    result = cli("kpi", "import", download("a", "11"), download("b", "13"))
    assert result.exit_code == 1
    assert result.stderr == (
        "sapsmed: b/f.csv: SL.TLF.CACT.FE.ZS MYS 2020 is 13 here but 11 "
        "in a/f.csv; import one of them\n1 error in the files; nothing "
        "was imported\n"
    )
    future = cli("kpi", "import", download("c", "11", "2999-01-01"))
    assert future.exit_code == 1
    assert future.stderr.startswith("sapsmed: c/f.csv: the last-updated date 2999-01-01 is after ")
    assert files(plan_copy) == before


@pytest.mark.parametrize("empty", [" []", " []  # none yet"])
def test_an_empty_log_in_any_spelling_takes_an_update(
    cli: Cli, plan_copy: Path, empty: str
) -> None:
    path = plan_copy / "goals" / "B.yaml"
    text = path.read_text()
    at = text.index("id: B-2-1.3")
    pad = " " * (at - text.rindex("\n", 0, at) - 1)  # the key column, past the dash
    path.write_text(text[:at] + f"id: B-2-1.3\n{pad}updates:{empty}" + text[at + 11 :])
    assert cli("validate").exit_code == 0
    result = cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-01-01")
    assert result.exit_code == 0, result.stderr
    assert [u["date"] for u in plan_at(plan_copy).lines["B-2-1.3"].line["updates"]] == [
        "2018-01-01"
    ]


def test_a_fifo_is_not_opened_so_its_writer_stays_blocked(plan_copy: Path) -> None:
    fifo = plan_copy / "goals" / "F.yaml"
    os.mkfifo(fifo)
    writer = subprocess.Popen([sys.executable, "-c", f"open({str(fifo)!r}, 'w').write('x')"])
    try:
        validate(plan_copy)
        with pytest.raises(subprocess.TimeoutExpired):
            writer.wait(timeout=1)  # still waiting for a reader: nobody opened the FIFO
    finally:
        writer.kill()
        writer.wait()
