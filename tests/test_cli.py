from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PLAN, ROOT, Cli


def break_goal_b(plan: Path) -> None:
    """Two errors and a warning in goals/B.yaml."""
    path = plan / "goals" / "B.yaml"
    text = path.read_text()
    text = text.replace(
        "lead: [MYS, LAO]\n            level: regional",
        "lead: [MYS, LAO, SGP]\n            level: regional",
    )
    text = text.replace("due_year: 2018", "due_year: 2031").replace("'2018'", "'2031'")
    text = text.replace("themes: [service-centre]", "themes: [service-center]")
    path.write_text(text)


# --- validate ----------------------------------------------------------------------------


def test_validate_shipped_plan_is_clean(cli: Cli, plan_copy: Path) -> None:
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout == "ok: 14 files, no problems\n"


def test_validate_text_lists_every_problem_sorted(cli: Cli, plan_copy: Path) -> None:
    break_goal_b(plan_copy)
    result = cli("validate")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "plan/goals/B.yaml:46:13: outcomes[1].actions[0].lines[1].due_year: error: due year 2031 "
        "is outside the plan period 2016-2025 [R-YEAR]",
        "plan/goals/B.yaml:47:30: outcomes[1].actions[0].lines[1].lead[2]: warning: lead SGP is "
        "not a champion of goal B (MYS, LAO) [R-LEAD-CHAMPION]",
        "plan/goals/B.yaml:49:22: outcomes[1].actions[0].lines[1].themes[0]: error: theme "
        "'service-center' does not exist; did you mean 'service-centre'? [R-REFERENCE]",
        "invalid: 2 errors, 1 warning in 14 files",
    ]


