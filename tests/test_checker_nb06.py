"""Notebook 06's check (kw2v.course.checker.nb06, CBOW's average and its gradient): the
reference answer passes, and each typical wrong answer fails with its message.
"""

import numpy as np
import pytest
from checking import failed_with

from kw2v.course import checker

# ---- reference answer (what the solution notebook fills in) -------------------------------


def cbow(E, context, grad_mean):
    real = context[context != 0]  # 0 is padding, not a word
    grad_E = np.zeros_like(E)
    np.add.at(grad_E, real, grad_mean / len(real))  # a repeated word gets both shares
    return E[real].mean(axis=0), grad_E


REFERENCE = {checker.check_cbow_mean_and_gradient: cbow}


# ---- wrong answers ------------------------------------------------------------------------


def with_mean(mean_of):
    def answer(E, context, g):
        return mean_of(E, context), cbow(E, context, g)[1]

    return answer


def with_grad(grad_of):
    def answer(E, context, g):
        return cbow(E, context, g)[0], grad_of(E, context, g)

    return answer


def fancy_index(E, context, g):
    real = context[context != 0]
    grad = np.zeros_like(E)
    grad[real] += g / len(real)  # a repeated row is written once
    return grad


def padding_gets_gradient(E, context, g):
    grad = np.zeros_like(E)
    real = np.count_nonzero(context)
    np.add.at(grad, context, g / real)
    return grad


#: Each typical mistake, by test id: (the wrong answer, what the checker must say about it).
CBOW_MISTAKES = {
    "sum": (
        with_mean(lambda E, c: E[c[c != 0]].sum(0)),
        "ē is the sum of the context vectors: 1/|C| is missing",
    ),
    "padding averaged": (
        with_mean(lambda E, c: E[c].mean(0)),
        "the padding (index 0) was averaged in as a word",
    ),
    "divided by 2m": (
        with_mean(lambda E, c: E[c[c != 0]].sum(0) / len(c)),
        "you divided by the window length 2m = 6, padding included",
    ),
    "unique words": (
        with_mean(lambda E, c: E[np.unique(c[c != 0])].mean(0)),
        "word 3 occurs twice in the window and counts twice in the mean",
    ),
    "grad 1/|C|": (
        with_grad(lambda E, c, g: cbow(E, c, g)[1] * np.count_nonzero(c)),
        "1/|C| is missing: each context word gets ∂J/∂ē / |C|",
    ),
    "fancy +=": (with_grad(fancy_index), "`grad[context] += ...` writes a repeated row once"),
    "padding gradient": (with_grad(padding_gets_gradient), "the padding row 0 got a gradient"),
    "first window's length": (
        lambda E, c, g: (E[c[:4]].mean(0), cbow(E, c[:4], g)[1]),
        "a full window of 8 words without padding gives a wrong ē or ∂J/∂E",
    ),
    "one row per slot": (
        with_grad(lambda E, c, g: cbow(E, c, g)[1][c[c != 0]]),
        "got (4, 3), one row per context slot: the gradient has E's shape",
    ),
}


@pytest.mark.parametrize(("wrong", "message"), CBOW_MISTAKES.values(), ids=CBOW_MISTAKES)
def test_cbow_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_cbow_mean_and_gradient, wrong, capsys)


def test_cbow_one_array_returned(capsys):
    out = failed_with(checker.check_cbow_mean_and_gradient, lambda E, c, g: E[c].mean(0), capsys)
    assert "return two arrays: (ē, ∂J/∂E)" in out
