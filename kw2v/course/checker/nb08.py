"""Checks of notebook 08's "Your turn" exercise: a sentence vector from word vectors, plain
or TF-IDF weighted.

Named mistakes: a sum for the mean, unknown words counted in the denominator, raw vectors
instead of unit vectors, a repeated word counted once, the weights ignored or divided by the
number of words instead of their sum, a known word missing from ``idf`` weighted 0, 1/idf, the
mean scaled to length 1, and a division by zero (or a number) when no word is known. See
:mod:`kw2v.course.checker.grading`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .compare import as_array, diagnose
from .grading import Fail, Report, call, check

WORDS = ["the", "cat", "sat", "mat", "dog"]
VECTORS = np.array(
    [[3.0, 1.0, 0.5], [0.2, 1.5, -0.4], [-1.0, 0.3, 2.0], [0.5, -0.8, 0.9], [1.2, 0.9, -2.5]]
)
TOKENS = ["the", "cat", "sat", "on", "the", "mat"]  # "on" is unknown, "the" occurs twice
IDF = {"the": 0.1, "cat": 2.0, "sat": 1.5, "mat": 2.5, "on": 0.7}


def _vectors():
    from kw2v.vectors import WordVectors

    return WordVectors(WORDS, VECTORS)


def _sentence(
    tokens, idf=None, default=1.0, unit=True, unique=False, divide="weights", rescale=False
):
    """The right sentence vector, or, through the arguments, one of the named mistakes."""
    table = VECTORS / np.linalg.norm(VECTORS, axis=1, keepdims=True) if unit else VECTORS
    weight = (lambda t: 1.0) if idf is None else (lambda t: idf.get(t, default))
    known = [t for t in tokens if t in WORDS]
    if unique:
        known = list(dict.fromkeys(known))
    w = np.array([weight(t) for t in known])
    denominator = {
        "weights": w.sum(),
        "nothing": 1,
        "known": len(known),
        "tokens": len(tokens),
        "all weights": sum(weight(t) for t in tokens),
    }[divide]
    mean = w @ table[[WORDS.index(t) for t in known]] / denominator
    return mean / np.linalg.norm(mean) if rescale else mean


#: The plain mean's named mistakes: (message, the arguments of :func:`_sentence` that make it).
MEAN_MISTAKES = [
    (
        "that is the sum of the unit vectors: divide by the number of known words",
        {"divide": "nothing"},
    ),
    (
        "the unknown word 'on' was counted: divide by the number of *known* words (5 here, not 6)",
        {"divide": "tokens"},
    ),
    ("use the unit vectors (wv.unit_vectors), not the raw ones", {"unit": False}),
    (
        "'the' occurs twice and counts twice: average over the occurrences, not the distinct words",
        {"unique": True},
    ),
]

#: Both means: the result scaled to length 1 (of the unit or of the raw vectors).
RESCALED = [
    (
        "you scaled the mean to length 1: average the unit vectors and return that average "
        "as it is (its length says how much the words agree)",
        {"rescale": True},
    ),
    (
        "you averaged the raw vectors and scaled the result to length 1: average the *unit* "
        "vectors, ê_w, and do not rescale the mean",
        {"rescale": True, "unit": False},
    ),
]

#: The same for the TF-IDF-weighted mean.
WEIGHTED_MISTAKES = [
    ("the weights are ignored: weight each occurrence by idf.get(word, 1.0)", {"idf": None}),
    (
        "divide the weighted sum by the sum of the weights, not by the number of words",
        {"divide": "known"},
    ),
    ("divide the weighted sum by the sum of the weights", {"divide": "nothing"}),
    (
        "the unknown word 'on' was counted in the denominator: divide by the sum of the "
        "known words' weights",
        {"divide": "tokens"},
    ),
    (
        "'dog' is known but missing from idf: it gets weight 1 (idf.get(word, 1.0)), not 0",
        {"default": 0.0},
    ),
    (
        "the unknown word's weight was added to the denominator: only known words count",
        {"divide": "all weights"},
    ),
    ("use the unit vectors, not the raw ones", {"unit": False}),
    ("'the' occurs twice and counts twice, each time with its weight", {"unique": True}),
    (
        "the weights are upside down: each occurrence of w is weighted by idf[w] itself "
        "(rare words, high idf, weigh more), not 1 / idf[w]",
        {"idf": {word: 1 / value for word, value in IDF.items()}},
    ),
]


#: Per part: (the hint when the answer is wrong in no named way, what a right answer is told).
SAYS = {
    "the mean": (
        "the mean of the unit vectors of the known tokens, one term per occurrence",
        "the mean of the known words' unit vectors, unknown 'on' skipped",
    ),
    "the weighted mean": (
        "Σ idf(w) ê_w over the known occurrences, divided by Σ idf(w) over the same",
        "the TF-IDF-weighted mean: Σ idf(w) ê_w / Σ idf(w) over known words",
    ),
}


def _verdict(report, sentence_vector, what, tokens, idf, mistakes):
    hint, right = SAYS[what]
    got = call(sentence_vector, _vectors(), list(tokens), None if idf is None else dict(idf))
    got = as_array(got, (VECTORS.shape[1],), what)
    variants = [
        (message, _sentence(tokens, **{"idf": idf, **args}))
        for message, args in [*mistakes, *RESCALED]
    ]
    report.verdict(diagnose(got, _sentence(tokens, idf), variants, what, hint=hint), right)


@check
def check_sentence_vector(report: Report, sentence_vector: Callable) -> None:
    """Check ``sentence_vector(wv, tokens, idf)``: one vector for a list of tokens.

    The mean of the **unit** vectors of the tokens ``wv`` knows, one term per occurrence;
    unknown tokens are skipped. With ``idf`` (a dict), each occurrence of word ``w`` is
    weighted ``idf.get(w, 1.0)`` and the weighted sum is divided by the sum of the weights.
    No known token gives a zero vector. Introduced in notebook 08.

    Parameters
    ----------
    sentence_vector : callable
        The student's ``sentence_vector(wv, tokens, idf=None) -> ndarray`` of shape (d,);
        ``wv`` is a :class:`kw2v.WordVectors`.

    Returns
    -------
    CheckResult
    """
    _verdict(report, sentence_vector, "the mean", TOKENS, None, MEAN_MISTAKES)
    tokens = [*TOKENS, "dog"]  # "dog" is known but has no idf: weight 1
    _verdict(report, sentence_vector, "the weighted mean", tokens, IDF, WEIGHTED_MISTAKES)

    got = call(sentence_vector, _vectors(), ["on", "at"], None, none_ok=True)
    if got is None or np.ndim(got) == 0:
        raise Fail(
            f"no known word: return a zero vector of length d, np.zeros(wv.dim), not {got!r}"
        )
    got = as_array(got, (VECTORS.shape[1],), "no known word")
    if not np.all(np.isfinite(got)):
        raise Fail("no known word gave nan: return np.zeros(wv.dim) instead of dividing by zero")
    if np.any(got != 0):
        raise Fail("no known word: return a zero vector")
    report.ok("no known word: a zero vector, no division by zero")
