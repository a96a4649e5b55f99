"""What a check prints and returns: shared by the notebook checkers of this folder (NumPy-free)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Result:
    """What a check found: ``status`` is "passed", "failed" or "not done yet"; true if passed."""

    name: str
    status: str
    messages: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.status == "passed"

    def __repr__(self) -> str:
        return f"{self.name}: {self.status}"

    def _ipython_display_(self) -> None:
        """Show nothing in a notebook: the check has printed its report already."""


def report(name: str, status: str, lines: list[tuple[bool, str]]) -> Result:
    """Print a check's verdict and its lines (✓ right, ✗ wrong); return them as a Result."""
    heading = {"passed": "all right", "failed": "not right yet"}.get(status, status)
    print(f"{name}: {heading}")
    for good, text in lines:
        print(f"  {'✓' if good else '✗'} {text}")
    return Result(name, status, [text for _, text in lines])


class Stop(Exception):
    """Raised by :func:`call` when the check is over: ``result`` is what the check returns."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.status)
        self.result = result


def call(name: str, fn: Callable, *args, hint: Callable[[Exception], str] = lambda err: ""):
    """Call the student's function; its output, or :class:`Stop` carrying the report.

    A stub (``NotImplementedError``) is "not done yet"; any other error and a ``None`` (a
    forgotten ``return``) fail with a message; ``hint(err)`` may add advice to an error.
    """
    try:
        out = fn(*args)
    except NotImplementedError:
        print(f"{name}: not done yet: fill in the function above, run its cell, then this one")
        raise Stop(Result(name, "not done yet", ["not done yet"])) from None
    except Exception as err:  # noqa: BLE001 -- any error in the student's code is reported
        message = f"your function raised {type(err).__name__}: {err}{hint(err)}"
        raise Stop(report(name, "failed", [(False, message)])) from None
    if out is None:
        message = "your function returned None: did you forget `return`?"
        raise Stop(report(name, "failed", [(False, message)]))
    return out
