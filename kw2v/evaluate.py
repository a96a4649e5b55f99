"""Scores for trained vectors, computed exactly as gensim computes them.

Two standard checks: word-similarity correlation (WordSim-353, SimLex-999: does the cosine of a
word pair rank pairs the way people do?) and analogy accuracy (Google's questions-words: does
``king - man + woman`` land on ``queen``?). The results equal gensim's
``KeyedVectors.evaluate_word_pairs`` / ``evaluate_word_analogies`` on the same vectors, so a
table can put our Keras model and gensim's Word2Vec side by side on one ruler. The evaluation
files are the copies shipped inside gensim, so nothing is downloaded.

Only numpy, scipy and (lazily) ``gensim.test.utils`` are imported.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np

from kw2v.errors import Kw2vError
from kw2v.vectors import WordVectors

__all__ = ["analogies", "evaluate_all", "format_table", "word_pairs"]

PAIR_SETS = {"ws353": "wordsim353.tsv", "simlex": "simlex999.txt"}
ANALOGY_FILE = "questions-words.txt"
METHODS = ("add", "mul")

# Memory budgets, in float32 cells, for the batched analogy solver: the cosines of a group of
# question words against the vocabulary, and the scores of a block of questions.
_SIMS_BUDGET = 1 << 25  # 128 MiB
_SCORES_BUDGET = 1 << 22  # 16 MiB per array
# gensim looks at this many candidates before giving up on a question (topn=5).
_GENSIM_TOPN = 5
_COSMUL_EPS = 1e-6


def _gensim_file(name: str) -> Path:
    from gensim.test.utils import datapath

    return Path(datapath(name))


def _existing(path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    if not path.is_file():
        raise Kw2vError(f"evaluation file {path} does not exist; check the path")
    return path


def _ok_vocab(
    wv: WordVectors, restrict_vocab: int | None, case_insensitive: bool
) -> tuple[dict[str, int], np.ndarray]:
    """gensim's lookup table and, per allowed row, the row its (case-folded) key maps to.

    Only the first `restrict_vocab` words count. With `case_insensitive` the keys are upper
    case and, of several case variants, the first (most frequent) one supplies the vector.
    """
    if restrict_vocab is not None and restrict_vocab < 1:
        raise Kw2vError(f"restrict_vocab must be a positive number of words, not {restrict_vocab}")
    allowed = wv.words[:restrict_vocab]
    ok: dict[str, int] = {}
    canon = np.empty(len(allowed), dtype=np.int64)
    for row, word in enumerate(allowed):
        canon[row] = ok.setdefault(word.upper() if case_insensitive else word, row)
    return ok, canon


def word_pairs(
    wv: WordVectors,
    path: str | os.PathLike[str] | None = None,
    *,
    name: str = "ws353",
    restrict_vocab: int | None = 300_000,
    case_insensitive: bool = True,
) -> dict[str, float]:
    """Correlation between the model's cosines and human similarity ratings of word pairs.

    Same protocol as gensim's ``evaluate_word_pairs`` with its defaults: ``#`` lines are
    comments, fields are tab-separated ``word1 word2 score``, malformed lines are skipped, and
    pairs with a word outside the first `restrict_vocab` words are skipped and counted as OOV.
    Introduced in notebook 04.

    Parameters
    ----------
    wv : WordVectors
        Vectors, most frequent word first.
    path : str or os.PathLike, optional
        A pairs file; ``None`` uses the copy of the set `name` shipped with gensim.
    name : {"ws353", "simlex"}, optional
        WordSim-353 (relatedness) or SimLex-999 (similarity proper), when `path` is None.
    restrict_vocab : int or None, optional
        Only the first this many words may answer; ``None`` for all.
    case_insensitive : bool, optional
        Compare upper-cased words; of several case variants the first in the vocabulary wins.

    Returns
    -------
    dict
        ``spearman`` and ``pearson`` correlation, ``pairs`` used, ``oov`` pairs skipped and
        ``oov_ratio`` (percent of pairs skipped, as gensim reports it).

    Raises
    ------
    Kw2vError
        If `name` is unknown, the file is missing, or fewer than two pairs are in vocabulary.
    """
    from scipy import stats

    if path is None:
        if name not in PAIR_SETS:
            raise Kw2vError(f"unknown word-pair set {name!r}; choose one of {sorted(PAIR_SETS)}")
        path = _gensim_file(PAIR_SETS[name])
    path = _existing(path)
    ok, _ = _ok_vocab(wv, restrict_vocab, case_insensitive)
    gold: list[float] = []
    rows_a: list[int] = []
    rows_b: list[int] = []
    oov = 0
    with open(path, encoding="utf8") as fin:
        for line in fin:
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if case_insensitive:
                fields = [field.upper() for field in fields]
            if len(fields) != 3:
                continue
            a, b, score = fields
            try:
                rating = float(score)
            except ValueError:
                continue
            if a not in ok or b not in ok:
                oov += 1
                continue
            gold.append(rating)
            rows_a.append(ok[a])
            rows_b.append(ok[b])
    if len(gold) < 2:
        raise Kw2vError(
            f"only {len(gold)} pairs of {path.name} have both words in the vocabulary "
            f"({oov} skipped); train on more text or lower min_count"
        )
    unit = wv.unit_vectors
    model = np.einsum("ij,ij->i", unit[rows_a], unit[rows_b])
    return {
        "spearman": float(stats.spearmanr(gold, model).statistic),
        "pearson": float(stats.pearsonr(gold, model).statistic),
        "pairs": len(gold),
        "oov": oov,
        "oov_ratio": 100.0 * oov / (len(gold) + oov),
    }


def _read_questions(
    path: Path, ok: Mapping[str, int], case_insensitive: bool
) -> tuple[list[str], list[list[list[int]]], int, int]:
    """Sections, their in-vocabulary questions as rows, the OOV count and the question count."""
    names: list[str] = []
    questions: list[list[list[int]]] = []
    oov = total = 0
    with open(path, "rb") as fin:
        for line_no, raw in enumerate(fin, start=1):
            try:
                line = raw.decode("utf8")
            except UnicodeDecodeError:
                raise Kw2vError(f"{path}, line {line_no}: not UTF-8 text") from None
            if line.startswith(": "):
                names.append(line.lstrip(": ").strip())
                questions.append([])
                continue
            if not names:
                raise Kw2vError(
                    f"{path}, line {line_no}: a question before the first ': section' line; "
                    "start the file with a section header such as ': capital-common-countries'"
                )
            words = line.split()
            if len(words) != 4:
                continue
            if case_insensitive:
                words = [word.upper() for word in words]
            total += 1
            if any(word not in ok for word in words):
                oov += 1
                continue
            questions[-1].append([ok[word] for word in words])
    return names, questions, oov, total


def _word_groups(quads: np.ndarray, cap: int) -> list[slice]:
    """Consecutive runs of questions that together use at most `cap` distinct words."""
    groups: list[slice] = []
    start, seen = 0, set()
    for i, quad in enumerate(quads[:, :3].tolist()):
        new = seen.union(quad)
        if len(new) > cap and i > start:
            groups.append(slice(start, i))
            start, new = i, set(quad)
        seen = new
    if start < len(quads):
        groups.append(slice(start, len(quads)))
    return groups


def _solve(
    unit: np.ndarray, canon: np.ndarray, quads: np.ndarray, methods: Sequence[str]
) -> dict[str, np.ndarray]:
    """Which questions each method gets right, batched over questions.

    The question words repeat a lot (about 900 distinct words in 19,544 questions), so the
    cosines of a group's words with the vocabulary are computed once by one matrix product and
    every question's scores are sums or products of three of those rows. The candidate set is
    the first ``len(canon)`` words, without the question words, exactly as gensim searches.
    """
    n_rows = len(canon)
    vocab = unit[:n_rows]
    correct = {method: np.zeros(len(quads), dtype=bool) for method in methods}
    if len(quads) == 0:
        return correct
    block = max(1, _SCORES_BUDGET // n_rows)
    for group in _word_groups(quads, cap=max(3, _SIMS_BUDGET // n_rows)):
        qs = quads[group]
        distinct, positions = np.unique(qs[:, :3], return_inverse=True)
        positions = positions.reshape(-1, 3)
        # Cosines shifted to [0, 1] as 3CosMul wants them. 3CosAdd ranks candidates by
        # cos(x, b) + cos(x, c) - cos(x, a) (the cosine with normalise(b + c - a) divided by a
        # per-question norm), and the same sum of shifted cosines is that plus a constant.
        shifted = unit[distinct] @ vocab.T
        shifted += 1.0
        shifted *= 0.5
        for lo in range(0, len(qs), block):
            q, pos = qs[lo : lo + block], positions[lo : lo + block]
            for method in methods:
                if method == "add":
                    scores = shifted[pos[:, 1]]
                    scores += shifted[pos[:, 2]]
                    scores -= shifted[pos[:, 0]]
                else:
                    scores = shifted[pos[:, 1]]
                    scores *= shifted[pos[:, 2]]
                    scores /= shifted[pos[:, 0]] + _COSMUL_EPS
                predicted = _predict(scores, q, canon)
                correct[method][group.start + lo : group.start + lo + len(q)] = predicted == q[:, 3]
    return correct


def _predict(scores: np.ndarray, q: np.ndarray, canon: np.ndarray) -> np.ndarray:
    """The answer gensim would give, as a canonical row (-1 for none).

    gensim takes the 5 best words other than the question words and answers with the first
    whose case-folded form is not a question word either (e.g. "Athens" when "ATHENS" was
    asked); if all 5 are such variants, the 5th one stands as the (wrong) answer.
    """
    rows = np.arange(len(q))
    for column in range(3):
        scores[rows, q[:, column]] = -np.inf
    best = scores.argmax(axis=1)
    answer = canon[best]
    n_candidates = scores.shape[1] - np.array([len(set(row)) for row in q[:, :3].tolist()])
    clash = (answer[:, None] == q[:, :3]).any(axis=1) | (n_candidates < 1)
    for i in np.flatnonzero(clash):
        answer[i] = _predict_slowly(scores[i], q[i], canon)
    return answer


def _predict_slowly(scores: np.ndarray, q: np.ndarray, canon: np.ndarray) -> int:
    allowed = np.flatnonzero(scores > -np.inf)
    if len(allowed) == 0:
        return -1
    top = allowed[np.argsort(-scores[allowed], kind="stable")[:_GENSIM_TOPN]]
    ignore = set(q[:3].tolist())
    for row in top:
        if canon[row] not in ignore:
            return int(canon[row])
    return int(canon[top[-1]])


def _analogy_results(
    wv: WordVectors,
    path: str | os.PathLike[str] | None,
    methods: Sequence[str],
    restrict_vocab: int | None,
    case_insensitive: bool,
) -> dict[str, dict[str, Any]]:
    for method in methods:
        if method not in METHODS:
            raise Kw2vError(f"unknown analogy method {method!r}; choose 'add' or 'mul'")
    path = _existing(_gensim_file(ANALOGY_FILE) if path is None else path)
    ok, canon = _ok_vocab(wv, restrict_vocab, case_insensitive)
    names, questions, oov, asked = _read_questions(path, ok, case_insensitive)
    flat = [quad for section in questions for quad in section]
    quads = np.array(flat, dtype=np.int64).reshape(-1, 4)
    correct = _solve(wv.unit_vectors, canon, quads, methods)
    sizes = [len(section) for section in questions]
    bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    results = {}
    for method in methods:
        hits = correct[method]
        n_correct, n_total = int(hits.sum()), len(hits)
        results[method] = {
            "accuracy": n_correct / n_total if n_total else 0.0,
            "correct": n_correct,
            "total": n_total,
            "oov": oov,
            "oov_ratio": 100.0 * oov / asked if asked else 0.0,
            "sections": [
                {
                    "section": name,
                    "correct": int(hits[bounds[i] : bounds[i + 1]].sum()),
                    "total": sizes[i],
                }
                for i, name in enumerate(names)
            ],
        }
    return results


def analogies(
    wv: WordVectors,
    path: str | os.PathLike[str] | None = None,
    *,
    method: str = "add",
    restrict_vocab: int | None = 300_000,
    case_insensitive: bool = True,
) -> dict[str, Any]:
    """Accuracy on "a is to b as c is to ?" questions (Google's questions-words by default).

    ``method="add"`` (3CosAdd, the word2vec paper's vector offset) reproduces gensim's
    ``evaluate_word_analogies``: only the first `restrict_vocab` words may answer, the three
    question words cannot, questions with a word outside that vocabulary are skipped (and
    counted in ``oov``), and accuracy is correct / evaluated questions (0.0 if none).
    ``method="mul"`` applies the same protocol with Levy & Goldberg's 3CosMul, which gensim
    only offers per query. All questions are solved in batches, so a 70k-word vocabulary
    takes seconds. Introduced in notebook 04.

    Parameters
    ----------
    wv : WordVectors
        Vectors, most frequent word first.
    path : str or os.PathLike, optional
        An analogy file (``: section`` headers, then ``a b c expected`` lines); ``None`` uses
        questions-words.txt shipped with gensim.
    method : {"add", "mul"}, optional
        3CosAdd or 3CosMul.
    restrict_vocab : int or None, optional
        Only the first this many words take part; ``None`` for all.
    case_insensitive : bool, optional
        Compare upper-cased words; of several case variants the first in the vocabulary wins.

    Returns
    -------
    dict
        ``accuracy``, ``correct``, ``total`` (questions evaluated), ``oov`` (questions
        skipped), ``oov_ratio`` (percent) and ``sections``: a list of
        ``{"section", "correct", "total"}`` in file order. gensim's extra "Total accuracy"
        section is the top-level ``correct``/``total`` here.

    Raises
    ------
    Kw2vError
        If `method` is unknown, the file is missing or has a question before any section.
    """
    return _analogy_results(wv, path, [method], restrict_vocab, case_insensitive)[method]


def evaluate_all(wv: WordVectors, *, analogies_too: bool = True) -> dict[str, float]:
    """Every standard score in one dict, ready for :func:`format_table`.

    Introduced in notebook 04.

    Parameters
    ----------
    wv : WordVectors
        Vectors, most frequent word first.
    analogies_too : bool, optional
        Also run the analogy questions (the slow part, seconds on a large vocabulary).

    Returns
    -------
    dict of str to float
        ``ws353`` and ``simlex`` (Spearman's rho), ``analogy_add`` and ``analogy_mul``
        (accuracy), and the coverage counts ``ws353_pairs``, ``simlex_pairs`` and
        ``analogy_questions``. A score is NaN when nothing in the set is in vocabulary.
    """
    results: dict[str, float] = {}
    for name in PAIR_SETS:
        try:
            pairs = word_pairs(wv, name=name)
            results[name], results[f"{name}_pairs"] = pairs["spearman"], pairs["pairs"]
        except Kw2vError:
            results[name], results[f"{name}_pairs"] = math.nan, 0
    if analogies_too:
        scores = _analogy_results(wv, None, METHODS, 300_000, True)
        for method in METHODS:
            total = scores[method]["total"]
            results[f"analogy_{method}"] = scores[method]["accuracy"] if total else math.nan
        results["analogy_questions"] = scores["add"]["total"]
    return results


def _cell(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, Real):
        return str(value)
    if isinstance(value, Integral):
        return str(int(value))
    if math.isnan(value):
        return "n/a"
    return f"{value:.3f}"


def format_table(results: Mapping[str, Mapping[str, float]] | Mapping[str, float]) -> str:
    """A Markdown table of scores (readable as plain text too), one row per metric.

    Introduced in notebook 04.

    Parameters
    ----------
    results : dict
        One model's ``{metric: value}`` (as :func:`evaluate_all` returns), or several models'
        ``{model: {metric: value}}``, which become one column each, in the given order.

    Returns
    -------
    str
        The table; floats with 3 decimals, counts as integers, NaN as ``n/a``, a metric a model
        lacks as an empty cell.

    Raises
    ------
    Kw2vError
        If `results` is empty.

    Examples
    --------
    >>> print(format_table({"kw2v": {"ws353": 0.61}, "gensim": {"ws353": 0.65}}))
    | metric |  kw2v | gensim |
    |:-------|------:|-------:|
    | ws353  | 0.610 |  0.650 |
    """
    if not results:
        raise Kw2vError("nothing to format: pass {metric: value} or {model: {metric: value}}")
    if all(isinstance(v, Mapping) for v in results.values()):
        models: dict[str, Mapping[str, Any]] = {str(k): v for k, v in results.items()}
    else:
        models = {"value": results}
    metrics: list[str] = []
    for scores in models.values():
        metrics.extend(m for m in scores if m not in metrics)
    header = ["metric", *models]
    body = [[m, *(_cell(s[m]) if m in s else "" for s in models.values())] for m in metrics]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "| " + " | ".join([first, *rest]) + " |"

    rule = "|:" + "-" * (widths[0] + 1) + "|" + "|".join("-" * (w + 1) + ":" for w in widths[1:])
    return "\n".join([line(header), rule + "|", *(line(row) for row in body)])
