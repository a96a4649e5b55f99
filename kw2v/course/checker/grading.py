"""The grading machinery shared by every notebook's checks: reports, verdicts, comparisons.

A check is a function ``body(report, fn)`` decorated with :func:`check`. The body calls the
student's function through :func:`call`, turns what it returned into arrays with
:func:`as_array` / :func:`as_scalar`, compares them with the right answer through
:func:`diagnose` (which names the first known wrong variant the answer equals), and writes one
line per part with ``report.ok`` / ``report.wrong`` / ``report.verdict``. A mistake that makes
the later parts pointless raises :class:`Fail` with its message. The decorator prints the
report, returns a :class:`CheckResult`, and never raises, so a notebook with open exercises
runs to the end.

How an answer is classified:

* an untouched stub (its body only raises ``NotImplementedError``, or does nothing and returns
  ``None``) is "not done yet";
* a function with real code that returns ``None`` is told it forgot ``return``;
* any other exception is reported as "your function raised ...".

To add the checks of a notebook NN, write ``kw2v/course/checker/nbNN.py`` with its
``@check``-decorated ``check_*`` functions (each one's docstring says "Introduced in notebook
NN"), and re-export them in ``kw2v/course/checker/__init__.py``.
"""

from __future__ import annotations

import dis
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "ATOL",
    "RTOL",
    "CheckResult",
    "Fail",
    "NotDone",
    "Report",
    "as_array",
    "as_scalar",
    "call",
    "check",
    "close",
    "diagnose",
    "FORGOT_RETURN",
    "is_stub",
    "plausible_factor",
    "fmt",
    "numerical_gradient",
    "sigmoid",
]

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


class NotDone(Exception):
    """The student's function is still the stub."""


class Fail(Exception):
    """A mistake that stops the check: later parts would only repeat it."""


class Report:
    """The lines of one check's report: (right?, text), printed by :func:`check`."""

    def __init__(self) -> None:
        self.lines: list[tuple[bool, str]] = []

    def ok(self, text: str) -> None:
        self.lines.append((True, text))

    def wrong(self, text: str) -> None:
        self.lines.append((False, text))

    def verdict(self, problem: str | None, ok_text: str) -> None:
        """One part's line: the problem :func:`diagnose` found, or what was right."""
        if problem:
            self.wrong(problem)
        else:
            self.ok(ok_text)

    @property
    def failed(self) -> bool:
        return any(not good for good, _ in self.lines)


def check(body: Callable) -> Callable:
    """Turn ``body(report, fn)`` into a checker that prints its findings and never raises."""

    @functools.wraps(body, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
    def run(fn: Callable) -> CheckResult:
        name = body.__name__
        report = Report()
        try:
            with np.errstate(all="ignore"):  # a student's overflow is diagnosed, not warned
                body(report, fn)
        except NotDone:
            message = "not done yet: fill in the function above, run its cell, then this one"
            print(f"{name}: {message}")
            return CheckResult(name, "not done yet", [message])
        except Fail as failure:
            report.wrong(str(failure))
        status = "failed" if report.failed else "passed"
        print(f"{name}: {'all right' if status == 'passed' else 'not right yet'}")
        for good, text in report.lines:
            print(f"  {'✓' if good else '✗'} {text}")
        return CheckResult(name, status, [text for _, text in report.lines])

    del run.__wrapped__  # help() shows check_x(fn), not the body's (report, fn)
    return run


def is_stub(fn: Callable) -> bool:
    """True when ``fn``'s body does nothing: ``pass``, ``...``, a docstring, ``return None``.

    Read from the bytecode, so it works for lambdas and for functions defined in a notebook.
    A stub that raises ``NotImplementedError`` is recognised when it is called (:func:`call`).
    """
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    trivial = {"RESUME", "NOP", "CACHE", "RETURN_VALUE", "RETURN_CONST", "LOAD_CONST"}
    instructions = list(dis.get_instructions(code))
    return all(
        i.opname in trivial and (i.opname not in ("LOAD_CONST", "RETURN_CONST") or i.argval is None)
        for i in instructions
    )


FORGOT_RETURN = (
    "your function returned None: it computes something but does not return it. "
    "End it with `return` and the result"
)


def call(fn: Callable, *args, none_ok: bool = False):
    """Call the student's function: a stub becomes :class:`NotDone`, any error a :class:`Fail`.

    A ``None`` result is "not done yet" from a stub and "you forgot ``return``" from a
    function with code in it, unless ``none_ok`` (the function may work in place).
    """
    try:
        out = fn(*args)
    except NotImplementedError:
        raise NotDone from None
    except Exception as err:  # noqa: BLE001 -- any error in the student's code is reported
        raise Fail(f"your function raised {type(err).__name__}: {err}") from None
    if out is None and is_stub(fn):
        raise NotDone
    if out is None and not none_ok:
        raise Fail(FORGOT_RETURN)
    return out


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
