"""Reading a plan folder into a validated plan: which files make a plan (``planfiles``),
parsing them into models (``loader``), the cross-file rules (``checks``), the one entry point
(``validation``) and the cache of validated plans (``cache``).

May import: ``base``, ``yamlio``, ``domain``.
"""
