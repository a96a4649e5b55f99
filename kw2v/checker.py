"""The exercise checker: grades the "Your turn" functions of notebooks 01-03 in words.

Each ``check_*`` function calls the student's function on known cases (hand-computed values,
numerical gradients by central differences, planted data), prints what is right and what is
wrong in words a student can act on, and returns a :class:`CheckResult`, true when every part
passed. Typical mistakes are named by comparing the answer with known wrong variants (a negated
gradient, a transposed matrix, the unigram instead of unigram^0.75, one shared table...).
An unfinished stub (it raises ``NotImplementedError`` or returns ``None``) prints
"not done yet" and returns without raising, so a notebook with open exercises runs to the end.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

RTOL, ATOL = 1e-6, 1e-9  # float64 answers must match to about 6 significant digits


@dataclass(frozen=True)
class CheckResult:
    """What a check found: ``status`` is "passed", "failed" or "not done yet".

    True when the check passed, so a solution can ``assert check_softmax(softmax)``.
    """

    name: str
    status: str
    messages: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.status == "passed"

    def __repr__(self) -> str:
        return f"{self.name}: {self.status}"

    def _ipython_display_(self) -> None:
        """Show nothing in a notebook: the check has printed its report already."""


class _NotDone(Exception):
    """The student's function is still the stub."""


class _Fail(Exception):
    """A mistake that stops the check: later parts would only repeat it."""


class _Report:
    def __init__(self) -> None:
        self.lines: list[tuple[bool, str]] = []

    def ok(self, text: str) -> None:
        self.lines.append((True, text))

    def wrong(self, text: str) -> None:
        self.lines.append((False, text))

    def verdict(self, problem: str | None, ok_text: str) -> None:
        """One part's line: the problem :func:`_diagnose` found, or what was right."""
        if problem:
            self.wrong(problem)
        else:
            self.ok(ok_text)

    @property
    def failed(self) -> bool:
        return any(not good for good, _ in self.lines)


