"""Every notebook opens in Colab: its own badge, the same install cell, nothing relative.

Colab fetches only the ``.ipynb``: it installs kw2v from the repository (the first code cell),
and can show only figures and links given by absolute URLs. No test here uses the network.
"""

import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parents[1]
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
OWNER_NAME = REPOSITORY.removeprefix("https://github.com/")
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb")) + sorted(
    ROOT.glob("notebooks/solutions/[0-9][0-9]_*.ipynb")
)
IDS = [p.relative_to(ROOT / "notebooks").as_posix() for p in NOTEBOOKS]
# Markdown links and images: [text](target), ![alt](target), <img src="target">
TARGETS = re.compile(r"\]\(([^)\s]+)|<img[^>]*\bsrc=[\"']([^\"']+)")
RAW_OR_BLOB = re.compile(
    rf"https://(?:raw\.githubusercontent\.com/{OWNER_NAME}|github\.com/{OWNER_NAME}/blob)"
    r"/main/([^)#?\s]+)"
)


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _source(cell):
    return "".join(cell["source"])


def _setup_cell(path=NOTEBOOKS[0]):
    return _source(_cells(path)[2])


def test_the_repository_is_a_github_url():
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPOSITORY), REPOSITORY


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_title_then_its_own_badge_then_the_install_cell(path):
    title, badge, setup = _cells(path)[:3]  # a new notebook: python site/repository.py adds them
    assert title["cell_type"] == "markdown" and _source(title).startswith("# ")
    relative = path.relative_to(ROOT).as_posix()
    colab = f"https://colab.research.google.com/github/{OWNER_NAME}/blob/main/{relative}"
    assert badge["cell_type"] == "markdown"
    assert re.fullmatch(rf"\[!\[Open in Colab\]\([^)]+\)\]\({re.escape(colab)}\)", _source(badge))
    assert setup["cell_type"] == "code" and _source(setup) == _setup_cell()
    for cell in (badge, setup):  # the website has its own Colab button and needs no install
        assert "remove-cell" in cell["metadata"]["tags"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_names_repository_files_by_absolute_urls_that_exist(path):
    relative, missing = [], []
    for cell in _cells(path):
        if cell["cell_type"] != "markdown":
            continue
        for target in (a or b for a, b in TARGETS.findall(_source(cell))):
            if not re.match(r"(https?:|mailto:|#)", target):
                relative.append(target)  # Colab has the notebook only: ../images/x.png is gone
            elif (found := RAW_OR_BLOB.match(target)) and not (ROOT / found[1]).is_file():
                missing.append(target)
    assert relative == [] and missing == []


def _run_setup_cell(monkeypatch, kw2v_missing):
    """Run the install cell as IPython would, ``%pip`` recorded instead of run."""
    calls = []

    class FakeIPython:
        def run_line_magic(self, name, line):
            calls.append((name, line))

    if kw2v_missing:
        monkeypatch.setitem(sys.modules, "kw2v", None)  # import kw2v raises ImportError
    code = TransformerManager().transform_cell(_setup_cell())
    exec(code, {"get_ipython": FakeIPython})
    return calls


def test_the_install_cell_installs_nothing_when_kw2v_is_there(monkeypatch):
    assert _run_setup_cell(monkeypatch, kw2v_missing=False) == []


def test_the_install_cell_installs_the_repository_package_when_kw2v_is_missing(monkeypatch):
    [(magic, line)] = _run_setup_cell(monkeypatch, kw2v_missing=True)
    assert magic == "pip"
    assert shlex.split(line) == ["install", "-q", f"kw2v @ git+{REPOSITORY}"]


def test_a_notebook_runs_from_an_empty_folder_on_the_installed_wheel(tmp_path, monkeypatch):
    """What Colab does: the notebook alone in a folder, kw2v installed from the package."""
    import papermill

    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    wheels, installed, work = tmp_path / "wheels", tmp_path / "installed", tmp_path / "content"
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", wheels, ROOT],
                   check=True)  # fmt: skip
    [wheel] = wheels.glob("kw2v-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", installed, wheel], check=True)
    work.mkdir()
    notebook = json.loads(NOTEBOOKS[0].read_text())
    notebook["cells"].append(
        {"cell_type": "code", "execution_count": None, "id": "where", "metadata": {},
         "outputs": [], "source": "import kw2v\nprint('kw2v from', kw2v.__file__)"}
    )  # fmt: skip
    (work / "notebook.ipynb").write_text(json.dumps(notebook))
    # The installed copy comes first on the kernel's path; the checkout is not on it.
    monkeypatch.setenv("PYTHONPATH", str(installed))
    monkeypatch.chdir(work)
    papermill.execute_notebook(
        "notebook.ipynb", "run.ipynb", parameters={"SMOKE": True}, cwd=str(work),
        kernel_name="python3", progress_bar=False,
    )  # fmt: skip
    where = json.loads((work / "run.ipynb").read_text())["cells"][-1]["outputs"][0]["text"]
    assert f"kw2v from {installed}" in "".join(where)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "installed", "wheels"]


def test_the_readme_opens_every_course_notebook_in_colab_from_this_repository():
    readme = (ROOT / "README.md").read_text()
    colab = re.findall(r"https://colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/", readme)
    assert set(colab) == {OWNER_NAME}
    for path in NOTEBOOKS:
        if path.parent.name == "notebooks":
            relative = path.relative_to(ROOT).as_posix()
            assert f"github/{OWNER_NAME}/blob/main/{relative})" in readme, relative
    assert f'"kw2v @ git+{REPOSITORY}"' in readme  # the install cell, as the README shows it


def test_no_other_repository_is_named_for_the_course():
    """After a move (site/repository.py OLD_URL) no link may point at the old repository."""
    ours = re.compile(
        r"(?:github\.com|raw\.githubusercontent\.com|colab\.research\.google\.com/github)"
        r"/([\w.-]+/[\w.-]+)/(?:blob|main)/"
    )
    for path in [ROOT / "README.md", *NOTEBOOKS]:
        assert set(ours.findall(path.read_text())) <= {OWNER_NAME}, path
