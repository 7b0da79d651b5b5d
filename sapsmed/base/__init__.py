"""Base: what every layer uses. Errors and their exit codes, validation problems and their
positions, and safe text (one line, controls escaped, CSV and JSON cells).

May import: the standard library only.
"""
