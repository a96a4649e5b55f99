"""Notebook 01's checks (kw2v.course.checker.nb01): the reference answers pass, and each
typical wrong answer fails with a message that names the mistake.
"""

import numpy as np
import pytest
from checking import failed_with

from kw2v.course import checker

# ---- reference answers (what the solution notebooks fill in) ------------------------------


def softmax(s):
    z = np.exp(s - s.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def pair_cost(e_c, Theta, o):
    s = Theta @ e_c
    m = s.max()
    return -s[o] + m + np.log(np.exp(s - m).sum())


def batch_cost(E, Theta, targets, contexts):
    return np.mean([pair_cost(E[c], Theta, o) for c, o in zip(targets, contexts, strict=True)])


def softmax_gradients(e_c, Theta, o):
    delta = softmax(Theta @ e_c)
    delta[o] -= 1.0
    return Theta.T @ delta, np.outer(delta, e_c)


def sgd_step(E, Theta, c, o, learning_rate):
    cost = pair_cost(E[c], Theta, o)
    grad_e, grad_Theta = softmax_gradients(E[c], Theta, o)
    E[c] -= learning_rate * grad_e
    Theta -= learning_rate * grad_Theta
    return cost


REFERENCE = {
    checker.check_softmax: softmax,
    checker.check_pair_cost: pair_cost,
    checker.check_batch_cost: batch_cost,
    checker.check_softmax_gradients: softmax_gradients,
    checker.check_sgd_step: sgd_step,
}


# ---- wrong answers ------------------------------------------------------------------------


def test_wrong_sign_of_the_softmax_gradient(capsys):
    def wrong(e_c, Theta, o):
        g_e, g_Theta = softmax_gradients(e_c, Theta, o)
        return -g_e, g_Theta

    assert "dJ/de_c has the wrong sign" in failed_with(
        checker.check_softmax_gradients, wrong, capsys
    )


def test_wrong_sign_of_the_sgd_update(capsys):
    def uphill(E, Theta, c, o, learning_rate):
        return sgd_step(E, Theta, c, o, -learning_rate)

    out = failed_with(checker.check_sgd_step, uphill, capsys)
    assert "wrong sign: e_c moved up the gradient" in out
    assert "wrong sign: Θ moved up the gradient" in out


def test_wrong_sign_of_the_cost(capsys):
    out = failed_with(checker.check_pair_cost, lambda e, T, o: -pair_cost(e, T, o), capsys)
    assert "wrong sign: J = -log P(o | c)" in out


def test_missing_learning_rate(capsys):
    def wrong(E, Theta, c, o, learning_rate):
        return sgd_step(E, Theta, c, o, 1.0)

    assert "the learning rate is missing" in failed_with(checker.check_sgd_step, wrong, capsys)


def test_sum_instead_of_mean_over_the_batch(capsys):
    def wrong(E, Theta, targets, contexts):
        return len(targets) * batch_cost(E, Theta, targets, contexts)

    out = failed_with(checker.check_batch_cost, wrong, capsys)
    assert "you summed over the batch: take the mean" in out


def test_an_unknown_constant_factor_is_named(capsys):
    def wrong(e_c, Theta, o):
        g_e, g_Theta = softmax_gradients(e_c, Theta, o)
        return 0.5 * g_e, g_Theta

    out = failed_with(checker.check_softmax_gradients, wrong, capsys)
    assert "dJ/de_c is off by a factor of 0.5" in out


def test_missing_y_in_the_softmax_gradient(capsys):
    def wrong(e_c, Theta, o):
        y_hat = softmax(Theta @ e_c)
        return Theta.T @ y_hat, np.outer(y_hat, e_c)

    out = failed_with(checker.check_softmax_gradients, wrong, capsys)
    assert "missing the −θ_o term" in out and "dJ/dΘ is missing −y" in out


def test_transposed_softmax_gradient(capsys):
    def wrong(e_c, Theta, o):
        g_e, g_Theta = softmax_gradients(e_c, Theta, o)
        return g_e, g_Theta.T

    out = failed_with(checker.check_softmax_gradients, wrong, capsys)
    assert "dJ/dΘ is transposed: shape (5, 3) expected, got (3, 5)" in out


def test_shape_d_by_one_is_named(capsys):
    def wrong(e_c, Theta, o):
        g_e, g_Theta = softmax_gradients(e_c, Theta, o)
        return g_e.reshape(-1, 1), g_Theta

    out = failed_with(checker.check_softmax_gradients, wrong, capsys)
    assert "shape (3,) expected, got (3, 1)" in out


def test_scoring_against_E_in_the_batch_cost(capsys):
    def one_table(E, Theta, targets, contexts):
        return batch_cost(E, E, targets, contexts)

    out = failed_with(checker.check_batch_cost, one_table, capsys)
    assert "you scored against E: the context vectors are the rows of Θ" in out


def test_softmax_without_max_subtraction_overflows(capsys):
    def naive(s):
        return np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True)

    out = failed_with(checker.check_softmax, naive, capsys)
    assert "exp(1000) overflows. Subtract the largest score" in out
    assert "✓ softmax([1, 2, 3])" in out


def test_softmax_over_the_wrong_axis(capsys):
    out = failed_with(checker.check_softmax, lambda s: np.exp(s) / np.exp(s).sum(axis=0), capsys)
    assert "normalise over the last axis" in out


def test_update_that_rebinds_instead_of_changing_in_place(capsys):
    def rebinds(E, Theta, c, o, learning_rate):
        cost = pair_cost(E[c], Theta, o)
        g_e, g_Theta = softmax_gradients(E[c], Theta, o)
        E = E.copy()
        E[c] = E[c] - learning_rate * g_e
        Theta = Theta - learning_rate * g_Theta
        return cost

    assert "update them in place" in failed_with(checker.check_sgd_step, rebinds, capsys)


