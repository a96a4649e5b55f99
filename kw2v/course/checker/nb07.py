"""Checks of notebook 07's "Your turn" exercises: GloVe's weighting function g(x) and the
gradient of its weighted least-squares cost for one entry of the co-occurrence matrix.

Named mistakes: the cap at 1 missing or applied with ``np.maximum``, alpha applied to x alone
or used as 1/alpha or as a factor, an exponent of 0 from integer division, the arguments
(or one of them) ignored, 0 from x_max on, g(0) = 1; in the gradient, the 2 of the square
forgotten, a ½ in J, the weight g(X_ij) left out, X_ij or log(1 + X_ij) instead of log X_ij,
the biases left out of Δ_ij, and the two vectors swapped. See :mod:`kw2v.course.checker.grading`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .compare import as_array, as_scalar, diagnose, fmt, numerical_gradient
from .grading import Fail, Report, call, check


def _g(x, x_max, alpha):
    return np.minimum(1.0, (np.asarray(x, dtype=np.float64) / x_max) ** alpha)


@check
def check_glove_weight(report: Report, weight: Callable) -> None:
    """Check ``weight(x, x_max, alpha)``: g(x) = (x / x_max)^alpha below x_max, 1 from there.

    Called on an array of counts from 0 to 10,000 with the paper's x_max = 100, alpha = 3/4,
    then with x_max = 20, alpha = 1/2 (the arguments must be used). Introduced in notebook 07.

    Parameters
    ----------
    weight : callable
        The student's ``weight(x, x_max, alpha) -> ndarray`` of the shape of ``x``.

    Returns
    -------
    CheckResult
    """
    x = np.array([0.0, 1.0, 2.0, 10.0, 50.0, 99.0, 100.0, 150.0, 1e4])
    for x_max, alpha in ((100.0, 0.75), (20.0, 0.5)):
        got = as_array(call(weight, x.copy(), x_max, alpha), x.shape, "g(x)")
        expected = _g(x, x_max, alpha)
        ratio = x / x_max
        problem = diagnose(
            got,
            expected,
            [
                (
                    f"g(x) = 1 everywhere above 0: the exponent is 0. Is it written 3 // 4 "
                    f"(integer division, 0)? Use alpha = {alpha}",
                    (x > 0).astype(float),
                ),
                (
                    f"g(x) = 1 everywhere: the exponent is 0 (3 // 4 is integer division). "
                    f"Use alpha = {alpha}",
                    np.ones_like(x),
                ),
                (
                    f"g(x) goes above 1 for x > x_max = {x_max:g}: the cap at 1 is missing "
                    "(np.minimum(1, ...))",
                    ratio**alpha,
                ),
                (
                    "np.maximum(1, ...) makes every weight at least 1: the cap is "
                    "np.minimum(1, ...)",
                    np.maximum(1.0, ratio**alpha),
                ),
                (
                    "alpha applies to the ratio: (x / x_max)^alpha, not x^alpha / x_max",
                    np.minimum(1.0, x**alpha / x_max),
                ),
                (
                    "the exponent is alpha, not 1/alpha",
                    np.minimum(1.0, ratio ** (1 / alpha)),
                ),
                ("alpha is an exponent, not a factor", np.minimum(1.0, alpha * ratio)),
                (
                    "the ratio is x / x_max, not x_max / x",
                    np.minimum(1.0, (x_max / np.maximum(x, 1e-300)) ** alpha),
                ),
                (
                    f"from x_max = {x_max:g} on the weight is 1, not 0: np.minimum(1, ...) or "
                    "np.where(x < x_max, ..., 1.0)",
                    np.where(x < x_max, ratio**alpha, 0.0),
                ),
                ("g(0) = 0: a pair that never occurs has no weight", np.where(x == 0, 1, expected)),
                *_ignored(x, x_max, alpha),
            ],
            f"g(x) with x_max = {x_max:g}, alpha = {alpha:g}",
        )
        if problem:
            raise Fail(f"{problem}; expected {fmt(expected)}, got {fmt(got)}")
        report.ok(
            f"x_max = {x_max:g}, alpha = {alpha:g}: g(0) = 0, g grows as (x/x_max)^alpha and "
            "stays 1 from x_max on"
        )


def _ignored(x: np.ndarray, x_max: float, alpha: float) -> list[tuple[str, np.ndarray]]:
    """The answers that use the paper's x_max = 100 or alpha = 3/4 instead of the arguments."""
    fixed = [
        ("its arguments: it gives the paper's values (x_max = 100, alpha = 3/4)", 100.0, 0.75),
        ("its `alpha` argument: it uses alpha = 3/4", x_max, 0.75),
        ("its `x_max` argument: it uses x_max = 100", 100.0, alpha),
    ]
    return [
        (f"your function ignores {what} for x_max = {x_max:g}, alpha = {alpha:g}", _g(x, m, a))
        for what, m, a in fixed
        if (m, a) != (x_max, alpha)
    ]


