"""`sapsmed line add`, `line set`, `line remove`: checked, validated edits of the YAML, on a
plan with outcomes and on one without; refusals leave every byte, dry runs write nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sapsmed.base.errors import SapsmedError
from sapsmed.validate.validation import validate
from sapsmed.write.edits import apply_edit
from sapsmed.write.lines import set_fields
from tests.conftest import ok

from .conftest import SMALL, Cli
from .test_exact_writes import files

B_END = "            themes: [service-centre]\n"  # the end of B.yaml: B-2-1.3, B-2-1's last line


def test_line_add_takes_the_next_id_and_writes_only_the_new_line(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    old = path.read_text()
    assert old.endswith(B_END)
    out = ok(
        cli,
        "line",
        "add",
        "B-2-1",
        "--title",
        'SME "finance" guide: #1',
        "--due",
        "2025",
        "--lead",
        "mys,LAO",
        "--level",
        "regional",
        "--theme",
        "service-centre",
        "--depends-on",
        "B-2-1.3",
        "--planned-start",
        "2024-01-15",
    )
    assert out == "added B-2-1.4 to B-2-1 in plan/goals/B.yaml\n"
    assert path.read_text() == old + (
        '          - id: "B-2-1.4"\n'
        '            title: "SME \\"finance\\" guide: #1"\n'
        '            timeframe: "By 2025"\n'
        "            due_year: 2025\n"
        "            lead: [MYS, LAO]\n"
        "            level: regional\n"
        "            themes: [service-centre]\n"
        '            dependencies: ["B-2-1.3"]\n'
        "            planned_start: 2024-01-15\n"
    )
    assert ok(cli, "validate").startswith("ok")


def test_line_add_with_an_id_goes_in_number_order(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    old = path.read_text()
    args = ["line", "add", "B-2-1", "--title", "First", "--due", "2019", "--lead", "MYS"]
    ok(cli, *args, "--level", "national", "--timeframe", "2019", "--id", "B-2-1.1")
    assert path.read_text() == old.replace(
        "        lines:\n          - id: B-2-1.2\n",
        "        lines:\n"
        '          - id: "B-2-1.1"\n'
        "            title: First\n"
        '            timeframe: "2019"\n'
        "            due_year: 2019\n"
        "            lead: [MYS]\n"
        "            level: national\n"
        "          - id: B-2-1.2\n",
    )
    for wrong in ("B-2-1.2", "B-2-2.9", "B-2-1.x"):
        result = cli(*args, "--level", "national", "--id", wrong)
        assert result.exit_code == 2, (wrong, result.stderr)


def test_line_add_under_a_goal_without_outcomes(cli: Cli, successor: Path) -> None:
    path = successor / "goals" / "G2.yaml"
    old = path.read_text()
    ok(
        cli,
        "line",
        "add",
        "G2-1",
        "--title",
        "Fair",
        "--due",
        "2027",
        "--lead",
        "THA",
        "--level",
        "regional",
    )
    assert old.endswith("        lead: [IDN, THA]\n        level: regional\n")
    assert path.read_text() == old + (
        '      - id: "G2-1.3"\n        title: Fair\n        timeframe: "By 2027"\n'
        "        due_year: 2027\n        lead: [THA]\n        level: regional\n"
    )


def test_line_add_that_would_be_invalid_is_refused(cli: Cli, plan_copy: Path) -> None:
    before = files(plan_copy)
    result = cli(
        "line", "add", "B-2-1", "--title", "T", "--due", "2025", "--lead", "MYS",
        "--level", "regional", "--theme", "nonesuch",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "theme 'nonesuch' does not exist [R-REFERENCE]" in result.stderr
    assert files(plan_copy) == before


def test_line_add_unknown_action_says_what_it_meant(cli: Cli, plan_copy: Path) -> None:
    result = cli(
        "line", "add", "B-2-9", "--title", "T", "--due", "2025", "--lead", "MYS",
        "--level", "regional",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "did you mean B-2-1" in result.stderr


def test_line_add_dry_run_prints_the_diff_and_writes_nothing(cli: Cli, plan_copy: Path) -> None:
    before = files(plan_copy)
    result = cli(
        "line", "add", "B-2-1", "--title", "T", "--due", "2025", "--lead", "MYS",
        "--level", "regional", "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("--- a/plan/goals/B.yaml\n+++ b/plan/goals/B.yaml\n@@ ")
    assert '+          - id: "B-2-1.4"\n+            title: T\n' in result.stdout
    assert result.stderr == "sapsmed: dry run: nothing was written\n"
    assert files(plan_copy) == before


def test_line_set_replaces_adds_and_removes_fields(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    old = path.read_text()
    out = ok(
        cli,
        "line",
        "set",
        "B-2-1.2",
        "title=Micro finance\u2028programmes",
        "due_year=2021",
        "timeframe=By 2021",
        "themes=",
        "measure=",
        "pathway=",
        "planned_start=2019-03-01",
        "lead=lao",
    )
    assert out.startswith("set B-2-1.2 ")
    assert path.read_text() == old.replace(
        "            title: Developing micro financing programmes for micro enterprises\n"
        "            timeframe: By 2020\n"
        "            due_year: 2020\n"
        "            lead: [MYS, LAO]\n"
        "            level: national\n"
        "            themes: [micro-enterprises]\n"
        '            # Erratum: Appendix C prints this action as "A-2-1)" under goal B.\n'
        "            printed_as: {action: A-2-1}\n",
        '            title: "Micro finance\\Lprogrammes"\n'
        '            timeframe: "By 2021"\n'
        "            due_year: 2021\n"
        "            lead: [LAO]\n"
        "            level: national\n"
        '            # Erratum: Appendix C prints this action as "A-2-1)" under goal B.\n'
        "            printed_as: {action: A-2-1}\n"
        "            planned_start: 2019-03-01\n",
    )


@pytest.mark.parametrize(
    "assignment",
    ["due_year=20x1", "level=global", "colour=red", "title=", "planned_start=tomorrow", "nokey"],
)
def test_line_set_wrong_values_are_usage_errors(cli: Cli, plan_copy: Path, assignment: str) -> None:
    before = files(plan_copy)
    result = cli("line", "set", "B-2-1.2", assignment)
    assert result.exit_code == 2, result.stderr
    assert files(plan_copy) == before


def test_line_set_refused_and_dry_run(cli: Cli, plan_copy: Path) -> None:
    before = files(plan_copy)
    refused = cli("line", "set", "B-2-1.2", "measure=x")
    assert refused.exit_code == 1
    assert "type of measure 'x' does not exist" in refused.stderr
    assert files(plan_copy) == before
    dry = cli("line", "set", "B-2-1.2", "level=regional", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "-            level: national\n+            level: regional\n" in dry.stdout
    assert files(plan_copy) == before
    unknown = cli("line", "set", "B-2-1.22", "level=regional")
    assert unknown.exit_code == 1 and "did you mean" in unknown.stderr


def test_line_set_on_a_plan_without_outcomes(cli: Cli, successor: Path) -> None:
    path = successor / "goals" / "G2.yaml"
    old = path.read_text()
    ok(cli, "line", "set", "G2-1.2", "lead=IDN")
    assert path.read_text() == old.replace(
        "        due_year: 2032\n        lead: [IDN, THA]\n",
        "        due_year: 2032\n        lead: [IDN]\n",
    )


def test_line_remove_refused_while_depended_on_then_forced(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    original = path.read_text()
    ok(cli, "line", "set", "B-2-1.3", "dependencies=B-2-1.2")
    before = files(plan_copy)
    refused = cli("line", "remove", "B-2-1.2")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "sapsmed: B-2-1.2 is not removed: B-2-1.3 depend(s) on it (--force removes it anyway)\n"
    )
    assert files(plan_copy) == before
    dry = cli("line", "remove", "B-2-1.2", "--force", "--dry-run")
    assert dry.exit_code == 0 and "-          - id: B-2-1.2\n" in dry.stdout
    assert files(plan_copy) == before
    out = ok(cli, "line", "remove", "B-2-1.2", "--force")
    assert out == ("removed B-2-1.2 (and from the dependencies of B-2-1.3) in plan/goals/B.yaml\n")
    start = original.index("          - id: B-2-1.2\n")
    end = original.index("          - id: B-2-1.3\n")
    assert path.read_text() == original[:start] + original[end:]


def test_line_remove_refused_while_it_has_updates(cli: Cli, successor: Path) -> None:
    before = files(successor)
    result = cli("line", "remove", "G2-1.1")
    assert result.exit_code == 1
    assert "it has 1 update(s)" in result.stderr
    assert files(successor) == before
    old = (successor / "goals" / "G2.yaml").read_text()
    ok(cli, "line", "remove", "G2-1.1", "--force")
    start, end = old.index("      - id: G2-1.1\n"), old.index("      - id: G2-1.2\n")
    assert (successor / "goals" / "G2.yaml").read_text() == old[:start] + old[end:]


def test_a_forced_remove_edits_every_file_that_depends_on_it(cli: Cli, plan_copy: Path) -> None:
    goal_a = plan_copy / "goals" / "A.yaml"
    ok(cli, "line", "set", "A-1-2.1", "dependencies=B-2-1.2")
    ok(cli, "line", "set", "B-2-1.3", "dependencies=B-2-1.2")
    with_dependency = goal_a.read_text()
    out = ok(cli, "line", "remove", "B-2-1.2", "--force")
    assert out == (
        "removed B-2-1.2 (and from the dependencies of A-1-2.1, B-2-1.3) in "
        "plan/goals/A.yaml, plan/goals/B.yaml\n"
    )
    assert "dependencies" not in goal_a.read_text()
    assert len(with_dependency) - len(goal_a.read_text()) == len(
        '            dependencies: ["B-2-1.2"]\n'
    )
    assert ok(cli, "validate").startswith("ok")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=30).filter(str.strip), st.text(max_size=20))
def test_any_title_and_timeframe_read_back_and_other_files_stay(title: str, frame: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "plan"
        shutil.copytree(SMALL, root)
        os.environ["SAPSMED_NO_CACHE"] = "1"
        try:
            before = files(root)
            pairs = [("title", title)] + ([("timeframe", frame)] if frame else [])
            try:
                apply_edit(root, set_fields("A-1-1.1", pairs))
            except SapsmedError as exc:  # refused (a timeframe not naming the year is a
                assert files(root) == before, exc  # warning only; text never breaks)
                return
            line = validate(root).plan.lines["A-1-1.1"].line  # type: ignore[union-attr]
            assert line["title"] == title
            assert not frame or line["timeframe"] == frame
            after = files(root)
            assert {k: v for k, v in after.items() if k != "goals/A.yaml"} == {
                k: v for k, v in before.items() if k != "goals/A.yaml"
            }
        finally:
            del os.environ["SAPSMED_NO_CACHE"]
