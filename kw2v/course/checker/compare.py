"""Comparing a student's answer with the right one, and naming the mistake when they differ.

:func:`diagnose` is the heart of every check: it compares an answer with the right answer and
with known wrong variants (a negated gradient, a transposed matrix, a missing factor...) and
returns the message of the variant the answer equals, or a generic one. The other functions
turn what a student returned into arrays of the right shape, or fail saying what is off.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Fail, Report

__all__ = [
    "ATOL",
    "RTOL",
    "as_array",
    "as_scalar",
    "close",
    "diagnose",
    "fmt",
    "grade",
    "numerical_gradient",
    "plausible_factor",
    "sigmoid",
]

RTOL, ATOL = 1e-6, 1e-9  # float64 answers must match to about 6 significant digits


def as_array(value, shape: tuple[int, ...], what: str) -> np.ndarray:
    """``value`` as a float64 array of exactly ``shape``, or a Fail that says what is off."""
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Fail(f"{what}: a NumPy array expected, got {type(value).__name__}") from None
    if a.shape == shape:
        return a
    hint = ""
    if len(shape) == 2 and a.shape == shape[::-1]:
        hint = ": it is transposed"
    elif a.size == int(np.prod(shape)):
        hint = ": the right number of entries in the wrong shape (look at keepdims, reshape, ravel)"
    raise Fail(f"{what}: shape {shape} expected, got {a.shape}{hint}")


def as_scalar(value, what: str) -> float:
    a = np.asarray(value, dtype=np.float64) if value is not None else np.array([])
    if a.size != 1:
        raise Fail(f"{what}: a single number expected, got an array of shape {a.shape}")
    return float(a.reshape(()))


def close(a, b) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def plausible_factor(factor: float) -> bool:
    """True for a factor a slip in a formula gives: an integer N (a sum for a mean, a batch
    size, 2 from a derivative) or 1/N, either sign; not an arbitrary ratio such as 0.2896."""
    if not np.isfinite(factor) or abs(factor) < 1e-12:
        return False
    for n in (abs(factor), 1.0 / abs(factor)):
        if 1.5 < n < 10_000 and abs(n - round(n)) < 1e-6 * n:
            return True
    return False


def diagnose(
    answer: np.ndarray, expected: np.ndarray, variants, what: str, hint: str = ""
) -> str | None:
    """None when right; else the message of the first known wrong variant it equals, or a
    generic one: not finite, wrong sign, off by a plausible factor (see
    :func:`plausible_factor`), or wrong, with the largest difference and ``hint`` (what to
    check) when given."""
    if close(answer, expected):
        return None
    if not np.all(np.isfinite(answer)):
        return f"{what} contains nan or inf: something overflowed or divided by zero"
    for message, variant in variants:
        if close(answer, variant):
            return message
    if close(answer, -expected):
        return f"{what} has the wrong sign"
    norm = float(np.sum(expected * expected))
    if norm > 0:
        factor = float(np.sum(answer * expected)) / norm
        if plausible_factor(factor) and close(answer, factor * expected):
            return f"{what} is off by a factor of {factor:.4g}: a factor is missing or extra"
    diff = float(np.max(np.abs(answer - expected)))
    message = f"{what} is wrong (largest difference from the right answer {diff:.3g})"
    return f"{message}: check {hint}" if hint else message


def fmt(a) -> str:
    return np.array2string(np.asarray(a, dtype=np.float64), precision=3, floatmode="fixed")


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
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


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def grade(
    report: Report,
    value,
    expected: np.ndarray,
    variants,
    what: str,
    ok_text: str,
    hint: str = "",
) -> None:
    """One array-valued part of a check: shape, then :func:`diagnose`, then a report line."""
    got = as_array(value, expected.shape, what)
    report.verdict(diagnose(got, expected, variants, what, hint), ok_text)
