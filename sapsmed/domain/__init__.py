"""The plan's domain: the pydantic models that check each file (``models``), the words the
plan uses (``vocabulary``), the typed plan that every later layer reads (``plan``) and the
JSON Schemas generated from the models (``schemas``).

May import: ``base``, ``yamlio``.
"""
