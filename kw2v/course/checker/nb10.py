"""Checks for notebook 10 (counts, PPMI and SVD): the PPMI of a co-occurrence matrix.

``check_ppmi`` calls the student's ``ppmi(counts, alpha)`` on a small co-occurrence matrix
whose rows and columns have different totals (so a marginal on the wrong axis shows), prints
what is right and what is wrong in words, and returns a :class:`Result`, true when it passed.
Typical mistakes are named by comparing the answer with known wrong variants: no context
smoothing, the smoothing on the rows, PMI without the ``max(0, .)``, marginals on the wrong
axes, counts instead of probabilities, a smoothed distribution not renormalised, ``alpha``
ignored, ``log(0)`` left as ``-inf`` or ``nan``, log base 2 or 10, ``|PMI|``; a random 4 × 6
matrix then catches an answer written for the 5 × 5 one. Depends on NumPy only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kw2v.course.checker._report import Result, Stop, call, report

RTOL, ATOL = 1e-6, 1e-9


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


# A word x context count matrix, square but not symmetric: rows (words w) and columns
# (contexts c) have different totals, so a marginal on the wrong axis changes the answer;
# every row and column has a count, and some cells are 0.
COUNTS = np.array(
    [
        [10.0, 0.0, 3.0, 1.0, 0.0],
        [2.0, 8.0, 0.0, 0.0, 5.0],
        [0.0, 1.0, 20.0, 4.0, 2.0],
        [1.0, 0.0, 2.0, 6.0, 0.0],
        [6.0, 3.0, 0.0, 9.0, 1.0],
    ]
)


def _pmi(
    counts: np.ndarray,
    alpha: float = 0.75,
    *,
    row_alpha: float = 1.0,
    normalise_smoothed: bool = True,
    probabilities: bool = True,
    swap_axes: bool = False,
) -> np.ndarray:
    """PMI (not clipped) of ``counts`` with the variants the diagnosis needs; -inf where 0."""
    total = counts.sum() if probabilities else 1.0
    rows, cols = counts.sum(axis=1), counts.sum(axis=0)
    if swap_axes:  # the marginals computed along the wrong axes
        rows, cols = cols, rows
    p_w = rows**row_alpha
    p_w = p_w / p_w.sum() if probabilities else p_w
    p_c = cols**alpha
    if normalise_smoothed:
        p_c = p_c / p_c.sum() if probabilities else p_c
    else:
        p_c = (cols / cols.sum()) ** alpha
    with np.errstate(divide="ignore"):
        return np.log(counts / total) - np.log(p_w)[:, None] - np.log(p_c)[None, :]


def ppmi_reference(counts: np.ndarray, alpha: float = 0.75) -> np.ndarray:
    """The right answer: ``max(PMI_alpha, 0)``, 0 where the count is 0 (for the tests)."""
    return np.maximum(_pmi(np.asarray(counts, dtype=np.float64), alpha), 0.0)


def _broadcast_hint(err: Exception) -> str:
    if "broadcast" not in str(err):
        return ""
    return (
        " (do the marginals have the right shapes? P(c) is a column, P_α(o) a row: "
        "sum with keepdims=True, or index with [:, None] and [None, :])"
    )


def check_ppmi(ppmi: Callable) -> Result:
    """Check ``ppmi(counts, alpha)``: positive PMI with context-distribution smoothing.

    PPMI(c, o) = max(0, log P(c, o) / (P(c) P_alpha(o))), with P(c, o) = counts / total,
    P(c) the row sums over the total, P_alpha(o) = colsum^alpha / sum(colsum^alpha)
    (Levy, Goldberg and Dagan 2015), and 0 where the count is 0. Introduced in notebook 10.

    Parameters
    ----------
    ppmi : callable
        The student's ``ppmi(counts, alpha=0.75) -> ndarray`` of the same shape as counts.

    Returns
    -------
    Result
        True when every part passed; it has printed what it found.
    """
    name = "check_ppmi"
    lines: list[tuple[bool, str]] = []
    counts = COUNTS.copy()
    try:
        with np.errstate(all="ignore"):
            out = call(name, ppmi, counts, 0.75, hint=_broadcast_hint)
    except Stop as stop:
        return stop.result
    if not np.array_equal(counts, COUNTS):
        lines.append((False, "your function changed the counts it was given: work on a copy"))
    try:
        got = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        return report(
            name, "failed", [(False, f"a NumPy array expected, got {type(out).__name__}")]
        )
    if got.shape != COUNTS.shape:
        hint = ": it is transposed" if got.shape == COUNTS.shape[::-1] else ""
        return report(
            name,
            "failed",
            [
                (
                    False,
                    f"shape {COUNTS.shape} expected (one row per word, "
                    f"one column per context), got {got.shape}{hint}",
                )
            ],
        )
    expected = ppmi_reference(COUNTS)
    problem = _diagnose(got, expected)
    if problem is None:
        lines.append((True, "PPMI with α = 0.75 on a 5 × 5 count matrix: every entry right"))
        lines.append((True, "0 wherever the count is 0, no negative entries"))
        lines += _other_inputs(ppmi, expected)
    else:
        lines.append((False, problem))
    return report(name, "failed" if any(not ok for ok, _ in lines) else "passed", lines)


def _run(ppmi: Callable, counts: np.ndarray, alpha: float) -> np.ndarray | str:
    """The student's answer as an array, or the message of the error it raised."""
    try:
        with np.errstate(all="ignore"):
            return np.asarray(ppmi(counts.copy(), alpha), dtype=np.float64)
    except Exception as err:  # noqa: BLE001 -- any error in the student's code is reported
        return f"your function raised {type(err).__name__}: {err}"


