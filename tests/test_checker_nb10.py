"""kw2v.course.checker.nb10: a right PPMI passes (written several ways); the typical wrong ones
fail with a message that names the mistake; an unfinished stub prints "not done yet".

The answers here are written as a student would write them, independently of the checker's
internals, so a checker that compared an answer with itself could not pass.
"""

import numpy as np
import pytest
from checking import failed_with

from kw2v.course.checker import nb10

# ---- right answers, three ways ------------------------------------------------------------


def ppmi_dense(counts, alpha=0.75):
    total = counts.sum()
    p_wc = counts / total
    p_w = counts.sum(axis=1, keepdims=True) / total
    c_alpha = counts.sum(axis=0, keepdims=True) ** alpha
    p_c = c_alpha / c_alpha.sum()
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(p_wc / (p_w * p_c)), 0)


def ppmi_masked(counts, alpha=0.75):
    """The log only where the count is positive (no -inf ever made)."""
    out = np.zeros_like(counts, dtype=float)
    rows, cols = np.nonzero(counts)
    col_alpha = counts.sum(axis=0) ** alpha
    pmi = (
        np.log(counts[rows, cols])  # the totals N cancel: P(w,c) / P(w) = #(w,c) / #(w)
        - np.log(counts.sum(axis=1)[rows])
        - np.log(col_alpha[cols] / col_alpha.sum())
    )
    out[rows, cols] = np.maximum(pmi, 0)
    return out


def ppmi_counts_form(counts, alpha=0.75):
    """Levy et al.'s count form: log(#(w,c) * sum_c #(c)^a / (#(w) * #(c)^a))."""
    col = counts.sum(axis=0) ** alpha
    with np.errstate(divide="ignore"):
        pmi = np.log(counts * col.sum() / (counts.sum(axis=1)[:, None] * col[None, :]))
    return np.where(counts > 0, np.maximum(pmi, 0), 0.0)


@pytest.mark.parametrize("answer", [ppmi_masked, ppmi_counts_form])
def test_other_right_answers_pass(answer, capsys):
    result = nb10.check_ppmi(answer)
    out = capsys.readouterr().out
    assert result and result.status == "passed", out
    assert "all right" in out and "✗" not in out


def test_reference_is_what_the_tests_compute():
    assert np.allclose(nb10.ppmi_reference(nb10.COUNTS), ppmi_dense(nb10.COUNTS))
    assert np.all(nb10.ppmi_reference(nb10.COUNTS)[nb10.COUNTS == 0] == 0)


# ---- wrong answers a student would write ---------------------------------------------------


def pmi(counts, p_w, p_c):
    """log P(w,c) / (P(w) P(c)) from whatever marginals a wrong answer computed; -inf at 0."""
    with np.errstate(divide="ignore"):
        return np.log(counts / counts.sum()) - np.log(p_w)[:, None] - np.log(p_c)[None, :]


def right_marginals(counts, alpha):
    """For the answers whose mistake lies elsewhere."""
    c = counts.sum(axis=0) ** alpha
    return counts.sum(axis=1) / counts.sum(), c / c.sum()


def test_no_smoothing(capsys):
    out = failed_with(nb10.check_ppmi, lambda counts, alpha=0.75: ppmi_dense(counts, 1.0), capsys)
    assert "no context smoothing" in out


def test_alpha_ignored(capsys):
    def fixed(counts, alpha=0.75):
        return ppmi_dense(counts, 0.75)

    out = failed_with(nb10.check_ppmi, fixed, capsys)
    assert "ignores its `alpha` argument" in out


def test_pmi_without_max(capsys):
    def negatives_kept(counts, alpha=0.75):
        value = pmi(counts, *right_marginals(counts, alpha))
        return np.where(counts > 0, value, 0.0)  # zeros handled, but negatives kept

    out = failed_with(nb10.check_ppmi, negatives_kept, capsys)
    assert "negative entries: that is the PMI" in out and "max(PMI, 0)" in out


def test_log_of_zero_left_in(capsys):
    def with_inf(counts, alpha=0.75):
        return pmi(counts, *right_marginals(counts, alpha))  # -inf where the count is 0, no max

    out = failed_with(nb10.check_ppmi, with_inf, capsys)
    assert "-inf or nan where the count is 0: log(0) is -inf" in out


