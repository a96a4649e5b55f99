"""Checks of notebook 06's "Your turn" exercise: CBOW's average of the context vectors and
its gradient, with padding.

The window holds padding (index 0, not a word) and one word twice, so each typical mistake
gives a different answer: a sum for the mean (1/|C| forgotten), the padding counted in the
mean or in |C|, a repeated word counted once, a gradient for the padding row, and
``grad[context] += ...``, which does not add up a repeated row. See
:mod:`kw2v.course.checker.grading` for the machinery.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .compare import as_array, diagnose
from .grading import Fail, Report, call, check

PAD = 0


def _answer(E: np.ndarray, context: np.ndarray, g: np.ndarray):
    real = context[context != PAD]
    mean = E[real].mean(axis=0)
    grad = np.zeros_like(E)
    np.add.at(grad, real, g / len(real))
    return mean, grad


@check
def check_cbow_mean_and_gradient(report: Report, cbow: Callable) -> None:
    """Check ``cbow(E, context, grad_mean)``: CBOW's ē and the gradient it sends back to E.

    ``context`` holds a window's word indices, padded with 0 (not a word); ``grad_mean`` is
    ∂J/∂ē. The answer is ``(ē, ∂J/∂E)``: ē the mean of the rows of the real context words
    (a repeated word counts each time), ∂J/∂E of E's shape with ∂J/∂ē / |C| added to the row
    of every real context word, once per occurrence. Introduced in notebook 06.

    Parameters
    ----------
    cbow : callable
        The student's ``cbow(E, context, grad_mean) -> (e_bar, grad_E)``; shapes (V, d),
        (2m,) and (d,) in, (d,) and (V, d) out.

    Returns
    -------
    CheckResult
    """
    rng = np.random.default_rng(7)
    V, d = 8, 3
    E = rng.normal(size=(V, d))  # row 0 is not zero: padding must be left out, not added
    context = np.array([3, 5, 3, 6, PAD, PAD])  # |C| = 4 real words, 3 twice, 2m = 6
    g = rng.normal(size=d)
    out = call(cbow, E.copy(), context.copy(), g.copy())
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise Fail("return two arrays: (ē, ∂J/∂E)")
    mean, grad = _answer(E, context, g)
    real = context[context != PAD]

    got = as_array(out[0], (d,), "ē")
    unique = np.unique(real)
    problem = diagnose(
        got,
        mean,
        [
            (
                "ē is the sum of the context vectors: 1/|C| is missing, take the mean",
                E[real].sum(0),
            ),
            (
                "the padding (index 0) was averaged in as a word: leave it out of the mean "
                "and of |C|",
                E[context].mean(0),
            ),
            (
                f"you divided by the window length 2m = {len(context)}, padding included: "
                f"|C| counts the real words only ({len(real)} here)",
                E[real].sum(0) / len(context),
            ),
            (
                "word 3 occurs twice in the window and counts twice in the mean: average over "
                "the occurrences, not over the distinct words",
                E[unique].mean(0),
            ),
        ],
        "ē",
        hint="ē = (1/|C|) Σ_{o ∈ C} e_o over the real (non-zero) context indices",
    )
    report.verdict(problem, f"ē is the mean of the {len(real)} real context vectors")

    if np.shape(out[1]) == (len(real), d) or np.shape(out[1]) == (len(context), d):
        raise Fail(
            f"∂J/∂E: shape ({V}, {d}) expected, got {np.shape(out[1])}, one row per context "
            "slot: the gradient has E's shape, one row per word of the vocabulary, zero except "
            "the context words' rows (np.zeros_like(E), then np.add.at)"
        )
    got = as_array(out[1], (V, d), "∂J/∂E")
    no_sum = np.zeros_like(E)
    for o in unique:
        no_sum[o] = g / len(real)  # grad[context] += g / |C|: a repeated row is written once
    padded = grad.copy()
    padded[PAD] += 2 * g / len(real)
    all_slots = np.zeros_like(E)
    np.add.at(all_slots, context, g / len(context))
    problem = diagnose(
        got,
        grad,
        [
            ("1/|C| is missing: each context word gets ∂J/∂ē / |C|", grad * len(real)),
            (
                "word 3 occurs twice, so its row gets ∂J/∂ē / |C| twice; `grad[context] += ...` "
                "writes a repeated row once: use np.add.at(grad, context, ...)",
                no_sum,
            ),
            ("the padding row 0 got a gradient: it is not a word, leave it out", padded),
            (
                f"you divided by 2m = {len(context)} and sent gradient to the padding: |C| "
                "counts the real words only, and row 0 gets nothing",
                all_slots,
            ),
            (
                f"you divided by 2m = {len(context)}: |C| counts the real words only",
                grad * len(real) / len(context),
            ),
        ],
        "∂J/∂E",
        hint="∂J/∂e_o = (1/|C|) ∂J/∂ē for each occurrence of o in the window, 0 elsewhere",
    )
    report.verdict(problem, "∂J/∂E: ∂J/∂ē / |C| per occurrence, nothing for the padding")
    if report.failed:
        return

    context = np.array([1, 2, 4, 7, 5, 6, 1, 2])  # a full window, no padding, another length
    out = call(cbow, E.copy(), context.copy(), g.copy())
    mean, grad = _answer(E, context, g)
    if not (np.allclose(out[0], mean) and np.allclose(out[1], grad)):
        raise Fail(
            "a full window of 8 words without padding gives a wrong ē or ∂J/∂E: is something "
            "written for the first window only (its length, where its padding is)? Find the "
            "real words with context != 0"
        )
    report.ok("a full window of 8 words without padding: right")
