"""sapsmed: track a multi-year action plan (shipped with the ASEAN SAP SMED 2016-2025)."""

__version__ = "0.1.0"