def _other_inputs(ppmi: Callable, expected: np.ndarray) -> list[tuple[bool, str]]:
    """Lines for alpha = 1 and for a random rectangular matrix: an answer that ignores its
    arguments, or works only for the 5 × 5 matrix, fails here."""
    plain = _run(ppmi, COUNTS, 1.0)
    if isinstance(plain, str):
        line = (False, f"with alpha=1.0 {plain}")
    elif _close(plain, ppmi_reference(COUNTS, 1.0)):
        line = (True, "alpha = 1 gives the unsmoothed PPMI: the argument is used")
    elif _close(plain, expected):
        line = (
            False,
            "your function ignores its `alpha` argument (alpha=1.0 gave the α = 0.75 answer): "
            "use the argument, not a fixed 0.75",
        )
    else:
        line = (False, "with alpha=1.0 the answer is not the unsmoothed PPMI")
    counts = np.random.default_rng(10).integers(0, 6, size=(4, 6)).astype(np.float64)
    counts[:, 0] += 1  # every row has a count
    counts[0] += 1  # and every column
    got = _run(ppmi, counts, 0.75)
    if not isinstance(got, str) and _close(got, ppmi_reference(counts)):
        return [line, (True, "a random 4 × 6 count matrix: right too")]
    return [
        line,
        (
            False,
            "right on the 5 × 5 matrix, but not on a random 4 × 6 one"
            + (f": {got}" if isinstance(got, str) else "")
            + ". Compute everything from the `counts` argument: P(c) from its row sums, "
            "P_α(o) from its column sums, no sizes or numbers written in",
        ),
    ]


def _variants(expected: np.ndarray, unclipped: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """The named mistakes on :data:`COUNTS`: (message, the PPMI that mistake gives)."""
    zero = COUNTS == 0

    def clip(pmi: np.ndarray) -> np.ndarray:
        return np.maximum(pmi, 0.0)

    variants = [
        (
            "no context smoothing: raise the context (column) counts to α before normalising "
            "them, P_α(o) = #(o)^α / Σ #(o')^α",
            clip(_pmi(COUNTS, 1.0)),
        ),
        (
            "the smoothing is on the words (rows): α applies to the context distribution, the "
            "column sums",
            clip(_pmi(COUNTS, 1.0, row_alpha=0.75)),
        ),
        (
            "you smoothed both marginals: only the context distribution (the column sums) is "
            "raised to α",
            clip(_pmi(COUNTS, 0.75, row_alpha=0.75)),
        ),
        (
            "the smoothed context distribution does not sum to 1: raise the column *counts* to α "
            "and divide by their sum (not (#(o)/N)^α)",
            clip(_pmi(COUNTS, normalise_smoothed=False)),
        ),
        (
            "you used counts where probabilities belong: divide the joint counts and the "
            "marginals by their totals (PMI = log P(c, o) / (P(c) P_α(o)))",
            clip(_pmi(COUNTS, probabilities=False)),
        ),
    ]
    variants += [
        (
            f"that is PPMI in {unit}: PMI uses the natural log, np.log",
            expected / np.log(base),
        )
        for unit, base in (("bits (log base 2)", 2.0), ("log base 10", 10.0))
    ]
    variants.append(
        (
            "you took |PMI|: negative PMI becomes 0, not its absolute value (np.maximum(pmi, 0))",
            np.where(zero, 0.0, np.abs(unclipped)),
        )
    )
    variants.append(
        ("your answer is transposed: one row per word w, one column per context c", expected.T)
    )
    variants += [
        (
            "the marginals are on the wrong axes: P(c) sums each row (axis=1), P_α(o) each "
            "column (axis=0)",
            clip(_pmi(COUNTS, alpha, swap_axes=True)),
        )
        for alpha in (0.75, 1.0)
    ]
    return variants


def _diagnose(got: np.ndarray, expected: np.ndarray) -> str | None:
    """None when right; else a message naming the mistake."""
    if _close(got, expected):
        return None
    zero = COUNTS == 0
    if np.any(np.isnan(got)) or np.any(np.isinf(got)):
        where = "where the count is 0" if not np.all(np.isfinite(got[zero])) else "in some entries"
        return (
            f"your answer contains -inf or nan {where}: log(0) is -inf (and 0 · log 0 is nan); "
            "PPMI is 0 wherever the count is 0 (take np.maximum(pmi, 0), or compute the log "
            "only where counts > 0)"
        )
    unclipped = _pmi(COUNTS)
    if np.any(got < -ATOL):
        if _close(np.where(zero, 0.0, got), np.where(zero, 0.0, unclipped)):
            return (
                "your answer has negative entries: that is the PMI; PPMI keeps only the positive "
                "part, max(PMI, 0)"
            )
        return "your answer has negative entries: PPMI = max(PMI, 0) is never negative"
    for message, variant in _variants(expected, unclipped):
        if _close(got, variant):
            return message
    if np.any(got[zero] != 0):
        return "entries with count 0 must be 0 in the PPMI"
    diff = float(np.max(np.abs(got - expected)))
    return (
        f"your PPMI is wrong (largest difference from the right answer {diff:.3g}): check "
        "max(0, log P(c, o) − log P(c) − log P_α(o)), P(c, o) = #(c, o) / N, P(c) = #(c) / N, "
        "P_α(o) = #(o)^α / Σ #(o')^α"
    )
