"""The git workflow, on real repositories made in temporary folders."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, Cli, git


@pytest.fixture
def progressed(repo: Path, cli: Cli) -> Path:
    """A second commit: B-2-1.3 completed, and Malaysia's 2019 start-up days revised."""
    assert (
        cli(
            "update",
            "B-2-1.3",
            "--status",
            "completed",
            "--date",
            "2018-11-30",
            "--note",
            "Portal live",
        ).exit_code
        == 0
    )
    assert (
        cli(
            "kpi",
            "record",
            "KPI-D1",
            "--country",
            "MYS",
            "--year",
            "2019",
            "--value",
            "18",
            "--source",
            "SSM Malaysia",
            "--vintage",
            "2020-01-15",
        ).exit_code
        == 0
    )
    git(repo, "commit", "-q", "-am", "B-2-1.3 done; MYS 2019 revised")
    return repo


def test_diff_of_a_commit_that_completes_a_line_and_revises_a_reading(
    cli: Cli, progressed: Path
) -> None:
    data = json.loads(
        cli("diff", "HEAD~1", "HEAD", "--format", "json", "--as-of", "2020-06-30").stdout
    )
    assert data["status_changes"] == [
        {
            "id": "B-2-1.3",
            "old": "not_started",
            "new": "completed",
            "old_percent": None,
            "new_percent": 100.0,
        }
    ]
    assert data["updates"] == [
        {
            "id": "B-2-1.3",
            "removed": [],
            "added": [
                {"date": "2018-11-30", "status": "completed", "percent": 100, "note": "Portal live"}
            ],
        }
    ]
    assert data["readings_revised"] == [
        {
            "kpi": "KPI-D1",
            "country": "MYS",
            "year": 2019,
            "old": 17.5,
            "new": 18.0,
            "old_vintage": "2019-10-28",
            "new_vintage": "2020-01-15",
            "source": "SSM Malaysia",
        }
    ]
    for key in (
        "added",
        "removed",
        "changed",
        "readings_added",
        "readings_removed",
        "problems_introduced",
        "problems_fixed",
        "kpi_status_changes",
    ):
        assert data[key] == [], key
    text = cli("diff", "HEAD~1", "HEAD", "--as-of", "2020-06-30").stdout
    assert text.splitlines()[1:] == [
        "status of B-2-1.3: not_started -> completed (100%)",
        "update of B-2-1.3: date 2018-11-30, status completed, percent 100, note Portal live",
        "reading revised KPI-D1 MYS 2019: 17.5 -> 18 (vintage 2019-10-28 -> 2020-01-15)",
    ]


def test_history_of_a_line_and_of_a_kpi(cli: Cli, progressed: Path) -> None:
    events = json.loads(cli("history", "B-2-1.3", "--json", "--as-of", "2020-06-30").stdout)
    assert [(e["date"], e["author"], e["subject"]) for e in events] == [
        ("2019-01-02", "Seed", "The SAP SMED as published"),
        ("2020-01-20", "Alice Tan", "B-2-1.3 done; MYS 2019 revised"),
    ]
    assert events[0]["changes"] == [
        "created: Creation of interactive on-line platform on a "
        "range of financial supports available to SMEs to minimize "
        "information gap"
    ]
    assert events[1]["changes"] == [
        "update: date 2018-11-30, status completed, percent 100, note Portal live",
        "status not_started -> completed (100%)",
    ]
    kpi = cli("history", "KPI-D1").stdout.splitlines()
    assert kpi[0] == "history of KPI-D1"
    assert kpi[-1] == "    reading MYS 2019 revised: 17.5 -> 18"
    untouched = json.loads(cli("history", "A-1-2.1", "--json").stdout)
    assert len(untouched) == 1  # created, never changed since
    unknown = cli("history", "Z-9")
    assert unknown.exit_code == 1 and "in no commit" in unknown.stderr