def test_validate_json_shape(cli: Cli, plan_copy: Path) -> None:
    break_goal_b(plan_copy)
    result = cli("validate", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [p["code"] for p in data["problems"]] == ["R-YEAR", "R-LEAD-CHAMPION", "R-REFERENCE"]
    first = data["problems"][0]
    assert set(first) == {"file", "line", "column", "code", "severity", "message", "path"}
    assert (first["file"], first["line"], first["column"]) == ("plan/goals/B.yaml", 46, 13)
    assert first["severity"] == "error"
    assert data["problems"][1]["severity"] == "warning"


def test_validate_json_ok(cli: Cli, plan_copy: Path) -> None:
    assert json.loads(cli("validate", "--format", "json").stdout) == {"ok": True, "problems": []}


def test_validate_github_annotations_then_full_report(cli: Cli, plan_copy: Path) -> None:
    break_goal_b(plan_copy)
    result = cli("validate", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::error file=plan/goals/B.yaml,line=46,col=13,title=R-YEAR::"
        "outcomes[1].actions[0].lines[1].due_year: due year 2031 is outside the "
        "plan period 2016-2025"
    )
    assert lines[1].startswith(
        "::warning file=plan/goals/B.yaml,line=47,col=30,title=R-LEAD-CHAMPION::"
    )
    assert lines[3].startswith("plan/goals/B.yaml:46:13: ")  # the text report follows
    assert lines[-1] == "invalid: 2 errors, 1 warning in 14 files"


def test_github_escapes_newlines_and_percent() -> None:
    from sapsmed.base.problems import Problem
    from sapsmed.render.text import problems_github

    p = Problem("a,b:c.yaml", 1, 2, "Y-SYNTAX", "100% bad\nsecond line")
    assert problems_github([p], 1).splitlines()[0] == (
        "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=Y-SYNTAX::100%25 bad%0Asecond line"
    )


def test_validate_warnings_only_exits_zero(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    path.write_text(
        path.read_text().replace(
            "lead: [MYS, LAO]\n            level: regional",
            "lead: [MYS, SGP]\n            level: regional",
        )
    )
    result = cli("validate")
    assert result.exit_code == 0
    assert "warning: lead SGP" in result.stdout


def test_no_plan_found_exits_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("--plan", str(tmp_path), "validate")
    assert result.exit_code == 2
    assert "no plan found" in result.stderr


def test_bad_format_is_a_usage_error(cli: Cli, plan_copy: Path) -> None:
    assert cli("validate", "--format", "xml").exit_code == 2


# --- plan discovery ----------------------------------------------------------------------


def test_plan_option_env_and_nearest_folder(
    cli: Cli,
    plan_copy: Path,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    break_goal_b(plan_copy)
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    # nothing nearby: validate says so (checking the copy installed with sapsmed would say
    # "ok" about a plan nobody is editing); commands that show a plan use the shipped one
    nothing = cli("validate")
    assert nothing.exit_code == 2 and nothing.stderr.startswith("sapsmed: no plan folder here")
    assert cli("status", "--goal", "B").exit_code == 0
    assert cli("--plan", str(plan_copy), "validate").exit_code == 1
    assert cli("validate", env={"SAPSMED_PLAN": str(plan_copy)}).exit_code == 1
    deep = plan_copy / "goals"
    monkeypatch.chdir(deep)  # inside plan/: found upward
    assert cli("validate").exit_code == 1
    monkeypatch.chdir(tmp_path)  # beside plan/
    assert cli("validate").exit_code == 1


SHIPPED_NOTE = (
    "sapsmed: using the SAP SMED 2016-2025 plan shipped with sapsmed "
    "(no plan folder here; use --plan DIR)\n"
)
NO_PLAN_HERE = (
    "sapsmed: no plan folder here (none in this folder or above it); "
    "use --plan DIR or run sapsmed init\n"
)


@pytest.fixture
def nowhere(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """An empty current folder with no plan above it; the plan "shipped with sapsmed" is a
    copy of the frozen plan (returned), so the tests never touch the real one."""
    from sapsmed.domain import plan as plan_module

    shipped = tmp_path / "installed" / "_plan"
    shutil.copytree(PLAN, shipped)
    monkeypatch.setattr(plan_module, "shipped_plan_dir", lambda: shipped)
    monkeypatch.chdir(tmp_path_factory.mktemp("empty"))
    return shipped


def test_a_read_command_outside_a_plan_says_which_plan_it_uses(cli: Cli, nowhere: Path) -> None:
    as_json = cli("status", "--goal", "B", "--json")
    assert as_json.exit_code == 0 and as_json.stderr == SHIPPED_NOTE
    assert json.loads(as_json.stdout)["scope"]["goal"] == "B"  # stdout stays pure JSON
    text = cli("show", "B-2-1.3")
    assert text.exit_code == 0 and text.stderr == SHIPPED_NOTE
    quiet = cli("--plan", str(nowhere), "show", "B-2-1.3")
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == text.stdout


def test_no_note_inside_a_plan_folder_or_with_plan(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for args in (("status",), ("--plan", str(plan_copy), "kpi", "list", "--json")):
        result = cli(*args)
        assert result.exit_code == 0 and result.stderr == "", args
    monkeypatch.chdir(plan_copy / "goals")
    assert cli("status", "--json").stderr == ""


@pytest.mark.parametrize(
    "edit",
    [
        ("update", "B-2-1.3", "--status", "ongoing"),
        ("kpi", "record", "KPI-E3", "--country", "MYS", "--year", "2020", "--value", "48")
        + ("--source", "DOSM"),
    ],
)
def test_an_edit_outside_a_plan_folder_refuses(
    cli: Cli, nowhere: Path, edit: tuple[str, ...]
) -> None:
    before = {p: p.read_bytes() for p in nowhere.rglob("*") if p.is_file()}
    result = cli(*edit)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", NO_PLAN_HERE)
    assert {p: p.read_bytes() for p in nowhere.rglob("*") if p.is_file()} == before
    assert list(Path.cwd().iterdir()) == []
    validate = cli("validate")  # checking the shipped copy says nothing: refused the same way
    assert (validate.exit_code, validate.stdout, validate.stderr) == (2, "", NO_PLAN_HERE)


def test_status_on_an_invalid_plan_fails_with_the_problems(cli: Cli, plan_copy: Path) -> None:
    break_goal_b(plan_copy)
    result = cli("status", "--goal", "B")
    assert result.exit_code == 1
    assert "[R-YEAR]" in result.stderr
    assert result.stdout == ""


# --- show --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity_id", "kind", "title"),
    [
        ("B", "goal", "Increase Access to Finance"),
        (
            "B-2",
            "outcome",
            "Financial inclusion and literacy will be promoted, and the ability of "
            "MSMEs to engage in the financial system will be enhanced",
        ),
        ("A-1-2", "action", "Promote capital investment"),
        (
            "D-3-1.1",
            "action_line",
            "Dissemination and advocacy about regulation on business "
            "formation and provision of information on available MSME support to informal business "
            "owners",
        ),
        ("KPI-D1", "kpi", "Time and cost required to start a business (days)"),
        ("VNM", "country", "Viet Nam"),
        ("micro-enterprises", "theme", "Strengthening for the Sustainability of Micro enterprises"),
    ],
)
def test_show_every_kind(cli: Cli, plan_copy: Path, entity_id: str, kind: str, title: str) -> None:
    result = cli("show", entity_id, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["id"], data["kind"], data["title"]) == (entity_id, kind, title)


def test_show_goal_and_line_fields(cli: Cli, plan_copy: Path) -> None:
    goal = json.loads(cli("show", "D", "--json").stdout)
    assert goal["champions"] == ["KHM", "IDN"]
    line = json.loads(cli("show", "B-2-1.2", "--json").stdout)
    assert {
        k: line[k]
        for k in (
            "action",
            "outcome",
            "goal",
            "timeframe",
            "due_year",
            "lead",
            "status",
            "themes",
            "level",
            "printed_as",
        )
    } == {
        "action": "B-2-1",
        "outcome": "B-2",
        "goal": "B",
        "timeframe": "By 2020",
        "due_year": 2020,
        "lead": ["MYS", "LAO"],
        "status": "not_started",
        "themes": ["micro-enterprises"],
        "level": "national",
        "printed_as": {"action": "A-2-1"},
    }


def test_show_kpi_fields(cli: Cli, plan_copy: Path) -> None:
    kpi = json.loads(cli("show", "KPI-D1", "--json").stdout)
    assert (kpi["goal"], kpi["unit"], kpi["direction"], kpi["indicator_code"]) == (
        "D",
        "days",
        "lower_is_better",
        "IC.REG.DURS",
    )
    assert json.loads(cli("show", "KPI-B1", "--json").stdout)["indicator_code"] is None


def test_show_text(cli: Cli, plan_copy: Path) -> None:
    result = cli("show", "THA")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        "id           THA",
        "kind         country",
        "title        Thailand",
    ]
    assert "champion_of  A, C" in result.stdout


def test_show_unknown_id_suggests(cli: Cli, plan_copy: Path) -> None:
    result = cli("show", "B-2-1.4")
    assert result.exit_code == 1
    assert result.stderr == (
        "sapsmed: no entity with id 'B-2-1.4'; did you mean B-2-1.3, B-2-1.2, B-2-1?\n"
    )
    assert "did you mean B-2-1" in cli("show", "b-2-1").stderr


# --- status ------------------------------------------------------------------------------


def test_status_goal_json(cli: Cli, plan_copy: Path) -> None:
    result = cli("status", "--goal", "B", "--as-of", "2019-06-30", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["as_of"] == "2019-06-30"
    assert [
        (r["id"], r["status"], r["due_year"], r["lead"], r["overdue"]) for r in data["lines"]
    ] == [
        ("B-2-1.2", "not_started", 2020, ["MYS", "LAO"], False),
        ("B-2-1.3", "not_started", 2018, ["MYS", "LAO"], True),
    ]
    assert [k["id"] for k in data["kpis"]] == ["KPI-B1"]
    assert data["summary"]["overdue"] == 1
    assert data["summary"]["by_status"]["not_started"] == 2
    assert [o["id"] for o in data["goals"][0]["outcomes"]] == ["B-1", "B-2"]


def test_status_overdue_boundary(cli: Cli, plan_copy: Path) -> None:
    def overdue(day: str) -> bool:
        out = json.loads(cli("status", "--goal", "B", "--as-of", day, "--json").stdout)
        return bool(next(r["overdue"] for r in out["lines"] if r["id"] == "B-2-1.3"))

    assert overdue("2018-12-31") is False  # due in 2018: still in time on its last day
    assert overdue("2019-01-01") is True


def test_completed_and_cancelled_lines_are_never_overdue(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    text = path.read_text().replace(
        "themes: [service-centre]",
        "themes: [service-centre]\n            updates:\n              - {date: 2018-06-30, "
        "status: completed, percent: 100}",
    )
    path.write_text(
        text.replace(
            "themes: [micro-enterprises]",
            "themes: [micro-enterprises]\n            status: cancelled",
        )
    )
    out = json.loads(cli("status", "--goal", "B", "--as-of", "2026-01-01", "--json").stdout)
    assert [(r["status"], r["overdue"]) for r in out["lines"]] == [
        ("cancelled", False),
        ("completed", False),
    ]
    assert out["summary"]["overdue"] == 0


def test_status_kpi_latest_readings(cli: Cli, plan_copy: Path) -> None:
    data = json.loads(cli("status", "--goal", "D", "--as-of", "2026-01-01", "--json").stdout)
    d1 = next(k for k in data["kpis"] if k["id"] == "KPI-D1")
    mys = next(r for r in d1["latest"] if r["country"] == "MYS")
    assert (mys["year"], mys["value"], mys["vintage"]) == (2019, 17.5, "2019-10-28")
    assert len(d1["latest"]) == 10
    # only what was known on the date: the release of 2019-10-28 was not out in 2019-06
    early = json.loads(cli("status", "--goal", "D", "--as-of", "2019-06-30", "--json").stdout)
    assert [k["latest"] for k in early["kpis"] if k["id"] == "KPI-D1"] == [[]]
    later = json.loads(cli("status", "--goal", "D", "--as-of", "2019-12-31", "--json").stdout)
    mys = next(
        r
        for k in later["kpis"]
        if k["id"] == "KPI-D1"
        for r in k["latest"]
        if r["country"] == "MYS"
    )
    assert (mys["year"], mys["value"]) == (2019, 17.5)
    e1 = json.loads(cli("status", "--goal", "E", "--as-of", "2016-12-31", "--json").stdout)
    lao = next(
        r
        for k in e1["kpis"]
        if k["id"] == "KPI-E1"  # vintage unknown: by year
        for r in k["latest"]
        if r["country"] == "LAO"
    )
    assert lao["year"] == 2016  # no reading of a later year


def test_status_country(cli: Cli, plan_copy: Path) -> None:
    """A member state sees the lines it leads and the national-level lines it must carry
    out (every member state carries out a national-level line)."""
    from sapsmed.validate.validation import validate

    plan = validate(plan_copy).plan
    assert plan is not None
    expected = sorted(
        (
            r.line["id"]
            for r in plan.iter_lines()
            if "MYS" in r.line["lead"] or r.line["level"] == "national"
        ),
        key=lambda i: [int(p) if p.isdigit() else p for p in i.replace(".", "-").split("-")],
    )
    data = json.loads(cli("status", "--country", "mys", "--as-of", "2026-01-01", "--json").stdout)
    assert data["country"]["champion_of"] == ["B"]
    assert [r["id"] for r in data["lines"]] == expected
    assert {r["id"]: r["role"] for r in data["lines"]}["B-2-1.2"] == ["leads", "implements"]
    assert {r["id"]: r["role"] for r in data["lines"]}["A-2-2.1"] == ["implements"]
    tha = json.loads(cli("status", "--country", "THA", "--json").stdout)
    assert tha["country"]["champion_of"] == ["A", "C"]
    assert {"A-1-2.1", "A-1-3.1", "A-2-2.1", "A-3-1.1", "A-3-1.2", "C-1-1.2"} <= {
        r["id"] for r in tha["lines"]
    }
    assert {k["id"] for k in tha["kpis"]} == {
        f"KPI-{k}" for k in ("A1", "A2", "B1", "C1", "C2", "D1", "D2", "E1", "E2", "E3")
    }
    assert all(r["country"] == "THA" for k in tha["kpis"] for r in k["latest"])


def test_a_country_sees_its_own_status_on_a_national_line(cli: Cli, plan_copy: Path) -> None:
    """The issue: MYS saw B-2-1.2 as "ongoing 16%" with KHM's note, not its own "completed"."""
    cli(
        "update",
        "B-2-1.2",
        "--status",
        "completed",
        "--country",
        "MYS",
        "--date",
        "2019-05-01",
        "--note",
        "MYS done",
    )
    cli(
        "update",
        "B-2-1.2",
        "--status",
        "ongoing",
        "--country",
        "KHM",
        "--date",
        "2019-06-01",
        "--progress",
        "60",
        "--note",
        "KHM pilot",
    )
    rows = {
        r["id"]: r
        for r in json.loads(
            cli("status", "--country", "MYS", "--as-of", "2019-12-31", "--json").stdout
        )["lines"]
    }
    mine = rows["B-2-1.2"]
    assert (mine["status"], mine["percent"], mine["last_update"]["note"]) == (
        "completed",
        100.0,
        "MYS done",
    )
    assert (mine["line_status"], mine["line_percent"]) == ("ongoing", 16.0)
    khm = json.loads(cli("show", "KHM", "--as-of", "2019-12-31", "--json").stdout)
    assert {
        "id": "B-2-1.2",
        "status": "ongoing",
        "percent": 60.0,
        "due_year": 2020,
        "flags": [],
        "last_note": "KHM pilot",
    } in khm["implements"]
    text = cli("status", "--country", "KHM", "--as-of", "2019-12-31").stdout
    assert "KHM Cambodia: champion of goals D; leads 2 action lines; implements" in text
    assert "B-2-1.2   ongoing      60%" in text


def test_status_text_is_plain_when_piped(cli: Cli, plan_copy: Path) -> None:
    result = cli("status", "--goal", "B", "--as-of", "2019-06-30")
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert (
        "      B-2-1.3   not_started    -  due 2018  lead MYS,LAO     regional  OVERDUE"
        in result.stdout
    )
    assert result.stdout.endswith("2 action lines: 2 not_started; 1 overdue as of 2019-06-30\n")


def test_status_whole_plan_counts(cli: Cli, plan_copy: Path) -> None:
    data = json.loads(cli("status", "--as-of", "2025-06-30", "--json").stdout)
    assert data["summary"]["lines"] == 12
    assert data["summary"]["overdue"] == 10  # all but the two lines due in 2025
    late = json.loads(cli("status", "--as-of", "2026-01-01", "--json").stdout)
    assert late["summary"]["overdue"] == 12
    assert len(data["goals"]) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--goal", "F"], "no goal 'F'; goals are A, B, C, D, E"),
        (["--country", "MAL"], "'MAL' is not a member state; did you mean 'MYS' (Malaysia)?"),
        (
            ["--country", "vietnam"],
            "'VIETNAM' is not a member state; did you mean 'VNM' (Viet Nam)?",
        ),
        (
            ["--country", "JPN"],
            "'JPN' is not a member state (member states: BRN, KHM, IDN, LAO, "
            "MYS, MMR, PHL, SGP, THA, VNM)",
        ),
    ],
)
def test_status_unknown_scope(cli: Cli, plan_copy: Path, args: list[str], message: str) -> None:
    result = cli("status", *args)
    assert result.exit_code == 1
    assert result.stderr == f"sapsmed: {message}\n"


def test_status_bad_date_is_a_usage_error(cli: Cli, plan_copy: Path) -> None:
    result = cli("status", "--as-of", "30/06/2019")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_status_rich_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, plan_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a terminal the tree and tables come from Rich; the facts are the same."""
    from sapsmed.cli import tty
    from sapsmed.domain.plan import find_plan_dir
    from sapsmed.monitor import views
    from sapsmed.validate.validation import validate

    plan = validate(find_plan_dir()).plan
    assert plan is not None
    from datetime import date

    tty.print_status(views.status(plan, date(2019, 6, 30), goal="B"))
    out = capsys.readouterr().out
    assert "B-2-1.3" in out and "OVERDUE" in out and "KPI-B1" in out


# --- the shim and the installed entry point ----------------------------------------------


def test_cli_py_shim_runs_in_a_clone(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SAPSMED_PLAN"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "status", "--goal", "B", "--as-of", "2019-06-30"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Goal B: Increase Access to Finance" in result.stdout


def test_folder_without_plan_file_cannot_run(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "plan.yaml").mkdir()  # a folder where the file should be
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "--plan", str(plan), "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr == f"sapsmed: no plan found: {plan}/plan.yaml does not exist\n"


def test_a_bug_is_reported_as_one_without_traceback(
    monkeypatch: pytest.MonkeyPatch, plan_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sapsmed.cli import app as cli_module
    from sapsmed.monitor import views

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something impossible")

    monkeypatch.setattr(views, "status", broken)
    monkeypatch.setattr(sys, "argv", ["sapsmed", "status"])
    with pytest.raises(SystemExit) as info:
        cli_module.run()
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("sapsmed: internal error: RuntimeError: something impossible\n")
    assert "Traceback" not in err


def test_version(cli: Cli) -> None:
    from sapsmed import __version__

    assert cli("--version").stdout == f"sapsmed {__version__}\n"


LOADED = (
    "import atexit, sys\n"
    "atexit.register(lambda: print(' '.join(sorted(sys.modules)), file=sys.stderr))\n"
    "sys.argv = ['sapsmed', *sys.argv[1:]]\n"
    "from sapsmed.cli.app import run\n"
    "run()\n"
)


def test_a_command_loads_only_its_own_module() -> None:
    """The lazy group imports the module of the command that runs and nothing of the write
    path, the KPI commands or pydantic: `status` stays as quick as the libraries (its second
    run reads the validated plan from the cache)."""
    command = [sys.executable, "-c", LOADED, "--plan", str(PLAN), "status", "--goal", "B"]
    for _ in range(2):
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    loaded = set(done.stderr.split())
    assert "sapsmed.cli.plan" in loaded
    unwanted = {"sapsmed.cli.kpi", "sapsmed.cli.git", "sapsmed.cli.progress", "pydantic"}
    unwanted |= {m for m in loaded if m.startswith(("sapsmed.write.", "sapsmed.io."))}
    # types only (TypedDicts cost import time and do nothing at run time), and difflib is
    # for error messages
    unwanted |= {m for m in loaded if m.startswith(("sapsmed.domain.shapes", "difflib"))}
    unwanted |= {"sapsmed.domain.entities"} & loaded
    assert loaded & unwanted == set()


def test_every_command_is_listed_and_has_help() -> None:
    from typer.testing import CliRunner

    from sapsmed.cli.app import COMMANDS, GROUPS, app

    runner = CliRunner()
    top = runner.invoke(app, ["--help"], prog_name="sapsmed")
    for name in [*COMMANDS, *GROUPS]:
        assert re.search(rf"^│ {name}\s", top.stdout, re.MULTILINE), name
        own = runner.invoke(app, [name, "--help"], prog_name="sapsmed")
        assert own.exit_code == 0 and f"Usage: sapsmed {name}" in own.stdout


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("stauts", "No such command 'stauts'. Did you mean 'status'?"),
        ("valdate", "No such command 'valdate'. (Did you mean one of: 'update', 'validate'?)"),
        ("zzz", "No such command 'zzz'."),
    ],
)
def test_an_unknown_command_is_named_with_the_ones_most_like_it(
    cli: Cli, typed: str, hint: str
) -> None:
    """The lazy group has loaded no command yet: the hint comes from every command's name."""
    result = cli(typed)
    assert result.exit_code == 2
    assert hint in result.stderr


def test_the_plan_option_reaches_the_command(cli: Cli, tmp_path: Path) -> None:
    """--plan travels in the click context, not in a module global: two runs in one
    process each see their own."""
    missing = tmp_path / "nowhere"
    assert "no plan found" in cli("--plan", str(missing), "status").stderr
    assert cli("--plan", str(PLAN), "status").exit_code == 0


def test_every_format_has_a_renderer() -> None:
    from sapsmed.render.text import PROBLEM_RENDERERS, Format

    assert set(PROBLEM_RENDERERS) == set(Format)
