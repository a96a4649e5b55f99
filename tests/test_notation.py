"""One notation for the whole course (docs/notation.md): every letter in a formula of a notebook
or solution is declared there, notebook 00 shows the same table, and the clashes the course once
had (one letter, two meanings) stay gone."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTATION = ROOT / "docs" / "notation.md"
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb")) + sorted(
    ROOT.glob("notebooks/solutions/[0-9][0-9]_*.ipynb")
)
IDS = [p.relative_to(ROOT / "notebooks").as_posix() for p in NOTEBOOKS]

MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
# Words in formulas are not symbols: \text{PMI}, \mathrm{path}, \mathbf{queen} (a word's vector).
WORDS = re.compile(r"\\(?:text\w*|mathrm|operatorname)\s*\{[^{}]*\}|\\mathbf\{[a-z]{2,}\}")
BOLD = re.compile(r"\\(?:mathbf|boldsymbol)\s*\{?\s*(\\[A-Za-z]+|[A-Za-z])")
GREEK = re.compile(
    r"\\(alpha|beta|gamma|Gamma|delta|Delta|varepsilon|epsilon|eta|theta|Theta|lambda|mu|nu|"
    r"pi|rho|sigma|Sigma|tau|varphi|phi|Phi|chi|psi|omega|Omega)(?![A-Za-z])"
)
COMMAND = re.compile(r"\\[A-Za-z]+")

#: Letters that once meant two things, written the way the course now writes them.
CLASHES = {
    r"\\frac\{d\}\{d": r"a derivative is \frac{\mathrm d}{\mathrm dx}: $d$ is the dimension",
    r"(?<![\w\\])b_n": r"a Huffman code bit is $\beta_n$: $b$ is a bias",
    r"(?<![\w\\])n_1": r"the negatives are $w_1, \dots, w_k$: $n$ is an inner node",
    r"(?<![\w\\])f\(X": r"GloVe's weighting is $g(X_{ij})$: $f$ is the word frequency",
    r"(?<![\w\\])t_\{0\.975\}": r"Student's quantile is $q_{0.975}$: $t$ is the threshold",
    r"\\mathbf\s*V_d|\\mathbf\s*V\^": r"right singular vectors: $\mathbf R_d$ ($V$: vocabulary)",
    r"\\Sigma_d\^\{?\\?,?p": r"the SVD exponent is $\gamma$: $p$ is a p-value",
    r"(?<![\w\\])w_\{?t\b": r"positions are $i$, $j$: $t$ is the threshold",
    r"\\hat\{\\mathbf\s*[abc]\}": r"analogy words are $w_a, w_b, w_c$ ($\hat{\mathbf e}_{w_a}$)",
    r"(?<![\w\\])p_w": r"a word's share of the corpus is $f(w)$",
}  # fmt: skip


def _symbols(formula: str) -> set[str]:
    """The symbols of a formula: "e" and "bold e" are two, Greek letters by name."""
    formula = WORDS.sub(" ", formula)
    symbols = {"bold " + name.lstrip("\\") for name in BOLD.findall(formula)}
    formula = BOLD.sub(" ", formula)
    symbols |= set(GREEK.findall(formula))
    return symbols | set(re.findall(r"[A-Za-z]", COMMAND.sub(" ", formula)))


def _formulas(markdown: str) -> list[str]:
    """Formulas outside a table's last column (where other texts' names for a symbol go)."""
    lines = [
        line.rsplit("|", 2)[0] if line.startswith("|") else line for line in markdown.split("\n")
    ]
    return [a or b for a, b in MATH.findall("\n".join(lines))]


def _first_table(markdown: str) -> list[str]:
    start = markdown.index("| idea | symbol |")
    return markdown[start:].split("\n\n")[0].strip().splitlines()


def _markdown(path) -> str:
    cells = json.loads(path.read_text())["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _declared() -> set[str]:
    """Our symbols, and the other texts' names the table cites (which prose may mention)."""
    rows = [row.split("|") for row in _first_table(NOTATION.read_text())[2:]]
    cells = [row[2] for row in rows] + [row[4] for row in rows]
    return set().union(*(_symbols(a or b) for cell in cells for a, b in MATH.findall(cell)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_letter_in_a_formula_is_declared_with_one_meaning(path):
    markdown = _markdown(path)
    undeclared = {
        f"{symbol} in ${formula.strip()[:60]}$"
        for formula in _formulas(markdown)
        for symbol in _symbols(formula) - _declared()
    }
    assert not undeclared, f"add to docs/notation.md or use a declared symbol: {sorted(undeclared)}"
    clashes = [
        f"${formula.strip()[:60]}$: {why}"
        for formula in _formulas(markdown)
        for pattern, why in CLASHES.items()
        if re.search(pattern, formula)
    ]
    assert not clashes, clashes


def test_notebook_00_shows_the_notation_table_of_the_docs():
    shown = _first_table(_markdown(ROOT / "notebooks" / "00_word_embeddings.ipynb"))
    assert shown == _first_table(NOTATION.read_text()), "copy docs/notation.md's table into 00"


@pytest.mark.parametrize("formula", [r"\frac{d}{dx} \log x", r"(2 b_n - 1)", r"f(X_{ij})"])
def test_a_clash_is_caught(formula):
    assert any(re.search(pattern, formula) for pattern in CLASHES)


def test_an_undeclared_symbol_is_caught():
    formula = r"\mathbf W + \boldsymbol\Theta + \mathbf{queen} + \mu\,\text{PMI}(c, o)"
    assert _symbols(formula) == {"bold W", "bold Theta", "mu", "c", "o"}
    assert _symbols(formula) - _declared() == {"bold W", "mu"}
