"""Text processing, need extraction, weekly trends, supply matching and the candidate table."""

from pathlib import Path

from features.native import enable as _enable_native

# Data files sit beside this (never compiled) file; a compiled module's __file__ is in build/native.
DATA_DIR = Path(__file__).parent / "data"

# The compiled copies of the extraction modules (`make native`), when they match the sources.
_enable_native(__path__)