def test_a_wrong_index_is_not_called_a_factor(capsys):
    out = failed_with(checker.check_pair_cost, lambda e, T, o: pair_cost(e, T, o + 1), capsys)
    assert "J is wrong" in out and "check that the score of the true context is s[o]" in out
    assert "factor" not in out


def _theta_first(E, Theta, c, o, learning_rate):
    cost = pair_cost(E[c], Theta, o)
    delta = softmax(Theta @ E[c])
    delta[o] -= 1.0
    Theta -= learning_rate * np.outer(delta, E[c])
    E[c] -= learning_rate * Theta.T @ delta  # Θ has moved already
    return cost


def _theta_first_recomputed(E, Theta, c, o, learning_rate):
    cost = pair_cost(E[c], Theta, o)
    Theta -= learning_rate * softmax_gradients(E[c], Theta, o)[1]
    E[c] -= learning_rate * softmax_gradients(E[c], Theta, o)[0]  # with the new Θ
    return cost


def _e_first(E, Theta, c, o, learning_rate):
    cost = pair_cost(E[c], Theta, o)
    E[c] -= learning_rate * softmax_gradients(E[c], Theta, o)[0]
    Theta -= learning_rate * softmax_gradients(E[c], Theta, o)[1]  # with the new e_c
    return cost


@pytest.mark.parametrize(
    "wrong, message",
    [
        (_theta_first, "the update order: e_c's gradient was computed after Θ had already moved"),
        (
            _theta_first_recomputed,
            "the update order: e_c's gradient was computed after Θ had already moved",
        ),
        (_e_first, "the update order: Θ's gradient was computed after e_c had already moved"),
    ],
    ids=["theta first", "theta first, gradient recomputed", "e_c first"],
)
def test_the_update_order_mistake_is_named(wrong, message, capsys):
    out = failed_with(checker.check_sgd_step, wrong, capsys)
    assert message in out and "Compute both gradients from the old E and Θ first" in out


def _sgd_theta_row_o_only(E, Theta, c, o, learning_rate):
    cost = pair_cost(E[c], Theta, o)
    grad_e, grad_Theta = softmax_gradients(E[c], Theta, o)
    E[c] -= learning_rate * grad_e
    Theta[o] -= learning_rate * grad_Theta[o]
    return cost


def _grad_e_row_o_only(e_c, Theta, o):
    y_hat = softmax(Theta @ e_c)
    return (y_hat[o] - 1) * Theta[o], softmax_gradients(e_c, Theta, o)[1]


MORE_MISTAKES = {
    "log-softmax": (
        checker.check_softmax,
        lambda s: np.log(softmax(s)),
        "that is the log of the softmax (log-softmax): return the probabilities",
    ),
    "no keepdims": (
        checker.check_softmax,
        lambda s: (
            np.exp(s - s.max(-1, keepdims=True)) / np.exp(s - s.max(-1, keepdims=True)).sum(-1)
        ),
        "could not be broadcast together with shapes (2,4) (2,)  (shapes that do not line up",
    ),
    "log10": (
        checker.check_pair_cost,
        lambda e, T, o: pair_cost(e, T, o) / np.log(10),
        "that is J in log base 10: the cost uses the natural log, np.log",
    ),
    "Theta.T": (
        checker.check_pair_cost,
        lambda e, T, o: -(T.T @ e)[o],
        "the inner sizes of a matrix product must agree: a table has one row per word",
    ),
    "one cost per pair": (
        checker.check_batch_cost,
        lambda E, T, t, c: np.array([pair_cost(E[i], T, j) for i, j in zip(t, c, strict=True)]),
        "you returned one cost per pair: return their mean, one number",
    ),
    "dJ/de_c row o": (
        checker.check_softmax_gradients,
        _grad_e_row_o_only,
        "dJ/de_c uses row o of Θ only, (ŷ_o − 1) θ_o",
    ),
    "Theta row o": (checker.check_sgd_step, _sgd_theta_row_o_only, "only row o of Θ moved"),
    "twice the step": (
        checker.check_sgd_step,
        lambda E, T, c, o, lr: sgd_step(E, T, c, o, 2 * lr),
        "the step of e_c is off by a factor of 2",
    ),
    "cost and tables": (
        checker.check_sgd_step,
        lambda E, T, c, o, lr: (sgd_step(E, T, c, o, lr), E, T),
        "return the pair's cost J only: the tables change in place",
    ),
}


@pytest.mark.parametrize(("check", "wrong", "message"), MORE_MISTAKES.values(), ids=MORE_MISTAKES)
def test_more_nb01_mistakes(check, wrong, message, capsys):
    assert message in failed_with(check, wrong, capsys)


@pytest.mark.parametrize(
    "check, right",
    [
        (checker.check_softmax, lambda s: softmax(s.astype(np.float32))),
        (checker.check_softmax, lambda s: softmax(s).tolist()),
        (checker.check_pair_cost, lambda e, T, o: -(T @ e - np.logaddexp.reduce(T @ e))[o]),
        (
            checker.check_pair_cost,
            lambda e, T, o: np.float32(pair_cost(e.astype(np.float32), T.astype(np.float32), o)),
        ),
    ],
    ids=["float32 softmax", "list", "log-softmax form", "float32 cost"],
)
def test_other_right_nb01_answers_pass(check, right, capsys):
    assert check(right), capsys.readouterr().out
