"""Every course notebook and solution: committed as a clean full run, and executable with SMOKE.

The smoke run is what papermill does for a student's CI: ``papermill NB OUT -p SMOKE True``.
"""

import json
import re
import resource
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb")
)
# The course promises a smoke run of under a minute on 2 cores: at most 2 x 60 CPU seconds.
# CPU time, not wall time, so that a busy machine (other jobs, a parallel build) cannot fail
# the README's test command; a notebook that does too much work still fails it.
SMOKE_CPU_LIMIT_S = 100
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
        if "colab" in cell["metadata"].get("tags", []):  # Colab's install cell (test_colab.py)
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

    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # the kernel is our child process
    papermill.execute_notebook(
        str(path),
        str(tmp_path / path.name),
        parameters={"SMOKE": True},
        cwd=str(path.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert 0 < cpu < SMOKE_CPU_LIMIT_S, f"{path.name} used {cpu:.0f} CPU s with SMOKE = True"


def test_every_notebook_has_a_solution():
    course = {p.name[:2] for p in NOTEBOOKS if p.parent.name == "notebooks"}
    solutions = {p.name[:2] for p in NOTEBOOKS if p.parent.name == "solutions"}
    assert course <= solutions


def test_every_kw2v_name_a_notebook_uses_exists():
    """Branches a smoke run skips (loading notebook 04's run) still name real functions."""
    import importlib
    import importlib.util
    import re

    import kw2v

    def _exists(module, name):
        if hasattr(module, name):
            return True
        try:  # a submodule: from kw2v import checker
            return importlib.util.find_spec(f"{module.__name__}.{name}") is not None
        except ModuleNotFoundError:  # module is not a package
            return False

    imports = re.compile(r"^\s*from (kw2v[\w.]*) import (?:\(([^)]*)\)|(.*))$", re.M)
    missing = []
    for path in NOTEBOOKS:
        code = "\n".join(_source(c) for c in _load(path)["cells"] if c["cell_type"] == "code")
        for module, group, line in imports.findall(code):
            names = re.sub(r"#.*", "", group or line).split(",")
            for name in (n.split(" as ")[0].strip() for n in names):
                if name and not _exists(importlib.import_module(module), name):
                    missing.append(f"{path.name}: {module}.{name}")
        for name in set(re.findall(r"\bkw2v\.([a-zA-Z_]\w*)", code)):
            if not _exists(kw2v, name):
                missing.append(f"{path.name}: kw2v.{name}")
    assert not missing, missing


#: Notebooks whose committed outputs come from notebook 04's saved run (runs/04_real_corpus).
LOADS_04 = [
    "05_visualising_with_tsne.ipynb",
    "08_using_word_vectors.ipynb",
    "solutions/05_visualising_with_tsne.ipynb",
    "solutions/08_using_word_vectors.ipynb",
]
_SCORES = re.compile(r"WS353 (\d\.\d{3}), SimLex (\d\.\d{3})")


def _outputs(path) -> str:
    return "\n".join(
        "".join(o.get("text", ""))
        + "".join(o.get("data", {}).get("text/plain", ""))
        + "".join(o.get("data", {}).get("text/markdown", ""))
        for cell in _load(path)["cells"]
        for o in cell.get("outputs", [])
    )


def _kw2v_scores_of_04() -> tuple[str, str]:
    """WS353 and SimLex of notebook 04's run, from its committed comparison table."""
    table = _outputs(ROOT / "notebooks" / "04_training_on_a_real_corpus.ipynb")
    rows = {r.split("|")[1].strip(): r.split("|")[2].strip() for r in table.splitlines()
            if r.startswith("| ws353 ") or r.startswith("| simlex ")}  # fmt: skip
    return rows["ws353"], rows["simlex"]


@pytest.mark.parametrize("name", LOADS_04)
def test_outputs_that_load_04s_run_are_not_older_than_04s(name):
    """A notebook that loads notebook 04's run prints its WS353 and SimLex: the same figures
    as 04's committed outputs, or its outputs predate 04's last run (re-run it after 04)."""
    printed = _SCORES.findall(_outputs(ROOT / "notebooks" / name))
    assert printed, f"{name} prints no 'WS353 x, SimLex y' for the run it loaded"
    assert printed[0] == _kw2v_scores_of_04(), f"re-run {name}: its outputs predate 04's"


#: Timings and rates, the only part of a re-run's output that is allowed to differ.
_TIMINGS = re.compile(
    r"\d[\d,.]*\s?(?:ms/step|us/step|µs/step|ms|µs|s)\b|[\d,]+ (?:corpus |effective )?words/s"
)


def _text_outputs(cell) -> str:
    return _TIMINGS.sub("T", "".join("".join(o.get("text", "")) for o in cell.get("outputs", [])))


def test_notebook_00_gives_the_words_and_scores_it_shows(tmp_path):
    """Notebook 00 promises a reader who runs it with its seed and versions the same words and
    scores as its committed outputs, only the timings differing: run it in full and compare
    every output from the training cell on."""
    import papermill

    path = ROOT / "notebooks" / "00_word_embeddings.ipynb"
    committed = _load(path)["cells"]
    papermill.execute_notebook(
        str(path), str(tmp_path / path.name), cwd=str(path.parent), kernel_name="python3",
        progress_bar=False,
    )  # fmt: skip
    rerun = _load(tmp_path / path.name)["cells"]
    code = [i for i, c in enumerate(committed) if c["cell_type"] == "code"]
    versions = next(i for i in code if "setup_notebook" in _source(committed[i]))
    if _text_outputs(rerun[versions]) != _text_outputs(committed[versions]):
        pytest.skip(
            f"the promise is for the versions it printed: {_text_outputs(committed[versions])}"
        )
    training = next(i for i in code if "kw2v.train(" in _source(committed[i]))
    differ = [
        f"cell {i}:\n{_text_outputs(committed[i])}\n!=\n{_text_outputs(rerun[i])}"
        for i in code[code.index(training) :]
        if _text_outputs(rerun[i]) != _text_outputs(committed[i])
    ]
    assert not differ, "\n\n".join(differ)
