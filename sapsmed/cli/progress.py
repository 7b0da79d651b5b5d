"""Progress monitoring commands: update, lines, scorecard."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional, cast

import typer

from sapsmed.cli.common import (
    AsJson,
    AsOf,
    Wait,
    find_root,
    guard,
    load,
    parse_date,
    refused_to_exit,
    waiting,
    warn,
    write,
)
from sapsmed.domain.vocabulary import FLAGS, GROUPS, LEVELS, SORTS, STATUSES


def choice(name: str, words: tuple[str, ...]) -> type[Enum]:
    """A str Enum of ``words``, for Typer to offer as an option's choices."""
    return cast("type[Enum]", Enum(name, [(word, word) for word in words], type=str))


if TYPE_CHECKING:  # members are made from the vocabulary below, at run time

    class Word(str, Enum): ...

    Status = Word
    Flag = Word
    Level = Word
    Sort = Word
    Group = Word
else:
    Status = choice("Status", STATUSES)
    Flag = choice("Flag", FLAGS)
    Level = choice("Level", LEVELS)
    Sort = choice("Sort", SORTS)
    Group = choice("Group", GROUPS)
BY_ID, BY_GOAL = Sort("id"), Group("goal")  # the defaults of --sort and --by


@guard
def update(
    line_id: Annotated[str, typer.Argument(metavar="LINE", help="An action line id.")],
    status_: Annotated[Status, typer.Option("--status", help="The line's status now.")],
    progress: Annotated[
        Optional[float],
        typer.Option("--progress", min=0, max=100, help="Percent complete, 0-100."),
    ] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What happened.")] = None,
    day: Annotated[
        Optional[str],
        typer.Option("--date", metavar="YYYY-MM-DD", help="Date of the update (default: today)."),
    ] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Who reports it.")] = None,
    country: Annotated[
        Optional[str],
        typer.Option("--country", help="The member state reporting (national-level lines)."),
    ] = None,
    source: Annotated[
        Optional[str],
        typer.Option("--source", help="The source document."),
    ] = None,
    wait: Wait = 30.0,
) -> None:
    """Record progress on an action line (adds it to its log in the YAML, in date order).

    The file is edited in place: comments and every byte outside the new entry stay as
    they were, and the edit is checked to read back exactly. The whole plan is validated
    with the change first; if it would be invalid, nothing is written. A late report (dated
    before earlier entries) goes in its place in the log.

    Example: sapsmed update B-2-1.3 --status ongoing --progress 40 --note "Portal beta"
    """
    from sapsmed.base.problems import display_path
    from sapsmed.write.updates import record_update

    root = find_root(editing=True)
    done = refused_to_exit(
        root,
        lambda: record_update(
            root,
            line_id,
            status_.value,
            parse_date(day),
            progress,
            note,
            by,
            country.upper() if country else None,
            source,
            wait,
            waiting,
        ),
    )
    from sapsmed.base.safetext import oneline

    fields = ", ".join(f"{k}: {v}" for k, v in done.update.items())
    write(f"recorded in {display_path(done.path)}: {done.line_id} {oneline(fields)}\n")
    warn(done.warnings)


@guard
def lines(
    goal: Annotated[Optional[str], typer.Option("--goal", help="Goal letter.")] = None,
    outcome: Annotated[Optional[str], typer.Option("--outcome")] = None,
    action: Annotated[Optional[str], typer.Option("--action")] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="A lead country.")] = None,
    status_: Annotated[Optional[Status], typer.Option("--status")] = None,
    flag: Annotated[Optional[Flag], typer.Option("--flag")] = None,
    due: Annotated[
        Optional[str],
        typer.Option("--due", metavar="YEAR[-YEAR]", help="Due year or range."),
    ] = None,
    theme: Annotated[Optional[str], typer.Option("--theme")] = None,
    measure: Annotated[Optional[str], typer.Option("--measure", help="Type of measure.")] = None,
    pathway: Annotated[Optional[str], typer.Option("--pathway")] = None,
    level: Annotated[Optional[Level], typer.Option("--level")] = None,
    phase: Annotated[Optional[str], typer.Option("--phase", help="A phase id.")] = None,
    country: Annotated[
        Optional[str],
        typer.Option(
            "--country",
            help="Lines a member state leads or must carry out (national-level), "
            "with its own status.",
        ),
    ] = None,
    sort: Annotated[Sort, typer.Option("--sort")] = BY_ID,
    as_of: AsOf = None,
    as_json: AsJson = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """List action lines, filtered and sorted.

    Filters that name something of the plan (goal, outcome, action, lead, theme, measure,
    pathway, phase, country) take its id or its name, in any case; an unknown one is a usage
    error listing the valid ones.

    Example: sapsmed lines --lead MYS --flag overdue --sort due
    """
    from sapsmed.monitor.queries import LineQuery, select
    from sapsmed.render.export import lines_csv
    from sapsmed.render.text import as_json as dump
    from sapsmed.render.text import lines_text

    query = LineQuery(
        goal=goal,
        outcome=outcome,
        action=action,
        lead=lead.upper() if lead else None,
        status=status_.value if status_ else None,
        flag=flag.value if flag else None,
        due=due,
        theme=theme,
        measure=measure,
        pathway=pathway,
        level=level.value if level else None,
        phase=phase,
        country=country,
        sort=sort.value,
    )
    rows = select(load(), query, parse_date(as_of))
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv", param_hint="--csv")
    write(dump(rows) if as_json else lines_csv(rows) if as_csv else lines_text(rows))


@guard
def scorecard(
    by: Annotated[Group, typer.Option("--by", help="How to group the lines.")] = BY_GOAL,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Implementation rate per goal, country, phase, theme or type of measure.

    Rate = lines completed / lines due (the AEC Scorecard's rule); the lenient rate also
    counts ongoing lines. By country, a national-level line counts for every member state
    with that state's own status, and a regional line for each of its lead countries; by
    theme or measure, a line counts under each of its themes or measures. The last row then
    counts (group, line) pairs, and says so. A state counts for a line only if it was a
    member at the end of the line's due year (countries.yaml's joined and left).

    Example: sapsmed scorecard --by country --as-of 2020-12-31
    """
    from sapsmed.monitor.queries import scorecard as compute
    from sapsmed.render.text import as_json as dump
    from sapsmed.render.text import scorecard_text

    data = compute(load(), by.value, parse_date(as_of))
    write(dump(data) if as_json else scorecard_text(data))
