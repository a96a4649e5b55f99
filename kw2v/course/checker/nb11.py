"""Checks for notebook 11 (the limits of word vectors): projecting words on a direction.

``check_projection`` calls the student's ``projection(vectors, a, b)`` on small planted vectors
whose lengths all differ (so every missing normalisation changes the answer), prints what is
right and what is wrong in words, and returns a :class:`Result`, true when it passed. Typical
mistakes are named: the direction b - a instead of a - b, a direction that is not unit length,
word vectors that are not normalised (or normalised along the wrong axis), he and she
subtracted before they are normalised, a plain dot product, ``a`` and ``b`` ignored. Depends on
NumPy only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kw2v.course.checker._report import Result, Stop, call, report

RTOL, ATOL = 1e-6, 1e-9

# Six planted 4-d word vectors of different lengths; rows 0 and 1 play "he" and "she".
VECTORS = np.array(
    [
        [2.0, 0.5, 0.0, 1.0],
        [0.2, 1.5, 0.3, 0.9],
        [1.0, -0.5, 2.0, 0.0],
        [-0.3, 2.5, 0.4, 0.1],
        [0.7, 0.7, 0.7, 3.0],
        [4.0, 1.0, -1.0, 0.5],
    ]
)


#: The (a, b) rows the check asks for, in turn.
CASES = [(0, 1), (3, 5)]


def _unit_rows(m: np.ndarray) -> np.ndarray:
    return m / np.linalg.norm(m, axis=-1, keepdims=True)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def projection_reference(vectors: np.ndarray, a: int, b: int) -> np.ndarray:
    """The right answer: every row's cosine with the unit direction ê_he − ê_she (for tests)."""
    unit = _unit_rows(np.asarray(vectors, dtype=np.float64))
    return unit @ _unit(unit[a] - unit[b])


def _close(x: np.ndarray, y: np.ndarray) -> bool:
    return x.shape == y.shape and bool(np.allclose(x, y, rtol=RTOL, atol=ATOL))


def _diagnose(got: np.ndarray, vectors: np.ndarray, a: int, b: int) -> str | None:
    expected = projection_reference(vectors, a, b)
    if _close(got, expected):
        return None
    if not np.all(np.isfinite(got)):
        return "your answer contains nan or inf: did a norm come out as 0?"
    unit = _unit_rows(vectors)
    direction = unit[a] - unit[b]
    raw = vectors[a] - vectors[b]
    columns = vectors / np.linalg.norm(vectors, axis=0, keepdims=True)
    variants = [
        (
            "the sign is flipped: the direction is a − b (he − she), so that words nearer a "
            "get positive values",
            -expected,
        ),
        (
            "the direction is not unit length: divide ê_he − ê_she by its norm (a projection on a "
            "direction needs a unit vector)",
            unit @ direction,
        ),
        (
            "the word vectors are not normalised: divide each row by its norm, so the "
            "projection is a cosine and long (frequent) vectors do not score higher",
            vectors @ _unit(direction),
        ),
        (
            "you subtracted he and she before normalising them: normalise each first "
            "(ê_he − ê_she), or the longer of the two decides the direction",
            unit @ _unit(raw),
        ),
        (
            "neither the word vectors nor the direction are normalised: the projection is "
            "the cosine of each word with the unit direction",
            vectors @ raw,
        ),
        (
            "the word vectors, and a and b before their difference, are not normalised: "
            "divide each row by its norm first, then take ê_he − ê_she and scale it to length 1",
            vectors @ _unit(raw),
        ),
        *[
            (
                f"your function ignores `a` and `b`: it gives the answer for a = {a0}, "
                f"b = {b0} when asked for a = {a}, b = {b}",
                projection_reference(vectors, a0, b0),
            )
            for a0, b0 in CASES
            if (a0, b0) != (a, b)
        ],
        (
            "you normalised the columns (axis=0): each row is a word and must have length 1 "
            "(norm along axis=1, keepdims=True)",
            columns @ _unit(columns[a] - columns[b]),
        ),
    ]
    for message, variant in variants:
        if _close(got, variant):
            return message
    return (
        "your projection is wrong (largest difference from the right answer "
        f"{float(np.max(np.abs(got - expected))):.3g}): check that each row is scaled to "
        "length 1, the direction is ê_he − ê_she scaled to length 1, and the answer is one dot "
        "product per row (a cosine, no angle)"
    )


def check_projection(projection: Callable) -> Result:
    """Check ``projection(vectors, a, b)``: each word's cosine with the direction ê_he − ê_she.

    ê_he and ê_she are rows ``a`` and ``b`` of ``vectors`` scaled to length 1; the direction is
    their difference scaled to length 1; the answer is one number per row, the cosine of
    that row with the direction (Bolukbasi et al. 2016). Introduced in notebook 11.

    Parameters
    ----------
    projection : callable
        The student's ``projection(vectors, a, b) -> ndarray`` of shape ``(len(vectors),)``.

    Returns
    -------
    Result
        True when every part passed; it has printed what it found.
    """
    name = "check_projection"
    lines: list[tuple[bool, str]] = []
    for a, b in CASES:
        vectors = VECTORS.copy()
        try:
            with np.errstate(all="ignore"):
                out = call(name, projection, vectors, a, b)
        except Stop as stop:
            return stop.result
        if not np.array_equal(vectors, VECTORS):
            lines.append((False, "your function changed the vectors it was given: work on a copy"))
        got = np.asarray(out, dtype=np.float64)
        if got.shape != (len(VECTORS),):
            hint = (
                " (one number per word: a row of vectors times the direction)"
                if got.size != len(VECTORS)
                else ""
            )
            return report(
                name,
                "failed",
                [(False, f"shape ({len(VECTORS)},) expected, got {got.shape}{hint}")],
            )
        problem = _diagnose(got, VECTORS, a, b)
        if problem:
            lines.append((False, problem))
            break
        lines.append(
            (
                True,
                f"he = row {a}, she = row {b}: every word's cosine with the unit direction "
                "ê_he − ê_she is right",
            )
        )
    return report(name, "failed" if any(not ok for ok, _ in lines) else "passed", lines)
