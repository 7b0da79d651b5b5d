from __future__ import annotations

import time
from pathlib import Path
from typing import Any, cast

import pytest

from sapsmed.yamlio import parse as yamlio
from sapsmed.yamlio import rows as yamlrows
from sapsmed.yamlio.scalars import YamlError


def load(tmp_path: Path, text: str | bytes) -> yamlio.Document:
    path = tmp_path / "f.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return yamlio.load(path)


def fails(tmp_path: Path, text: str | bytes) -> YamlError:
    with pytest.raises(YamlError) as info:
        load(tmp_path, text)
    return info.value


def test_yaml_1_2_core_scalars(tmp_path: Path) -> None:
    doc = load(
        tmp_path,
        "a: no\nb: on\nc: 2016-01-01\nd: 010\ne: 12:30\nf: true\ng: ~\n"
        "h: 1.5\ni: '7'\nj: 0x1F\nk: .inf\nl: -3\n",
    )
    assert doc.data == {
        "a": "no",
        "b": "on",
        "c": "2016-01-01",
        "d": 10,
        "e": "12:30",
        "f": True,
        "g": None,
        "h": 1.5,
        "i": "7",
        "j": 31,
        "k": float("inf"),
        "l": -3,
    }


def test_yaml_1_1_booleans_are_strings_with_a_warning(tmp_path: Path) -> None:
    doc = load(tmp_path, "x: 1\ncountry: NO\nquoted: 'no'\n")
    assert doc.data["country"] == "NO"
    assert [(w.line, w.column, w.code) for w in doc.warnings] == [(2, 10, "Y-YAML11")]


def test_duplicate_key_names_both_positions(tmp_path: Path) -> None:
    err = fails(tmp_path, "top:\n  a: 1\n  b: 2\n  a: 3\n")
    assert (err.line, err.column, err.code) == (4, 3, "Y-DUPLICATE-KEY")
    assert "first at line 2, column 3" in err.message


def test_same_key_in_sibling_mappings_is_fine(tmp_path: Path) -> None:
    assert load(tmp_path, "- {a: 1}\n- {a: 2}\n").data == [{"a": 1}, {"a": 2}]


