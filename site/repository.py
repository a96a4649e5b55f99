"""Where the course lives online, derived from the one URL in pyproject.toml.

The notebooks' Colab badges and install cell, the website's buttons and the tests all take the
repository's address from ``[project.urls] Repository``. To move the course, change it there and
run ``python site/repository.py OLD_URL``: it rewrites the notebooks' badges, install cell,
figure and link URLs and the README's Colab links (tests/test_colab.py checks that none is left).
"""

import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRANCH = "main"
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
OWNER_NAME = REPOSITORY.removeprefix("https://github.com/")
RAW = f"https://raw.githubusercontent.com/{OWNER_NAME}/{BRANCH}"
BLOB = f"{REPOSITORY}/blob/{BRANCH}"
COLAB = f"https://colab.research.google.com/github/{OWNER_NAME}/blob/{BRANCH}"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"

#: The notebooks' first code cell, the same in every notebook and solution: Colab (or any
#: Python without kw2v) installs the course's package from the repository; a checkout with
#: kw2v installed runs nothing.
SETUP_CELL = f"""\
# In Colab (or any Python without kw2v): install the course's package from its repository.
try:
    import kw2v
except ImportError:
    %pip install -q "kw2v @ git+{REPOSITORY}"
"""

#: Tags of the two cells Colab needs and the website does not show (it has its own button).
COLAB_TAGS = ["remove-cell", "colab"]


def notebooks() -> list[Path]:
    """Every course notebook and solution, in course order."""
    course = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    return course + sorted((ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))


def badge_cell(path: Path) -> str:
    """The markdown of ``path``'s "Open in Colab" badge."""
    relative = path.resolve().relative_to(ROOT).as_posix()
    return f"[![Open in Colab]({COLAB_BADGE})]({COLAB}/{relative})"


def source(cell: dict) -> str:
    """A notebook cell's source as one string."""
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _cell(cell_type: str, text: str, cell_id: str) -> dict:
    lines = text.splitlines(keepends=True)
    lines[-1] = lines[-1].rstrip("\n")  # nbformat stores no final newline
    cell = {"cell_type": cell_type, "id": cell_id, "metadata": {"tags": COLAB_TAGS}}
    if cell_type == "code":
        cell |= {"execution_count": None, "outputs": []}
    return cell | {"source": lines}


def add_colab_cells(path: Path) -> bool:
    """Put (or refresh) the badge and the install cell right under ``path``'s title cell.

    Only those two cells change; the rest of the file keeps its bytes, as nbformat wrote them
    (one-space indent), so concurrent edits of other cells merge. Returns whether it changed.
    """
    text = path.read_text()
    nb = json.loads(text)
    cells = [c for c in nb["cells"] if "colab" not in c.get("metadata", {}).get("tags", [])]
    wanted = cells[:1] + [
        _cell("markdown", badge_cell(path), "colab-badge"),
        _cell("code", SETUP_CELL, "colab-setup"),
    ]
    if nb["cells"][:3] == wanted:
        return False
    # Splice the two cells' JSON in after the title cell, leaving every other byte alone.
    old = len(nb["cells"]) - len(cells)  # 0 or 2 cells to replace
    cells_end = text.index("\n ],\n")  # the cells come first: nbformat sorts the keys
    starts = [m.start() for m in re.finditer(r"^  \{\n", text[:cells_end], flags=re.M)]
    ends = [m.end() for m in re.finditer(r"^  \},?\n", text[: cells_end + 1], flags=re.M)]
    assert len(starts) == len(ends) == len(nb["cells"]), f"{path}: not nbformat's layout"
    new = "".join(
        "\n".join(
            "  " + line
            for line in json.dumps(c, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
        )
        + ",\n"
        for c in wanted[1:]
    )
    text = text[: ends[0]] + new + text[starts[1 + old] if old else ends[0] :]
    assert json.loads(text)["cells"][:3] == wanted, path
    path.write_text(text)
    return True


def move_from(old_repository: str) -> None:
    """Rewrite the notebooks' and the README's URLs of ``old_repository`` to ``REPOSITORY``."""
    old = old_repository.removeprefix("https://github.com/")
    hosts = r"(github\.com/|raw\.githubusercontent\.com/|colab\.research\.google\.com/github/)"
    for path in [ROOT / "README.md", *notebooks()]:
        text = re.sub(hosts + re.escape(old) + r"\b", rf"\g<1>{OWNER_NAME}", path.read_text())
        if text != path.read_text():
            path.write_text(text)
            print("moved", path.relative_to(ROOT))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        move_from(sys.argv[1])
    for notebook in notebooks():
        if add_colab_cells(notebook):
            print("updated", notebook.relative_to(ROOT))
