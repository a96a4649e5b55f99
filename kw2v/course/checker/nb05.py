"""Checks of notebook 05's "Your turn" exercise: nearest neighbours by one matrix product.

The planted vectors are chosen so that every typical mistake gives a different answer: raw dot
products (long vectors, frequent words, win), the query left unnormalised (the right words with
scores that are not cosines), the word itself returned as its own neighbour, the order reversed
or best last, Euclidean distance, the indices shifted by np.delete. See
:mod:`kw2v.course.checker.grading` for the machinery.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .compare import close, fmt
from .grading import Fail, Report, call, check

WORDS = ["cat", "kitten", "dog", "the", "car", "truck", "of", "lion"]
VECTORS = np.array(
    [
        [1.0, 0.2, 0.0],  # cat: the query
        [0.9, 0.25, 0.05],  # kitten: nearly parallel, short
        [0.8, 0.5, 0.1],  # dog
        [6.0, 4.5, 3.0],  # the: a long vector (frequent word), less parallel
        [0.1, 1.0, 0.3],  # car
        [0.0, 0.8, 0.6],  # truck
        [3.0, 3.5, 2.0],  # of: long too
        [1.2, 0.1, 0.4],  # lion
    ]
)


def _ranking(scores: np.ndarray, skip: int | None) -> list[tuple[str, float]]:
    order = [i for i in np.argsort(-scores, kind="stable") if i != skip]
    return [(WORDS[i], float(scores[i])) for i in order]


def _pairs(out, topn: int) -> list[tuple[str, float]]:
    try:
        pairs = [(str(w), float(s)) for w, s in out]
    except (TypeError, ValueError):
        raise Fail(
            "return a list of (word, cosine) pairs, best first, e.g. [('kitten', 0.99), ...]"
        ) from None
    if len(pairs) != topn:
        raise Fail(f"topn = {topn}: return {topn} neighbours, got {len(pairs)}")
    return pairs


def _mistakes(unit: np.ndarray, q: int, topn: int) -> dict[str, list[str]]:
    """The named mistakes: message → the ``topn`` words the mistake gives for word ``q``."""

    def top(scores: np.ndarray, skip: int | None = q) -> list[str]:
        return [w for w, _ in _ranking(scores, skip)[:topn]]

    return {
        "the word itself is its own nearest neighbour (cosine 1): leave `word` out": top(
            unit @ unit[q], None
        ),
        "these are the largest dot products, not cosines: normalise every row to length 1 "
        "first (long vectors, the frequent words, win a raw dot product)": top(
            VECTORS @ VECTORS[q]
        ),
        "the word itself is included, and these are dot products, not cosines: normalise "
        "every row and leave `word` out": top(VECTORS @ VECTORS[q], None),
        "you returned the least similar words: sort from the largest cosine down": top(
            -(unit @ unit[q])
        ),
        "the right words, best last: np.argsort sorts ascending, so take "
        "np.argsort(-cosines)[:topn] (or reverse with [::-1])": top(unit @ unit[q])[::-1],
        "these are the nearest by Euclidean distance: rank by cosine, the dot product of "
        "unit vectors": top(-np.linalg.norm(VECTORS - VECTORS[q], axis=1)),
        "the indices are shifted: after np.delete removed the query's row, index i no "
        "longer is words[i]. Set the query's own cosine to -inf instead": [
            WORDS[i] for i in np.argsort(-(np.delete(unit, q, axis=0) @ unit[q]))[:topn]
        ],
    }


@check
def check_nearest_neighbours(report: Report, nearest: Callable) -> None:
    """Check ``nearest(vectors, words, word, topn)``: the ``topn`` words of largest cosine.

    The answer is a list of ``(word, cosine)`` pairs, best first, without ``word`` itself,
    as ``WordVectors.most_similar`` returns. The planted table has long vectors (frequent
    words) that raw dot products rank first. Introduced in notebook 05.

    Parameters
    ----------
    nearest : callable
        The student's ``nearest(vectors, words, word, topn) -> list[(str, float)]``;
        ``vectors`` has shape (V, d), one row per word of the list ``words``.

    Returns
    -------
    CheckResult
    """
    topn, q = 4, 0
    unit = VECTORS / np.linalg.norm(VECTORS, axis=1, keepdims=True)
    expected = _ranking(unit @ unit[q], q)[:topn]
    got = _pairs(call(nearest, VECTORS.copy(), list(WORDS), "cat", topn), topn)
    got_words, got_scores = [w for w, _ in got], np.array([s for _, s in got])
    exp_words, exp_scores = [w for w, _ in expected], np.array([s for _, s in expected])
    if got_words != exp_words:
        for message, words in _mistakes(unit, q, topn).items():
            if got_words == words:
                raise Fail(f"{message}; expected {exp_words}, got {got_words}")
        raise Fail(f"the neighbours of 'cat' should be {exp_words}, got {got_words}")
    report.ok(f"the {topn} neighbours of 'cat', best first and without 'cat': {exp_words}")
    if close(got_scores, exp_scores):
        report.ok(f"their scores are cosines: {fmt(exp_scores)}")
    elif close(got_scores, exp_scores * np.linalg.norm(VECTORS[q])):
        report.wrong(
            "the scores are cosines times |query|: normalise the query vector too (the order "
            "is right, so only the rows were normalised)"
        )
    else:
        report.wrong(f"the scores should be the cosines {fmt(exp_scores)}, got {fmt(got_scores)}")

    got = _pairs(call(nearest, VECTORS.copy(), list(WORDS), "truck", 2), 2)
    expected = _ranking(unit @ unit[5], 5)[:2]
    if [w for w, _ in got] != [w for w, _ in expected]:
        raise Fail(
            f"the 2 neighbours of 'truck' should be {[w for w, _ in expected]}, got "
            f"{[w for w, _ in got]}: is the query word looked up by its index in `words`?"
        )
    report.ok("another word and topn = 2: right")
