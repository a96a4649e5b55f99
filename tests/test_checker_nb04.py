"""Notebook 04's check (kw2v.course.checker.nb04, Spearman's ρ): the reference answer passes,
and each typical wrong answer fails with a message that names the mistake.
"""

import numpy as np
import pytest
from checking import failed_with
from scipy import stats

from kw2v.course import checker

# ---- reference answer (what the solution notebook fills in) -------------------------------


def average_ranks(x):
    """Ranks 1..n; tied values share the mean of the positions they occupy."""
    x = np.asarray(x, dtype=float)
    order = np.argsort(x)
    ranks = np.empty(len(x))
    ranks[order] = np.arange(1, len(x) + 1)
    for value in np.unique(x):
        ranks[x == value] = ranks[x == value].mean()
    return ranks


def spearman(x, y):
    rx, ry = average_ranks(x), average_ranks(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    return float(rx @ ry / np.sqrt((rx @ rx) * (ry @ ry)))


REFERENCE = {checker.check_spearman: spearman}


# ---- wrong answers ------------------------------------------------------------------------


def ordinal(x):
    return np.argsort(np.argsort(x)).astype(float)


def pearson(x, y):
    return float(np.corrcoef(x, y)[0, 1])


def shortcut(rx, ry):
    n = len(rx)
    return 1 - 6 * np.sum((rx - ry) ** 2) / (n * (n * n - 1))


@pytest.mark.parametrize(
    "wrong, message",
    [
        (
            pearson,
            "that is Pearson's r of the raw values: Spearman's ρ is Pearson's r of the ranks",
        ),
        (lambda x, y: pearson(average_ranks(x), y), "you ranked only x: rank both arrays"),
        (
            lambda x, y: pearson(average_ranks(x), average_ranks(-y)),
            "one array was ranked from largest to smallest",
        ),
        (
            lambda x, y: pearson(ordinal(x), ordinal(y)),
            "tied values were ranked one after the other (argsort of argsort)",
        ),
        (
            lambda x, y: shortcut(average_ranks(x), average_ranks(y)),
            "the shortcut 1 − 6 Σ Δr² / (n (n² − 1)) is exact only without ties",
        ),
        (
            lambda x, y: pearson(
                np.searchsorted(np.unique(x), x) + 1.0, np.searchsorted(np.unique(y), y) + 1.0
            ),
            "tied values got dense ranks (1, 2, 2, 3)",
        ),
    ],
    ids=["pearson", "only x ranked", "one reversed", "ties split", "shortcut", "dense ranks"],
)
def test_spearman_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_spearman, wrong, capsys)


def test_spearman_scipy_result_object(capsys):
    out = failed_with(checker.check_spearman, stats.spearmanr, capsys)
    assert "you returned scipy's result object: return the number, its `.statistic`" in out


def test_spearman_ties_pass_only_the_tie_free_case(capsys):
    out = failed_with(checker.check_spearman, lambda x, y: pearson(ordinal(x), ordinal(y)), capsys)
    assert "✓ 8 (human score, cosine) pairs without ties" in out


def _centred_cosine(rx, ry):
    return float(rx @ ry / np.sqrt((rx @ rx) * (ry @ ry)))


@pytest.mark.parametrize(
    "wrong, message",
    [
        (
            lambda x, y: pearson(np.argsort(x), np.argsort(y)),
            "np.argsort gives the positions that would sort the array, not the ranks",
        ),
        (
            lambda x, y: _centred_cosine(average_ranks(x), average_ranks(y)),
            "the ranks were not centred",
        ),
        (
            lambda x, y: (
                np.cov(average_ranks(x), average_ranks(y))[0, 1]
                / (average_ranks(x).std() * average_ranks(y).std())
            ),
            "use different divisors (n − 1 and n)",
        ),
        (lambda x, y: spearman(x, y) ** 2, "that is ρ²"),
        (lambda x, y: stats.kendalltau(x, y)[0], "that is Kendall's τ"),
        (
            lambda x, y: pearson([np.sum(x <= v) for v in x], [np.sum(y <= v) for v in y]),
            "tied values got the highest of their ranks",
        ),
        (
            lambda x, y: tuple(stats.spearmanr(x, y)),
            "you returned two numbers (ρ and a p-value?): return ρ only",
        ),
    ],
    ids=["argsort once", "uncentred", "ddof", "rho squared", "kendall", "max ranks", "(rho, p)"],
)
def test_more_spearman_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_spearman, wrong, capsys)


def test_scipy_spearman_statistic_passes(capsys):
    assert checker.check_spearman(lambda x, y: stats.spearmanr(x, y).statistic)
    assert "all right" in capsys.readouterr().out