def test_pull_request_range_with_a_new_error(cli: Cli, repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    path = repo / "plan" / "goals" / "B.yaml"
    path.write_text(path.read_text().replace("due_year: 2018", "due_year: 2031"))
    # uncommitted: the default range is merge-base(main) .. working tree
    worktree = json.loads(cli("diff", "--format", "json").stdout)
    assert worktree["to"] == "WORKTREE"
    assert [(p["code"], p["line"]) for p in worktree["problems_introduced"]] == [
        ("R-TIMEFRAME", 45),
        ("R-YEAR", 46),
    ]  # '2018' as printed no longer matches
    assert worktree["changed"] == [
        {
            "id": "B-2-1.3",
            "kind": "action_line",
            "fields": [{"field": "due_year", "old": 2018, "new": 2031}],
        }
    ]
    git(repo, "commit", "-q", "-am", "Move B-2-1.3 to 2031")
    markdown = cli("diff", "main", "feature", "--format", "markdown").stdout
    assert markdown.startswith("## Plan changes: `main` → `feature`\n")
    assert (
        "| plan/goals/B.yaml:46:13 | error | due year 2031 is outside the plan period "
        "2016-2025 `R-YEAR` |"
    ) in markdown
    annotations = cli("validate", "--format", "github")
    assert annotations.exit_code == 1
    assert annotations.stdout.splitlines()[1] == (
        "::error file=plan/goals/B.yaml,line=46,col=13,title=R-YEAR::outcomes[1].actions[0]."
        "lines[1].due_year: due year 2031 is outside the plan period 2016-2025"
    )
    fixed = cli("diff", "feature", "main", "--format", "json")
    assert [p["code"] for p in json.loads(fixed.stdout)["problems_fixed"]] == [
        "R-TIMEFRAME",
        "R-YEAR",
    ]


def test_diff_with_no_change(cli: Cli, repo: Path) -> None:
    assert cli("diff", "HEAD", "--format", "markdown").stdout.endswith("No changes to the plan.\n")
    assert cli("diff", "HEAD").stdout.splitlines()[-1] == "no changes to the plan"


def test_diff_outside_git_is_a_clear_error(cli: Cli, plan_copy: Path) -> None:
    result = cli("diff", "HEAD~1")  # a usage error since the git reads were rewritten
    assert result.exit_code == 2
    assert result.stderr == "sapsmed: plan is not in a git work tree\n"


def test_unknown_revision(cli: Cli, repo: Path) -> None:
    result = cli("diff", "no-such-branch")
    assert result.exit_code == 1
    assert "no-such-branch" in result.stderr and "Traceback" not in result.stderr


# --- CI, pre-commit, init, export ---------------------------------------------------------


def workflow_runs(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text())
    return [step["run"] for step in data["jobs"]["plan"]["steps"] if "run" in step]


def test_workflow_runs_the_commands_the_tests_run() -> None:
    path = ROOT / ".github" / "workflows" / "plan.yml"
    data = yaml.safe_load(path.read_text())
    assert data[True]["pull_request"]["paths"] == ["plan/**"]  # PyYAML reads `on` as True
    runs = workflow_runs(path)
    assert runs == [
        "pip install .",
        "sapsmed validate --format github",
        'sapsmed diff "origin/${{ github.base_ref }}" --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ]
    checkout = data["jobs"]["plan"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0  # diff needs the base revision


def test_pre_commit_hook_definition() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook == {
        "id": "sapsmed-validate",
        "name": "sapsmed validate",
        "description": hook["description"],
        "entry": "sapsmed validate",
        "language": "python",
        "pass_filenames": False,
        "files": "^plan/",
    }


def test_init_makes_a_plan_that_validates(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "sap-smed-2026"
    result = cli("init", str(target), "--title", "ASEAN SAP SMED 2026-2035")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"check it with: sapsmed --plan {target} validate"
    assert cli("--plan", str(target), "validate").stdout == "ok: 4 files, no problems\n"
    assert cli("--plan", str(target / "plan"), "status").exit_code == 0
    for path in (target / "plan").rglob("*.yaml"):
        first = path.read_text().splitlines()[0]
        schema = (path.parent / first.split("$schema=")[1]).resolve()
        assert schema.is_file() and schema.parent == (target / "schemas").resolve()
    ours = workflow_runs(ROOT / ".github" / "workflows" / "plan.yml")
    assert workflow_runs(target / ".github" / "workflows" / "plan.yml") == [
        "pip install sapsmed",
        *ours[1:],
    ]
    again = cli("init", str(target))
    assert again.exit_code == 1 and "exists already" in again.stderr


def test_init_for_a_national_plan(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "mys"
    assert (
        cli(
            "init", str(target), "--start", "2021", "--end", "2030", "--countries", "MYS=Malaysia"
        ).exit_code
        == 0
    )
    assert cli("--plan", str(target), "validate").exit_code == 0
    assert cli("init", str(tmp_path / "x"), "--countries", "MYS").exit_code == 2


@pytest.mark.parametrize(
    "title",
    ["ASEAN SME plan: 2026-2035", "Plan #2", "a\nkey: injected", "yes", "- [x]", "\u2028\x1b[2J"],
)
def test_init_writes_any_title_and_name_as_text(cli: Cli, tmp_path: Path, title: str) -> None:
    """The title and names were pasted into YAML: a colon broke the plan, `#` cut it short."""
    from sapsmed.validate.validation import validate

    target = tmp_path / "p"
    result = cli(
        "init", str(target), "--title", title, "--countries", f"MYS=Malaysia: {{x}} #1,TLS={title}"
    )
    assert result.exit_code == 0, result.stderr
    plan = validate(target / "plan").plan
    assert plan is not None
    assert plan.meta["title"] == plan.meta["short_title"] == title
    assert [(c["id"], c["name"]) for c in plan.countries.values()] == [
        ("MYS", "Malaysia: {x} #1"),
        ("TLS", title.strip()),
    ]  # names are trimmed


def test_init_without_outcomes_a_region_and_one_year(cli: Cli, tmp_path: Path) -> None:
    from sapsmed.validate.validation import validate

    target = tmp_path / "lao"
    region = 'Lao PDR: "all provinces" #1'
    args = ["--no-outcomes", "--region", region, "--start", "2026", "--end", "2026"]
    assert cli("init", str(target), *args).exit_code == 0
    plan = validate(target / "plan").plan
    assert plan is not None
    assert (plan.meta["levels"], plan.meta["region"]) == (["goal", "action", "line"], region)
    assert [p["id"] for p in plan.meta["phases"]] == ["first-phase"]  # one year, one phase
    goal = plan.goals[0]
    assert (goal["outcomes"], [a["id"] for a in goal["actions"]]) == ([], ["A-1"])
    assert list(plan.lines) == ["A-1.1"]
    status = cli("--plan", str(target), "status", "--as-of", "2026-06-30")
    assert status.stdout.splitlines()[:2] == [
        "Goal A: The first strategic goal (replace)  (champions: BRN)",
        "  A-1  The first action (replace)",
    ]
    assert cli("init", str(tmp_path / "none"), "--region", "").exit_code == 0
    assert "region" not in (tmp_path / "none" / "plan" / "plan.yaml").read_text()


def test_init_checks_the_plan_before_writing_it(tmp_path: Path) -> None:
    from sapsmed.write.scaffold import check
    from sapsmed.yamlio.edit import EditRefused

    plan = tmp_path / "p" / "plan"
    texts = {plan / "plan.yaml": "title: [unclosed\n", plan / "countries.yaml": "x: 1\n"}
    with pytest.raises(EditRefused) as refused:
        check(plan, texts)
    assert {p.code for p in refused.value.problems} >= {"Y-SYNTAX", "F-MISSING"}
    assert not (tmp_path / "p").exists()


def test_init_writes_the_install_it_is_told(cli: Cli, tmp_path: Path) -> None:
    spec = "git+https://example.org/sapsmed.git#egg=sapsmed"  # a '#' that YAML would cut
    result = cli("init", str(tmp_path / "p"), "--install", spec)
    assert result.exit_code == 0
    assert workflow_runs(tmp_path / "p" / ".github" / "workflows" / "plan.yml")[0] == (
        f"pip install {spec}"
    )


def test_init_counts_timor_leste_and_checks_its_values(cli: Cli, tmp_path: Path) -> None:
    from sapsmed.validate.validation import validate

    assert cli("init", str(tmp_path / "a")).exit_code == 0
    plan = validate(tmp_path / "a" / "plan").plan
    assert plan is not None and len(plan.countries) == 11 and "TLS" in plan.countries
    joined = {c["id"]: c["joined"] for c in plan.countries.values() if c["joined"]}
    assert joined == {"TLS": "2025-10-26"}  # ASEAN's 11th member state
    # a plan of other member states: no ASEAN region, no ASEAN accession date
    assert (
        cli("init", str(tmp_path / "c"), "--countries", "FRA=France,TLS=Timor-Leste").exit_code == 0
    )
    other = validate(tmp_path / "c" / "plan").plan
    assert other is not None and other.meta["region"] is None
    assert [c["joined"] for c in other.countries.values()] == [None, None]
    for args in (
        ["--countries", "MY=x"],
        ["--countries", "MYS=a,MYS=b"],
        ["--start", "10"],
        ["--start", "2030", "--end", "2020"],
    ):
        result = cli("init", str(tmp_path / "b"), *args)
        assert result.exit_code == 2, args
        assert not (tmp_path / "b").exists()


def test_export_json_and_csv(cli: Cli, plan_copy: Path) -> None:
    data = json.loads(cli("export", "--as-of", "2026-11-28").stdout)
    assert data["plan"]["title"] == "ASEAN Strategic Action Plan for SME Development 2016-2025"
    assert len(data["lines"]) == 12 and len(data["readings"]) == 1210
    assert data["readings"][0] == {
        "kpi": "KPI-A1",
        "country": "BRN",
        "year": 1991,
        "value": data["readings"][0]["value"],
        "source": data["readings"][0]["source"],
        "vintage": None,
    }
    rows = list(
        csv.reader(io.StringIO(cli("export", "--format", "csv", "--table", "readings").stdout))
    )
    assert rows[0] == ["kpi", "country", "year", "value", "source", "vintage"]
    assert len(rows) == 1211
    lines = list(csv.reader(io.StringIO(cli("export", "--format", "csv").stdout)))
    assert len(lines) == 13 and lines[0][0] == "id"


def test_markdown_diff_is_cut_for_the_job_summary(cli: Cli, repo: Path) -> None:
    path = repo / "plan" / "readings" / "KPI-E1.yaml"
    text = path.read_text()
    lines = [ln for ln in text.splitlines() if ln.startswith("      - [")]
    revised = text
    for ln in lines:  # every value + 1: 360 readings revised
        head, value = ln.rsplit(", ", 1)
        revised = revised.replace(ln + "\n", f"{head}, {float(value[:-1]) + 1:g}]\n", 1)
    path.write_text(revised)
    out = cli("diff", "HEAD", "--format", "markdown").stdout
    assert "KPI readings revised (360):" in out
    assert "... and 160 more (`sapsmed diff` in a terminal lists them all)" in out
    assert out.count("| KPI-E1 |") == 200
    assert len(cli("diff", "HEAD").stdout.splitlines()) == 361


def test_docs_history_example_matches(cli: Cli, progressed: Path) -> None:
    import re

    from .docs import text_block

    _, block = text_block("$ sapsmed history B-2-1.3 --as-of 2020-06-30\n")
    shown = block.split("\n", 1)[1]
    actual = cli("history", "B-2-1.3", "--as-of", "2020-06-30").stdout
    sha = re.compile(r"\b[0-9a-f]{12}\b")
    assert sha.sub("<sha>", shown) == sha.sub("<sha>", actual)
