"""Monitoring, computed as data: line progress (``progress``), KPI assessment (``assess``,
``kpiviews``), entity and status views (``views``), filters and scorecards (``queries``),
the difference between two revisions (``plandiff``) and an entity's history (``history``).
Nothing here formats output.

May import: ``base``, ``yamlio``, ``domain``, ``validate``, ``io``.
"""
