"""Action line edits: `line add`, `line set`, `line remove`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sapsmed.cli.common import DryRun, Wait, edit_plan, guard
from sapsmed.cli.progress import Level

app = typer.Typer(
    help="Add, change and remove action lines (checked, validated edits of the YAML).",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def split(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


@app.command("add")
@guard
def line_add(
    action_id: Annotated[str, typer.Argument(metavar="ACTION", help="The action, e.g. B-2-1.")],
    title: Annotated[str, typer.Option("--title", help="The line's title.")],
    due: Annotated[int, typer.Option("--due", metavar="YEAR", min=1000, max=9999)],
    lead: Annotated[str, typer.Option("--lead", metavar="ISO3,...", help="Lead countries.")],
    level: Annotated[Level, typer.Option("--level", help="regional or national.")],
    timeframe: Annotated[
        Optional[str], typer.Option("--timeframe", help='As printed (default "By YEAR").')
    ] = None,
    theme: Annotated[Optional[list[str]], typer.Option("--theme", help="A theme id.")] = None,
    measure: Annotated[
        Optional[list[str]], typer.Option("--measure", help="A type of measure id.")
    ] = None,
    pathway: Annotated[Optional[str], typer.Option("--pathway", help="A pathway id.")] = None,
    depends_on: Annotated[
        Optional[str], typer.Option("--depends-on", metavar="LINE,...", help="Lines it needs.")
    ] = None,
    planned_start: Annotated[
        Optional[str], typer.Option("--planned-start", metavar="YYYY-MM-DD")
    ] = None,
    line_id: Annotated[
        Optional[str], typer.Option("--id", metavar="LINE", help="Its id (default: the next).")
    ] = None,
    dry_run: DryRun = False,
    wait: Wait = 30.0,
) -> None:
    """Add an action line to an action (its id: the next free number, or --id).

    Example: sapsmed line add B-2-1 --title "SME finance guide" --due 2025 --lead MYS
    --level regional --theme service-centre
    """
    from sapsmed.write.lines import add_line, field_value

    fields = {
        "title": title,
        "timeframe": timeframe if timeframe is not None else f"By {due}",
        "due_year": due,
        "lead": field_value("lead", lead) or [],
        "level": level.value,
        "types_of_measures": measure or [],
        "pathway": pathway,
        "themes": theme or [],
        "dependencies": split(depends_on),
        "planned_start": field_value("planned_start", planned_start or ""),
    }
    edit_plan(add_line(action_id, fields, line_id), dry_run, wait)


@app.command("set")
@guard
def line_set(
    line_id: Annotated[str, typer.Argument(metavar="LINE", help="An action line id.")],
    assignments: Annotated[
        list[str],
        typer.Argument(
            metavar="FIELD=VALUE...",
            help="title, due_year, timeframe, lead, level, themes, types_of_measures "
            "(or measure), pathway, dependencies, planned_start; lists comma-separated; "
            "an empty value removes an optional field.",
        ),
    ],
    dry_run: DryRun = False,
    wait: Wait = 30.0,
) -> None:
    """Change fields of an action line.

    Example: sapsmed line set B-2-1.3 due_year=2021 "timeframe=By 2021" themes=
    """
    from sapsmed.write.lines import set_fields

    pairs = []
    for item in assignments:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise typer.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="FIELD=VALUE")
        pairs.append((name.strip(), value))
    edit_plan(set_fields(line_id, pairs), dry_run, wait)


@app.command("remove")
@guard
def line_remove(
    line_id: Annotated[str, typer.Argument(metavar="LINE", help="An action line id.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Remove it even if it has updates or other lines depend on it (their "
            "dependencies on it go too).",
        ),
    ] = False,
    dry_run: DryRun = False,
    wait: Wait = 30.0,
) -> None:
    """Remove an action line (refused while it has updates or dependants, unless --force).

    Example: sapsmed line remove B-2-1.3 --dry-run
    """
    from sapsmed.write.lines import remove_line

    edit_plan(remove_line(line_id, force), dry_run, wait)