def test_billion_laughs_is_rejected_fast(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    err = fails(tmp_path, "\n".join(lines) + "\n")
    assert err.code == "Y-ALIAS"
    assert time.perf_counter() - started < 1


def test_a_few_honest_aliases_are_allowed(tmp_path: Path) -> None:
    doc = load(tmp_path, "base: &b [THA, VNM]\nx: *b\ny: *b\n")
    assert doc.data == {"base": ["THA", "VNM"], "x": ["THA", "VNM"], "y": ["THA", "VNM"]}


@pytest.mark.parametrize(
    "tag", ["!!python/object/apply:os.system ['ls']", "!!binary aGk=", "!custom x", "!!set {a}"]
)
def test_non_standard_tags_are_refused(tmp_path: Path, tag: str) -> None:
    err = fails(tmp_path, f"a: {tag}\n")
    assert (err.code, err.line) == ("Y-TAG", 1)


def test_explicit_standard_tags(tmp_path: Path) -> None:
    assert load(tmp_path, "a: !!str 2016\nb: !!float 3\n").data == {"a": "2016", "b": 3.0}
    assert fails(tmp_path, "a: !!int abc\n").code == "Y-TAG"


def test_conflict_markers_even_inside_a_block_scalar(tmp_path: Path) -> None:
    err = fails(
        tmp_path, "note: |\n  text\n<<<<<<< HEAD\n  mine\n=======\n  theirs\n>>>>>>> branch\n"
    )
    assert (err.line, err.column, err.code) == (3, 1, "Y-CONFLICT")


def test_tab_indentation(tmp_path: Path) -> None:
    err = fails(tmp_path, "a:\n\tb: 1\n")
    assert (err.line, err.column, err.code) == (2, 1, "Y-TAB")


def test_tab_inside_a_value_is_fine(tmp_path: Path) -> None:
    assert load(tmp_path, "a: 'x\ty'\n").data == {"a": "x\ty"}


def test_latin1_byte_gets_line_and_column(tmp_path: Path) -> None:
    err = fails(tmp_path, "a: 1\nname: Vi\xeat Nam\n".encode("latin-1"))
    assert (err.line, err.column, err.code) == (2, 9, "Y-ENCODING")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "   \n# x\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    assert fails(tmp_path, text).code == "Y-EMPTY"


def test_bom_is_a_warning_and_is_skipped(tmp_path: Path) -> None:
    doc = load(tmp_path, "\ufeffa: 1\n")
    assert doc.data == {"a": 1}
    assert [w.code for w in doc.warnings] == ["Y-BOM"]


def test_syntax_error_position(tmp_path: Path) -> None:
    err = fails(tmp_path, "a: 1\nb: [1, 2\nc: 3\n")
    assert err.code == "Y-SYNTAX"
    assert err.line == 3


def test_two_documents_are_refused(tmp_path: Path) -> None:
    assert fails(tmp_path, "a: 1\n---\nb: 2\n").code == "Y-SYNTAX"


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    assert fails(tmp_path, "a: " + "[" * 600 + "]" * 600 + "\n").code == "Y-DEPTH"


def test_locate_paths_and_fallback_to_parent(tmp_path: Path) -> None:
    doc = load(tmp_path, "goal: B\nlines:\n  - id: B-1\n    lead: [MYS, LAO]\n  - id: B-2\n")
    where = doc.locate(
        [("lines", 0, "lead", 1), ("lines", 1), ("lines", 1, "missing"), ("goal",), ("nothing", 3)]
    )
    assert where == {
        ("lines", 0, "lead", 1): (4, 17),
        ("lines", 1): (5, 5),
        ("lines", 1, "missing"): (5, 5),
        ("goal",): (1, 1),
        ("nothing", 3): (1, 1),
    }


def test_gc_is_restored_after_loading(tmp_path: Path) -> None:
    import gc

    assert gc.isenabled()
    fails(tmp_path, "a: [\n")
    assert gc.isenabled()
    load(tmp_path, "a: 1\n")
    assert gc.isenabled()


def test_other_yaml_1_1_surprises_are_warned(tmp_path: Path) -> None:
    doc = load(tmp_path, "code: 010\ntime: 12:30\nyear: 2016\nzero: 0\ntext: a:b\n")
    assert doc.data == {"code": 10, "time": "12:30", "year": 2016, "zero": 0, "text": "a:b"}
    assert [(w.line, w.code) for w in doc.warnings] == [(1, "Y-YAML11"), (2, "Y-YAML11")]
    assert "octal" in doc.warnings[0].message and "base-60" in doc.warnings[1].message


# --- the fast path for files of many reading rows ------------------------------------------


def both_ways(text: str) -> tuple[object, object]:
    fast = yamlrows.rows_fast(text, lambda t: yamlio._walk(t, None, None, [], None))
    slow = yamlio._walk(text, None, None, [], None)
    return fast, slow


def test_fast_rows_read_exactly_what_the_walker_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import PLAN

    monkeypatch.setattr(yamlrows, "FAST_ROWS", 1)
    for path in sorted((PLAN / "readings").glob("*.yaml")):
        text = path.read_text()
        fast, slow = both_ways(text)
        assert fast is not None, path
        assert fast == slow, path
        rows = [cast(Any, side)["releases"][0]["readings"] for side in (fast, slow)]
        assert [type(r[2]) for r in rows[0]] == [type(r[2]) for r in rows[1]]
        crlf = text.replace("\n", "\r\n")
        assert both_ways(crlf)[0] == yamlio._walk(crlf, None, None, [], None)


ROWS = "".join(f"      - [MYS, {2000 + i}, {i}.5]\n" for i in range(600))
BASE = f"kpi: KPI-A1\nreleases:\n  - source: s\n    vintage: null\n    readings:\n{ROWS}"


def test_fast_rows_are_used_for_a_large_file() -> None:
    fast, slow = both_ways(BASE)
    assert fast is not None and fast == slow


@pytest.mark.parametrize(
    "change",
    [
        ("      - [MYS, 2000, 0.5]\n", "      - [MYS, 2000, 0.5]  # checked\n"),
        ("      - [MYS, 2000, 0.5]\n", "      - ['MYS', 2000, 0.5]\n"),
        ("      - [MYS, 2000, 0.5]\n", "      - &a [MYS, 2000, 0.5]\n"),
        ("      - [MYS, 2000, 0.5]\n", "      - [YES, 2000, 0.5]\n"),
        ("      - [MYS, 2000, 0.5]\n", "      - [MYS, 2000, 05]\n"),
        ("    readings:\n", "    readings:\n      - [THA, 1999, 1]  # first\n"),
        ("releases:\n", "releases:\n  - {source: t, vintage: null, readings: [[THA, 2001, 1]]}\n"),
    ],
)
def test_anything_unusual_falls_back_to_the_walker(change: tuple[str, str]) -> None:
    text = BASE.replace(*change, 1)
    fast, _ = both_ways(text)
    assert fast is None


def walk(text: str) -> object:
    return yamlio._walk(text, None, None, [], None)


ONE_ROW = "kpi: KPI-A1\nreleases:\n" + "".join(
    f"  - source: World Bank (WDI), file {i}.csv\n    vintage: 2025-0{1 + i % 9}-01\n"
    + ("    note: Revised figures\n" if i % 3 == 0 else "")
    + ("\n  # a comment\n" if i % 7 == 0 else "")
    + f"    readings:\n      - [MYS, {1926 + i % 100}, {i}.25]\n      - [THA, 2000, {i}]\n"
    for i in range(600)
)


def test_many_small_releases_are_read_in_one_pass_exactly_as_the_walker_reads() -> None:
    fast = yamlrows.releases_fast(ONE_ROW.split("\n"), walk)
    assert fast is not None and fast == walk(ONE_ROW)
    assert yamlrows.releases_fast(BASE.split("\n"), walk) == walk(BASE)


@pytest.mark.parametrize(
    "change",
    [
        ("source: World Bank (WDI), file 5.csv", "source: yes"),
        ("source: World Bank (WDI), file 5.csv", "source: a: b"),
        ("source: World Bank (WDI), file 5.csv", "source: 'quoted'"),
        ("source: World Bank (WDI), file 5.csv", "source: x # comment"),
        ("    vintage: 2025-06-01\n", ""),
        ("    vintage: 2025-06-01\n", "    vintage: 2025-06-01\n    vintage: null\n"),
        ("    vintage: 2025-06-01\n", "    vintage: June\n"),
        ("      - [MYS, 1931, 5.25]\n", "    - [MYS, 1931, 5.25]\n"),
        ("      - [MYS, 1931, 5.25]\n", "  - [MYS, 1931, 5.25]\n"),
        ("      - [THA, 2000, 5]\n", "        - [THA, 2000, 5]\n"),
        ("    readings:\n      - [MYS, 1931, 5.25]\n      - [THA, 2000, 5]\n", "    readings:\n"),
        ("kpi: KPI-A1\n", "kpi: KPI-A1\n...\n"),
        ("kpi: KPI-A1\n", "kpi: KPI-A1\nreleases: []\n"),
        ("kpi: KPI-A1\n", "kpi: 'KPI-A1\n"),
    ],
)
def test_an_unusual_release_leaves_it_to_the_walker(change: tuple[str, str]) -> None:
    text = ONE_ROW.replace(*change, 1)
    assert text != ONE_ROW
    assert yamlrows.releases_fast(text.split("\n"), walk) is None
    try:
        slow = walk(text)
    except YamlError:
        return
    fast = yamlrows.rows_fast(text, walk)
    assert fast is None or fast == slow


def test_trailing_content_after_the_releases_leaves_it_to_the_walker() -> None:
    assert yamlrows.releases_fast((ONE_ROW + "extra: 1\n").split("\n"), walk) is None


def test_errors_in_a_fast_file_keep_their_positions(tmp_path: Path) -> None:
    text = BASE.replace("    vintage: null\n", "    vintage: null\n    vintage: null\n")
    err = fails(tmp_path, text)
    assert (err.code, err.line) == ("Y-DUPLICATE-KEY", 5)
    doc = load(tmp_path, BASE)
    assert doc.locate([("releases", 0, "readings", 599, 2)]) == {
        ("releases", 0, "readings", 599, 2): (605, 21)
    }


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x08", "\ufffe"])
def test_a_control_character_is_placed_on_its_own_line_and_column(
    tmp_path: Path, char: str
) -> None:
    err = fails(tmp_path, f"a: 1\nb: [x, y]\nccc: ab{char}cd\n")
    assert (err.line, err.column, err.code) == (3, 8, "Y-CONTROL")
    assert f"U+{ord(char):04X}" in err.message and char not in err.message


def test_tab_cr_and_unicode_line_breaks_are_text_not_control_characters(tmp_path: Path) -> None:
    doc = load(tmp_path, 'a: "x\ty"\r\nb: "p\u2028q"\r\nc: "r\u0085s"\r\n')
    assert doc.data["a"] == "x\ty" and doc.data["b"] == "p\u2028q"  # NEL folds (YAML 1.1)


@pytest.mark.parametrize(
    "number",
    [
        "7" * 5000,
        "9223372036854775808",
        "-9223372036854775808",
        "0x10000000000000000",
        "!!int 99999999999999999999",
    ],
)
def test_integers_beyond_64_bits_are_refused_at_their_position(tmp_path: Path, number: str) -> None:
    started = time.perf_counter()
    err = fails(tmp_path, f"a: 1\nb: [1, {number}]\n")
    assert (err.line, err.column, err.code) == (2, 8, "Y-NUMBER")
    assert len(err.message) < 200
    assert time.perf_counter() - started < 1


def test_integers_within_64_bits_are_read(tmp_path: Path) -> None:
    doc = load(
        tmp_path, "a: 9223372036854775807\nb: -9223372036854775807\nc: 000000000000000000000042\n"
    )
    assert doc.data == {"a": 2**63 - 1, "b": -(2**63 - 1), "c": 42}


def test_a_huge_integer_in_a_reading_row_leaves_the_fast_path_to_the_walker(
    tmp_path: Path,
) -> None:
    rows = "".join(f"      - [MYS, {1900 + i % 100}, {i}]\n" for i in range(yamlrows.FAST_ROWS))
    text = (
        "kpi: KPI-A1\nreleases:\n  - source: s\n    vintage: null\n    readings:\n"
        + rows
        + "      - [MYS, 2019, "
        + "9" * 5000
        + "]\n"
    )
    err = fails(tmp_path, text)
    assert (err.line, err.code) == (6 + yamlrows.FAST_ROWS, "Y-NUMBER")


def test_one_huge_scalar_aliased_many_times_is_refused_by_size(tmp_path: Path) -> None:
    text = "a: &big " + "x" * 100_000 + "\nb: [" + ", ".join(["*big"] * 2000) + "]\n"
    started = time.perf_counter()
    err = fails(tmp_path, text)
    assert err.code == "Y-ALIAS" and err.line == 2
    assert time.perf_counter() - started < 1


def test_aliases_within_ten_times_the_file_size_are_fine(tmp_path: Path) -> None:
    text = "a: &big " + "x" * 10_000 + "\nb: [" + ", ".join(["*big"] * 9) + "]\n"
    assert len(load(tmp_path, text).data["b"]) == 9


def test_messages_quote_at_most_80_characters_of_a_value() -> None:
    from sapsmed.base.problems import Problem, quote

    long = "x" * 100_000
    problem = Problem.at(
        "f.yaml", 1, 1, "S-INVALID", f"bad {long!r} and {long!r}; 'ok'", "a." + long
    )
    assert problem.message.count("\u2026") == 2 and problem.message.endswith("; 'ok'")
    assert len(problem.message) < 200 and len(problem.path) <= 80
    assert len(quote(long)) == 80 and quote("short") == "'short'"


def many_rows(indent: int = 6) -> str:
    rows = [
        (c, 1950 + i)
        for c in ("IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM")
        for i in range(70)
    ][:520]
    return "kpi: KPI-E3\nreleases:\n  - source: X\n    vintage: null\n    readings:\n" + "".join(
        f"{' ' * indent}- [{c}, {y}, 50]\n" for c, y in rows
    )


@pytest.mark.parametrize(
    "tail", ["        - [MYS, 2019, 7]\n", "- [MYS, 2019, 7]\n", "    - [MYS, 2019, 7]\n"]
)
def test_the_row_fast_path_reads_what_the_parser_reads(tail: str) -> None:
    """A row out of line with the others is not one of them (the parser says what it is)."""
    import yaml

    from sapsmed.yamlio.parse import load
    from sapsmed.yamlio.scalars import YamlError

    text = many_rows() + tail
    try:
        expected = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        with pytest.raises(YamlError):
            load(Path("KPI-E3.yaml"), text)
    else:
        assert load(Path("KPI-E3.yaml"), text).data == expected
