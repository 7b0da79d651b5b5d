"""YAML in and out: safe loading with a position for every node (``parse``), the fast path
for readings rows (``rows``), scalars written so they read back exactly (``text``), and
byte-exact edits checked by reading them back (``edit``).

May import: ``base``.
"""
