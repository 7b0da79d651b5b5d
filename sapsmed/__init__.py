"""sapsmed: track the ASEAN Strategic Action Plan for SME Development 2016-2025."""

__version__ = "0.1.0"
