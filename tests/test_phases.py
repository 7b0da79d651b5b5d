"""The plan's phases (inside the period, in order, no overlap, gaps warned) and the phase the
mid-term review covers (`mid_term_review.phase`), on real YAML: a copy of the frozen plan
with plan.yaml edited, validated by the CLI."""

from __future__ import annotations

from pathlib import Path

from .conftest import Cli

AS_OF = "2026-11-28"
FIRST = "  - id: post-integration\n    name: Post Integration Period\n    start_year: 2016\n"
SECOND = "    start_year: 2021\n    end_year: 2025\n"
REVIEW = "mid_term_review:\n  due_year: 2020\n"


def edit(plan: Path, old: str, new: str) -> None:
    path = plan / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def findings(cli: Cli) -> list[str]:
    """Each finding as 'path: severity: message [CODE]', without the file position."""
    out = cli("validate", "--as-of", AS_OF).stdout
    return [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("plan/")]


def test_the_shipped_phases_are_clean(cli: Cli, plan_copy: Path) -> None:
    result = cli("validate", "--as-of", AS_OF)
    assert result.exit_code == 0 and "R-PHASE" not in result.stdout


def test_overlapping_phases(cli: Cli, plan_copy: Path) -> None:
    edit(plan_copy, SECOND, "    start_year: 2019\n    end_year: 2025\n")
    assert findings(cli) == [
        "phases[1].start_year: error: phase 'global-expansion' (2019-2025) overlaps phase "
        "'post-integration' (2016-2020) [R-PHASE]"
    ]
    assert cli("validate", "--as-of", AS_OF).exit_code == 1


def test_a_phase_after_the_plan_end(cli: Cli, plan_copy: Path) -> None:
    edit(plan_copy, SECOND, "    start_year: 2021\n    end_year: 2027\n")
    assert findings(cli) == [
        "phases[1]: error: phase 'global-expansion' (2021-2027) is not inside the plan "
        "period 2016-2025 [R-PHASE]"
    ]


def test_phases_out_of_order(cli: Cli, plan_copy: Path) -> None:
    edit(plan_copy, SECOND, "    start_year: 2016\n    end_year: 2020\n")
    edit(plan_copy, FIRST + "    end_year: 2020\n", FIRST.replace("2016", "2021") + SECOND[21:])
    assert findings(cli) == [
        "phases[1].start_year: error: phase 'global-expansion' (2016-2020) is listed after "
        "phase 'post-integration' (2021-2025): list phases in order [R-PHASE]"
    ]


def test_a_gap_between_phases_is_a_warning(cli: Cli, plan_copy: Path) -> None:
    edit(plan_copy, SECOND, "    start_year: 2022\n    end_year: 2025\n")
    assert findings(cli) == [
        "phases[1].start_year: warning: no phase covers 2021, between phase "
        "'post-integration' (2016-2020) and phase 'global-expansion' (2022-2025) [R-PHASE-GAP]"
    ]
    assert cli("validate", "--as-of", AS_OF).exit_code == 0


def test_phase_ids_are_unique(cli: Cli, plan_copy: Path) -> None:
    edit(plan_copy, "  - id: global-expansion\n", "  - id: post-integration\n")
    assert findings(cli) == [
        "phases[1].id: error: phase 'post-integration' is already used at plan.yaml:21 "
        "[R-DUPLICATE-ID]"
    ]


def test_an_unknown_mid_term_review_phase(cli: Cli, plan_copy: Path) -> None:
    edit(plan_copy, REVIEW, REVIEW + "  phase: global-expansoin\n")
    assert findings(cli) == [
        "mid_term_review.phase: error: phase 'global-expansoin' does not exist; did you "
        "mean 'global-expansion'? [R-REFERENCE]"
    ]


def test_the_mid_term_report_follows_the_named_phase(cli: Cli, plan_copy: Path) -> None:
    before = cli("report", "--mid-term", "--as-of", "2025-12-31").stdout
    assert "mid-term review of the phase Post Integration Period (2016-2020)" in before
    edit(plan_copy, REVIEW, REVIEW + "  phase: global-expansion\n")  # due 2020, names 2021-2025
    after = cli("report", "--mid-term", "--as-of", "2025-12-31")
    assert after.exit_code == 0, after.stdout + after.stderr
    assert "mid-term review of the phase Global Expansion Period (2021-2025)" in after.stdout
    assert "Priority: To become globally competitive, innovative, inclusive and resilient." in (
        after.stdout
    )


def test_without_a_phase_the_review_covers_the_due_years_phase_else_the_first(
    cli: Cli, plan_copy: Path
) -> None:
    edit(plan_copy, REVIEW, "mid_term_review:\n  due_year: 2023\n")
    out = cli("report", "--mid-term", "--as-of", "2025-12-31").stdout
    assert "mid-term review of the phase Global Expansion Period (2021-2025)" in out
    # in no phase (a gap year between the two): the first
    edit(plan_copy, "    start_year: 2021\n", "    start_year: 2022\n")
    edit(plan_copy, "  due_year: 2023\n", "  due_year: 2021\n")
    out = cli("report", "--mid-term", "--as-of", "2025-12-31").stdout
    assert "mid-term review of the phase Post Integration Period (2016-2020)" in out
