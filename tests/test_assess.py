"""Progress assessment on cases worked out by hand (REFERENCE.md section 3)."""

from __future__ import annotations

import math

import pytest

from sapsmed.monitor import assess
from sapsmed.monitor.assess import Target, statcan, unsd


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def test_no_target_higher_is_better_on_track() -> None:
    series = {2016: 100.0, 2019: 110.0}
    growth = 1.1 ** (1 / 3) - 1  # 3.228% a year
    for method in (statcan, unsd):
        a = method(series, True, 2016)
        assert a.status == "on track"
        assert close(a.cagr_actual, growth)
        assert (a.base_year, a.base_value, a.latest_year, a.latest_value, a.points) == (
            2016,
            100.0,
            2019,
            110.0,
            2,
        )
        assert close(a.change, 10.0)


def test_thresholds_differ_between_the_methods() -> None:
    slow = {2016: 100.0, 2020: 104.0}  # 1.04 ** 0.25 - 1 = 0.985% a year
    assert statcan(slow, True, 2016).status == "acceleration needed"  # 0.5% to 1.5%
    assert unsd(slow, True, 2016).status == "acceleration needed"  # 0.5% to 2%
    middling = {2016: 100.0, 2020: 107.0}  # 1.707% a year
    assert statcan(middling, True, 2016).status == "on track"
    assert unsd(middling, True, 2016).status == "acceleration needed"
    flat = {2016: 100.0, 2020: 102.0}  # 0.496% a year
    assert statcan(flat, True, 2016).status == "limited progress"
    assert unsd(flat, True, 2016).status == "stagnation or regression"
    falling = {2016: 100.0, 2020: 99.0}
    assert statcan(falling, True, 2016).status == "deterioration"
    assert unsd(falling, True, 2016).status == "stagnation or regression"


def test_lower_is_better_negates_growth() -> None:
    days = {2016: 20.0, 2019: 10.0}  # halved in 3 years: -20.63% a year, which is good
    a = statcan(days, False, 2016)
    assert close(a.cagr_actual, 0.5 ** (1 / 3) - 1)
    assert a.status == "on track"
    assert unsd(days, False, 2016).status == "on track"
    assert statcan({2016: 10.0, 2019: 20.0}, False, 2016).status == "deterioration"


def test_with_target_statcan_ratio_and_unsd_projection() -> None:
    series = {2016: 50.0, 2020: 55.0}
    target = Target(2025, 70.0)
    actual = (55 / 50) ** (1 / 4) - 1  # 2.411% a year
    required = (70 / 50) ** (1 / 9) - 1  # 3.809% a year
    a = statcan(series, True, 2016, target)
    assert close(a.cagr_actual, actual) and close(a.cagr_required, required)
    assert close(a.ratio, actual / required)  # 0.633
    assert a.status == "acceleration needed"  # 0.60 <= R < 0.95
    projected = 55 * (1 + actual) ** 5  # 61.96 in 2025 on the current trend
    u = unsd(series, True, 2016, target)
    assert close(u.projected_value, projected)
    assert close(u.score, (projected - 50) / (70 - 50))  # 0.598
    assert u.status == "acceleration needed"  # 0.10 <= p < 0.95
    assert (u.target_year, u.target_value) == (2025, 70.0)


def test_with_target_lower_is_better() -> None:
    series = {2016: 30.0, 2019: 20.0}
    target = Target(2025, 10.0)
    actual = (20 / 30) ** (1 / 3) - 1
    required = (10 / 30) ** (1 / 9) - 1
    a = statcan(series, False, 2016, target)
    assert close(a.ratio, actual / required)  # both negative: 1.105
    assert a.status == "on track"
    u = unsd(series, False, 2016, target)
    projected = 20 * (1 + actual) ** 6
    assert close(u.score, (projected - 30) / (10 - 30))
    assert u.status == "on track"


def test_target_already_met() -> None:
    assert (
        statcan({2016: 50.0, 2020: 72.0}, True, 2016, Target(2025, 70.0)).status
        == "target achieved"
    )
    assert (
        unsd({2016: 30.0, 2020: 9.0}, False, 2016, Target(2025, 10.0)).status == "target achieved"
    )


