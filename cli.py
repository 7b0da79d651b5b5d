"""Run sapsmed from a clone without installing it: `python cli.py status --goal B`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sapsmed.cli.app import run

if __name__ == "__main__":
    run()
