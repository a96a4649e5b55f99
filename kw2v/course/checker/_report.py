"""The report-and-stop style of the checks of notebooks 10 and 11, on :mod:`grading`'s results."""

from __future__ import annotations

from collections.abc import Callable

from .grading import FORGOT_RETURN, CheckResult, error_hint, is_stub, print_report

#: What a check returns (the shared :class:`~kw2v.course.checker.grading.CheckResult`).
Result = CheckResult


#: Print a check's verdict and its lines; return them as a :data:`Result`.
report = print_report


class Stop(Exception):
    """Raised by :func:`call` when the check is over: ``result`` is what the check returns."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.status)
        self.result = result


def call(name: str, fn: Callable, *args, hint: Callable[[Exception], str] = lambda err: ""):
    """Call the student's function; its output, or :class:`Stop` carrying the report.

    A stub (``NotImplementedError``) is "not done yet"; any other error and a ``None`` (a
    forgotten ``return``) fail with a message; ``hint(err)`` may add advice to an error
    (else :func:`~kw2v.course.checker.grading.error_hint` gives it for common errors).
    """
    try:
        out = fn(*args)
    except NotImplementedError:
        raise _not_done(name) from None
    except Exception as err:  # noqa: BLE001 -- any error in the student's code is reported
        message = f"your function raised {type(err).__name__}: {err}{hint(err) or error_hint(err)}"
        raise Stop(report(name, "failed", [(False, message)])) from None
    if out is None and is_stub(fn):
        raise _not_done(name)
    if out is None:
        raise Stop(report(name, "failed", [(False, FORGOT_RETURN)]))
    return out


def _not_done(name: str) -> Stop:
    print(f"{name}: not done yet: fill in the function above, run its cell, then this one")
    return Stop(Result(name, "not done yet", ["not done yet"]))
