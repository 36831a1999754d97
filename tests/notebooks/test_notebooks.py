"""The analyst notebooks run top to bottom on a small sandbox world in a temporary OPPRADAR_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install nbformat)")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install nbclient)")
pytest.importorskip("ipykernel", reason="ipykernel is not installed (pip install ipykernel)")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
TIMEOUT = 120  # seconds per cell; the whole module stays well under a minute on the small world


@pytest.fixture(scope="module")
def nb_home(tmp_path_factory):
    """One small world's home shared by both notebooks: the first builds it, the second retrains on it."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("nbhome")
    mp.setenv("OPPRADAR_HOME", str(home))
    mp.delenv("OPPRADAR_DATABASE_URL", raising=False)
    mp.setenv("OPPRADAR_NB_SEED", "11")
    mp.setenv("OPPRADAR_NB_SCALE", "0.3")
    mp.setenv("OPPRADAR_NB_END", "2026-11-18")
    yield home
    mp.undo()


def test_both_notebooks_are_there_and_named_by_step_initials_topic():
    names = [p.name for p in NOTEBOOKS]
    assert names == ["1.0-or-needs-and-trends.ipynb", "2.0-or-retrain-and-compare.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, nb_home):
    book = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(book, timeout=TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent.parent)}})
    client.execute()  # raises CellExecutionError naming the failing cell
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    assert (nb_home / "oppradar.db").is_file()