def test_insufficient_data_says_why() -> None:
    for method in (statcan, unsd):
        one = method({2016: 5.0}, True, 2016)
        assert (one.status, one.cagr_actual) == ("insufficient data", None)
        assert one.reason == "1 point from the 2016 baseline on; 2 needed"
        none = method({}, True, 2016)
        assert none.reason == "no reading within 5 years of 2016"
        far = method({2001: 1.0, 2002: 2.0}, True, 2016)
        assert (far.status, far.reason) == (
            "insufficient data",
            "no reading within 5 years of 2016",
        )
        early = method({2016: 1.0, 2019: 2.0}, True, 2016, until=2018)
        assert early.reason == "1 point from the 2016 baseline on; 2 needed"


def test_baseline_rule() -> None:
    assert assess.baseline({2015: 1.0, 2016: 2.0, 2017: 3.0}, 2016) == (2016, 2.0)
    assert assess.baseline({2014: 5.0, 2018: 7.0, 2020: 8.0}, 2016) == (2014, 5.0)  # tie
    assert assess.baseline({2019: 7.0, 2010: 8.0}, 2016) == (2019, 7.0)
    assert assess.baseline({2010: 8.0, 2022: 1.0}, 2016) is None  # 6 years away
    a = statcan({2014: 5.0, 2018: 7.0, 2020: 8.0}, True, 2016)
    assert (a.base_year, a.latest_year, a.points) == (2014, 2020, 3)


def test_zero_base_value_is_replaced() -> None:
    a = statcan({2016: 0.0, 2020: 2.0}, True, 2016)
    assert close(a.cagr_actual, (2 / 0.001) ** 0.25 - 1)


def test_until_cuts_the_series() -> None:
    series = {2016: 100.0, 2018: 90.0, 2022: 150.0}
    assert statcan(series, True, 2016, until=2020).status == "deterioration"
    assert statcan(series, True, 2016).status == "on track"


def test_the_region_compares_the_same_countries_at_both_ends() -> None:
    """A country that reports only early (high values) and one that reports only late (low
    values) move the all-reporters mean a lot; the constant panel sees real change only."""
    by_country = {
        "A": {2016: 10.0, 2020: 11.0},
        "B": {2016: 20.0, 2020: 22.0},
        "HIGH": {2016: 100.0},
        "LOW": {2020: 1.0},
        "C": {2016: 30.0, 2020: 33.0},
    }
    members = assess.panel(by_country, 2016, None)
    assert [m.country for m in members] == ["A", "B", "C"]
    a = assess.regional("statcan", members, 5, True)
    assert (a.base_year, a.base_value, a.latest_year, a.latest_value) == (2016, 20.0, 2020, 22.0)
    assert a.status == "on track"  # +10% over 4 years: CAGR +2.41%
    assert a.cagr_actual == pytest.approx(1.1**0.25 - 1)
    # the old mean over whoever reported: 2016 (10+20+100+30)/4 = 40, 2020 (11+22+1+33)/4
    # = 16.75, which would have read as a deterioration
    old = statcan({2016: 40.0, 2020: 16.75}, True, 2016)
    assert old.status == "deterioration"


def test_a_panel_of_half_the_member_states_or_fewer_is_not_the_region() -> None:
    by_country = {"A": {2016: 1.0, 2020: 2.0}, "B": {2016: 1.0, 2020: 2.0}}
    members = assess.panel(by_country, 2016, None)
    assert assess.regional("unsd", members, 4, True).status == "insufficient data"
    assert assess.regional("unsd", members, 4, True).reason == (
        "a panel of 2 of 4 member states with a baseline and a later reading; more than half needed"
    )
    assert assess.regional("unsd", members, 3, True).status == "on track"
    one = assess.panel({"A": {2016: 1.0, 2020: 2.0}}, 2016, None)
    assert assess.regional("unsd", one, 1, True).status == "insufficient data"  # never 1


def test_the_panel_series_keeps_the_years_every_member_has() -> None:
    by_country = {
        "A": {2016: 1.0, 2017: 2.0, 2018: 3.0},
        "B": {2016: 3.0, 2018: 5.0},
        "C": {2017: 9.0},
    }
    members = assess.panel(by_country, 2016, None)
    assert assess.panel_series(by_country, members, None) == {2016: 2.0, 2018: 4.0}


@pytest.mark.parametrize("method", ["statcan", "unsd"])
def test_verdicts_carry_their_numbers(method: str) -> None:
    a = assess.METHODS[method]({2016: 50.0, 2020: 55.0}, True, 2016, Target(2025, 70.0))
    d = a.as_dict()
    for key in (
        "method",
        "status",
        "base_year",
        "base_value",
        "latest_year",
        "latest_value",
        "cagr_actual",
        "target_year",
        "target_value",
        "points",
    ):
        assert d[key] is not None, key
