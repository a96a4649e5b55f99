"""Checks of notebook 04's "Your turn" exercise: Spearman's rank correlation, the score of a
word-pair benchmark (WS353, SimLex-999).

The typical mistakes are named: Pearson's r of the raw values (no rank transform), ties ranked
one after the other instead of sharing their average rank, the textbook shortcut
1 − 6ΣΔr²/(n(n² − 1)) (Δr the difference of a pair's ranks) that is exact only without ties,
one array ranked the wrong way round, np.argsort taken for the ranks, ranks not centred, a
covariance and standard deviations with different divisors (ddof), ρ², Kendall's τ.
See :mod:`kw2v.course.checker.grading` for the machinery.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .compare import as_scalar, diagnose
from .grading import Fail, Report, call, check


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing the mean of the ranks they span (scipy's method="average")."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(1, len(x) + 1)
    for value in np.unique(x):
        tied = x == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def _ordinal_ranks(x: np.ndarray, kind: str | None = "stable") -> np.ndarray:
    """Ties split one after the other, as argsort of argsort does (its default kind too)."""
    return np.argsort(np.argsort(x, kind=kind), kind=kind) + 1.0


def _min_ranks(x: np.ndarray) -> np.ndarray:
    return np.array([1.0 + np.sum(x < v) for v in x])


def _dense_ranks(x: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.unique(x), x) + 1.0


def _max_ranks(x: np.ndarray) -> np.ndarray:
    return np.array([float(np.sum(x <= v)) for v in x])


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def _cosine(x: np.ndarray, y: np.ndarray) -> float:
    return float(x @ y / np.sqrt((x @ x) * (y @ y)))


def _shortcut(rx: np.ndarray, ry: np.ndarray) -> float:
    n = len(rx)
    return float(1 - 6 * np.sum((rx - ry) ** 2) / (n * (n * n - 1)))


TIES = "they share the average of the ranks they span, e.g. [10, 20, 20, 40] → [1, 2.5, 2.5, 4]"
RANKS = "ranks (the rank transform: replace each value by its position in sorted order)"


def _mistakes(x: np.ndarray, y: np.ndarray) -> list[tuple[str, float]]:
    """The named mistakes: (message, the ρ that mistake gives for ``x`` and ``y``)."""
    from scipy import stats

    rx, ry = _average_ranks(x), _average_ranks(y)
    expected, n = _pearson(rx, ry), len(x)
    return [
        (
            f"that is Pearson's r of the raw values: Spearman's ρ is Pearson's r of the {RANKS}",
            _pearson(x, y),
        ),
        ("you ranked only x: rank both arrays", _pearson(rx, y)),
        ("you ranked only y: rank both arrays", _pearson(x, ry)),
        (
            "one array was ranked from largest to smallest and the other from smallest to "
            "largest: rank both the same way",
            _pearson(rx, -ry),
        ),
        *[
            (
                f"tied values were ranked one after the other (argsort of argsort): {TIES}",
                _pearson(_ordinal_ranks(x, kind), _ordinal_ranks(y, kind)),
            )
            for kind in ("stable", None)
        ],
        (
            f"tied values got the lowest of their ranks: {TIES}",
            _pearson(_min_ranks(x), _min_ranks(y)),
        ),
        (
            f"tied values got the highest of their ranks: {TIES}",
            _pearson(_max_ranks(x), _max_ranks(y)),
        ),
        (
            "np.argsort gives the positions that would sort the array, not the ranks: the "
            "rank of each value is np.argsort(np.argsort(x)) + 1, or better the average ranks",
            _pearson(np.argsort(x, kind="stable"), np.argsort(y, kind="stable")),
        ),
        (
            "the ranks were not centred: Pearson's r subtracts each array's mean rank before "
            "the products (that is the cosine of the raw ranks)",
            _cosine(rx, ry),
        ),
        *[
            (
                "the covariance and the standard deviations use different divisors (n − 1 "
                "and n): np.cov divides by n − 1, np.std by n; use the same (ddof) in both, "
                "or np.corrcoef",
                expected * factor,
            )
            for factor in (n / (n - 1), (n - 1) / n)
        ],
        ("that is ρ²: return ρ itself (it can be negative)", expected**2),
        (
            "that is Kendall's τ: Spearman's ρ is Pearson's r of the average ranks",
            float(stats.kendalltau(x, y).statistic),
        ),
        (
            f"tied values got dense ranks (1, 2, 2, 3): {TIES}",
            _pearson(_dense_ranks(x), _dense_ranks(y)),
        ),
        (
            "the shortcut 1 − 6 Σ Δr² / (n (n² − 1)) is exact only without ties: with ties, "
            "take Pearson's r of the average ranks",
            _shortcut(rx, ry),
        ),
        (
            "1 − 6 Σ Δr² / (n (n² − 1)) on ranks that split ties: with ties, take Pearson's r "
            "of the average ranks",
            _shortcut(_ordinal_ranks(x), _ordinal_ranks(y)),
        ),
    ]


def _grade(report: Report, spearman: Callable, x, y, what: str, ok_text: str) -> None:
    out = call(spearman, x.copy(), y.copy())
    if hasattr(out, "statistic"):
        raise Fail("you returned scipy's result object: return the number, its `.statistic`")
    if isinstance(out, tuple | list) and len(out) == 2:
        raise Fail("you returned two numbers (ρ and a p-value?): return ρ only, one number")
    got = as_scalar(out, what)
    expected = _pearson(_average_ranks(x), _average_ranks(y))
    problem = diagnose(
        np.array(got),
        np.array(expected),
        _mistakes(x, y),
        what,
        hint="that ρ is Pearson's r (covariance over the product of the standard deviations) "
        "of the two arrays of average ranks",
    )
    if problem:
        raise Fail(f"{problem}; expected ρ = {expected:.4f}, got {got:.4f}")
    report.ok(ok_text.format(got=got))


@check
def check_spearman(report: Report, spearman: Callable) -> None:
    """Check ``spearman(x, y)``: Spearman's rank correlation ρ of two 1-D arrays.

    Cases: human scores against cosines without ties (where Pearson's r differs), then with
    ties in both arrays (average ranks), then a perfectly monotone but non-linear relation
    (ρ = 1). Introduced in notebook 04.

    Parameters
    ----------
    spearman : callable
        The student's ``spearman(x, y) -> float``.

    Returns
    -------
    CheckResult
    """
    human = np.array([7.35, 3.10, 8.50, 1.20, 5.00, 6.20, 9.10, 2.40])
    cosine = np.array([0.61, 0.05, 0.42, 0.11, 0.58, 0.90, 0.75, -0.20])
    _grade(
        report,
        spearman,
        human,
        cosine,
        "ρ of 8 pairs without ties",
        "8 (human score, cosine) pairs without ties: ρ = {got:.4f}",
    )
    human = np.array([5.0, 7.5, 7.5, 2.0, 9.0, 5.0, 5.0, 1.0, 8.0, 3.5])
    cosine = np.array([0.30, 0.62, 0.41, 0.30, 0.88, 0.12, 0.55, 0.02, 0.30, 0.41])
    _grade(
        report,
        spearman,
        human,
        cosine,
        "ρ of 10 pairs with ties",
        "10 pairs with ties in both arrays (average ranks): ρ = {got:.4f}",
    )
    x = np.array([0.5, 1.0, 2.0, 4.0, 8.0, 16.0])
    got = as_scalar(call(spearman, x.copy(), np.exp(x)), "ρ of a monotone relation")
    if not np.isclose(got, 1.0):
        raise Fail(f"y = exp(x) rises with x, so ρ = 1 (ranks agree exactly), got {got:.4f}")
    report.ok("y = exp(x): ρ = 1, whatever the curve, as long as the order agrees")
