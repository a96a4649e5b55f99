"""Notebook 09 and its solutions promise word2vec with nothing imported from kw2v (but the
Colab cell every notebook shares, which installs kw2v for the ``python -m kw2v`` comparison)."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = [
    NOTEBOOKS / "09_word2vec_in_pure_keras.ipynb",
    NOTEBOOKS / "solutions" / "09_word2vec_in_pure_keras.ipynb",
]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_no_kw2v_import(path):
    cells = json.loads(path.read_text())["cells"]
    code = "\n".join(
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "code" and "colab" not in c.get("metadata", {}).get("tags", [])
    )
    assert code.strip()
    assert not re.search(r"^\s*(from\s+kw2v\b|import\s+kw2v\b)", code, re.M)
    assert "kw2v." not in code.replace("-m kw2v", "")
