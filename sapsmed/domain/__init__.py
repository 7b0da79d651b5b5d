"""The plan's domain: the pydantic models that check each file (``models``), the words the
plan uses (``vocabulary``), the typed entities a validated plan holds (``entities``), the
plan itself with its index and one tree walk (``plan``), the shapes of every ``--json``
output (``shapes``) and the JSON Schemas generated from the models (``schemas``).

May import: ``base``, ``yamlio``.
"""
