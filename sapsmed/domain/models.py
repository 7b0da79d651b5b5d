"""The plan's schema: one pydantic model per thing the SAP SMED describes.

Each YAML file under ``plan/`` is validated by one of the ``*File`` models at the bottom.
Unknown keys are forbidden everywhere, so a typo is reported rather than dropped.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)

from sapsmed.domain.vocabulary import STATUSES as STATUSES  # read from here by the checks
from sapsmed.domain.vocabulary import UNIT_RANGES as UNIT_RANGES
from sapsmed.domain.vocabulary import (
    Direction,
    Level,
    Quality,
    RequiredTime,
    RiskLevel,
    Status,
)

# Pydantic looks for plugins by scanning every installed package's entry points (~25 ms at
# start-up); none has a use for plan files. Typer builds its own adapters the same way.
_plugins_setting = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"


# A date is written as ISO text (YAML 1.2 reads it as a string): parsed, not coerced.
Day = Annotated[date, Field(strict=False)]


def integral(value: object) -> object:
    """2020.0 is the integer 2020, as JSON Schema's ``integer`` counts it (a float with a
    fraction, a string or a bool is still refused: the models are strict)."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


Int = Annotated[int, BeforeValidator(integral)]
# A title or name: some text that is not only spaces (a blank one shows as nothing).
Text = Annotated[str, Field(pattern=r"\S")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
# A goal id is a capital letter and up to three capitals or digits (B, G1, SG3); an
# outcome, action or action line id extends its parent's (B-2, B-2-1, B-2-1.3; in a plan
# without outcomes G1-1, G1-1.2). Which parent is checked across files (validate/checks.py).
GOAL = "[A-Z][A-Z0-9]{0,3}"
GoalId = Annotated[str, Field(pattern=f"^{GOAL}$", examples=["B", "G1"])]
OutcomeId = Annotated[str, Field(pattern=f"^{GOAL}-[0-9]+$", examples=["B-2"])]
ActionId = Annotated[str, Field(pattern=f"^{GOAL}(-[0-9]+){{1,2}}$", examples=["B-2-1", "G1-1"])]
LineId = Annotated[
    str, Field(pattern=f"^{GOAL}(-[0-9]+){{1,2}}\\.[0-9]+$", examples=["B-2-1.3", "G1-1.2"])
]
# KPI- and its goal's id and a number (KPI-D1, KPI-G11); its `goal:` field links it.
KpiId = Annotated[str, Field(pattern=f"^KPI-{GOAL}[0-9]+$", examples=["KPI-D1", "KPI-G11"])]
# The plan's hierarchy: a plan may leave out the outcome level.
LevelName = Literal["goal", "outcome", "action", "line"]
LEVELS_DEFAULT: list[LevelName] = ["goal", "outcome", "action", "line"]
LEVELS_ALLOWED: tuple[list[LevelName], ...] = (LEVELS_DEFAULT, ["goal", "action", "line"])
# A built-in unit (percent_of_gdp) or one kpis.yaml declares (usd, percent-change).
UnitId = Annotated[str, Field(pattern=r"^[a-z0-9]+([_-][a-z0-9]+)*$", examples=["percent"])]
PrintedAs = Annotated[
    dict[str, str],
    Field(description="Field -> text as printed in the source, where the data corrects it"),
]


class Model(BaseModel):
    """Unknown keys are refused; values are not converted (strict), so what the JSON Schema
    rejects (`due_year: '2020'`, `percent: '60'`, `due_year: true`) is refused here too."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Phase(Model):
    id: Slug
    name: Text
    start_year: Int
    end_year: Int
    priority: str


class MidTermReview(Model):
    due_year: Int
    scope: str
    notes: str | None = None
    phase: Slug | None = Field(
        default=None, description="The phase it reviews; default: the one due_year falls in"
    )


class Pathway(Model):
    id: Slug
    name: Text
    description: Text


class MeasureType(Model):
    id: Slug
    number: Int
    name: Text


class Theme(Model):
    id: Slug
    title: Text


class Country(Model):
    id: CountryCode
    name: Text
    printed_as: list[str] = []
    joined: Day | None = Field(
        default=None, description="The day it became a member state; None: from the start"
    )
    left: Day | None = Field(
        default=None, description="The day it ceased to be one (after joined); None: still is"
    )


Percent = Annotated[float, Field(ge=0, le=100)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class Update(Model):
    """One entry of an action line's progress log."""

    date: Day
    status: Status
    percent: Percent | None = Field(default=None, description="Percent complete, 0-100")
    country: CountryCode | None = Field(
        default=None, description="The member state reporting (national-level lines only)"
    )
    note: str | None = None
    by: str | None = Field(default=None, description="Who reported it")
    source: str | None = Field(default=None, description="The source document")


class Budget(Model):
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")
    planned: NonNegative
    spent: NonNegative = 0


class Personnel(Model):
    planned: NonNegative = Field(description="Person-months planned")
    used: NonNegative = Field(default=0, description="Person-months used")


class Output(Model):
    title: Text
    delivered: Day | None = None
    quality: Quality | None = None


class Risk(Model):
    description: Text
    level: RiskLevel = "medium"
    mitigation: str | None = None
    closed: Day | None = Field(default=None, description="The day it was closed; None: open")


class ActionLine(Model):
    id: LineId
    title: Text
    timeframe: Text = Field(description='As printed, e.g. "By 2020" or "2018"')
    due_year: Int = Field(description="The year the timeframe means: due by its end")
    lead: list[CountryCode] = Field(min_length=1)
    level: Level = Field(description="regional, or national-level implementation")
    types_of_measures: list[Slug] = []
    pathway: Slug | None = None
    themes: list[Slug] = []
    proponents: list[str] = []
    required_time: RequiredTime | None = None
    dependencies: list[LineId] = []
    status: Status = Field(
        default="not_started", description="Status before any update; the latest update rules"
    )
    printed_as: PrintedAs = {}
    notes: str | None = None
    planned_start: Day | None = None
    updates: list[Update] = Field(default=[], description="Progress log, oldest first")
    budget: Budget | None = None
    personnel: Personnel | None = None
    outputs: list[Output] = []
    risks: list[Risk] = []


class Action(Model):
    id: ActionId
    title: Text
    printed_as: PrintedAs = {}
    lines: list[ActionLine] = []


class Outcome(Model):
    id: OutcomeId
    title: Text
    actions: list[Action] = Field(min_length=1)


class Goal(Model):
    """A strategic goal: it holds ``outcomes:`` (each holding actions) or, in a plan whose
    ``levels`` leave out the outcome, ``actions:`` directly; exactly one of them."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["outcomes"]}, {"required": ["actions"]}]}
    )

    id: GoalId
    title: Text
    description: str | None = None
    champions: list[CountryCode] = Field(min_length=1)
    printed_as: PrintedAs = {}
    outcomes: list[Outcome] = Field(default=[], min_length=1)
    actions: list[Action] = Field(default=[], min_length=1)

    @model_validator(mode="after")
    def one_level_below(self) -> Goal:
        given = {"outcomes", "actions"} & self.model_fields_set
        if len(given) != 1:
            raise ValueError(
                "a goal holds either outcomes: or actions: (in a plan without outcomes), "
                + ("not both" if given else "and has neither")
            )
        return self


class KpiTarget(Model):
    """A target the plan or a member state set for a KPI (the SAP SMED publishes none)."""

    country: CountryCode | None = Field(default=None, description="None: the regional mean")
    year: Int
    value: FiniteFloat
    source: str | None = None


class Discontinued(Model):
    """A series its publisher stopped: its readings are frozen, not stale."""

    ended: Day
    last_data_year: Int
    note: str | None = None


class Kpi(Model):
    id: KpiId
    goal: GoalId
    name: Text = Field(description="As printed in the plan")
    unit: UnitId = Field(description="A built-in unit or one declared under `units`")
    direction: Direction
    source: str = Field(description="The source the plan names")
    indicator_code: str | None = Field(default=None, examples=["IC.REG.DURS"])
    indicator_name: str | None = None
    available_for: list[CountryCode] = Field(description="Countries the plan says have data")
    availability_note: str | None = None
    notes: str | None = None
    printed_as: PrintedAs = {}
    targets: list[KpiTarget] = []
    discontinued: Discontinued | None = None


# A row is a YAML list: the tuple itself is lax (a list is fine), its items strict.
ReadingRow = Annotated[
    tuple[
        Annotated[str, Strict(), Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3")],
        Annotated[Int, Strict()],
        Annotated[FiniteFloat, Strict()],
    ],
    Field(strict=False),
]


class Release(Model):
    """Readings from one source at one vintage (e.g. one World Bank download)."""

    source: str
    vintage: Day | None = Field(description="The source's last-updated date; null if unrecorded")
    note: str | None = None
    readings: list[ReadingRow] = Field(description="Rows of [country, year, value]")


class PlanFile(Model):
    """plan/plan.yaml"""

    title: Text
    short_title: Text
    region: str | None = Field(
        default=None,
        description="The name of the member states together, for aggregates and headings "
        '(e.g. "ASEAN"); without it, "all member states"',
    )
    levels: list[LevelName] = Field(
        default=LEVELS_DEFAULT,
        description="The plan's hierarchy: goal, outcome, action, line; or without outcomes",
        json_schema_extra={"enum": [list(x) for x in LEVELS_ALLOWED]},
    )

    @field_validator("levels")
    @classmethod
    def known_hierarchy(cls, levels: list[LevelName]) -> list[LevelName]:
        if levels not in LEVELS_ALLOWED:
            raise ValueError(
                "levels are [goal, outcome, action, line] or, without outcomes, "
                "[goal, action, line]"
            )
        return levels

    source_document: str
    start_year: Int
    end_year: Int
    base_year: Int
    vision: str
    mission: str
    phases: list[Phase] = Field(min_length=1)
    mid_term_review: MidTermReview
    pathways: list[Pathway]
    types_of_measures: list[MeasureType]
    themes: list[Theme]


class CountriesFile(Model):
    """plan/countries.yaml"""

    member_states: list[Country] = Field(min_length=1)


class GoalFile(Goal):
    """plan/goals/<X>.yaml: one strategic goal with its outcomes, actions and action lines."""


class DeclaredUnit(Model):
    """A unit kpis.yaml declares beside the built-in ones (percent, days, ...)."""

    id: UnitId
    name: Text = Field(description="As reports show it, e.g. US dollars")
    min: FiniteFloat | None = Field(description="The lowest value a reading may take; null: none")
    max: FiniteFloat | None = Field(description="The highest; null: none")
    decimals: Annotated[int, Field(ge=0, le=6), BeforeValidator(integral)] | None = Field(
        default=None, description="Decimals shown for values in this unit"
    )


class KpisFile(Model):
    """plan/kpis.yaml"""

    kpis: list[Kpi]
    units: list[DeclaredUnit] = Field(default=[], description="Units beside the built-in ones")


class ReadingsFile(Model):
    """plan/readings/<KPI>.yaml"""

    kpi: KpiId
    releases: list[Release] = Field(min_length=1)


FILE_MODELS: dict[str, type[Model]] = {
    "plan": PlanFile,
    "countries": CountriesFile,
    "goal": GoalFile,
    "kpis": KpisFile,
    "readings": ReadingsFile,
}

if _plugins_setting is None:
    del os.environ["PYDANTIC_DISABLE_PLUGINS"]
else:
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = _plugins_setting
