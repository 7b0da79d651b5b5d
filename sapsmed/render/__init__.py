"""Output: plain text and JSON (``text``, ``kpi``), markdown with mermaid charts
(``markdown``, ``report``, ``midterm``), ``diff`` and ``history``, and CSV/JSON export
(``export``), ``returns`` (what a returns import recorded). Renderers take the data the
layers below compute; they never read files.

May import: every layer but ``cli``.
"""
