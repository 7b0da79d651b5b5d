from sapsmed.cli.app import run

run()
