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
    assert np.isclose(p[0], -p[1])  # â and b̂ are symmetric about the direction


def test_sign_flipped(capsys):
    out = failed_with(nb11.check_projection, lambda v, a, b: projection_rows(v, b, a), capsys)
    assert "the sign is flipped" in out


def test_direction_not_unit(capsys):
    def not_unit(vectors, a, b):
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return unit @ (unit[a] - unit[b])

    out = failed_with(nb11.check_projection, not_unit, capsys)
    assert "the direction is not unit length" in out


def test_words_not_normalised(capsys):
    def raw_words(vectors, a, b):
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        g = unit[a] - unit[b]
        return vectors @ (g / np.linalg.norm(g))

    out = failed_with(nb11.check_projection, raw_words, capsys)
    assert "the word vectors are not normalised" in out


def test_subtract_before_normalising(capsys):
    def subtract_first(vectors, a, b):
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        g = vectors[a] - vectors[b]
        return unit @ (g / np.linalg.norm(g))

    out = failed_with(nb11.check_projection, subtract_first, capsys)
    assert "subtracted he and she before normalising them" in out


def test_plain_dot_product(capsys):
    out = failed_with(nb11.check_projection, lambda v, a, b: v @ (v[a] - v[b]), capsys)
    assert "neither the word vectors nor the direction are normalised" in out


def test_columns_normalised(capsys):
    def columns(vectors, a, b):
        unit = vectors / np.linalg.norm(vectors, axis=0, keepdims=True)
        g = unit[a] - unit[b]
        return unit @ (g / np.linalg.norm(g))

    out = failed_with(nb11.check_projection, columns, capsys)
    assert "you normalised the columns (axis=0)" in out


def test_missing_return(capsys):
    def forgot(vectors, a, b):
        projection_rows(vectors, a, b)

    out = failed_with(nb11.check_projection, forgot, capsys)
    assert "does not return it" in out


def test_wrong_shape(capsys):
    out = failed_with(
        nb11.check_projection, lambda v, a, b: projection_rows(v, a, b)[:, None], capsys
    )
    assert "shape (6,) expected" in out


def test_vectors_changed_in_place(capsys):
    def in_place(vectors, a, b):
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        g = vectors[a] - vectors[b]
        return vectors @ (g / np.linalg.norm(g))

    out = failed_with(nb11.check_projection, in_place, capsys)
    assert "changed the vectors it was given" in out


#: The answer the shared harness (tests/test_checker.py) runs: passes; a stub is not done.
REFERENCE = {nb11.check_projection: projection_rows}
