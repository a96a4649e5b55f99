"""Checks of notebook 01's "Your turn" exercises: the softmax, its cost, its gradients, SGD.

Each check compares the student's function with the right answer on hand-computed cases and
with central differences, and names the typical mistakes (a sum for a mean, ŷ for ŷ − y, a
transposed gradient, the update order of the SGD step...). See :mod:`kw2v.course.checker.grading`
for the machinery.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .compare import as_array, as_scalar, close, diagnose, fmt, numerical_gradient
from .grading import Fail, Report, call, check


def _softmax(s: np.ndarray) -> np.ndarray:
    z = np.exp(s - s.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def _logsumexp(s: np.ndarray) -> float:
    m = s.max()
    return float(m + np.log(np.exp(s - m).sum()))


def _pair_cost(e_c, Theta, o) -> float:
    s = Theta @ e_c
    return -s[o] + _logsumexp(s)


def _softmax_grads(e_c, Theta, o):
    delta = _softmax(Theta @ e_c)
    delta[o] -= 1.0  # y_hat - y
    return Theta.T @ delta, np.outer(delta, e_c)


@check
def check_softmax(report: Report, softmax: Callable) -> None:
    """Check ``softmax(s)``: probabilities over the last axis of a score array ``s``.

    Cases: the hand-computed ``softmax([1, 2, 3]) = [0.090, 0.245, 0.665]``, a batch of two
    rows (each row must sum to 1), and scores of 1000 that overflow ``exp`` unless the
    largest score is subtracted first. Introduced in notebook 01.

    Parameters
    ----------
    softmax : callable
        The student's ``softmax(s) -> ndarray`` of the same shape as ``s``.

    Returns
    -------
    CheckResult
        True when every case is right.
    """
    s = np.array([1.0, 2.0, 3.0])
    got = as_array(call(softmax, s.copy()), (3,), "softmax([1, 2, 3])")
    expected = np.array([0.09003057, 0.24472847, 0.66524096])
    problem = diagnose(
        got,
        expected,
        [
            ("you return exp(s): divide by the sum of the exponentials", np.exp(s)),
            ("the sign of the scores is flipped: use exp(+s)", _softmax(-s)),
            ("divide by the sum of the exponentials, not by their largest", np.exp(s - 3)),
            (
                "that is the log of the softmax (log-softmax): return the probabilities, "
                "exp(s) / Σ_w exp(s_w)",
                np.log(expected),
            ),
        ],
        "softmax([1, 2, 3])",
    )
    if problem:
        raise Fail(f"{problem}; expected {fmt(expected)}, got {fmt(got)}")
    report.ok(f"softmax([1, 2, 3]) = {fmt(got)}, as computed by hand")

    batch = np.array([[0.5, -1.0, 2.0, 0.0], [3.0, 1.0, -2.0, 1.5]])
    got = as_array(call(softmax, batch.copy()), (2, 4), "softmax of a (2, 4) batch")
    by_column = np.exp(batch) / np.exp(batch).sum(axis=0)
    problem = diagnose(
        got,
        _softmax(batch),
        [
            (
                "each row must sum to 1: normalise over the last axis (axis=-1), not axis 0",
                by_column,
            ),
            (
                "you divided by the sum over the whole batch: each row on its own "
                "(axis=-1, keepdims=True)",
                np.exp(batch) / np.exp(batch).sum(),
            ),
        ],
        "softmax of a batch",
    )
    if problem:
        raise Fail(problem)
    report.ok("a batch of 2 score rows: each row is its own distribution, summing to 1")

    big = np.array([[1000.0, 999.0, 0.0], [0.0, 1.0, 2.0]])
    got = as_array(call(softmax, big.copy()), (2, 3), "softmax([[1000, 999, 0], [0, 1, 2]])")
    if not np.all(np.isfinite(got[0])):
        raise Fail(
            f"softmax([1000, 999, 0]) gave {fmt(got[0])}: exp(1000) overflows. Subtract the "
            "largest score before exp (it cancels in the ratio)"
        )
    if not np.all(np.isfinite(got[1])) or not close(got[1], _softmax(big[1])):
        raise Fail(
            "the row [0, 1, 2] is wrong when another row holds 1000: subtract each row's own "
            "largest score (s.max(axis=-1, keepdims=True)), not the largest of the batch"
        )
    if not close(got, _softmax(big)):
        raise Fail(f"softmax([1000, 999, 0]) should be {fmt(_softmax(big[0]))}")
    report.ok("scores of 1000 do not overflow: the largest score is subtracted first")


@check
def check_pair_cost(report: Report, pair_cost: Callable) -> None:
    """Check ``pair_cost(e_c, Theta, o)``: the cross-entropy J = -log P(o | c) of one pair.

    Cases: a hand-computed pair (scores 1, 2, 3; J = 1.4076), random tables, and scores in
    the thousands, where only a log-sum-exp with the largest score subtracted stays finite.
    Introduced in notebook 01.

    Parameters
    ----------
    pair_cost : callable
        The student's ``pair_cost(e_c, Theta, o) -> float``; ``e_c`` has shape (d,),
        ``Theta`` (V, d), ``o`` is the index of the true context word.

    Returns
    -------
    CheckResult
    """
    Theta = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    e_c = np.array([1.0, 2.0])  # scores s = Theta e_c = [1, 2, 3]
    s = Theta @ e_c
    got = as_scalar(call(pair_cost, e_c.copy(), Theta.copy(), 1), "pair_cost(e_c, Theta, o)")
    expected = -2.0 + np.log(np.exp(s).sum())  # 1.4076
    p = np.exp(s[1]) / np.exp(s).sum()
    problem = diagnose(
        np.array(got),
        np.array(expected),
        [
            ("wrong sign: J = -log P(o | c), you returned +log P(o | c)", np.array(-expected)),
            ("you returned P(o | c): the cost is -log P(o | c)", np.array(p)),
            ("you returned -log of 1 - P(o | c)", np.array(-np.log(1 - p))),
            (
                "the log Σ_w exp(s_w) term (the softmax's denominator) is missing",
                np.array(-s[1]),
            ),
            (
                "you took the score of row c, not of the context word o",
                np.array(-s[0] + np.log(np.exp(s).sum())),
            ),
            *[
                (
                    f"that is J in {unit}: the cost uses the natural log, np.log",
                    np.array(expected / np.log(base)),
                )
                for unit, base in (("bits (log base 2)", 2.0), ("log base 10", 10.0))
            ],
        ],
        "J",
        hint="that the score of the true context is s[o] (o counts from 0) and that the log "
        "Σ_w exp(s_w) term runs over all V scores",
    )
    if problem:
        raise Fail(
            f"scores s = [1, 2, 3], o = 1: {problem}; expected {expected:.4f}, got {got:.4f}"
        )
    report.ok(f"scores [1, 2, 3], true context o = 1: J = {got:.4f}, as computed by hand")

    rng = np.random.default_rng(1)
    Theta, e_c = rng.normal(size=(7, 4)), rng.normal(size=4)
    got = as_scalar(call(pair_cost, e_c.copy(), Theta.copy(), 5), "pair_cost")
    if not close(got, _pair_cost(e_c, Theta, 5)):
        raise Fail(
            f"random tables (V = 7, d = 4): J = {_pair_cost(e_c, Theta, 5):.4f} expected, "
            f"got {got:.4f}"
        )
    report.ok("random tables, V = 7, d = 4: right")

    Theta = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    e_c = np.array([500.0, 1000.0])  # scores 500, 1000, 1500
    got = as_scalar(call(pair_cost, e_c.copy(), Theta.copy(), 1), "pair_cost")
    if not np.isfinite(got):
        raise Fail(
            f"scores [500, 1000, 1500] give J = {got}: exp overflows. Compute log Σ exp(s_w) "
            "as max(s) + log Σ exp(s_w - max(s)) (the log-sum-exp)"
        )
    if not np.isclose(got, 500.0, rtol=1e-9):
        raise Fail(f"scores [500, 1000, 1500], o = 1: J = 500 expected, got {got}")
    report.ok("scores in the thousands: J stays finite (log-sum-exp)")


@check
def check_batch_cost(report: Report, batch_cost: Callable) -> None:
    """Check ``batch_cost(E, Theta, targets, contexts)``: the mean of J over a batch of pairs.

    Diagnoses the sum instead of the mean, the two tables swapped, one table used for both,
    and targets swapped with contexts. Introduced in notebook 01.

    Parameters
    ----------
    batch_cost : callable
        The student's ``batch_cost(E, Theta, targets, contexts) -> float``; ``E`` and
        ``Theta`` have shape (V, d), ``targets`` and ``contexts`` shape (B,).

    Returns
    -------
    CheckResult
    """
    rng = np.random.default_rng(2)
    E, Theta = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    targets, contexts = np.array([0, 2, 2, 5]), np.array([1, 1, 4, 0])

    def mean_cost(A, B, t, c):
        return float(np.mean([_pair_cost(A[i], B, j) for i, j in zip(t, c, strict=True)]))

    out = call(batch_cost, E.copy(), Theta.copy(), targets.copy(), contexts.copy())
    if np.shape(out) == targets.shape:
        raise Fail("you returned one cost per pair: return their mean, one number")
    got = as_scalar(out, "batch_cost(E, Theta, targets, contexts)")
    expected = mean_cost(E, Theta, targets, contexts)
    problem = diagnose(
        np.array(got),
        np.array(expected),
        [
            (
                "you summed over the batch: take the mean (divide by the batch size B = 4)",
                np.array(4 * expected),
            ),
            (
                "the tables are swapped: e_c is a row of E, the scores use the rows of Θ",
                np.array(mean_cost(Theta, E, targets, contexts)),
            ),
            (
                "you scored against E: the context vectors are the rows of Θ, a separate table",
                np.array(mean_cost(E, E, targets, contexts)),
            ),
            (
                "targets and contexts are swapped: the target c picks the row of E",
                np.array(mean_cost(E, Theta, contexts, targets)),
            ),
            (
                "that is the cost of the first pair only: average over all B pairs",
                np.array(_pair_cost(E[0], Theta, 1)),
            ),
        ],
        "the batch cost",
        hint="that pair i uses row targets[i] of E and context contexts[i], and the mean",
    )
    if problem:
        raise Fail(f"{problem}; expected {expected:.4f}, got {got:.4f}")
    report.ok(f"a batch of 4 pairs (one target twice): mean J = {got:.4f}")


@check
def check_softmax_gradients(report: Report, gradients: Callable) -> None:
    """Check ``gradients(e_c, Theta, o)``: dJ/de_c and dJ/dΘ of the full-softmax cost.

    Compared with central differences of J. Diagnoses a wrong sign, ŷ instead of ŷ − y,
    a gradient in row o of Θ only, a transposed dJ/dΘ and shapes such as (d, 1).
    Introduced in notebook 01.

    Parameters
    ----------
    gradients : callable
        The student's ``gradients(e_c, Theta, o) -> (grad_e_c, grad_Theta)`` with shapes
        (d,) and (V, d).

    Returns
    -------
    CheckResult
    """
    rng = np.random.default_rng(3)
    V, d, o = 5, 3, 2
    e_c, Theta = rng.normal(size=d), rng.normal(size=(V, d))
    out = call(gradients, e_c.copy(), Theta.copy(), o)
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise Fail("return two arrays: (dJ/de_c, dJ/dΘ)")
    e_work, Theta_work = e_c.copy(), Theta.copy()
    num_e = numerical_gradient(lambda: _pair_cost(e_work, Theta, o), e_work)
    num_Theta = numerical_gradient(lambda: _pair_cost(e_c, Theta_work, o), Theta_work)
    g_e, g_Theta = _softmax_grads(e_c, Theta, o)
    assert np.allclose(g_e, num_e, atol=1e-7) and np.allclose(g_Theta, num_Theta, atol=1e-7)
    y_hat = _softmax(Theta @ e_c)

    got_e = as_array(out[0], (d,), "dJ/de_c")
    problem = diagnose(
        got_e,
        g_e,
        [
            ("dJ/de_c has the wrong sign: it is Θᵀ(ŷ − y), prediction minus truth", -g_e),
            ("dJ/de_c is missing the −θ_o term: use ŷ − y, not ŷ", Theta.T @ y_hat),
            ("dJ/de_c is missing the expected context vector Σ_w ŷ_w θ_w", -Theta[o]),
            (
                "dJ/de_c uses row o of Θ only, (ŷ_o − 1) θ_o: every word's score depends on "
                "e_c, so it is Σ_w (ŷ_w − y_w) θ_w = Θᵀ(ŷ − y)",
                (y_hat[o] - 1.0) * Theta[o],
            ),
            (
                "dJ/de_c used Θ's columns: multiply by Θᵀ, Θ has one row per word",
                Theta[:d, :d] @ g_e,
            ),
        ],
        "dJ/de_c",
    )
    report.verdict(problem, "dJ/de_c agrees with central differences")

    got_Theta = np.asarray(out[1], dtype=np.float64)
    if got_Theta.shape == (d, V) and close(got_Theta, g_Theta.T):
        raise Fail(
            f"dJ/dΘ is transposed: shape ({V}, {d}) expected, got {got_Theta.shape}. It has "
            "Θ's shape, one row per word: np.outer(ŷ − y, e_c)"
        )
    got_Theta = as_array(out[1], (V, d), "dJ/dΘ")
    only_o = np.zeros_like(g_Theta)
    only_o[o] = g_Theta[o]
    problem = diagnose(
        got_Theta,
        g_Theta,
        [
            ("dJ/dΘ has the wrong sign: row w is (ŷ_w − y_w) e_c", -g_Theta),
            (
                "dJ/dΘ has a gradient in row o only: every row w gets (ŷ_w − y_w) e_c, "
                "which is why the full softmax is slow",
                only_o,
            ),
            ("dJ/dΘ is missing −y: row o is (ŷ_o − 1) e_c", np.outer(y_hat, e_c)),
        ],
        "dJ/dΘ",
    )
    report.verdict(problem, "dJ/dΘ agrees with central differences, all V rows non-zero")


def _step_problem(new, old, right, variants, what: str, hint: str) -> str | None:
    """:func:`diagnose` of the step ``new − old`` of ``what``, so that a step off by a factor
    (2η for η) is named; ``right`` and the ``variants`` are the tables after the step."""
    steps = [(message, variant - old) for message, variant in variants]
    return diagnose(new - old, right - old, steps, f"the step of {what}", hint)


def _grade_returned_cost(report: Report, cost, before: float, after: float) -> None:
    """The SGD step's return value: the pair's cost ``before`` the update."""
    if cost is None:
        report.wrong("return the pair's cost J (before the update): the training loop logs it")
    elif isinstance(cost, tuple | list):
        report.wrong(
            "return the pair's cost J only: the tables change in place, the caller has them"
        )
    elif np.isclose(cost := as_scalar(cost, "the returned cost"), before):
        report.ok(f"returned J = {cost:.4f}, the cost before the update")
    elif np.isclose(cost, after):
        report.wrong("you returned the cost after the update: return J before it")
    else:
        report.wrong(f"returned cost {cost:.4f}, expected J = {before:.4f}")


UPDATE_ORDER = (
    "the update order: {grad} gradient was computed after {moved} had already moved. Compute "
    "both gradients from the old E and Θ first, then update both tables"
)


@check
def check_sgd_step(report: Report, sgd_step: Callable) -> None:
    """Check ``sgd_step(E, Theta, c, o, learning_rate)``: one SGD update of both tables.

    The step must change row c of E and every row of Θ in place, by −η times the gradients
    of the pair's cost computed *before* either table moves, and return that cost. Then 20
    steps on one pair must make its cost fall. Introduced in notebook 01.

    Parameters
    ----------
    sgd_step : callable
        The student's ``sgd_step(E, Theta, c, o, learning_rate) -> float``.

    Returns
    -------
    CheckResult
    """
    rng = np.random.default_rng(4)
    V, d, c, o, lr = 5, 3, 2, 4, 0.3  # η ≠ 0.5: 2η would look like η left out
    E0, Theta0 = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    E, Theta = E0.copy(), Theta0.copy()
    # a missing cost is one part of the report, not the end of the check
    cost = call(sgd_step, E, Theta, c, o, lr, none_ok=True, in_place=True)
    g_e, g_Theta = _softmax_grads(E0[c], Theta0, o)
    delta = _softmax(Theta0 @ E0[c])
    delta[o] -= 1.0  # ŷ − y
    Theta1 = Theta0 - lr * g_Theta
    E1 = E0.copy()
    E1[c] -= lr * g_e

    if np.array_equal(E, E0) and np.array_equal(Theta, Theta0):
        raise Fail(
            "E and Θ are unchanged: update them in place (E[c] -= ..., Theta -= ...); "
            "`E = E - ...` makes a new local array that the caller never sees"
        )
    others = np.arange(V) != c
    if not np.array_equal(E[others], E0[others]):
        report.wrong("rows of E other than c changed: this pair's cost depends on e_c only")
    elif np.array_equal(E, E0):
        report.wrong("E is unchanged: the target vector e_c must move too")
    else:
        problem = _step_problem(
            E[c],
            E0[c],
            E1[c],
            [
                (
                    "wrong sign: e_c moved up the gradient; SGD subtracts η ∂J/∂e_c",
                    E0[c] + lr * g_e,
                ),
                ("the learning rate is missing from the update of e_c", E0[c] - g_e),
                (UPDATE_ORDER.format(grad="e_c's", moved="Θ"), E0[c] - lr * Theta1.T @ delta),
                (
                    UPDATE_ORDER.format(grad="e_c's", moved="Θ"),
                    E0[c] - lr * _softmax_grads(E0[c], Theta1, o)[0],
                ),
            ],
            "e_c",
            hint="∂J/∂e_c = Θᵀ(ŷ − y) of the old tables, times η",
        )
        report.verdict(
            problem, f"row c of E moved by −η ∂J/∂e_c (η = {lr}); the other rows did not move"
        )
    if np.array_equal(Theta, Theta0):
        report.wrong("Θ is unchanged: the context table must be updated too")
    else:
        problem = _step_problem(
            Theta,
            Theta0,
            Theta1,
            [
                (
                    "wrong sign: Θ moved up the gradient; SGD subtracts η ∂J/∂Θ",
                    Theta0 + lr * g_Theta,
                ),
                ("the learning rate is missing from the update of Θ", Theta0 - g_Theta),
                (
                    "only row o of Θ moved: every word's score depends on e_c, so every row w "
                    "moves by −η (ŷ_w − y_w) e_c",
                    np.where(np.arange(V)[:, None] == o, Theta1, Theta0),
                ),
                (
                    UPDATE_ORDER.format(grad="Θ's", moved="e_c"),
                    Theta0 - lr * np.outer(delta, E1[c]),
                ),
                (
                    UPDATE_ORDER.format(grad="Θ's", moved="e_c"),
                    Theta0 - lr * _softmax_grads(E1[c], Theta0, o)[1],
                ),
            ],
            "Θ",
            hint="∂J/∂Θ = (ŷ − y) e_cᵀ of the old tables, times η",
        )
        report.verdict(problem, "every row of Θ moved by −η ∂J/∂Θ")
    _grade_returned_cost(report, cost, _pair_cost(E0[c], Theta0, o), _pair_cost(E1[c], Theta1, o))
    if report.failed:
        return
    E, Theta = E0.copy(), Theta0.copy()
    start = _pair_cost(E[c], Theta, o)
    for _ in range(20):
        call(sgd_step, E, Theta, c, o, 0.1, none_ok=True, in_place=True)
    end = _pair_cost(E[c], Theta, o)
    if not end < start:
        raise Fail(f"20 steps on one pair did not lower its cost ({start:.3f} → {end:.3f})")
    report.ok(f"20 steps of η = 0.1 on the pair (c, o): J fell from {start:.3f} to {end:.3f}")