def _check(body: Callable) -> Callable:
    """Turn ``body(report, fn)`` into a checker that prints its findings and never raises."""

    @functools.wraps(body, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
    def run(fn: Callable) -> CheckResult:
        name = body.__name__
        report = _Report()
        try:
            with np.errstate(all="ignore"):  # a student's overflow is diagnosed, not warned
                body(report, fn)
        except _NotDone:
            message = "not done yet: fill in the function above, run its cell, then this one"
            print(f"{name}: {message}")
            return CheckResult(name, "not done yet", [message])
        except _Fail as failure:
            report.wrong(str(failure))
        status = "failed" if report.failed else "passed"
        print(f"{name}: {'all right' if status == 'passed' else 'not right yet'}")
        for good, text in report.lines:
            print(f"  {'✓' if good else '✗'} {text}")
        return CheckResult(name, status, [text for _, text in report.lines])

    del run.__wrapped__  # help() shows check_x(fn), not the body's (report, fn)
    return run


def _call(fn: Callable, *args, none_is_stub: bool = True):
    """Call the student's function; a stub becomes _NotDone, any other error a _Fail."""
    try:
        out = fn(*args)
    except NotImplementedError:
        raise _NotDone from None
    except Exception as err:  # noqa: BLE001 -- any error in the student's code is reported
        raise _Fail(f"your function raised {type(err).__name__}: {err}") from None
    if out is None and none_is_stub:
        raise _NotDone
    return out


def _array(value, shape: tuple[int, ...], what: str) -> np.ndarray:
    """``value`` as a float64 array of exactly ``shape``, or a _Fail that says what is off."""
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise _Fail(f"{what}: a NumPy array expected, got {type(value).__name__}") from None
    if a.shape == shape:
        return a
    hint = ""
    if len(shape) == 2 and a.shape == shape[::-1]:
        hint = ": it is transposed"
    elif a.size == int(np.prod(shape)):
        hint = ": the right number of entries in the wrong shape (look at keepdims, reshape, ravel)"
    raise _Fail(f"{what}: shape {shape} expected, got {a.shape}{hint}")


def _scalar(value, what: str) -> float:
    a = np.asarray(value, dtype=np.float64) if value is not None else np.array([])
    if a.size != 1:
        raise _Fail(f"{what}: a single number expected, got an array of shape {a.shape}")
    return float(a.reshape(()))


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _diagnose(answer: np.ndarray, expected: np.ndarray, variants, what: str) -> str | None:
    """None when right; else the message of the first known wrong variant it equals, or a
    generic one (wrong sign, off by a constant factor, not finite, largest difference)."""
    if _close(answer, expected):
        return None
    if not np.all(np.isfinite(answer)):
        return f"{what} contains nan or inf: something overflowed or divided by zero"
    for message, variant in variants:
        if _close(answer, variant):
            return message
    if _close(answer, -expected):
        return f"{what} has the wrong sign"
    norm = float(np.sum(expected * expected))
    if norm > 0:
        factor = float(np.sum(answer * expected)) / norm
        if abs(factor) > 1e-12 and _close(answer, factor * expected):
            return f"{what} is off by a factor of {factor:.4g}: a factor is missing or extra"
    diff = float(np.max(np.abs(answer - expected)))
    return f"{what} is wrong (largest difference from the right answer {diff:.3g})"


def _fmt(a) -> str:
    return np.array2string(np.asarray(a, dtype=np.float64), precision=3, floatmode="fixed")


def _numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central differences of ``f()`` with respect to every entry of ``x`` (changed in place)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


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


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _ns_cost(e_c, theta_o, theta_neg) -> float:
    return float(-np.log(_sigmoid(theta_o @ e_c)) - np.log(_sigmoid(-(theta_neg @ e_c))).sum())


# --------------------------------------------------------------------------------------------
# Notebook 01: the softmax, its cost, its gradients, one SGD step
# --------------------------------------------------------------------------------------------


@_check
def check_softmax(report: _Report, softmax: Callable) -> None:
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
    got = _array(_call(softmax, s.copy()), (3,), "softmax([1, 2, 3])")
    expected = np.array([0.09003057, 0.24472847, 0.66524096])
    problem = _diagnose(
        got,
        expected,
        [
            ("you return exp(s): divide by the sum of the exponentials", np.exp(s)),
            ("the sign of the scores is flipped: use exp(+s)", _softmax(-s)),
            ("divide by the sum of the exponentials, not by their largest", np.exp(s - 3)),
        ],
        "softmax([1, 2, 3])",
    )
    if problem:
        raise _Fail(f"{problem}; expected {_fmt(expected)}, got {_fmt(got)}")
    report.ok(f"softmax([1, 2, 3]) = {_fmt(got)}, as computed by hand")

    batch = np.array([[0.5, -1.0, 2.0, 0.0], [3.0, 1.0, -2.0, 1.5]])
    got = _array(_call(softmax, batch.copy()), (2, 4), "softmax of a (2, 4) batch")
    by_column = np.exp(batch) / np.exp(batch).sum(axis=0)
    problem = _diagnose(
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
        raise _Fail(problem)
    report.ok("a batch of 2 score rows: each row is its own distribution, summing to 1")

    big = np.array([[1000.0, 999.0, 0.0], [0.0, 1.0, 2.0]])
    got = _array(_call(softmax, big.copy()), (2, 3), "softmax([[1000, 999, 0], [0, 1, 2]])")
    if not np.all(np.isfinite(got[0])):
        raise _Fail(
            f"softmax([1000, 999, 0]) gave {_fmt(got[0])}: exp(1000) overflows. Subtract the "
            "largest score before exp (it cancels in the ratio)"
        )
    if not np.all(np.isfinite(got[1])) or not _close(got[1], _softmax(big[1])):
        raise _Fail(
            "the row [0, 1, 2] is wrong when another row holds 1000: subtract each row's own "
            "largest score (s.max(axis=-1, keepdims=True)), not the largest of the batch"
        )
    if not _close(got, _softmax(big)):
        raise _Fail(f"softmax([1000, 999, 0]) should be {_fmt(_softmax(big[0]))}")
    report.ok("scores of 1000 do not overflow: the largest score is subtracted first")


@_check
def check_pair_cost(report: _Report, pair_cost: Callable) -> None:
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
    got = _scalar(_call(pair_cost, e_c.copy(), Theta.copy(), 1), "pair_cost(e_c, Theta, o)")
    expected = -2.0 + np.log(np.exp(s).sum())  # 1.4076
    p = np.exp(s[1]) / np.exp(s).sum()
    problem = _diagnose(
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
        ],
        "J",
    )
    if problem:
        raise _Fail(
            f"scores s = [1, 2, 3], o = 1: {problem}; expected {expected:.4f}, got {got:.4f}"
        )
    report.ok(f"scores [1, 2, 3], true context o = 1: J = {got:.4f}, as computed by hand")

    rng = np.random.default_rng(1)
    Theta, e_c = rng.normal(size=(7, 4)), rng.normal(size=4)
    got = _scalar(_call(pair_cost, e_c.copy(), Theta.copy(), 5), "pair_cost")
    if not np.isclose(got, _pair_cost(e_c, Theta, 5), rtol=RTOL):
        raise _Fail(
            f"random tables (V = 7, d = 4): J = {_pair_cost(e_c, Theta, 5):.4f} expected, "
            f"got {got:.4f}"
        )
    report.ok("random tables, V = 7, d = 4: right")

    Theta = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    e_c = np.array([500.0, 1000.0])  # scores 500, 1000, 1500
    got = _scalar(_call(pair_cost, e_c.copy(), Theta.copy(), 1), "pair_cost")
    if not np.isfinite(got):
        raise _Fail(
            f"scores [500, 1000, 1500] give J = {got}: exp overflows. Compute log Σ exp(s_w) "
            "as max(s) + log Σ exp(s_w - max(s)) (the log-sum-exp)"
        )
    if not np.isclose(got, 500.0, rtol=1e-9):
        raise _Fail(f"scores [500, 1000, 1500], o = 1: J = 500 expected, got {got}")
    report.ok("scores in the thousands: J stays finite (log-sum-exp)")


@_check
def check_batch_cost(report: _Report, batch_cost: Callable) -> None:
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

    got = _scalar(
        _call(batch_cost, E.copy(), Theta.copy(), targets.copy(), contexts.copy()),
        "batch_cost(E, Theta, targets, contexts)",
    )
    expected = mean_cost(E, Theta, targets, contexts)
    problem = _diagnose(
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
    )
    if problem:
        raise _Fail(f"{problem}; expected {expected:.4f}, got {got:.4f}")
    report.ok(f"a batch of 4 pairs (one target twice): mean J = {got:.4f}")


@_check
def check_softmax_gradients(report: _Report, gradients: Callable) -> None:
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
    out = _call(gradients, e_c.copy(), Theta.copy(), o)
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise _Fail("return two arrays: (dJ/de_c, dJ/dΘ)")
    e_work, Theta_work = e_c.copy(), Theta.copy()
    num_e = _numerical_gradient(lambda: _pair_cost(e_work, Theta, o), e_work)
    num_Theta = _numerical_gradient(lambda: _pair_cost(e_c, Theta_work, o), Theta_work)
    g_e, g_Theta = _softmax_grads(e_c, Theta, o)
    assert np.allclose(g_e, num_e, atol=1e-7) and np.allclose(g_Theta, num_Theta, atol=1e-7)
    y_hat = _softmax(Theta @ e_c)

    got_e = _array(out[0], (d,), "dJ/de_c")
    problem = _diagnose(
        got_e,
        g_e,
        [
            ("dJ/de_c has the wrong sign: it is Θᵀ(ŷ − y), prediction minus truth", -g_e),
            ("dJ/de_c is missing the −θ_o term: use ŷ − y, not ŷ", Theta.T @ y_hat),
            ("dJ/de_c is missing the expected context vector Σ_w ŷ_w θ_w", -Theta[o]),
            (
                "dJ/de_c used Θ's columns: multiply by Θᵀ, Θ has one row per word",
                Theta[:d, :d] @ g_e,
            ),
        ],
        "dJ/de_c",
    )
    report.verdict(problem, "dJ/de_c agrees with central differences")

    got_Theta = np.asarray(out[1], dtype=np.float64)
    if got_Theta.shape == (d, V) and _close(got_Theta, g_Theta.T):
        raise _Fail(
            f"dJ/dΘ is transposed: shape ({V}, {d}) expected, got {got_Theta.shape}. It has "
            "Θ's shape, one row per word: np.outer(ŷ − y, e_c)"
        )
    got_Theta = _array(out[1], (V, d), "dJ/dΘ")
    only_o = np.zeros_like(g_Theta)
    only_o[o] = g_Theta[o]
    problem = _diagnose(
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


@_check
def check_sgd_step(report: _Report, sgd_step: Callable) -> None:
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
    V, d, c, o, lr = 5, 3, 2, 4, 0.5
    E0, Theta0 = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    E, Theta = E0.copy(), Theta0.copy()
    cost = _call(sgd_step, E, Theta, c, o, lr, none_is_stub=False)
    if cost is None and np.array_equal(E, E0) and np.array_equal(Theta, Theta0):
        raise _NotDone
    g_e, g_Theta = _softmax_grads(E0[c], Theta0, o)
    Theta1 = Theta0 - lr * g_Theta
    E1 = E0.copy()
    E1[c] -= lr * g_e

    if np.array_equal(E, E0) and np.array_equal(Theta, Theta0):
        raise _Fail(
            "E and Θ are unchanged: update them in place (E[c] -= ..., Theta -= ...); "
            "`E = E - ...` makes a new local array that the caller never sees"
        )
    others = np.arange(V) != c
    if not np.array_equal(E[others], E0[others]):
        report.wrong("rows of E other than c changed: this pair's cost depends on e_c only")
    elif np.array_equal(E, E0):
        report.wrong("E is unchanged: the target vector e_c must move too")
    else:
        delta = _softmax(Theta0 @ E0[c])
        delta[o] -= 1.0
        problem = _diagnose(
            E[c],
            E1[c],
            [
                (
                    "wrong sign: e_c moved up the gradient; SGD subtracts η ∂J/∂e_c",
                    E0[c] + lr * g_e,
                ),
                ("the learning rate is missing from the update of e_c", E0[c] - g_e),
                (
                    "e_c's gradient used the already-updated Θ: compute both gradients first, "
                    "then update both tables",
                    E0[c] - lr * Theta1.T @ delta,
                ),
            ],
            "the new e_c",
        )
        report.verdict(
            problem, f"row c of E moved by −η ∂J/∂e_c (η = {lr}); the other rows did not move"
        )
    if np.array_equal(Theta, Theta0):
        report.wrong("Θ is unchanged: the context table must be updated too")
    else:
        problem = _diagnose(
            Theta,
            Theta1,
            [
                (
                    "wrong sign: Θ moved up the gradient; SGD subtracts η ∂J/∂Θ",
                    Theta0 + lr * g_Theta,
                ),
                ("the learning rate is missing from the update of Θ", Theta0 - g_Theta),
            ],
            "the new Θ",
        )
        report.verdict(problem, "every row of Θ moved by −η ∂J/∂Θ")
    if cost is None:
        report.wrong("return the pair's cost J (before the update): the training loop logs it")
    else:
        cost = _scalar(cost, "the returned cost")
        if np.isclose(cost, _pair_cost(E0[c], Theta0, o)):
            report.ok(f"returned J = {cost:.4f}, the cost before the update")
        elif np.isclose(cost, _pair_cost(E1[c], Theta1, o)):
            report.wrong("you returned the cost after the update: return J before it")
        else:
            report.wrong(
                f"returned cost {cost:.4f}, expected J = {_pair_cost(E0[c], Theta0, o):.4f}"
            )
    if report.failed:
        return
    E, Theta = E0.copy(), Theta0.copy()
    start = _pair_cost(E[c], Theta, o)
    for _ in range(20):
        _call(sgd_step, E, Theta, c, o, 0.1, none_is_stub=False)
    end = _pair_cost(E[c], Theta, o)
    if not end < start:
        raise _Fail(f"20 steps on one pair did not lower its cost ({start:.3f} → {end:.3f})")
    report.ok(f"20 steps of η = 0.1 on the pair (c, o): J fell from {start:.3f} to {end:.3f}")


# --------------------------------------------------------------------------------------------
# Notebook 02: noise, subsampling, the negative-sampling cost and a training loop
# --------------------------------------------------------------------------------------------


@_check
def check_noise_distribution(report: _Report, noise_distribution: Callable) -> None:
    """Check ``noise_distribution(counts)``: word2vec's P_n(w) ∝ count(w)^(3/4).

    Diagnoses the unigram distribution, the uniform one, another power (estimated from the
    answer), a missing normalisation and a word of count 0 that gets a probability.
    Introduced in notebook 02.

    Parameters
    ----------
    noise_distribution : callable
        The student's ``noise_distribution(counts) -> ndarray`` of probabilities.

    Returns
    -------
    CheckResult
    """
    counts = np.array([0, 1000, 100, 10, 1])  # index 0 is reserved: count 0
    got = _array(_call(noise_distribution, counts.copy()), (5,), "noise_distribution(counts)")
    c = counts.astype(np.float64)
    expected = c**0.75 / (c**0.75).sum()
    nonzero = c > 0
    uniform = np.where(nonzero, 1.0 / nonzero.sum(), 0.0)
    variants = [
        (
            "your noise distribution is the unigram distribution: raise the counts to the "
            "power 3/4 before normalising",
            c / c.sum(),
        ),
        (
            "your noise distribution is uniform (what tf.keras's skipgrams draws from): "
            "word2vec draws in proportion to count^(3/4)",
            uniform,
        ),
        ("raised to 3/4 but not normalised: divide by the sum so it adds up to 1", c**0.75),
        (
            "you raised the unigram probabilities to 3/4 but did not renormalise: divide by "
            "their sum again",
            (c / c.sum()) ** 0.75,
        ),
        (
            "that is the power 4/3: the exponent is 3/4 = 0.75",
            c ** (4 / 3) / (c ** (4 / 3)).sum(),
        ),
    ]
    problem = _diagnose(got, expected, variants, "P_n")
    if problem is None:
        report.ok(f"counts [0, 1000, 100, 10, 1] → P_n = {_fmt(got)}")
        report.ok("P_n sums to 1 and the reserved index (count 0) is never drawn")
        return
    known = any(_close(got, variant) for _, variant in variants)
    if not known and np.all(np.isfinite(got)) and np.all(got[nonzero] > 0):
        # which power would give this answer? slope of log P against log count
        power = np.polyfit(np.log(c[nonzero]), np.log(got[nonzero]), 1)[0]
        fitted = c[nonzero] ** power / (c[nonzero] ** power).sum()
        if abs(power - 0.75) > 0.01 and np.allclose(
            got[nonzero] / got[nonzero].sum(), fitted, rtol=1e-4
        ):
            problem = (
                f"your probabilities follow count^{power:.3g}: word2vec's power is 3/4 = 0.75"
                + ("" if np.isclose(got.sum(), 1) else ", and they must sum to 1")
            )
    if got[0] != 0 and np.isfinite(got[0]):
        problem = (
            f"{problem}; and count 0 (the reserved index) must get probability 0, not {got[0]:.3g}"
        )
    raise _Fail(f"{problem}; expected {_fmt(expected)}, got {_fmt(got)}")


@_check
def check_keep_probability(report: _Report, keep_probability: Callable) -> None:
    """Check ``keep_probability(counts, sample)``: word2vec's subsampling keep probability.

    The word2vec C code keeps an occurrence of a word of frequency f = count / total with
    probability min(1, √(t/f) + t/f). Diagnoses the paper's √(t/f), the discard
    probability, a missing cap at 1 and raw counts used as frequencies.
    Introduced in notebook 02.

    Parameters
    ----------
    keep_probability : callable
        The student's ``keep_probability(counts, sample) -> ndarray``.

    Returns
    -------
    CheckResult
    """
    counts = np.array([50_000, 5_000, 500, 50, 5])
    t = 1e-3
    got = _array(_call(keep_probability, counts.copy(), t), (5,), "keep_probability(counts, 1e-3)")
    f = counts / counts.sum()
    expected = np.minimum(1.0, np.sqrt(t / f) + t / f)
    problem = _diagnose(
        got,
        expected,
        [
            (
                "that is the paper's √(t/f): word2vec's code keeps with √(t/f) + t/f "
                "(the formula in the notebook)",
                np.minimum(1.0, np.sqrt(t / f)),
            ),
            (
                "cap it at 1: a probability cannot exceed 1 (rare words are always kept)",
                np.sqrt(t / f) + t / f,
            ),
            ("that is the probability of discarding a word: keep = 1 − discard", 1 - expected),
            (
                "that is the paper's discard probability 1 − √(t/f): keep = √(t/f) + t/f",
                1 - np.sqrt(t / f),
            ),
            (
                "use the frequency f = count / total, not the raw count",
                np.minimum(1.0, np.sqrt(t / counts) + t / counts),
            ),
        ],
        "the keep probabilities",
    )
    if problem:
        raise _Fail(f"{problem}; expected {_fmt(expected)}, got {_fmt(got)}")
    report.ok(f"counts [50000, 5000, 500, 50, 5], t = 1e-3 → keep {_fmt(got)}")
    report.ok("frequent words are mostly dropped, rare ones always kept (capped at 1)")


@_check
def check_ns_loss_and_gradients(report: _Report, ns_loss_and_gradients: Callable) -> None:
    """Check ``ns_loss_and_gradients(e_c, theta_o, theta_neg)``: the negative-sampling cost.

    J = −log σ(θ_oᵀe_c) − Σ_i log σ(−θ_iᵀe_c) and its gradients with respect to e_c, θ_o
    and the k negatives' rows, compared with central differences. Diagnoses wrong signs (for
    the true context and for the negatives), σ(s_o) instead of σ(s_o) − 1, a missing
    negatives' term, a transposed gradient. Introduced in notebook 02.

    Parameters
    ----------
    ns_loss_and_gradients : callable
        The student's function returning ``(J, grad_e_c, grad_theta_o, grad_theta_neg)`` with
        shapes (), (d,), (d,), (k, d).

    Returns
    -------
    CheckResult
    """
    rng = np.random.default_rng(5)
    d, k = 4, 3
    e_c, theta_o, theta_neg = rng.normal(size=d), rng.normal(size=d), rng.normal(size=(k, d))
    out = _call(ns_loss_and_gradients, e_c.copy(), theta_o.copy(), theta_neg.copy())
    if not isinstance(out, tuple | list) or len(out) != 4:
        raise _Fail("return four things: (J, dJ/de_c, dJ/dθ_o, dJ/dθ_neg)")
    s_o, s_neg = theta_o @ e_c, theta_neg @ e_c
    g_o, g_neg = _sigmoid(s_o) - 1.0, _sigmoid(s_neg)
    want = {
        "J": _ns_cost(e_c, theta_o, theta_neg),
        "e": g_o * theta_o + g_neg @ theta_neg,
        "o": g_o * e_c,
        "neg": np.outer(g_neg, e_c),
    }
    work = e_c.copy()
    assert np.allclose(
        _numerical_gradient(lambda: _ns_cost(work, theta_o, theta_neg), work), want["e"]
    )

    J = _scalar(out[0], "J")
    problem = _diagnose(
        np.array(J),
        np.array(want["J"]),
        [
            ("J has the wrong sign: J = −log σ(s_o) − Σ log σ(−s_i)", np.array(-want["J"])),
            (
                "J is missing the negatives' term −Σ_i log σ(−θ_iᵀe_c)",
                np.array(-np.log(_sigmoid(s_o))),
            ),
            (
                "for the negatives use log σ(−s_i), the probability that the pair is made up, "
                "not log σ(s_i)",
                np.array(-np.log(_sigmoid(s_o)) - np.log(_sigmoid(s_neg)).sum()),
            ),
            (
                "J is a sum over the k + 1 words, not a mean",
                np.array(want["J"] / (k + 1)),
            ),
        ],
        "J",
    )
    report.verdict(problem, f"J = {J:.4f}")

    got = _array(out[1], (d,), "dJ/de_c")
    problem = _diagnose(
        got,
        want["e"],
        [
            ("dJ/de_c has the wrong sign", -want["e"]),
            (
                "in dJ/de_c the gradient for the negatives has the wrong sign: each adds "
                "+σ(s_i) θ_i",
                g_o * theta_o - g_neg @ theta_neg,
            ),
            ("dJ/de_c is missing the negatives' term Σ_i σ(s_i) θ_i", g_o * theta_o),
            (
                "in dJ/de_c the true context's factor is σ(s_o) − 1 (prediction minus label 1), "
                "not σ(s_o)",
                _sigmoid(s_o) * theta_o + g_neg @ theta_neg,
            ),
        ],
        "dJ/de_c",
    )
    report.verdict(problem, "dJ/de_c agrees with central differences")

    got = _array(out[2], (d,), "dJ/dθ_o")
    problem = _diagnose(
        got,
        want["o"],
        [
            ("dJ/dθ_o has the wrong sign: it is (σ(s_o) − 1) e_c", -want["o"]),
            (
                "dJ/dθ_o: the true context's factor is σ(s_o) − 1 (prediction minus label 1), "
                "not σ(s_o)",
                _sigmoid(s_o) * e_c,
            ),
        ],
        "dJ/dθ_o",
    )
    report.verdict(problem, "dJ/dθ_o agrees with central differences")

    got = np.asarray(out[3], dtype=np.float64)
    if got.shape == (d, k) and _close(got, want["neg"].T):
        report.wrong(
            f"dJ/dθ_neg is transposed: shape ({k}, {d}) expected, got {got.shape}; one row "
            "per negative, like theta_neg"
        )
        return
    got = _array(out[3], (k, d), "dJ/dθ_neg")
    problem = _diagnose(
        got,
        want["neg"],
        [
            (
                "the gradient for the negatives has the wrong sign: ∂J/∂θ_i = +σ(s_i) e_c",
                -want["neg"],
            ),
            (
                "the negatives have label 0: their factor is σ(s_i) − 0, not σ(s_i) − 1",
                np.outer(g_neg - 1.0, e_c),
            ),
            (
                "use σ(s_i), the predicted probability of the made-up pair, not σ(−s_i)",
                np.outer(_sigmoid(-s_neg), e_c),
            ),
        ],
        "dJ/dθ_neg",
    )
    report.verdict(problem, "dJ/dθ_neg agrees with central differences")


def planted_corpus(groups: int = 4, size: int = 5, pairs_per_word: int = 30, seed: int = 0):
    """A tiny corpus whose words come in ``groups``: contexts are always from the same group.

    Training on it must put each word's vector nearest to the other words of its group.
    Introduced in notebook 02.

    Parameters
    ----------
    groups, size : int
        Number of groups and words per group; word ``w`` belongs to group ``w // size``.
    pairs_per_word : int
        Pairs with each word as the target.
    seed : int
        Seed of the draw of contexts and of the shuffle.

    Returns
    -------
    targets, contexts : ndarray of int
        The (target, context) pairs, shuffled.
    group : ndarray of int
        ``group[w]`` is the group of word ``w``.
    """
    rng = np.random.default_rng(seed)
    V = groups * size
    group = np.arange(V) // size
    targets = np.repeat(np.arange(V), pairs_per_word)
    offsets = rng.integers(1, size, size=len(targets))  # another word of the same group
    contexts = group[targets] * size + (targets % size + offsets) % size
    order = rng.permutation(len(targets))
    return targets[order], contexts[order], group


def _group_accuracy(E: np.ndarray, group: np.ndarray) -> float:
    """Share of words whose nearest other word (by cosine) is in the same group."""
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    unit = E / np.where(norms > 0, norms, 1.0)
    cos = unit @ unit.T
    np.fill_diagonal(cos, -np.inf)
    return float(np.mean(group[cos.argmax(axis=1)] == group))


@_check
def check_sgns_training(report: _Report, train_sgns: Callable) -> None:
    """Check ``train_sgns``: a NumPy training loop for skip-gram with negative sampling.

    Trains on :func:`planted_corpus` (20 words in 4 groups; contexts always from the same
    group) and checks that the tables are separate, have shape (V, d), and that every word's
    nearest neighbour in E is in its own group. Introduced in notebook 02.

    Parameters
    ----------
    train_sgns : callable
        The student's ``train_sgns(targets, contexts, noise, dim, negatives, epochs,
        learning_rate, seed) -> (E, Theta)``.

    Returns
    -------
    CheckResult
    """
    targets, contexts, group = planted_corpus()
    V, dim = len(group), 8
    noise = np.full(V, 1.0 / V)
    out = _call(train_sgns, targets.copy(), contexts.copy(), noise.copy(), dim, 3, 5, 0.1, 0)
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise _Fail("return the two tables: (E, Theta)")
    if out[0] is out[1] or (
        isinstance(out[0], np.ndarray)
        and isinstance(out[1], np.ndarray)
        and np.shares_memory(out[0], out[1])
    ):
        raise _Fail(
            "the context table is the same object as the target table: the exercise asks for "
            "a separate one (Theta = np.zeros((V, dim)))"
        )
    E = _array(out[0], (V, dim), "E")
    Theta = _array(out[1], (V, dim), "Θ")
    report.ok(f"two separate tables of shape ({V}, {dim})")
    if not np.any(E):
        raise _Fail(
            "E is all zeros: with Θ also at zero every gradient is zero. Start E small and "
            "random (uniform in ±0.5/dim), Θ at zero"
        )
    if not np.any(Theta):
        raise _Fail("Θ is still all zeros: the loop must update the context table too")
    accuracy = _group_accuracy(E, group)
    real = _sigmoid(np.sum(E[targets] * Theta[contexts], axis=1)).mean()
    across = group[:, None] != group[None, :]
    made_up = _sigmoid(E @ Theta.T)[across].mean()
    if not np.all(np.isfinite(E)) or not real > made_up + 0.05:
        raise _Fail(
            f"real pairs do not score higher than pairs across groups (σ {real:.2f} against "
            f"{made_up:.2f}): the updates go up the gradient, or too little of them. SGD "
            "subtracts η times the gradient"
        )
    if accuracy < 0.9:
        raise _Fail(
            f"the planted groups were not recovered: the nearest neighbour of only "
            f"{accuracy:.0%} of the words is in their group (≥ 90% expected). Check the "
            "gradients with check_ns_loss_and_gradients and that each pair gets its negatives"
        )
    report.ok(f"the planted groups are recovered: {accuracy:.0%} of nearest neighbours in-group")
    report.ok(f"real pairs score σ = {real:.2f} on average, pairs across groups {made_up:.2f}")


# --------------------------------------------------------------------------------------------
# Notebook 03: the Keras model and 3CosAdd
# --------------------------------------------------------------------------------------------


@_check
def check_skipgram_model(report: _Report, build_model: Callable) -> None:
    """Check ``build_model(vocab_size, dim)``: the two-input Keras skip-gram model.

    It must take ``{"target": (batch,), "context": (batch, n)}``, return one probability per
    context word, shape (batch, n), hold two separate ``Embedding`` tables named
    ``target_embedding`` and ``context_embedding``, and compute σ(θ_wᵀe_c) when its sigmoid
    ``Dense`` is the identity. Introduced in notebook 03.

    Parameters
    ----------
    build_model : callable
        The student's ``build_model(vocab_size, dim) -> keras.Model``.

    Returns
    -------
    CheckResult
    """
    import keras

    V, dim = 12, 4
    model = _call(build_model, V, dim)
    if not isinstance(model, keras.Model):
        raise _Fail(f"return a keras.Model, got {type(model).__name__}")
    embeddings = [layer for layer in model.layers if isinstance(layer, keras.layers.Embedding)]
    if len(embeddings) == 1:
        raise _Fail(
            "the context table is the same object as the target table: the exercise asks for "
            "a separate one (a second Embedding layer for the context input)"
        )
    names = sorted(layer.name for layer in embeddings)
    if names != ["context_embedding", "target_embedding"]:
        raise _Fail(
            "two Embedding layers named 'target_embedding' and 'context_embedding' expected, "
            f"found {names}"
        )
    for layer in embeddings:
        shape = tuple(layer.embeddings.shape)
        if shape != (V, dim):
            raise _Fail(f"{layer.name}: table shape ({V}, {dim}) expected, got {shape}")
    report.ok(f"two separate Embedding tables of shape ({V}, {dim})")

    rng = np.random.default_rng(6)
    E, Theta = rng.normal(0, 0.5, size=(V, dim)), rng.normal(0, 0.5, size=(V, dim))
    model.get_layer("target_embedding").embeddings.assign(E.astype("float32"))
    model.get_layer("context_embedding").embeddings.assign(Theta.astype("float32"))
    for layer in model.layers:  # the sigmoid Dense(1) at the identity: σ(1·s + 0)
        if isinstance(layer, keras.layers.Dense) and tuple(layer.kernel.shape) == (1, 1):
            layer.kernel.assign([[1.0]])
            if layer.use_bias:
                layer.bias.assign([0.0])
    targets = np.array([1, 5, 7], dtype="int32")
    contexts = np.array([[2, 3, 4, 11], [5, 1, 9, 9], [6, 0, 8, 10]], dtype="int32")
    try:
        got = keras.ops.convert_to_numpy(model({"target": targets, "context": contexts}))
    except Exception as err:  # noqa: BLE001 -- any error in the student's model is reported
        raise _Fail(
            "calling the model on {'target': (3,), 'context': (3, 4)} failed: "
            f"{type(err).__name__}: {str(err).splitlines()[0]}"
        ) from None
    got = np.asarray(got, dtype=np.float64)
    if got.shape == (3, 4, 1):
        raise _Fail(
            "shape (3, 4) expected, got (3, 4, 1): drop the last axis after the Dense "
            "(layers.Reshape((-1,)))"
        )
    got = _array(got, (3, 4), "the model's output")
    scores = np.einsum("bd,bnd->bn", E[targets], Theta[contexts])
    swapped = np.einsum("bd,bnd->bn", Theta[targets], E[contexts])
    if np.any(got < 0) or np.any(got > 1):
        raise _Fail("outputs outside [0, 1]: end with a sigmoid (Dense(1, activation='sigmoid'))")
    if np.allclose(got, _sigmoid(swapped), atol=1e-5) and not np.allclose(
        got, _sigmoid(scores), atol=1e-5
    ):
        raise _Fail(
            "the tables are swapped: the target goes through target_embedding (E), the "
            "context words through context_embedding (Θ)"
        )
    if not np.allclose(got, _sigmoid(scores), atol=1e-5):
        raise _Fail(
            "with the Dense layer at weight 1, bias 0 the output should be σ(θ_wᵀe_c) for each "
            "context word: check the Dot axes, (1, 2)"
        )
    report.ok("output (batch, n) = σ(θ_wᵀ e_c), one probability per context word")


def _analogy_candidates(vectors: np.ndarray, a: int, b: int, c: int, how: str) -> int:
    """The answer of one way (right or wrong) to solve "a is to b as c is to ?"."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    if how == "3cosadd":
        scores = unit @ (unit[b] - unit[a] + unit[c])
    elif how == "raw offset":  # cosine with b - a + c of raw vectors: also accepted
        query = vectors[b] - vectors[a] + vectors[c]
        scores = unit @ (query / np.linalg.norm(query))
    elif how == "wrong sign":
        scores = unit @ (unit[a] - unit[b] + unit[c])
    elif how == "dot":
        scores = vectors @ (vectors[b] - vectors[a] + vectors[c])
    elif how == "euclidean":
        scores = -np.linalg.norm(vectors - (vectors[b] - vectors[a] + vectors[c]), axis=1)
    else:
        raise ValueError(how)
    scores[[a, b, c]] = -np.inf
    return int(np.argmax(scores))


# The words of the planted analogy vectors, one row each in analogy_vectors().
ANALOGY_WORDS = [
    "man",
    "woman",
    "king",
    "queen",
    "prince",
    "princess",
    "boy",
    "girl",
    "crown",
    "throne",
]


def analogy_vectors() -> np.ndarray:
    """Planted vectors for :func:`check_3cosadd`, one row per word of ``ANALOGY_WORDS``.

    Each female word is its male word plus a "gender" offset and a little noise; *crown* and
    *throne* are near-synonyms with long vectors. Chosen (seed 1879) so that the typical
    mistakes each give a different answer to the first question. Introduced in notebook 03.

    Returns
    -------
    ndarray of float64, shape (len(ANALOGY_WORDS), 4)
    """
    rng = np.random.default_rng(1879)
    index = {w: i for i, w in enumerate(ANALOGY_WORDS)}
    vectors = rng.normal(size=(len(ANALOGY_WORDS), 4))
    gender = np.array([2.0, 0.0, 0.0, 0.0])
    for female, male in (
        ("woman", "man"),
        ("queen", "king"),
        ("princess", "prince"),
        ("girl", "boy"),
    ):
        vectors[index[female]] = vectors[index[male]] + gender + 0.2 * rng.normal(size=4)
    vectors[index["throne"]] = vectors[index["crown"]] + 0.05 * rng.normal(size=4)
    vectors[[index["crown"], index["throne"]]] *= 3.0
    return vectors


@_check
def check_3cosadd(report: _Report, analogy: Callable) -> None:
    """Check ``analogy(vectors, words, a, b, c)``: 3CosAdd, "a is to b as c is to ?".

    The answer is the word w, other than a, b and c, whose unit vector has the largest cosine
    with b̂ − â + ĉ. Planted vectors make each typical mistake give a different word: not
    leaving out the question words, the offset the wrong way round, raw dot products or
    Euclidean distance instead of cosines. Introduced in notebook 03.

    Parameters
    ----------
    analogy : callable
        The student's ``analogy(vectors, words, a, b, c) -> str``.

    Returns
    -------
    CheckResult
    """
    vectors, words = analogy_vectors(), list(ANALOGY_WORDS)
    index = {w: i for i, w in enumerate(words)}
    questions = [
        ("man", "woman", "king"),
        ("king", "queen", "boy"),
        ("prince", "princess", "man"),
        ("crown", "throne", "king"),  # a near-zero offset: the answer is not king itself
    ]
    for a, b, c in questions:
        got = _call(analogy, vectors.copy(), list(words), a, b, c)
        if not isinstance(got, str):
            raise _Fail(f"return the answer word as a string, got {type(got).__name__}")
        ia, ib, ic = index[a], index[b], index[c]
        want = words[_analogy_candidates(vectors, ia, ib, ic, "3cosadd")]
        if got == want:
            report.ok(f"{a} is to {b} as {c} is to {got}")
            continue
        if got in (a, b, c):
            raise _Fail(
                f"{a} : {b} :: {c} : ? — you answered {got!r}, a question word: leave a, b "
                "and c out of the candidates"
            )
        for how, message in (
            (
                "wrong sign",
                "the offset is the wrong way round: add b − a to c (king − man + woman)",
            ),
            (
                "dot",
                "rank by cosine: normalise the vectors first (long vectors win raw dot products)",
            ),
            ("euclidean", "3CosAdd ranks by cosine similarity, not by Euclidean distance"),
        ):
            if got == words[_analogy_candidates(vectors, ia, ib, ic, how)]:
                raise _Fail(f"{a} : {b} :: {c} : ? — {want!r} expected, got {got!r}: {message}")
        raise _Fail(f"{a} : {b} :: {c} : ? — {want!r} expected, got {got!r}")