def test_nan_from_zero_times_log_zero(capsys):
    def with_nan(counts, alpha=0.75):
        with np.errstate(all="ignore"):
            return (counts > 0) * ppmi_dense(counts, alpha) * np.log(counts) / np.log(counts)

    out = failed_with(nb10.check_ppmi, with_nan, capsys)
    assert "-inf or nan" in out


def test_marginals_on_wrong_axes(capsys):
    def swapped(counts, alpha=0.75):
        p_w = counts.sum(axis=0) / counts.sum()  # column sums used for the words
        c = counts.sum(axis=1) ** alpha  # row sums used for the contexts
        return np.maximum(pmi(counts, p_w, c / c.sum()), 0)

    out = failed_with(nb10.check_ppmi, swapped, capsys)
    assert "the marginals are on the wrong axes: P(c) sums each row (axis=1)" in out


def test_smoothing_on_rows(capsys):
    def rows(counts, alpha=0.75):
        w = counts.sum(axis=1) ** alpha  # α on the word marginal instead of the context's
        return np.maximum(pmi(counts, w / w.sum(), counts.sum(axis=0) / counts.sum()), 0)

    out = failed_with(nb10.check_ppmi, rows, capsys)
    assert "the smoothing is on the words (rows)" in out


def test_counts_not_probabilities(capsys):
    def raw(counts, alpha=0.75):
        c = counts.sum(axis=0) ** alpha
        with np.errstate(divide="ignore"):
            value = np.log(counts / (counts.sum(axis=1)[:, None] * c[None, :]))
        return np.maximum(value, 0)

    out = failed_with(nb10.check_ppmi, raw, capsys)
    assert "counts where probabilities belong" in out


def test_smoothed_not_renormalised(capsys):
    def unnormalised(counts, alpha=0.75):
        p_w = counts.sum(axis=1) / counts.sum()
        p_c = (counts.sum(axis=0) / counts.sum()) ** alpha  # smoothed, never summed to 1 again
        return np.maximum(pmi(counts, p_w, p_c), 0)

    out = failed_with(nb10.check_ppmi, unnormalised, capsys)
    assert "does not sum to 1" in out


def test_transposed(capsys):
    out = failed_with(
        nb10.check_ppmi, lambda counts, alpha=0.75: ppmi_dense(counts, alpha).T, capsys
    )
    assert "transposed" in out


def test_missing_return(capsys):
    def forgot(counts, alpha=0.75):
        ppmi_dense(counts, alpha)

    out = failed_with(nb10.check_ppmi, forgot, capsys)
    assert "does not return it" in out


def test_broadcast_error_gets_an_axis_hint(capsys):
    def bad_shapes(counts, alpha=0.75):
        return counts[:, :4] / counts.sum(axis=1)[None, :]  # (5, 4) against (1, 5)

    out = failed_with(nb10.check_ppmi, bad_shapes, capsys)
    assert "raised ValueError" in out and "P(c) is a column, P_α(o) a row" in out


def test_counts_changed_in_place(capsys):
    def in_place(counts, alpha=0.75):
        answer = ppmi_dense(counts, alpha)
        counts /= counts.sum()
        return answer

    out = failed_with(nb10.check_ppmi, in_place, capsys)
    assert "changed the counts it was given" in out


def _hard_coded(counts, alpha=0.75):
    return ppmi_dense(nb10.COUNTS.copy(), alpha)  # the check's matrix, whatever is passed


@pytest.mark.parametrize(
    "wrong, message",
    [
        (
            lambda counts, alpha=0.75: ppmi_dense(counts, alpha) / np.log(2),
            "that is PPMI in bits (log base 2): PMI uses the natural log",
        ),
        (
            lambda counts, alpha=0.75: np.where(
                counts > 0, np.abs(pmi(counts, *right_marginals(counts, alpha))), 0.0
            ),
            "you took |PMI|: negative PMI becomes 0, not its absolute value",
        ),
        (_hard_coded, "right on the 5 × 5 matrix, but not on a random 4 × 6 one"),
        (
            lambda counts, alpha=0.75: max(0, pmi(counts, *right_marginals(counts, alpha))),
            "on arrays use np.minimum, np.maximum, np.where",
        ),
    ],
    ids=["log2", "abs", "hard-coded", "python max"],
)
def test_more_ppmi_mistakes(wrong, message, capsys):
    assert message in failed_with(nb10.check_ppmi, wrong, capsys)


#: The answer the shared harness (tests/test_checker.py) runs: passes; a stub is not done.
REFERENCE = {nb10.check_ppmi: ppmi_dense}
