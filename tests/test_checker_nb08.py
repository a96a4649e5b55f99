"""Notebook 08's check (kw2v.course.checker.nb08, sentence vectors): the reference answer
passes, and each typical wrong answer fails with its message.
"""

import numpy as np
import pytest
from checking import failed_with

from kw2v.course import checker

# ---- reference answer (what the solution notebook fills in) -------------------------------


def sentence_vector(wv, tokens, idf=None):
    known = [t for t in tokens if t in wv]
    if not known:
        return np.zeros(wv.dim)
    weights = np.array([1.0 if idf is None else idf.get(t, 1.0) for t in known])
    rows = wv.unit_vectors[[wv.index(t) for t in known]].astype(np.float64)
    return weights @ rows / weights.sum()


REFERENCE = {checker.check_sentence_vector: sentence_vector}


# ---- wrong answers ------------------------------------------------------------------------


def variant(unit=True, divide="weights", unknown_counted=False, unique=False, missing=1.0):
    def answer(wv, tokens, idf=None):
        known = [t for t in tokens if t in wv]
        if unique:
            known = list(dict.fromkeys(known))
        if not known:
            return np.zeros(wv.dim)
        weights = np.array([1.0 if idf is None else idf.get(t, missing) for t in known])
        table = wv.unit_vectors if unit else wv.vectors
        total = weights @ table[[wv.index(t) for t in known]].astype(np.float64)
        if divide == "weights":
            return total / (weights.sum() + (len(tokens) - len(known)) * unknown_counted)
        return total / {"none": 1, "known": len(known), "tokens": len(tokens)}[divide]

    return answer


@pytest.mark.parametrize(
    "wrong, message",
    [
        (variant(divide="none"), "that is the sum of the unit vectors"),
        (variant(unknown_counted=True), "the unknown word 'on' was counted"),
        (variant(divide="tokens"), "the unknown word 'on' was counted"),
        (variant(unit=False), "use the unit vectors (wv.unit_vectors), not the raw ones"),
        (variant(unique=True), "'the' occurs twice and counts twice"),
        (variant(divide="known"), "divide the weighted sum by the sum of the weights, not by"),
        (variant(missing=0.0), "'dog' is known but missing from idf: it gets weight 1"),
        (
            lambda wv, tokens, idf=None: sentence_vector(wv, tokens),
            "the weights are ignored: weight each occurrence by idf.get(word, 1.0)",
        ),
    ],
    ids=[
        "sum",
        "unknown in |C|",
        "divided by tokens",
        "raw vectors",
        "unique",
        "mean of weighted",
        "missing idf 0",
        "idf ignored",
    ],
)
def test_sentence_vector_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_sentence_vector, wrong, capsys)


def test_no_known_word_divides_by_zero(capsys):
    def nan_when_empty(wv, tokens, idf=None):
        known = [t for t in tokens if t in wv]
        rows = wv.unit_vectors[[wv.index(t) for t in known]].astype(np.float64)
        return rows.sum(axis=0) / len(known)

    out = failed_with(checker.check_sentence_vector, nan_when_empty, capsys)
    assert "no known word gave nan: return np.zeros(wv.dim)" in out


def _rescaled(unit=True):
    def answer(wv, tokens, idf=None):
        mean = variant(unit=unit)(wv, tokens, idf)
        norm = np.linalg.norm(mean)
        return mean / norm if norm else mean

    return answer


def _upside_down_idf(wv, tokens, idf=None):
    return sentence_vector(wv, tokens, None if idf is None else {w: 1 / v for w, v in idf.items()})


def _unknown_looked_up(wv, tokens, idf=None):
    rows = wv.unit_vectors[[wv.index(t) for t in tokens]].astype(np.float64)
    return rows.mean(axis=0)


def _empty(returned):
    def answer(wv, tokens, idf=None):
        return sentence_vector(wv, tokens, idf) if any(t in wv for t in tokens) else returned

    return answer


@pytest.mark.parametrize(
    "wrong, message",
    [
        (_rescaled(), "you scaled the mean to length 1: average the unit vectors and return"),
        (_rescaled(unit=False), "you averaged the raw vectors and scaled the result to length 1"),
        (_upside_down_idf, "the weights are upside down"),
        (_unknown_looked_up, "(skip the tokens the vectors do not know: keep only those with"),
        (_empty(0.0), "no known word: return a zero vector of length d, np.zeros(wv.dim), not 0.0"),
        (
            _empty(None),
            "no known word: return a zero vector of length d, np.zeros(wv.dim), not None",
        ),
    ],
    ids=["unit of the mean", "unit of the raw mean", "1/idf", "unknown looked up", "0.0", "None"],
)
def test_more_sentence_vector_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_sentence_vector, wrong, capsys)
