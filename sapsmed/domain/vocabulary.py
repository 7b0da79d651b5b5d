"""The plan's closed word lists, defined once: the models' Literal types, the monitor's
counts, the CLI's choices and the renderers all build from these.

Plain ``typing`` only (no pydantic): `status` reads a cached plan without loading pydantic.
"""

from __future__ import annotations

from typing import Literal, get_args

Status = Literal["not_started", "ongoing", "completed", "on_hold", "cancelled"]
Level = Literal["regional", "national"]
RequiredTime = Literal["quick_win", "medium_term", "long_term"]
Direction = Literal["higher_is_better", "lower_is_better"]
# The built-in units; kpis.yaml may declare more (`units:`), so a KPI's unit is any unit id.
Unit = Literal["percent", "percent_of_gdp", "percent_of_gni_per_capita", "days", "ppp_dollars"]
Quality = Literal["poor", "fair", "good", "excellent"]
RiskLevel = Literal["low", "medium", "high"]
# What progress monitoring flags on a line (monitor.progress.flags says when).
Flag = Literal["overdue", "due_soon", "blocked", "behind", "over_budget"]
# The two KPI assessment methods (monitor.assess): Statistics Canada's and the UNSD's.
Method = Literal["statcan", "unsd"]
# What an id names (Plan.entities).
Kind = Literal["goal", "outcome", "action", "action_line", "kpi", "country", "theme"]
# How `lines` sorts and `scorecard` groups.
Sort = Literal["id", "due", "status"]
Group = Literal["goal", "country", "phase", "theme", "measure"]

STATUSES: tuple[Status, ...] = get_args(Status)
LEVELS: tuple[Level, ...] = get_args(Level)
REQUIRED_TIMES: tuple[RequiredTime, ...] = get_args(RequiredTime)
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
UNITS: tuple[Unit, ...] = get_args(Unit)
QUALITIES: tuple[Quality, ...] = get_args(Quality)
RISK_LEVELS: tuple[RiskLevel, ...] = get_args(RiskLevel)
FLAGS: tuple[Flag, ...] = get_args(Flag)
METHODS: tuple[Method, ...] = get_args(Method)
KINDS: tuple[Kind, ...] = get_args(Kind)
SORTS: tuple[Sort, ...] = get_args(Sort)
GROUPS: tuple[Group, ...] = get_args(Group)

# Inclusive (low, high) bounds a reading in each built-in unit must respect; None is
# unbounded. A declared unit gives its own (`min`, `max`).
UNIT_RANGES: dict[Unit, tuple[float | None, float | None]] = {
    "percent": (0, 100),
    "percent_of_gdp": (0, 100),
    "percent_of_gni_per_capita": (0, None),
    "days": (0, None),
    "ppp_dollars": (0, None),
}
