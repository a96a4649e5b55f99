"""What a check prints and returns: shared by the notebook checkers of this folder (NumPy-free)."""

from __future__ import annotations

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
