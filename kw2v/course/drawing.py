"""The drawing kit of the course's diagrams: one palette, one style, boxes, arrows and text.

The diagrams (:mod:`kw2v.course.diagrams`, :mod:`kw2v.course.network_diagrams`) draw on a
:func:`canvas` whose data coordinates are inches, so a box of width 1 is one inch wide in the
PNG. All figures share one palette (:data:`PALETTE`): orange for the target word, blue for
context words, green for the target embedding E, purple for the context embedding Θ, grey for
noise words and red for the expensive or learned-decision parts.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

DPI = 150

PALETTE: dict[str, str] = {
    "target": "#E07B39",  # the centre word
    "context": "#3A7DC9",  # a real context word
    "embedding": "#4C9F70",  # target (input) embedding E
    "output": "#8E63B5",  # context (output) embedding Θ, also written W'
    "noise": "#8C8C8C",  # negative samples, words outside the window
    "alert": "#C0392B",  # the bottleneck, the sigmoid decision
    "ink": "#222222",
    "muted": "#666666",
    "line": "#BBBBBB",
}

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "mathtext.fontset": "dejavusans",
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.edgecolor": PALETTE["muted"],
    "axes.labelcolor": PALETTE["ink"],
    "text.color": PALETTE["ink"],
    "xtick.color": PALETTE["ink"],
    "ytick.color": PALETTE["ink"],
    "axes.spines.top": False,
    "axes.spines.right": False,
}

EXAMPLE_WORDS = ("the", "quick", "brown", "fox", "jumped", "over", "lazy", "dog")


class DiagramFigure(Figure):
    """A Figure that Jupyter shows as a PNG even when pyplot was never imported.

    With the inline backend active, Jupyter uses its own figure printer instead; either way
    the figure shows once.
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, facecolor="white", bbox_inches="tight")
        return buffer.getvalue()


def styled(func: Callable[..., Figure]) -> Callable[..., Figure]:
    """Build the figure under the course style, whatever rcParams the notebook has set."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> Figure:
        with matplotlib.rc_context(STYLE):
            return func(*args, **kwargs)

    return wrapper


def tint(color: str, amount: float) -> tuple[float, float, float]:
    """Mix ``color`` (a :data:`PALETTE` key or a colour) with white; ``amount=1`` is white."""
    rgb = np.array(to_rgb(PALETTE.get(color, color)))
    return tuple(rgb + (1.0 - rgb) * amount)


def canvas(width: float, height: float) -> tuple[Figure, Axes]:
    """A blank figure whose data coordinates are inches, origin at the bottom left."""
    fig = DiagramFigure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def text(
    ax: Axes,
    x: float,
    y: float,
    s: str,
    size: float = 11,
    color: str = "ink",
    ha: str = "center",
    va: str = "center",
    bold: bool = False,
    **kwargs,
) -> None:
    """Text centred on ``(x, y)`` by default; ``color`` may be a :data:`PALETTE` key."""
    weight = "bold" if bold else "normal"
    color = PALETTE.get(color, color)
    ax.text(x, y, s, fontsize=size, color=color, ha=ha, va=va, weight=weight, **kwargs)


def text_width(fig: Figure, s: str, size: float) -> float:
    """Width of ``s`` in inches once drawn."""
    t = fig.text(0, 0, s, fontsize=size)
    width = t.get_window_extent(fig.canvas.get_renderer()).width / fig.dpi
    t.remove()
    return width


def box(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    face: str | tuple = "white",
    edge: str = "ink",
    lw: float = 1.2,
    radius: float = 0.0,
    **kwargs,
) -> None:
    """A rectangle (rounded when ``radius > 0``) with its lower-left corner at ``(x, y)``."""
    style = f"round,pad=0,rounding_size={radius}" if radius else "square,pad=0"
    face, edge = PALETTE.get(face, face), PALETTE.get(edge, edge)
    kwargs.setdefault("zorder", 2)
    patch = FancyBboxPatch((x, y), w, h, boxstyle=style, fc=face, ec=edge, lw=lw, **kwargs)
    ax.add_patch(patch)


def arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    color: str = "ink",
    rad: float = 0.0,
) -> None:
    """An arrow from ``start`` to ``end``, bent by ``rad``."""
    props = {"arrowstyle": "-|>", "color": PALETTE.get(color, color), "lw": 1.5}
    props |= {"mutation_scale": 14, "shrinkA": 0, "shrinkB": 0}
    props["connectionstyle"] = f"arc3,rad={rad}"
    ax.annotate("", xy=end, xytext=start, arrowprops=props, zorder=3)


def title(ax: Axes, x: float, y: float, title: str, subtitle: str) -> None:
    """A bold title with a grey line under it, centred on ``x``, top at ``y``."""
    text(ax, x, y, title, size=15, va="top", bold=True)
    text(ax, x, y - 0.38, subtitle, color="muted", va="top")


def callout(
    ax: Axes,
    s: str,
    xy: tuple[float, float],
    xytext: tuple[float, float],
    color: str,
    size: float,
    linespacing: float,
    lw: float,
) -> None:
    """Text left-aligned at ``xytext`` with an arrow to ``xy``; ``color`` may be a
    :data:`PALETTE` key."""
    color = PALETTE.get(color, color)
    arrow = {"arrowstyle": "-|>", "color": color, "lw": lw}
    ax.annotate(
        s, xy=xy, xytext=xytext, ha="left", va="center", fontsize=size, color=color,
        linespacing=linespacing, arrowprops=arrow,
    )  # fmt: skip
