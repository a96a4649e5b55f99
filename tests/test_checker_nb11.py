"""kw2v.course.checker.nb11: a right projection passes (written two ways); the typical wrong
ones fail with a message that names the mistake; an unfinished stub prints "not done yet".

The answers here are written as a student would write them, independently of the checker.
"""

import numpy as np
import pytest
from checking import failed_with

from kw2v.course.checker import nb11


def projection_rows(vectors, a, b):
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    direction = unit[a] - unit[b]
    return unit @ (direction / np.linalg.norm(direction))


def projection_loop(vectors, a, b):
    he, she = vectors[a] / np.linalg.norm(vectors[a]), vectors[b] / np.linalg.norm(vectors[b])
    g = (he - she) / np.linalg.norm(he - she)
    return np.array([v @ g / np.linalg.norm(v) for v in vectors])


@pytest.mark.parametrize("answer", [projection_loop])
def test_other_right_answers_pass(answer, capsys):
    result = nb11.check_projection(answer)
    out = capsys.readouterr().out
    assert result and result.status == "passed", out
    assert "✗" not in out


def test_reference_gives_a_the_top_and_b_the_bottom_of_the_planted_pair():
    p = nb11.projection_reference(nb11.VECTORS, 0, 1)
    assert p[0] > 0 > p[1]
    assert np.isclose(p[0], -p[1])  # ê_he and ê_she are symmetric about the direction


def unit(x, axis=-1):
    return x / np.linalg.norm(x, axis=axis, keepdims=True)


def forgot(vectors, a, b):
    projection_rows(vectors, a, b)


def in_place(vectors, a, b):
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    g = vectors[a] - vectors[b]
    return vectors @ (g / np.linalg.norm(g))


#: Each typical wrong answer, keyed by what the checker must say about it.
WRONG_ANSWERS = {
    "the sign is flipped": lambda v, a, b: projection_rows(v, b, a),
    "the direction is not unit length": lambda v, a, b: unit(v) @ (unit(v)[a] - unit(v)[b]),
    "the word vectors are not normalised": lambda v, a, b: v @ unit(unit(v)[a] - unit(v)[b]),
    "subtracted he and she before normalising them": lambda v, a, b: unit(v) @ unit(v[a] - v[b]),
    "neither the word vectors nor the direction are normalised": lambda v, a, b: v @ (v[a] - v[b]),
    "you normalised the columns (axis=0)": lambda v, a, b: (
        unit(v, axis=0) @ unit(unit(v, axis=0)[a] - unit(v, axis=0)[b])
    ),
    "does not return it": forgot,
    "shape (6,) expected": lambda v, a, b: projection_rows(v, a, b)[:, None],
    "changed the vectors it was given": in_place,
    "ignores `a` and `b`: it gives the answer for a = 0, b = 1": lambda v, a, b: projection_rows(
        v, 0, 1
    ),
    "the word vectors, and a and b before their difference, are not normalised": (
        lambda v, a, b: v @ unit(v[a] - v[b])
    ),
    "keep it with keepdims=True": lambda v, a, b: (v / np.linalg.norm(v, axis=1)) @ v[a],
}


@pytest.mark.parametrize(("expected", "answer"), WRONG_ANSWERS.items())
def test_wrong_answer_fails_naming_the_mistake(expected, answer, capsys):
    assert expected in failed_with(nb11.check_projection, answer, capsys)


#: The answer the shared harness (tests/test_checker.py) runs: passes; a stub is not done.
REFERENCE = {nb11.check_projection: projection_rows}
