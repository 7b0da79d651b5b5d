"""Every change to a plan folder: the locked, validated, all-or-nothing write
(``transaction``), progress updates (``updates``), KPI readings and World Bank imports
(``readings``, ``importer``) and new plans (``scaffold``).

May import: ``base``, ``yamlio``, ``domain``, ``validate``, ``io``, ``monitor``.
"""
