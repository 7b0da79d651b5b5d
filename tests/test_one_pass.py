"""`validate` reports all of a file's problems in one pass: a file that fails its schema is
still checked against the other files, as far as it can be read (what salvage kept)."""

from __future__ import annotations

from pathlib import Path

from sapsmed.validate.validation import validate

from .conftest import Cli

AS_OF = "2026-11-28"
# A line appended to the last action of goal B (after B-2-1.3, the last line of the file).
NEW_LINE = """\
          - id: B-2-1.4
            title: A line that needs two others first
            timeframe: '2019'
            due_year: 2019
            lead: [MYS]
            level: regional
            dependencies: [B-2-1.3, B-2-1.9]
"""


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the only line of ``path`` holding ``text``."""
    (number,) = [n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line]
    return number


def test_a_schema_error_no_longer_hides_a_reference_error(cli: Cli, plan_copy: Path) -> None:
    goal = plan_copy / "goals" / "B.yaml"
    text = goal.read_text().replace("themes: [micro-enterprises]", "themes: [no-such-theme]")
    goal.write_text(
        text + "            updates:\n"
        "              - {date: 2018-06-01, status: ongoing, percent: 150}\n"
    )
    result = cli("validate", "--as-of", AS_OF)
    assert result.exit_code == 1
    theme, percent = line_of(goal, "no-such-theme"), line_of(goal, "percent: 150")
    assert result.stdout.splitlines() == [
        f"plan/goals/B.yaml:{theme}:22: outcomes[1].actions[0].lines[0].themes[0]: error: "
        "theme 'no-such-theme' does not exist [R-REFERENCE]",
        f"plan/goals/B.yaml:{percent}:53: outcomes[1].actions[0].lines[1].updates[0].percent: "
        "error: percent complete is 0-100, not 150 [P-PERCENT]",
        "invalid: 2 errors, 0 warnings in 14 files",
    ]
    checked = validate(plan_copy)
    assert checked.plan is None and {p.code for p in checked.problems} == {
        "R-REFERENCE",
        "P-PERCENT",
    }


def test_a_dependency_on_a_line_cut_for_its_own_error_is_not_dangling(
    cli: Cli, plan_copy: Path
) -> None:
    goal = plan_copy / "goals" / "B.yaml"
    # B-2-1.3 cannot be read (its due year is a list): it is cut out, its id still exists
    text = goal.read_text().replace("due_year: 2018", "due_year: [2018]")
    goal.write_text(text + NEW_LINE)
    result = cli("validate", "--as-of", AS_OF)
    assert result.exit_code == 1
    due, deps = line_of(goal, "due_year: [2018]"), line_of(goal, "B-2-1.9")
    # B-2-1.4 is lines[2] in the file (lines[1] of what was kept): the file's own path
    assert result.stdout.splitlines() == [
        f"plan/goals/B.yaml:{due}:13: outcomes[1].actions[0].lines[1].due_year: error: "
        "Input should be a valid integer [S-INVALID]",
        f"plan/goals/B.yaml:{deps}:37: outcomes[1].actions[0].lines[2].dependencies[1]: "
        "error: action line 'B-2-1.9' does not exist; did you mean 'B-2-1.4'? [R-REFERENCE]",
        "invalid: 2 errors, 0 warnings in 14 files",
    ]


def test_a_line_after_a_cut_one_is_placed_on_its_own_line(cli: Cli, plan_copy: Path) -> None:
    goal = plan_copy / "goals" / "B.yaml"
    text = goal.read_text().replace("due_year: 2020", "due_year: [2020]")
    goal.write_text(text.replace("themes: [service-centre]", "themes: [service-centrex]"))
    result = cli("validate", "--as-of", AS_OF)
    theme = line_of(goal, "service-centrex")
    assert (
        f"plan/goals/B.yaml:{theme}:22: outcomes[1].actions[0].lines[1].themes[0]: error: "
        "theme 'service-centrex' does not exist; did you mean 'service-centre'? [R-REFERENCE]\n"
    ) in result.stdout
    assert result.stdout.count(": error: ") == 2


def test_what_was_cut_is_not_reported_again_elsewhere(cli: Cli, plan_copy: Path) -> None:
    # a KPI cut out of kpis.yaml: its readings do not name an unknown KPI
    kpis = plan_copy / "kpis.yaml"
    kpis.write_text(kpis.read_text().replace("direction: higher_is_better", "direction: up", 1))
    # a member state cut for its own (malformed) id: no "not a member state" everywhere
    countries = plan_copy / "countries.yaml"
    countries.write_text(countries.read_text().replace("id: SGP", "id: SGPX"))
    # the completed update of a line cut out: the line is not "completed with no date"
    goal = plan_copy / "goals" / "B.yaml"
    goal.write_text(
        goal.read_text().replace(
            "level: regional", "level: regional\n            status: completed"
        )
        + "            updates:\n"
        "              - {date: 2018-06-01, status: completed, percent: 150}\n"
    )
    result = cli("validate", "--as-of", AS_OF)
    codes = sorted(line.rsplit("[", 1)[1] for line in result.stdout.splitlines()[:-1])
    assert codes == ["P-PERCENT]", "R-ID-FORMAT]", "S-INVALID]"], result.stdout


def test_ids_below_a_goal_file_left_out_whole_exist(cli: Cli, plan_copy: Path) -> None:
    goal = plan_copy / "goals" / "B.yaml"  # an error outside any list item: nothing kept
    goal.write_text(goal.read_text().replace("title: Increase Access to Finance", "title: [x]"))
    other = plan_copy / "goals" / "D.yaml"  # its last line depends on lines of goal B
    other.write_text(other.read_text() + "            dependencies: [B-2-1.3, C-9-9.9]\n")
    result = cli("validate", "--as-of", AS_OF)
    assert "'B-2-1.3'" not in result.stdout
    assert "action line 'C-9-9.9' does not exist" in result.stdout
    assert result.stdout.count(": error: ") == 2
