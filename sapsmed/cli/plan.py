"""Commands on the plan as data: validate, show, status, schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from sapsmed.cli.common import AsJson, AsOf, chosen_plan, fancy, guard, load, parse_date, write
from sapsmed.render.text import Format


@guard
def validate(
    fmt: Annotated[
        Format, typer.Option("--format", help="text, json, or github annotations.")
    ] = Format.text,
    as_of: AsOf = None,
) -> None:
    """Check the whole plan and list every problem as file:line:col.

    Exit 0 when there are no errors (warnings allowed), 1 when there are, 2 when it cannot
    run.

    Example: sapsmed validate --format github
    """
    from sapsmed.domain.plan import find_plan_dir
    from sapsmed.render.text import PROBLEM_RENDERERS
    from sapsmed.validate.validation import validate as run

    root = find_plan_dir(chosen_plan(), shipped=False)  # checking the shipped copy says nothing
    result = run(root, assemble=False, as_of=parse_date(as_of))
    write(PROBLEM_RENDERERS[fmt](result.problems, result.files))
    raise typer.Exit(0 if result.ok else 1)


@guard
def show(
    entity_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A goal, outcome, action, action line, KPI, country or theme id."
        ),
    ],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Show one entity of the plan by its id.

    Example: sapsmed show B-2-1.3
    """
    from sapsmed.monitor.views import show as view
    from sapsmed.render.text import as_json as dump
    from sapsmed.render.text import entity_text

    data = view(load(), entity_id, parse_date(as_of))
    write(dump(data) if as_json else entity_text(data))


@guard
def status(
    goal: Annotated[Optional[str], typer.Option("--goal", help="A goal letter, A-E.")] = None,
    country: Annotated[
        Optional[str], typer.Option("--country", help="An ISO alpha-3 code.")
    ] = None,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Where a goal, a country or the whole plan stands.

    Lists the action lines with status, due year, lead and an overdue flag, counts them,
    and shows each KPI's latest reading per country.

    Example: sapsmed status --goal B --as-of 2021-01-01
    """
    from sapsmed.monitor.views import status as view
    from sapsmed.render.text import as_json as dump
    from sapsmed.render.text import status_text

    day = parse_date(as_of)
    data = view(load(), day, goal.upper() if goal else None, country.upper() if country else None)
    if as_json:
        write(dump(data))
    elif fancy():
        from sapsmed.cli.tty import print_status

        print_status(data)
    else:
        write(status_text(data))


@guard
def schema(
    folder: Annotated[
        Path, typer.Argument(help="Where to write the schemas.", file_okay=False)
    ] = Path("schemas"),
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 if the schemas in FOLDER differ from the models."
        ),
    ] = False,
) -> None:
    """Write the JSON Schemas of the plan files (generated from the models).

    Example: sapsmed schema schemas/
    """
    from sapsmed.domain import schemas

    if check:
        stale = [
            name
            for name, text in schemas.generate().items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            write(f"{folder / name}: out of date; run `sapsmed schema {folder}`\n")
        raise typer.Exit(1 if stale else 0)
    for path in schemas.write(folder):
        write(f"wrote {path}\n")
