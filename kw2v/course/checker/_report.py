"""The report-and-stop style of the checks of notebooks 10 and 11, on :mod:`grading`'s results."""

from __future__ import annotations

from collections.abc import Callable

from . import grading
from .grading import CheckResult, Fail, NotDone, print_report

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
    """Call the student's function (:func:`~kw2v.course.checker.grading.call`); its output, or
    :class:`Stop` carrying the report.

    A stub is "not done yet"; an error (with ``hint(err)`` or the common errors' advice) and a
    forgotten ``return`` fail with a message. The checks of notebooks 10 and 11 report an
    argument changed in place themselves, as one line among the others.
    """
    try:
        return grading.call(fn, *args, in_place=True, hint=hint)
    except NotDone:
        raise _not_done(name) from None
    except Fail as fail:
        raise Stop(report(name, "failed", [(False, str(fail))])) from None


def _not_done(name: str) -> Stop:
    print(f"{name}: not done yet: fill in the function above, run its cell, then this one")
    return Stop(Result(name, "not done yet", ["not done yet"]))
