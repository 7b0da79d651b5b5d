"""The CLI commands, one module per family; `sapsmed.cli` assembles them."""
