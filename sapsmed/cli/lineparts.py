"""What an action line records beside its log: budget, personnel, output, risk."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from sapsmed.cli.common import DryRun, Wait, edit_plan, guard, parse_date
from sapsmed.cli.progress import choice
from sapsmed.domain.vocabulary import QUALITIES, RISK_LEVELS

if TYPE_CHECKING:
    from sapsmed.cli.progress import Word

    Quality = Word
    RiskLevel = Word
else:
    Quality = choice("Quality", QUALITIES)
    RiskLevel = choice("RiskLevel", RISK_LEVELS)

LineId = Annotated[str, typer.Argument(metavar="LINE", help="An action line id.")]


def day(value: str | None) -> date | None:
    return None if value is None else parse_date(value)


@guard
def budget(
    line_id: LineId,
    planned: Annotated[float, typer.Option("--planned", min=0, help="The amount planned.")],
    currency: Annotated[str, typer.Option("--currency", metavar="XXX", help="ISO 4217 code.")],
    spent: Annotated[
        Optional[float],
        typer.Option("--spent", min=0, help="The amount spent (default: as recorded)."),
    ] = None,
    dry_run: DryRun = False,
    wait: Wait = 30.0,
) -> None:
    """Set an action line's budget (the flag over_budget compares spent with planned).

    Example: sapsmed budget B-2-1.3 --planned 50000 --spent 12000 --currency USD
    """
    from sapsmed.write.lineparts import set_budget

    edit_plan(set_budget(line_id, planned, currency, spent), dry_run, wait)


@guard
def personnel(
    line_id: LineId,
    planned: Annotated[float, typer.Option("--planned", min=0, help="Person-months planned.")],
    used: Annotated[
        Optional[float],
        typer.Option("--used", min=0, help="Person-months used (default: as recorded)."),
    ] = None,
    dry_run: DryRun = False,
    wait: Wait = 30.0,
) -> None:
    """Set an action line's personnel, in person-months.

    Example: sapsmed personnel B-2-1.3 --planned 18 --used 4
    """
    from sapsmed.write.lineparts import set_personnel

    edit_plan(set_personnel(line_id, planned, used), dry_run, wait)


@guard
def output(
    line_id: LineId,
    title: Annotated[str, typer.Argument(metavar="TEXT", help="The output's title.")],
    quality: Annotated[Optional[Quality], typer.Option("--quality")] = None,
    delivered: Annotated[
        Optional[str], typer.Option("--delivered", metavar="YYYY-MM-DD", help="Delivery date.")
    ] = None,
    dry_run: DryRun = False,
    wait: Wait = 30.0,
) -> None:
    """Record an output of an action line (one with the same title is updated).

    Example: sapsmed output B-2-1.3 "Portal launched" --quality good --delivered 2019-05-02
    """
    from sapsmed.write.lineparts import add_output

    build = add_output(line_id, title, quality.value if quality else None, day(delivered))
    edit_plan(build, dry_run, wait)


@guard
def risk(
    line_id: LineId,
    description: Annotated[str, typer.Argument(metavar="TEXT", help="What the risk is.")],
    level: Annotated[Optional[RiskLevel], typer.Option("--level")] = None,
    mitigation: Annotated[Optional[str], typer.Option("--mitigation")] = None,
    closed: Annotated[
        Optional[str],
        typer.Option("--closed", metavar="YYYY-MM-DD", help="Close it on this day."),
    ] = None,
    dry_run: DryRun = False,
    wait: Wait = 30.0,
) -> None:
    """Record a risk to an action line, or close it with --closed.

    The open risk with the same text is updated (level, mitigation) or closed; a new text is
    a new risk, recorded closed if --closed is given.

    Example: sapsmed risk B-2-1.3 "Banks slow to join" --level high --mitigation "MoUs"
    """
    from sapsmed.write.lineparts import add_risk

    build = add_risk(line_id, description, level.value if level else None, mitigation, day(closed))
    edit_plan(build, dry_run, wait)
