"""The grading machinery shared by every notebook's checks: reports and verdicts.

A check is a function ``body(report, fn)`` decorated with :func:`check`. The body calls the
student's function through :func:`call`, turns what it returned into arrays with
:func:`~kw2v.course.checker.compare.as_array` / ``as_scalar``, compares them with the right
answer through :func:`~kw2v.course.checker.compare.diagnose` (which names the first known
wrong variant the answer equals), and writes one line per part with ``report.ok`` /
``report.wrong`` / ``report.verdict`` (or :func:`~kw2v.course.checker.compare.grade`, which
does the three steps for one array). A mistake that makes the later parts pointless raises
:class:`Fail` with its message. The decorator prints the report, returns a
:class:`CheckResult`, and never raises, so a notebook with open exercises runs to the end.

How an answer is classified:

* an untouched stub (its body only raises ``NotImplementedError``, or does nothing and returns
  ``None``) is "not done yet";
* a function with real code that returns ``None`` is told it forgot ``return``;
* any other exception is reported as "your function raised ...", with advice for the
  NumPy errors students meet most (:data:`ERROR_HINTS`);
* a function that changes an array it was given fails (the caller's data would change
  too), unless the check says it works in place (an SGD step).

To add the checks of a notebook NN, write ``kw2v/course/checker/nbNN.py`` with its
``@check``-decorated ``check_*`` functions (each one's docstring says "Introduced in notebook
NN"; wrong variants and messages via :mod:`kw2v.course.checker.compare`), re-export them in
``kw2v/course/checker/__init__.py``, and test each typical wrong answer with its message in
``tests/test_checker_nbNN.py``, whose ``REFERENCE`` answers the shared harness
(``tests/test_checker.py``) runs.
"""

from __future__ import annotations

import dis
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "FORGOT_RETURN",
    "CheckResult",
    "Fail",
    "NotDone",
    "Report",
    "call",
    "check",
    "is_stub",
    "error_hint",
    "print_report",
]


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
        return print_report(name, "failed" if report.failed else "passed", report.lines)

    del run.__wrapped__  # help() shows check_x(fn), not the body's (report, fn)
    return run


def print_report(name: str, status: str, lines: list[tuple[bool, str]]) -> CheckResult:
    """Print a check's verdict and its lines (✓ right, ✗ wrong); return them as a result."""
    print(f"{name}: {'all right' if status == 'passed' else 'not right yet'}")
    for good, text in lines:
        print(f"  {'✓' if good else '✗'} {text}")
    return CheckResult(name, status, [text for _, text in lines])


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


#: Advice for errors students meet often: (a piece of the message, the advice).
ERROR_HINTS = [
    (
        "could not be broadcast",
        " (shapes that do not line up: a sum or norm over one axis drops that axis; keep it "
        "with keepdims=True, or index with [:, None], so each row is divided by its own)",
    ),
    (
        "truth value of an array",
        " (Python's min, max, `if` and `and` work on one number: on arrays use np.minimum, "
        "np.maximum, np.where)",
    ),
    (
        "mismatch in its core dimension",
        " (the inner sizes of a matrix product must agree: a table has one row per word, "
        "V × d, so the scores are Θ @ e_c; is a matrix transposed?)",
    ),
    (
        "out of bounds for array of dimension",
        " (axis=-1 is the last axis whatever the number of dimensions: one function then serves "
        "a vector and a batch)",
    ),
    (
        "Cannot cast ufunc",
        " (the array holds integers, which an in-place /= cannot turn into fractions: compute a "
        "new array, x = x / ..., which the caller's array is safe from too)",
    ),
    (
        "must be fully-defined",
        " (a Dense layer needs a known last axis: reshape the (batch, N) scores to "
        "(batch, n, 1) first, layers.Reshape((-1, 1)))",
    ),
    (
        "is not in the vocabulary",
        " (skip the tokens the vectors do not know: keep only those with `t in wv`)",
    ),
]


def error_hint(err: Exception) -> str:
    """Advice for a common error raised in the student's code, or ``""``."""
    return next((hint for text, hint in ERROR_HINTS if text in str(err)), "")


def call(
    fn: Callable,
    *args,
    none_ok: bool = False,
    in_place: bool = False,
    hint: Callable[[Exception], str] = lambda err: "",
):
    """Call the student's function: a stub becomes :class:`NotDone`, any error a :class:`Fail`.

    A ``None`` result is "not done yet" from a stub and "you forgot ``return``" from a
    function with code in it, unless ``none_ok``. A function that changes an array it was
    given fails, unless ``in_place`` (an update step, whose job that is). ``hint(err)`` may
    give advice for an error in place of :func:`error_hint`'s.
    """
    before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else None for a in args]
    try:
        out = fn(*args)
    except NotImplementedError:
        raise NotDone from None
    except Exception as err:  # noqa: BLE001 -- any error in the student's code is reported
        advice = hint(err) or error_hint(err)
        raise Fail(f"your function raised {type(err).__name__}: {err}{advice}") from None
    if out is None and is_stub(fn):
        raise NotDone
    if out is None and not none_ok:
        raise Fail(FORGOT_RETURN)
    changed = [
        i
        for i, (a, b) in enumerate(zip(args, before, strict=True))
        if b is not None and not _same(a, b)
    ]
    if changed and not in_place:
        raise Fail(
            f"your function changed its argument `{_parameter(fn, changed[0])}` in place, so the "
            "caller's array changes too: work on a new array (x = x - ..., not x -= ...; "
            "or x.copy() first)"
        )
    return out


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def _parameter(fn: Callable, i: int) -> str:
    """The name of ``fn``'s ``i``-th parameter, for a message."""
    try:
        return list(inspect.signature(fn).parameters)[i]
    except (TypeError, ValueError, IndexError):
        return f"number {i + 1}"
