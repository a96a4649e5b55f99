"""Every course notebook and solution: committed as a clean full run, and executable with SMOKE.

The smoke run is what papermill does for a student's CI: ``papermill NB OUT -p SMOKE True``.
"""

import json
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb")
)
SMOKE_LIMIT_S = 90  # the course promise is under 60 s on 2 cores; CI machines vary
IDS = [str(p.relative_to(ROOT / "notebooks")) for p in NOTEBOOKS]


def _load(path):
    return json.loads(path.read_text())


def _source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_notebook_is_a_clean_full_run(path):
    nb = _load(path)
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown" and _source(cells[0]).lstrip().startswith("# ")
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1, "exactly one code cell tagged 'parameters'"
    assert "SMOKE = False" in _source(params[0]), "committed notebooks are full runs"
    for cell in cells:
        if cell["cell_type"] != "code" or not _source(cell).strip():
            continue
        assert cell.get("execution_count") is not None, f"unexecuted cell: {_source(cell)[:60]}"
        assert not [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        assert "execution" not in cell.get("metadata", {}), "strip execution timing metadata"
        assert "papermill" not in cell.get("metadata", {})
    assert "papermill" not in nb["metadata"]
    headings = [_source(c) for c in cells if c["cell_type"] == "markdown"]
    assert any(h.lstrip().startswith("## Exercises") for h in headings) or "solutions" in str(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_in_smoke_mode(path, tmp_path):
    import papermill

    start = time.perf_counter()
    papermill.execute_notebook(
        str(path),
        str(tmp_path / path.name),
        parameters={"SMOKE": True},
        cwd=str(path.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    seconds = time.perf_counter() - start
    assert seconds < SMOKE_LIMIT_S, f"{path.name} took {seconds:.0f} s with SMOKE = True"


def test_every_notebook_has_a_solution():
    course = {p.name[:2] for p in NOTEBOOKS if p.parent.name == "notebooks"}
    solutions = {p.name[:2] for p in NOTEBOOKS if p.parent.name == "solutions"}
    assert course <= solutions
