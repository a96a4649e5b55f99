"""Notebook 07's checks (kw2v.course.checker.nb07, GloVe's weighting and gradient): the
reference answers pass, and each typical wrong answer fails with its message.
"""

import numpy as np
import pytest
from checking import failed_with

from kw2v.course import checker

# ---- reference answers (what the solution notebook fills in) ------------------------------


def weight(x, x_max, alpha):
    return np.where(x < x_max, (x / x_max) ** alpha, 1.0)


def gradients(e_i, theta_j, b_i, bt_j, x_ij):
    f = weight(x_ij, 100.0, 0.75)
    err = e_i @ theta_j + b_i + bt_j - np.log(x_ij)
    return f * err**2, 2 * f * err * theta_j, 2 * f * err * e_i, 2 * f * err, 2 * f * err


REFERENCE = {checker.check_glove_weight: weight, checker.check_glove_gradients: gradients}


# ---- wrong answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda x, m, a: (x / m) ** a, "the cap at 1 is missing"),
        (lambda x, m, a: np.maximum(1, (x / m) ** a), "the cap is np.minimum(1, ...)"),
        (
            lambda x, m, a: np.minimum(1, x**a / m),
            "alpha applies to the ratio: (x / x_max)^alpha, not x^alpha / x_max",
        ),
        (lambda x, m, a: np.minimum(1, (x / m) ** (1 / a)), "the exponent is alpha, not 1/alpha"),
        (lambda x, m, a: np.minimum(1, a * x / m), "alpha is an exponent, not a factor"),
        (lambda x, m, a: np.minimum(1, (x / m) ** (3 // 4)), "3 // 4 is integer division"),
        (
            lambda x, m, a: np.minimum(1, (x / 100) ** 0.75),
            "your function ignores its arguments",
        ),
    ],
    ids=["no cap", "maximum", "x^alpha/x_max", "1/alpha", "factor", "3 // 4", "hard-coded"],
)
def test_glove_weight_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_glove_weight, wrong, capsys)


def entry(e_i, theta_j, b_i, bt_j, x_ij, two=2, weighted=True, log=True, swap=False):
    f = weight(x_ij, 100.0, 0.75) if weighted else 1.0
    err = e_i @ theta_j + b_i + bt_j - (np.log(x_ij) if log else x_ij)
    g_e, g_t = (e_i, theta_j) if swap else (theta_j, e_i)
    return f * err**2, two * f * err * g_e, two * f * err * g_t, two * f * err, two * f * err


@pytest.mark.parametrize(
    "options, message",
    [
        ({"two": 1}, "dJ/de_i is missing the 2 that comes down from the square"),
        ({"weighted": False}, "J is missing the weight g(X_ij)"),
        ({"log": False}, "J uses X_ij instead of log X_ij in Δ_ij (the model fits log X_ij)"),
        ({"swap": True}, "dJ/de_i multiplies by the vector itself"),
    ],
    ids=["no 2", "no weight", "no log", "swapped"],
)
def test_glove_gradient_mistakes(options, message, capsys):
    def wrong(*args):
        return entry(*args, **options)

    assert message in failed_with(checker.check_glove_gradients, wrong, capsys)


def test_glove_gradient_weight_missing_in_the_gradients_only(capsys):
    def wrong(e_i, theta_j, b_i, bt_j, x_ij):
        J = gradients(e_i, theta_j, b_i, bt_j, x_ij)[0]
        return (J, *entry(e_i, theta_j, b_i, bt_j, x_ij, weighted=False)[1:])

    out = failed_with(checker.check_glove_gradients, wrong, capsys)
    assert "✓ J = g(X_ij)" in out
    assert "dJ/dθ_j is missing the weight g(X_ij)" in out
    assert "dJ/db_i is missing the weight g(X_ij)" in out


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda x, m, a: np.minimum(1, (x / m) ** 0.75), "ignores its `alpha` argument"),
        (lambda x, m, a: np.minimum(1, (x / 100) ** a), "ignores its `x_max` argument"),
        (lambda x, m, a: np.where(x < m, (x / m) ** a, 0.0), "on the weight is 1, not 0"),
        (
            lambda x, m, a: np.where(x == 0, 1.0, weight(x, m, a)),
            "g(0) = 0: a pair that never occurs has no weight",
        ),
        (lambda x, m, a: min(1, (x / m) ** a), "on arrays use np.minimum"),
    ],
    ids=["alpha ignored", "x_max ignored", "0 above x_max", "g(0) = 1", "python min"],
)
def test_more_glove_weight_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_glove_weight, wrong, capsys)


def glove_with_error(error):
    """The right gradients of g(X_ij) Δ², with Δ from ``error(e_i, theta_j, b_i, bt_j, x_ij)``."""

    def answer(e_i, theta_j, b_i, bt_j, x_ij):
        g = weight(x_ij, 100.0, 0.75)
        delta = error(e_i, theta_j, b_i, bt_j, x_ij)
        return (
            g * delta**2,
            2 * g * delta * theta_j,
            2 * g * delta * e_i,
            2 * g * delta,
            2 * g * delta,
        )

    return answer


def _half(e_i, theta_j, b_i, bt_j, x_ij):
    J, *grads = gradients(e_i, theta_j, b_i, bt_j, x_ij)
    return (J / 2, *(grad / 2 for grad in grads))


@pytest.mark.parametrize(
    "wrong, message",
    [
        (
            glove_with_error(lambda e, t, b, bt, x: e @ t - np.log(x)),
            "J leaves the biases out of Δ_ij",
        ),
        (
            glove_with_error(lambda e, t, b, bt, x: e @ t + b + bt - np.log1p(x)),
            "dJ/dθ_j uses log(1 + X_ij) in Δ_ij",
        ),
        (_half, "J has a factor ½: the course's cost is J = g(X_ij) Δ_ij², without ½"),
    ],
    ids=["no biases", "log1p", "half"],
)
def test_more_glove_gradient_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_glove_gradients, wrong, capsys)
