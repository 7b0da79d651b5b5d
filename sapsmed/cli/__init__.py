"""The command line: Typer commands only (``app`` assembles them; ``common`` holds the shared
options and output; ``tty`` draws Rich tables for a terminal). The only layer that imports
typer, click or rich, and the only one that prints.

May import: every layer.
"""
