"""Did you mean: the known words closest to a mistyped one, for error messages."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(value: str, choices: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """Up to ``n`` of ``choices`` most like ``value``, best first (none under ``cutoff``)."""
    import difflib  # only on the way to an error message

    return difflib.get_close_matches(value, list(choices), n=n, cutoff=cutoff)


def did_you_mean(value: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """``; did you mean 'x'?`` naming the choice most like ``value``, or nothing."""
    hint = close_matches(value, choices, 1, cutoff)
    return f"; did you mean {hint[0]!r}?" if hint else ""
