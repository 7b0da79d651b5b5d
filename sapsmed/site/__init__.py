"""The plan as a static website (``sapsmed site``): ``env`` (the one Jinja2 environment,
autoescaping, every value made inert at that one boundary), ``svg`` (chart geometry: axes,
ticks, points, drawn by the ``charts`` templates), ``pages`` (each page's data, from the
monitor layer's views), ``build`` (every page rendered: paths to bytes) and ``output`` (the
folder written whole, or left as it was). Templates and the stylesheet live beside them.

May import: every layer but ``cli``.
"""
