"""The course's explanatory diagrams, drawn with matplotlib.

Every diagram has a function that returns a :class:`matplotlib.figure.Figure`, so a notebook
shows it inline when the call is the last line of a cell. The figures are built without pyplot:
they need no display, never pile up in pyplot's list of open figures, and show once (not twice)
in Jupyter. ``python -m kw2v.diagrams --out images`` writes them all as PNG files.

All figures share one palette (:data:`PALETTE`): orange for the target word, blue for context
words, green for the target embedding E, purple for the context embedding Θ, grey for noise
words and red for the expensive or learned-decision parts.
"""

from __future__ import annotations

import argparse
import functools
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from kw2v.errors import Kw2vError
from kw2v.sampling import noise_distribution

__all__ = [
    "DIAGRAMS",
    "DPI",
    "PALETTE",
    "draw_embedding_lookup",
    "draw_negative_sampling_network",
    "draw_skipgram_window",
    "draw_softmax_network",
    "draw_unigram_noise",
    "main",
    "save_all",
]

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

_STYLE = {
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

_VOCAB = ("the", "quick", "brown", "fox", "jumped", "over", "lazy", "dog")


# --------------------------------------------------------------------------- drawing helpers


class _DiagramFigure(Figure):
    """A Figure that Jupyter shows as a PNG even when pyplot was never imported.

    With the inline backend active, Jupyter uses its own figure printer instead; either way
    the figure shows once.
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, facecolor="white", bbox_inches="tight")
        return buffer.getvalue()


def _styled(func: Callable[..., Figure]) -> Callable[..., Figure]:
    """Build the figure under the course style, whatever rcParams the notebook has set."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> Figure:
        with matplotlib.rc_context(_STYLE):
            return func(*args, **kwargs)

    return wrapper


def _tint(color: str, amount: float) -> tuple[float, float, float]:
    """Mix ``color`` (a :data:`PALETTE` key or a colour) with white; ``amount=1`` is white."""
    rgb = np.array(to_rgb(PALETTE.get(color, color)))
    return tuple(rgb + (1.0 - rgb) * amount)


def _canvas(width: float, height: float) -> tuple[Figure, Axes]:
    """A blank figure whose data coordinates are inches, origin at the bottom left."""
    fig = _DiagramFigure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _text(
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


def _text_width(fig: Figure, s: str, size: float) -> float:
    """Width of ``s`` in inches once drawn."""
    t = fig.text(0, 0, s, fontsize=size)
    width = t.get_window_extent(fig.canvas.get_renderer()).width / fig.dpi
    t.remove()
    return width


def _box(
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


def _arrow(
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


def _title(ax: Axes, x: float, y: float, title: str, subtitle: str) -> None:
    """A bold title with a grey line under it, centred on ``x``, top at ``y``."""
    _text(ax, x, y, title, size=15, va="top", bold=True)
    _text(ax, x, y - 0.38, subtitle, color="muted", va="top")


# --------------------------------------------------------------------------- 1. lookup


@_styled
def draw_embedding_lookup() -> Figure:
    """Draw ``e_c = Eᵀ x_c``: multiplying by a one-hot vector picks one row of E.

    E is the course's V × d table (docs/notation.md); the figure draws its transpose so that
    the vector comes out as a column. Shown in notebook 00.

    Returns
    -------
    matplotlib.figure.Figure
        The d × V matrix Eᵀ, the one-hot vector x_c and the column e_c they give.
    """
    vocab, c = _VOCAB, 3  # c: the word looked up, "fox"
    d, V = 4, len(vocab)
    emb = np.random.default_rng(7).normal(0.0, 0.5, size=(d, V)).round(1) + 0.0  # no "-0.0"
    s = 0.58  # cell size, inches
    fig, ax = _canvas(10.4, 7.0)
    pick = _tint("target", 0.72)

    def cell(x: float, y: float, value: str, face, picked: bool) -> None:
        _box(ax, x, y, s, s, face=face, edge="white", lw=1.5)
        _text(ax, x + s / 2, y + s / 2, value, size=9.5, bold=picked)

    def frame(x: float, y: float, h: float) -> None:
        _box(ax, x, y, s, h, face="none", edge="target", lw=2.5, zorder=4)

    def heading(x: float, y: float, s: str) -> None:
        _text(ax, x, y, s, size=14, va="bottom")

    def word(x: float, y: float, s: str, picked: bool, **kwargs) -> None:
        _text(ax, x, y, s, size=9.5, color="target" if picked else "muted", bold=picked, **kwargs)

    y_mid = 3.4
    # E transposed: d rows, one column per word
    ex, ey = 0.95, y_mid - d * s / 2
    for i in range(d):
        for j in range(V):
            face = pick if j == c else _tint("embedding", 0.85)
            cell(ex + j * s, ey + (d - 1 - i) * s, f"{emb[i, j]:.1f}", face, j == c)
    frame(ex + c * s, ey, d * s)
    for j, w in enumerate(vocab):
        word(ex + (j + 0.5) * s, ey - 0.12, w, j == c, va="top")
    _text(ax, ex + V * s / 2, ey - 0.5, f"one column per word  (V = {V})", 9.5, "muted", va="top")
    _text(ax, ex - 0.18, y_mid, f"d = {d} dimensions", 9.5, "muted", ha="right", rotation=90)
    heading(ex + V * s / 2, ey + d * s + 0.2, r"$\mathbf{E}^\top$   (d × V)")

    # times the one-hot vector
    _text(ax, ex + V * s + 0.42, y_mid, "×", size=24)
    ox, oy = ex + V * s + 0.85, y_mid - V * s / 2
    for j, w in enumerate(vocab):
        y = oy + (V - 1 - j) * s
        _box(ax, ox, y, s, s, face=pick if j == c else "white", edge="line", lw=1.0)
        _text(
            ax,
            ox + s / 2,
            y + s / 2,
            "1" if j == c else "0",
            10.5,
            bold=j == c,
            color="ink" if j == c else "muted",
        )
        word(ox + s + 0.1, y + s / 2, w, j == c, ha="left")
    frame(ox, oy + (V - 1 - c) * s, s)
    heading(ox + s / 2, oy + V * s + 0.2, r"$\mathbf{x}_c$   (V × 1)")

    # equals the column of the chosen word
    _text(ax, ox + s + 1.05, y_mid, "=", size=24)
    cx = ox + s + 1.5
    for i in range(d):
        cell(cx, ey + (d - 1 - i) * s, f"{emb[i, c]:.1f}", pick, True)
    frame(cx, ey, d * s)
    heading(cx + s / 2, ey + d * s + 0.2, r"$\mathbf{e}_c$   (d × 1)")
    word(cx + s / 2, ey - 0.12, f'"{vocab[c]}"', True, va="top")

    _title(
        ax,
        5.2,
        6.85,
        r"An embedding lookup is a matrix product:  $\mathbf{e}_c = "
        r"\mathbf{E}^\top\mathbf{x}_c$",
        "Multiplying by a one-hot vector keeps one column of Eᵀ (one row of E) "
        "and multiplies every other one by 0.",
    )
    _text(
        ax,
        5.2,
        0.35,
        "So no multiplication is needed: the lookup just reads row c of E.  "
        "(Keras' Embedding layer stores\nE itself, the V × d table, and reads row c — "
        "the same numbers.)",
        10.5,
        "muted",
        linespacing=1.5,
    )
    return fig


# --------------------------------------------------------------------------- 2. window


def _window_pairs(words: Sequence[str], target: int, window: int) -> list[tuple[str, str]]:
    """The (target, context) pairs for one target position."""
    lo, hi = max(0, target - window), min(len(words), target + window + 1)
    return [(words[target], words[j]) for j in range(lo, hi) if j != target]


@_styled
def draw_skipgram_window(
    sentence: str = "the quick brown fox jumped over the lazy dog",
    window: int = 2,
    targets: Sequence[int] = (0, 1, 2, 3),
) -> Figure:
    """Draw the skip-gram context window sliding along a sentence.

    Shown in notebook 01.

    Parameters
    ----------
    sentence : str
        Words separated by spaces.
    window : int
        How many words either side of the target count as context.
    targets : sequence of int
        The target positions, one row each.

    Returns
    -------
    matplotlib.figure.Figure
        One row per target: the target word, its context words, and the (target, context)
        pairs they give.

    Raises
    ------
    Kw2vError
        If the sentence is empty, ``window < 1`` or a target is not a position in the sentence.
    """
    words = sentence.split()
    if not words:
        raise Kw2vError("draw_skipgram_window: the sentence is empty; pass some words.")
    if window < 1:
        raise Kw2vError(f"draw_skipgram_window: window must be at least 1, got {window}.")
    if not targets or any(not 0 <= t < len(words) for t in targets):
        raise Kw2vError(
            f"draw_skipgram_window: targets must be positions 0..{len(words) - 1} in the "
            f"sentence, got {list(targets)}."
        )

    size, pair_size, box_h, gap = 12.5, 11, 0.46, 0.09
    probe, _ = _canvas(1, 1)
    widths = [_text_width(probe, w, size) + 0.24 for w in words]
    pairs = [[f"({a}, {b})" for a, b in _window_pairs(words, t, window)] for t in targets]
    per_line = 2
    n_lines = [max(1, -(-len(p) // per_line)) for p in pairs]
    col_w = max(_text_width(probe, p, pair_size) for row in pairs for p in row) + 0.25
    row_h = max(0.95, max(n_lines) * 0.3 + 0.35)
    left = 1.05
    sentence_w = sum(widths) + gap * (len(words) - 1)
    pairs_x = left + sentence_w + 0.55
    top = 1.55  # title and column headings
    width, height = pairs_x + per_line * col_w + 0.25, top + len(targets) * row_h + 1.0
    fig, ax = _canvas(width, height)
    xs = left + np.concatenate([[0.0], np.cumsum(np.array(widths) + gap)[:-1]])

    for r, t in enumerate(targets):
        yc = height - top - (r + 0.5) * row_h
        lo, hi = max(0, t - window), min(len(words), t + window + 1)
        # the window itself: a dashed frame around the target and its context
        x0, x1 = xs[lo] - 0.05, xs[hi - 1] + widths[hi - 1] + 0.05
        y0 = yc - box_h / 2 - 0.07
        _box(ax, x0, y0, x1 - x0, box_h + 0.14, "none", "muted", 1.0, 0.1, ls="--", zorder=1)
        for j, (w, x, bw) in enumerate(zip(words, xs, widths, strict=True)):
            if j == t:
                face, edge, color = "target", "target", "white"
            elif lo <= j < hi:
                face, edge, color = _tint("context", 0.75), "context", "ink"
            else:
                face, edge, color = "white", "line", "muted"
            _box(ax, x, yc - box_h / 2, bw, box_h, face, edge, lw=1.3, radius=0.07)
            _text(ax, x + bw / 2, yc - 0.01, w, size, color, bold=j == t)
        _text(ax, left - 0.2, yc, f"target {t}", 10, "muted", ha="right")
        for k, p in enumerate(pairs[r]):
            line, col = divmod(k, per_line)
            y = yc + (n_lines[r] - 1) * 0.15 - line * 0.3
            _text(ax, pairs_x + col * col_w, y, p, pair_size, ha="left")
        if r < len(targets) - 1:
            ax.plot([0.3, width - 0.3], [yc - row_h / 2] * 2, color="#EEEEEE", lw=1, zorder=0)

    head_y = height - top + 0.18
    _text(ax, left + sentence_w / 2, head_y, "sentence", 10.5, "muted", va="bottom")
    heading = "(target, context) training pairs"
    _text(ax, pairs_x, head_y, heading, 10.5, "muted", ha="left", va="bottom")
    ax.plot([pairs_x - 0.28] * 2, [0.85, height - top + 0.1], color="#DDDDDD", lw=1)
    _title(
        ax,
        width / 2,
        height - 0.15,
        f"Skip-gram: the context window (m = {window})",
        "The target slides one word at a time; every word within the window gives one "
        "training pair.",
    )
    legend = [
        ("target", "target", "target word"),
        (_tint("context", 0.75), "context", f"context: within {window} words either side"),
        ("white", "line", "outside the window"),
    ]
    x = left
    for face, edge, label in legend:
        _box(ax, x, 0.3, 0.3, 0.22, face, edge, lw=1.3, radius=0.04)
        _text(ax, x + 0.42, 0.41, label, 10.5, ha="left")
        x += 0.92 + _text_width(fig, label, 10.5)
    return fig


# --------------------------------------------------------------------------- 3. softmax


def _softmax(u: np.ndarray) -> np.ndarray:
    e = np.exp(u - u.max())
    return e / e.sum()


@_styled
def draw_softmax_network() -> Figure:
    """Draw skip-gram with a full softmax over the vocabulary, and why it is slow.

    Shown in notebook 01.

    Returns
    -------
    matplotlib.figure.Figure
        One-hot input x_c (V) → embedding E (d) → scores from Θ (V) → softmax →
        P(context | target), with the V-term denominator marked as the bottleneck.
    """
    vocab, c, o = _VOCAB, 3, 4  # target "fox", true context word "jumped"
    V, d = len(vocab), 3
    scores = np.array([0.9, 1.6, 1.7, -0.6, 2.3, 1.5, -0.2, 0.4])
    probs = _softmax(scores)
    fig, ax = _canvas(13.0, 8.6)
    step, r = 0.56, 0.19
    y_mid = 4.55
    ys_v = y_mid + ((V - 1) / 2 - np.arange(V)) * step
    ys_d = y_mid + ((d - 1) / 2 - np.arange(d)) * step
    x_in, x_h, x_u = 1.45, 4.05, 6.65

    # connections first, so that the nodes sit on top
    for j in range(V):
        for i in range(d):
            color, lw = (PALETTE["target"], 1.8) if j == c else ("#E4E4E4", 0.8)
            ax.plot([x_in, x_h], [ys_v[j], ys_d[i]], color=color, lw=lw, zorder=1)
            ax.plot([x_h, x_u], [ys_d[i], ys_v[j]], color=_tint("output", 0.45), lw=0.8, zorder=1)

    def node(x: float, y: float, face, edge: str) -> None:
        ax.add_patch(Circle((x, y), r, fc=face, ec=PALETTE.get(edge, edge), lw=1.2, zorder=2))

    for j, w in enumerate(vocab):
        on = j == c
        node(x_in, ys_v[j], PALETTE["target"] if on else "white", "target" if on else "line")
        _text(ax, x_in, ys_v[j], "1" if on else "0", 9.5, "white" if on else "muted", bold=on)
        color = "target" if on else "muted"
        _text(ax, x_in - r - 0.12, ys_v[j], w, 10.5, color, ha="right", bold=on)
        node(x_u, ys_v[j], _tint("output", 0.75), "output")
        _text(ax, x_u + r + 0.1, ys_v[j], f"{scores[j]:.1f}", 9.5, "muted", ha="left")
    for i in range(d):
        node(x_h, ys_d[i], _tint("embedding", 0.7), "embedding")

    # the softmax and the probabilities it gives
    sm_x = x_u + 0.85
    top_v, bot_v = ys_v[0] + step / 2, ys_v[-1] - step / 2
    _box(ax, sm_x, bot_v, 0.42, top_v - bot_v, _tint("alert", 0.85), "alert", 1.3, 0.08)
    _text(ax, sm_x + 0.21, y_mid, "softmax", 11, "alert", bold=True, rotation=90)
    bar_x, bar_scale = 9.8, 2.3
    for j, w in enumerate(vocab):
        true = j == o
        _text(
            ax, bar_x - 0.1, ys_v[j], w, 10.5, "context" if true else "ink", ha="right", bold=true
        )
        face = _tint("context", 0.3) if true else _tint("noise", 0.45)
        _box(ax, bar_x, ys_v[j] - 0.15, probs[j] * bar_scale, 0.3, face, "none", lw=0)
        end = bar_x + probs[j] * bar_scale + 0.08
        _text(ax, end, ys_v[j], f"{probs[j]:.2f}", 9.5, "muted", ha="left")
    ax.annotate(
        "true context word:\ntraining pushes its\nprobability up, and\nthe other V − 1 down",
        xy=(bar_x + probs[o] * bar_scale + 0.5, ys_v[o]),
        xytext=(bar_x + probs[o] * bar_scale + 0.8, ys_v[o]),
        ha="left",
        va="center",
        fontsize=9.5,
        color=PALETTE["context"],
        linespacing=1.3,
        arrowprops={"arrowstyle": "-|>", "color": PALETTE["context"], "lw": 1.2},
    )

    # column headings, and the weight matrices under the connections
    head_y = top_v + 0.3
    heads = [
        (x_in, "one-hot input", r"$\mathbf{x}_c$   (V)", "target"),
        (
            x_h,
            "hidden: linear, no activation",
            r"$\mathbf{e}_c = \mathbf{E}^{\top}\mathbf{x}_c$   (d)",
            "embedding",
        ),
        (x_u, "scores", r"$s_w = \theta_w^{\top}\mathbf{e}_c$   (V)", "output"),
        (bar_x + 0.4, "probabilities", r"$P(w \mid \mathrm{fox})$   (V)", "context"),
    ]
    for x, head, sub, color in heads:
        _text(ax, x, head_y + 0.36, head, 11.5, color, va="bottom", bold=True)
        _text(ax, x, head_y, sub, va="bottom")
    weights = [
        ((x_in + x_h) / 2, "$\\mathbf{E}$   (V × d)\ntarget embedding", "embedding"),
        ((x_h + x_u) / 2, "$\\Theta$   (V × d)\ncontext embedding", "output"),
    ]
    for x, label, color in weights:
        _text(ax, x, bot_v - 0.3, label, 10.5, color, va="top", linespacing=1.4)

    # the formula, and its expensive denominator
    fx, fy = 4.0, 1.0
    formula = (
        r"$P(o \mid c) = \dfrac{\exp(\theta_o^{\top}\mathbf{e}_c)}"
        r"{\sum_{w=1}^{V}\,\exp(\theta_w^{\top}\mathbf{e}_c)}$"
    )
    _text(ax, fx, fy, formula, 17)
    ax.annotate(
        "the denominator sums over all V words:\nV dot products for every training pair.\n"
        "With V ≈ 10⁵ – 10⁶ this is the bottleneck.",
        xy=(fx + 1.35, fy - 0.33),
        xytext=(fx + 2.35, fy - 0.3),
        ha="left",
        va="center",
        fontsize=10.5,
        color=PALETTE["alert"],
        linespacing=1.4,
        arrowprops={"arrowstyle": "-|>", "color": PALETTE["alert"], "lw": 1.3},
    )
    _title(
        ax,
        6.5,
        8.45,
        "Skip-gram with a full softmax",
        "Predict the context word from the target word by scoring every word in the "
        f"vocabulary (here V = {V}, d = {d}).",
    )
    return fig


# --------------------------------------------------------------------------- 4. negative sampling


@_styled
def draw_negative_sampling_network(k: int = 5) -> Figure:
    """Draw the two-input Keras model trained with negative sampling.

    Shown in notebooks 02 and 03.

    Parameters
    ----------
    k : int
        Negative samples per positive pair, 1 to 8.

    Returns
    -------
    matplotlib.figure.Figure
        ``target`` and ``context`` inputs, their Embedding layers, Dot, a sigmoid Dense layer
        and the labels ``[1, 0, ..., 0]``, with a note on sharing one embedding.

    Raises
    ------
    Kw2vError
        If ``k`` is outside 1..8 (more negatives do not fit the drawing).
    """
    if not 1 <= k <= 8:
        raise Kw2vError(f"draw_negative_sampling_network: k must be 1..8 to fit, got {k}.")
    n_ctx = 1 + k
    fig, ax = _canvas(13.6, 6.4)
    bh = 1.05  # layer box height
    y_t, y_c = 4.6, 2.15  # centres of the target and context rows
    y_m = (y_t + y_c) / 2
    cell = min(0.34, 2.1 / n_ctx)

    def layer(x: float, y: float, w: float, title: str, body: str, color: str) -> None:
        _box(ax, x, y - bh / 2, w, bh, _tint(color, 0.85), color, 1.5, 0.1)
        _text(ax, x + w / 2, y + 0.26, title, 11.5, bold=True)
        _text(ax, x + w / 2, y - 0.15, body, 10, linespacing=1.35)

    # inputs
    x0, w0 = 0.3, 2.4
    layer(x0, y_t, w0, 'Input  "target"', "shape ()\none word id", "target")
    layer(x0, y_c, w0, 'Input  "context"', f"shape (n,)\nn = 1 + k = {n_ctx} word ids", "context")
    _text(ax, x0 + w0 / 2, y_t + bh / 2 + 0.12, '"fox"', 11, "target", va="bottom", bold=True)
    # the context ids: 1 real context word and k negatives (at most 6 chips, then "+ n more")
    negatives = ["piano", "the", "seven", "ran", "blue", "of", "city", "green"][:k]
    chips = [("jumped", "context")] + [(w, "noise") for w in negatives]
    if len(chips) > 6:
        chips = chips[:5] + [(f"+ {len(chips) - 5} more", "noise")]
    chip_w, chip_gap, per_row = 0.76, 0.06, 3
    for i, (word, color) in enumerate(chips):
        row, col = divmod(i, per_row)
        x, y = x0 + col * (chip_w + chip_gap), y_c - bh / 2 - 0.5 - row * 0.38
        _box(ax, x, y, chip_w, 0.3, _tint(color, 0.8), color, 1.0, 0.05)
        _text(ax, x + chip_w / 2, y + 0.15, word, 9.5)
    note_y = y_c - bh / 2 - 0.5 - (len(chips) - 1) // per_row * 0.38 - 0.15
    note = f"1 real context word + k = {k} negatives\ndrawn from the noise distribution"
    _text(ax, x0, note_y, note, 9.5, "muted", ha="left", va="top", linespacing=1.3)

    # the two embedding tables
    x1, w1 = 3.25, 2.4
    layer(x1, y_t, w1, "Embedding", '"target_embedding"\n$\\mathbf{E}$: V × d', "embedding")
    layer(x1, y_c, w1, "Embedding", '"context_embedding"\n$\\Theta$: V × d', "output")
    for y in (y_t, y_c):
        _arrow(ax, (x0 + w0, y), (x1, y))

    # the vectors they look up, drawn as cells
    x2, dim = 6.25, 4
    x2_end = x2 + dim * cell
    for j in range(dim):
        _box(ax, x2 + j * cell, y_t - cell / 2, cell, cell, _tint("embedding", 0.55), "white")
    _text(ax, (x2 + x2_end) / 2, y_t + cell / 2 + 0.12, "vector (d)", 10, "muted", va="bottom")
    top = y_c + n_ctx * cell / 2
    for i in range(n_ctx):
        for j in range(dim):
            face = _tint("output", 0.55 if i == 0 else 0.8)
            _box(ax, x2 + j * cell, top - (i + 1) * cell, cell, cell, face, "white")
        ys = [top - (i + 1) * cell + 0.04, top - i * cell - 0.04]
        color = PALETTE["context"] if i == 0 else PALETTE["noise"]
        ax.plot([x2 - 0.08] * 2, ys, color=color, lw=3, solid_capstyle="butt")
    _text(ax, (x2 + x2_end) / 2, top + 0.12, f"vectors ({n_ctx} × d)", 10, "muted", va="bottom")
    _arrow(ax, (x1 + w1, y_t), (x2 - 0.12, y_t))
    _arrow(ax, (x1 + w1, y_c), (x2 - 0.15, y_c))

    # Dot -> Dense(sigmoid) -> labels
    x3, w3 = 8.25, 1.75
    layer(x3, y_m, w3, "Dot", f"axes=(1, 2)\n{n_ctx} scores " r"$\mathbf{e}\cdot\theta_j$", "ink")
    _arrow(ax, (x2_end + 0.08, y_t), (x3 + 0.35, y_m + bh / 2), rad=-0.25)
    _arrow(ax, (x2_end + 0.08, y_c), (x3 + 0.35, y_m - bh / 2), rad=0.25)
    x4, w4 = 10.55, 1.75
    layer(x4, y_m, w4, "Dense(1)", "sigmoid, per score\n→ P(real pair)", "alert")
    _arrow(ax, (x3 + w3, y_m), (x4, y_m))
    lab_x, lab_w = 12.85, 0.44
    lab_top = y_m + n_ctx * cell / 2
    for i in range(n_ctx):
        y = lab_top - (i + 1) * cell
        _box(ax, lab_x, y, lab_w, cell, _tint("context" if i == 0 else "noise", 0.75), "white")
        _text(ax, lab_x + lab_w / 2, y + cell / 2, "1" if i == 0 else "0", 10.5, bold=i == 0)
    _arrow(ax, (x4 + w4, y_m), (lab_x - 0.1, y_m))
    _text(ax, lab_x + lab_w / 2, lab_top + 0.12, "labels", 10.5, va="bottom", bold=True)
    loss = f"[{', '.join(['1'] + ['0'] * k)}]\nbinary cross-entropy"
    loss_y = y_m - n_ctx * cell / 2 - 0.25
    _text(ax, (x4 + lab_x + lab_w) / 2, loss_y, loss, 10, "muted", va="top", linespacing=1.4)

    # the shared-embedding option
    nx, ny, nw, nh = 8.25, 0.3, 5.05, 1.05
    _box(ax, nx, ny, nw, nh, "#F6F6F6", "line", 1.0, 0.08)
    option = (
        "Option: shared_embedding=True passes both inputs through\n"
        "one Embedding (Θ = E), as the classic Keras tutorial does.\n"
        "The default keeps two tables, as word2vec and gensim do;\n"
        "kw2v saves E + Θ as the word vectors."
    )
    _text(ax, nx + 0.2, ny + nh / 2, option, 9.5, ha="left", linespacing=1.35)
    _title(
        ax,
        6.8,
        6.25,
        "Skip-gram with negative sampling, as a two-input Keras model",
        f"Is (target, context) a real pair? One real and k = {k} noise words per target: "
        f"k + 1 = {n_ctx} dot products, not V.",
    )
    return fig


# --------------------------------------------------------------------------- 5. unigram noise


@_styled
def draw_unigram_noise(
    words: Sequence[str] = ("is", "Constitution", "bombastic"),
    freqs: Sequence[float] = (0.9, 0.09, 0.01),
    power: float = 0.75,
) -> Figure:
    """Compare a unigram distribution with the smoothed noise distribution ``p ** 0.75 / Z``.

    Shown in notebook 02. The right-hand bars come from
    :func:`kw2v.sampling.noise_distribution`, the distribution training draws negatives from.

    Parameters
    ----------
    words : sequence of str
        The words, one bar each.
    freqs : sequence of float
        Their frequencies; normalised to sum to 1.
    power : float
        The smoothing exponent.

    Returns
    -------
    matplotlib.figure.Figure
        Two bar charts side by side, annotated with ``p ** power`` before normalising, the
        normaliser Z and the factor by which each word's probability changes.

    Raises
    ------
    Kw2vError
        If ``words`` and ``freqs`` differ in length, or ``freqs`` is not valid.
    """
    if len(words) != len(freqs):
        raise Kw2vError(
            f"draw_unigram_noise: {len(words)} words but {len(freqs)} frequencies; "
            "pass one frequency per word."
        )
    p = np.asarray(freqs, dtype=np.float64)
    if p.size == 0 or (p < 0).any() or not p.sum() > 0:
        raise Kw2vError(
            "draw_unigram_noise: frequencies must be non-negative and not all zero, "
            f"got {p.tolist()}."
        )
    p = p / p.sum()
    raised = p**power  # the worked example's numbers before normalising
    noise = noise_distribution(p, power)  # the distribution kw2v samples negatives from
    fig = _DiagramFigure(figsize=(11.0, 5.6), dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2, sharey=True)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.78, bottom=0.21, wspace=0.12)
    xs = np.arange(len(words))
    panels = [
        (p, "context", "unigram distribution  $p(w)$"),
        (noise, "output", f"noise distribution  $p(w)^{{{power:g}}}\\,/\\,Z$"),
    ]
    for ax, (values, color, title) in zip(axes, panels, strict=True):
        ax.bar(xs, values, width=0.6, color=_tint(color, 0.25), edgecolor=PALETTE[color], lw=1.2)
        ax.set_xticks(xs, list(words), fontsize=11.5)
        ax.set_title(title, fontsize=13, pad=12)
        ax.set_ylim(0, 1.12)
        ax.tick_params(axis="x", length=0)
        ax.grid(axis="y", color="#EEEEEE", lw=1)
        ax.set_axisbelow(True)
        for x, v in zip(xs, values, strict=True):
            _text(ax, x, v + 0.025, f"{v:.2g}", 12, color, va="bottom", bold=True)
    axes[0].set_ylabel("probability of being drawn as a negative", fontsize=11)
    below = axes[1].get_xaxis_transform()  # x in data, y in axes fraction
    for x, (pi, ri, ni) in enumerate(zip(p, raised, noise, strict=True)):
        _text(
            axes[1],
            x,
            ni + 0.11,
            f"{pi:.2g}$^{{{power:g}}}$ = {ri:.2g}",
            10.5,
            "muted",
            va="bottom",
        )
        factor = ni / pi
        color = "alert" if factor > 1 else "muted"
        _text(
            axes[1], x, -0.12, f"× {factor:.2g}", 10.5, color, va="top", bold=True, transform=below
        )
    axes[1].set_xlabel(
        "× : noise probability ÷ unigram probability",
        fontsize=10,
        color=PALETTE["muted"],
        labelpad=26,
    )
    terms = " + ".join(f"{r:.2g}" for r in raised)
    axes[1].text(
        0.97,
        0.96,
        f"Z = {terms} = {raised.sum():.3g}",
        transform=axes[1].transAxes,
        ha="right",
        va="top",
        fontsize=10.5,
        color=PALETTE["muted"],
        bbox={"boxstyle": "round,pad=0.4", "fc": "#F6F6F6", "ec": PALETTE["line"]},
    )
    title = f"Raising frequencies to the power {power:g} flattens the noise distribution"
    fig.suptitle(title, fontsize=15, weight="bold", y=0.97)
    subtitle = "Rare words are drawn as negatives more often, frequent words a little less often."
    fig.text(0.5, 0.875, subtitle, ha="center", fontsize=11, color=PALETTE["muted"])
    return fig


# --------------------------------------------------------------------------- saving and CLI

DIAGRAMS: dict[str, Callable[[], Figure]] = {
    "embedding_lookup": draw_embedding_lookup,
    "skipgram_window": draw_skipgram_window,
    "softmax_network": draw_softmax_network,
    "negative_sampling_network": draw_negative_sampling_network,
    "unigram_noise": draw_unigram_noise,
}


def save_all(out_dir: str | Path = "images") -> list[Path]:
    """Draw every diagram in :data:`DIAGRAMS` and write it as ``<out_dir>/<name>.png``.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        The folder to write to; created if missing.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of :data:`DIAGRAMS`.

    Raises
    ------
    Kw2vError
        If ``out_dir`` cannot be created or written to.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        msg = f"cannot create the folder {out}: {err.strerror}; pass another --out."
        raise Kw2vError(msg) from err
    paths = []
    for name, draw in DIAGRAMS.items():
        path = out / f"{name}.png"
        try:
            draw().savefig(path, dpi=DPI, facecolor="white", bbox_inches="tight", pad_inches=0.15)
        except OSError as err:
            raise Kw2vError(f"cannot write {path}: {err.strerror}; pass another --out.") from err
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Write every course diagram: ``python -m kw2v.diagrams [--out images]``.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        0 on success, 2 when the output folder cannot be written.
    """
    parser = argparse.ArgumentParser(
        prog="python -m kw2v.diagrams", description="Draw the course diagrams as PNG files."
    )
    parser.add_argument("--out", default="images", help="folder to write to (default: images)")
    args = parser.parse_args(argv)
    try:
        paths = save_all(args.out)
    except Kw2vError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
