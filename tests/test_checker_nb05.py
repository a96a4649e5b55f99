"""Notebook 05's check (kw2v.course.checker.nb05, nearest neighbours by one matrix product):
the reference answer passes, and each typical wrong answer fails with its message.
"""

import numpy as np
import pytest
from checking import failed_with

from kw2v.course import checker

# ---- reference answer (what the solution notebook fills in) -------------------------------


def nearest(vectors, words, word, topn):
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    q = words.index(word)
    cosines = unit @ unit[q]
    cosines[q] = -np.inf  # not its own neighbour
    best = np.argsort(-cosines)[:topn]
    return [(words[i], float(cosines[i])) for i in best]


REFERENCE = {checker.check_nearest_neighbours: nearest}


# ---- wrong answers ------------------------------------------------------------------------


def scored(vectors, words, word, topn, rows=True, query=True, self_out=True, reverse=False):
    table = vectors / np.linalg.norm(vectors, axis=1, keepdims=True) if rows else vectors
    q = words.index(word)
    v = vectors[q] / np.linalg.norm(vectors[q]) if query else vectors[q]
    scores = table @ v
    order = [i for i in np.argsort(scores if reverse else -scores) if not (self_out and i == q)]
    return [(words[i], float(scores[i])) for i in order[:topn]]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"rows": False, "query": False}, "these are the largest dot products, not cosines"),
        ({"rows": False}, "these are the largest dot products, not cosines"),
        ({"query": False}, "the scores are cosines times |query|: normalise the query vector too"),
        ({"self_out": False}, "the word itself is its own nearest neighbour (cosine 1)"),
        ({"reverse": True}, "you returned the least similar words"),
    ],
    ids=["no normalisation", "query only", "rows only", "itself included", "ascending"],
)
def test_nearest_neighbour_mistakes(options, message, capsys):
    def wrong(vectors, words, word, topn):
        return scored(vectors, words, word, topn, **options)

    assert message in failed_with(checker.check_nearest_neighbours, wrong, capsys)


def test_words_without_scores(capsys):
    def words_only(vectors, words, word, topn):
        return [w for w, _ in nearest(vectors, words, word, topn)]

    out = failed_with(checker.check_nearest_neighbours, words_only, capsys)
    assert "return a list of (word, cosine) pairs" in out


def test_one_too_many(capsys):
    def extra(vectors, words, word, topn):
        return nearest(vectors, words, word, topn + 1)

    assert "topn = 4: return 4 neighbours, got 5" in failed_with(
        checker.check_nearest_neighbours, extra, capsys
    )


def _best_last(vectors, words, word, topn):
    return nearest(vectors, words, word, topn)[::-1]


def _euclidean(vectors, words, word, topn):
    q = words.index(word)
    distance = np.linalg.norm(vectors - vectors[q], axis=1)
    distance[q] = np.inf
    return [(words[i], float(distance[i])) for i in np.argsort(distance)[:topn]]


def _deleted_row(vectors, words, word, topn):
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    q = words.index(word)
    cosines = np.delete(unit, q, axis=0) @ unit[q]  # indices past q now point one word early
    return [(words[i], float(cosines[i])) for i in np.argsort(-cosines)[:topn]]


def _no_keepdims(vectors, words, word, topn):
    unit = vectors / np.linalg.norm(vectors, axis=1)
    return nearest(unit, words, word, topn)


@pytest.mark.parametrize(
    "wrong, message",
    [
        (_best_last, "the right words, best last: np.argsort sorts ascending"),
        (_euclidean, "these are the nearest by Euclidean distance"),
        (_deleted_row, "the indices are shifted: after np.delete removed the query's row"),
        (_no_keepdims, "keep it with keepdims=True"),
    ],
    ids=["best last", "euclidean", "np.delete", "no keepdims"],
)
def test_more_nearest_neighbour_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_nearest_neighbours, wrong, capsys)