def _entry(e_i, theta_j, b_i, bt_j, x_ij):
    err = e_i @ theta_j + b_i + bt_j - np.log(x_ij)
    weight = float(_g(x_ij, 100.0, 0.75))
    return weight * err**2, weight, err


def _wrong_errors(e_i, theta_j, b_i, bt_j, x_ij) -> dict[str, float]:
    """Δ_ij as the typical mistakes compute it: what is wrong → that Δ_ij."""
    score = e_i @ theta_j + b_i + bt_j
    return {
        "uses X_ij instead of log X_ij in Δ_ij (the model fits log X_ij)": score - x_ij,
        "leaves the biases out of Δ_ij = θ_jᵀe_i + b_i + b̃_j − log X_ij": e_i @ theta_j
        - np.log(x_ij),
        "uses log(1 + X_ij) in Δ_ij: GloVe fits log X_ij (X_ij > 0 for every entry it "
        "trains on)": score - np.log1p(x_ij),
    }


@check
def check_glove_gradients(report: Report, gradients: Callable) -> None:
    """Check ``gradients(e_i, theta_j, b_i, bt_j, x_ij)``: GloVe's cost of one entry and its
    gradients, J = g(X_ij) (e_iᵀθ_j + b_i + b̃_j − log X_ij)², with x_max = 100, alpha = 3/4.

    Returns ``(J, dJ/de_i, dJ/dθ_j, dJ/db_i, dJ/db̃_j)``, compared with central differences.
    Introduced in notebook 07.

    Parameters
    ----------
    gradients : callable
        The student's ``gradients(e_i, theta_j, b_i, bt_j, x_ij)``; two (d,) vectors and three
        numbers in, a number, two (d,) vectors and two numbers out.

    Returns
    -------
    CheckResult
    """
    rng = np.random.default_rng(8)
    d = 4
    e_i, theta_j = rng.normal(0, 0.5, size=d), rng.normal(0, 0.5, size=d)
    b_i, bt_j, x_ij = 0.3, -0.2, 12.0
    out = call(gradients, e_i.copy(), theta_j.copy(), b_i, bt_j, x_ij)
    if not isinstance(out, tuple | list) or len(out) != 5:
        raise Fail("return five values: (J, dJ/de_i, dJ/dθ_j, dJ/db_i, dJ/db̃_j)")
    J, f, err = _entry(e_i, theta_j, b_i, bt_j, x_ij)
    wrong = _wrong_errors(e_i, theta_j, b_i, bt_j, x_ij)
    got = as_scalar(out[0], "J")
    problem = diagnose(
        np.array(got),
        np.array(J),
        [
            ("J is missing the weight g(X_ij)", np.array(err**2)),
            *[(f"J {message}", np.array(f * delta**2)) for message, delta in wrong.items()],
            ("J is not squared: the cost is g(X_ij) Δ_ij²", np.array(f * err)),
            (
                "J has a factor ½: the course's cost is J = g(X_ij) Δ_ij², without ½ (so its "
                "gradients carry a 2)",
                np.array(J / 2),
            ),
        ],
        "J",
    )
    report.verdict(problem, f"J = g(X_ij) Δ_ij² = {J:.4f}")

    e_w, t_w = e_i.copy(), theta_j.copy()
    b_w = np.array([b_i, bt_j])

    def cost():
        return _entry(e_w, t_w, b_w[0], b_w[1], x_ij)[0]

    num_e, num_t = numerical_gradient(cost, e_w), numerical_gradient(cost, t_w)
    num_b = numerical_gradient(cost, b_w)
    assert np.allclose(num_e, 2 * f * err * theta_j, atol=1e-6)
    for k, (what, wrt, num, other) in enumerate(
        [("dJ/de_i", e_i, num_e, theta_j), ("dJ/dθ_j", theta_j, num_t, e_i)], start=1
    ):
        got = as_array(out[k], (d,), what)
        problem = diagnose(
            got,
            num,
            [
                (f"{what} is missing the 2 that comes down from the square", num / 2),
                (f"{what} is missing the weight g(X_ij)", 2 * err * other),
                *[(f"{what} {m}", 2 * f * delta * other) for m, delta in wrong.items()],
                (
                    f"{what} multiplies by the vector itself: the derivative of e_iᵀθ_j with "
                    "respect to one vector is the other vector",
                    2 * f * err * wrt,
                ),
            ],
            what,
        )
        report.verdict(problem, f"{what} agrees with central differences")
    for k, what in ((3, "dJ/db_i"), (4, "dJ/db̃_j")):
        got = as_scalar(out[k], what)
        problem = diagnose(
            np.array(got),
            np.array(num_b[k - 3]),
            [
                (f"{what} is missing the 2 that comes down from the square", np.array(f * err)),
                (f"{what} is missing the weight g(X_ij)", np.array(2 * err)),
                *[(f"{what} {m}", np.array(2 * f * delta)) for m, delta in wrong.items()],
            ],
            what,
        )
        report.verdict(problem, f"{what} = 2 g(X_ij) Δ_ij, as central differences say")
