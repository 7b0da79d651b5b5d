"""Reading the world outside the plan folder: World Bank downloads (``wdi``, ``wdi_csv``,
``wdi_json``), member-state returns (``returns``, ``returns_xlsx``) and git revisions of the
plan, read in memory (``revisions``, ``gitinfo``).

May import: ``base``, ``yamlio``, ``domain``, ``validate``.
"""
