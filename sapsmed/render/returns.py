"""`returns import` as text: what was recorded (or would be), what was already there."""

from __future__ import annotations

from sapsmed.base.safetext import oneline
from sapsmed.write.returns import ReturnsReport


def returns_text(report: ReturnsReport, dry_run: bool) -> str:
    """One line per update recorded and per update already recorded, then the counts; with
    ``dry_run``, the change to the plan's files first."""
    out = [report.diff] if dry_run and report.diff else []
    verb = "would record" if dry_run else "recorded"
    for entry in report.recorded:
        fields = ", ".join(f"{k}: {v}" for k, v in entry.update.items())
        out.append(f"{verb} {entry.line_id} {oneline(fields)} ({oneline(entry.where)})\n")
    for entry in report.already:
        words = [entry.line_id, entry.update["date"], entry.update.get("country")]
        shown = " ".join(w for w in words if w)
        out.append(f"already recorded {shown} ({oneline(entry.where)})\n")
    blank = f"{report.blank} blank row{'' if report.blank == 1 else 's'} skipped"
    out.append(
        f"{len(report.recorded)} {'to record' if dry_run else 'recorded'}, "
        f"{len(report.already)} already recorded, {blank}"
        + ("; dry run, nothing written\n" if dry_run else "\n")
    )
    return "".join(out)
