"""kw2v.course.checker, the harness every check shares: the reference answers of every
notebook pass; an unfinished stub prints "not done yet" and raises nothing; a forgotten
``return`` or an exception is named; only plausible factors are called factors.

The reference answers (tests/test_checker_nbNN.py) are written as a student would write them,
independently of the checker's own internals, so a checker that compared an answer with itself
could not pass. Each notebook's wrong answers are tested in its own file.
"""

import numpy as np
import pytest
import test_checker_nb01
import test_checker_nb02
import test_checker_nb03
import test_checker_nb04
import test_checker_nb05
import test_checker_nb06
import test_checker_nb07
import test_checker_nb08
import test_checker_nb10
import test_checker_nb11
from checking import failed_with

from kw2v.course import checker
from kw2v.course.checker import compare

REFERENCE = {
    **test_checker_nb01.REFERENCE,
    **test_checker_nb02.REFERENCE,
    **test_checker_nb03.REFERENCE,
    **test_checker_nb04.REFERENCE,
    **test_checker_nb05.REFERENCE,
    **test_checker_nb06.REFERENCE,
    **test_checker_nb07.REFERENCE,
    **test_checker_nb08.REFERENCE,
    **test_checker_nb10.REFERENCE,
    **test_checker_nb11.REFERENCE,
}
IDS = [check.__name__ for check in REFERENCE]


def test_every_check_has_a_reference_answer():
    checks = {name for name in checker.__all__ if name.startswith("check_")}
    assert checks == set(IDS)


@pytest.mark.parametrize("check", REFERENCE, ids=IDS)
def test_reference_answer_passes(check, capsys):
    result = check(REFERENCE[check])
    out = capsys.readouterr().out
    assert result and result.status == "passed", out
    assert "✗" not in out and "✓" in out


@pytest.mark.parametrize("check", REFERENCE, ids=IDS)
def test_stub_is_not_done_yet_and_raises_nothing(check, capsys):
    def stub(*args):
        # YOUR CODE HERE
        raise NotImplementedError

    result = check(stub)
    assert result.status == "not done yet" and not result
    assert "not done yet" in capsys.readouterr().out


def test_a_stub_returning_none_is_not_done_yet(capsys):
    assert checker.check_softmax(lambda s: None).status == "not done yet"
    assert "not done yet" in capsys.readouterr().out


def test_an_exception_in_the_answer_is_reported_not_raised(capsys):
    out = failed_with(checker.check_softmax, lambda s: s / 0 + undefined_name, capsys)  # noqa: F821
    assert "your function raised NameError" in out


def test_a_forgotten_return_is_named_not_not_done_yet(capsys):
    def no_return(s):
        z = np.exp(s - s.max(axis=-1, keepdims=True))
        z / z.sum(axis=-1, keepdims=True)

    out = failed_with(checker.check_softmax, no_return, capsys)
    assert "your function returned None: it computes something but does not return it" in out
    assert "not done yet" not in out


def test_a_stub_with_only_a_docstring_and_pass_is_not_done_yet(capsys):
    def stub(e_c, Theta, o):
        """(dJ/de_c, dJ/dTheta) of J = -log P(o | c)."""
        # YOUR CODE HERE
        pass

    assert checker.check_softmax_gradients(stub).status == "not done yet"
    assert "not done yet" in capsys.readouterr().out


@pytest.mark.parametrize("factor", [2.0, 0.5, -3.0, 0.25, 1 / 7])
def test_a_plausible_factor_is_named(factor):
    assert compare.plausible_factor(factor)


@pytest.mark.parametrize("factor", [0.2896, 1.3, 0.7, 1.0, 0.0, float("nan")])
def test_an_arbitrary_ratio_is_not_a_factor(factor):
    assert not compare.plausible_factor(factor)


def _softmax_in_place(s):
    s -= s.max(axis=-1, keepdims=True)
    np.exp(s, out=s)
    s /= s.sum(axis=-1, keepdims=True)
    return s


def _glove_weight_in_place(x, x_max, alpha):
    x /= x_max
    return np.minimum(1.0, x**alpha)


def _softmax_axis_1(s):
    z = np.exp(s - s.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def _noise_in_place(counts):
    counts **= 3 / 4  # integer counts: raises
    return counts / counts.sum()


#: Answers that do something NumPy refuses or that harms the caller: the message for each.
SIDE_EFFECTS_AND_ERRORS = {
    "softmax in place": (checker.check_softmax, _softmax_in_place, "argument `s` in place"),
    "g(x) in place": (checker.check_glove_weight, _glove_weight_in_place, "argument `x` in place"),
    "axis 1 on a vector": (checker.check_softmax, _softmax_axis_1, "axis=-1 is the last axis"),
    "in-place on integers": (
        checker.check_noise_distribution,
        _noise_in_place,
        "the array holds integers",
    ),
}


@pytest.mark.parametrize(
    ("check", "answer", "message"), SIDE_EFFECTS_AND_ERRORS.values(), ids=SIDE_EFFECTS_AND_ERRORS
)
def test_side_effects_and_numpy_errors_are_named(check, answer, message, capsys):
    out = failed_with(check, answer, capsys)
    assert message in out
