"""The course's explanatory diagrams, drawn with matplotlib.

Every diagram has a function that returns a :class:`matplotlib.figure.Figure`, so a notebook
can show it inline by making the call the last line of a cell. The figures are built without
pyplot, so they need no display, never pile up in pyplot's list of open figures, and show once
(not twice) in Jupyter. ``python -m kw2v.diagrams --out images`` writes them all as PNG files.

All figures share one palette: orange for the target word, blue for context words, green for
the target (input) embedding, purple for the context (output) embedding, grey for noise words
and red for warnings.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

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
    "output": "#8E63B5",  # context (output) embedding theta / W'
    "noise": "#8C8C8C",  # negative samples, words outside the window
    "alert": "#C0392B",  # the expensive part
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


def _styled(func: Callable[..., Figure]) -> Callable[..., Figure]:
    """Build the figure under the course style, whatever rcParams the notebook has set."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> Figure:
        with matplotlib.rc_context(_STYLE):
            return func(*args, **kwargs)

    return wrapper


def _tint(color: str, amount: float) -> tuple[float, float, float]:
    """Mix ``color`` with white; ``amount=1`` is white."""
    rgb = np.array(to_rgb(color))
    return tuple(rgb + (1.0 - rgb) * amount)


def _canvas(width: float, height: float) -> tuple[Figure, Axes]:
    """A blank figure whose data coordinates are inches, origin at the bottom left."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _text_width(fig: Figure, text: str, fontsize: float, weight: str = "normal") -> float:
    """Width of ``text`` in inches once drawn."""
    t = fig.text(0, 0, text, fontsize=fontsize, weight=weight)
    width = t.get_window_extent(fig.canvas.get_renderer()).width / fig.dpi
    t.remove()
    return width


def _box(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    face: str | tuple = "white",
    edge: str = PALETTE["ink"],
    lw: float = 1.2,
    radius: float = 0.0,
    ls: str = "-",
    zorder: float = 2,
) -> FancyBboxPatch:
    """A rectangle (rounded when ``radius > 0``) with its lower-left corner at ``(x, y)``."""
    style = f"round,pad=0,rounding_size={radius}" if radius else "square,pad=0"
    patch = FancyBboxPatch(
        (x, y), w, h, boxstyle=style, facecolor=face, edgecolor=edge, lw=lw, ls=ls, zorder=zorder
    )
    ax.add_patch(patch)
    return patch


def _arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    color: str = PALETTE["ink"],
    lw: float = 1.5,
    rad: float = 0.0,
) -> None:
    """An arrow from ``start`` to ``end``."""
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>",
            "color": color,
            "lw": lw,
            "mutation_scale": 14,
            "shrinkA": 0,
            "shrinkB": 0,
            "connectionstyle": f"arc3,rad={rad}",
        },
        zorder=3,
    )


def _title(ax: Axes, x: float, y: float, title: str, subtitle: str = "") -> None:
    """A bold title with an optional grey line under it, centred on ``x``."""
    ax.text(x, y, title, ha="center", va="top", fontsize=15, weight="bold")
    if subtitle:
        ax.text(x, y - 0.36, subtitle, ha="center", va="top", fontsize=11, color=PALETTE["muted"])


# --------------------------------------------------------------------------- 1. lookup


@_styled
def draw_embedding_lookup() -> Figure:
    """Draw ``e_c = E · o_c``: multiplying by a one-hot vector picks one column of E.

    Shown in notebook 00.

    Returns
    -------
    matplotlib.figure.Figure
        The d × V matrix E, the one-hot vector o_c and the column e_c they give.
    """
    d, vocab, c = 4, _VOCAB, 3
    emb = np.random.default_rng(7).normal(0.0, 0.5, size=(d, len(vocab))).round(1) + 0.0
    s = 0.58  # cell size, inches
    fig, ax = _canvas(10.4, 7.0)
    hi, hi_face = PALETTE["target"], _tint(PALETTE["target"], 0.72)

    y_mid = 3.35
    # E: d rows x V columns
    ex, ey = 0.95, y_mid - d * s / 2
    for i in range(d):
        for j in range(len(vocab)):
            picked = j == c
            _box(
                ax,
                ex + j * s,
                ey + (d - 1 - i) * s,
                s,
                s,
                face=hi_face if picked else _tint(PALETTE["embedding"], 0.85),
                edge="white",
                lw=1.5,
            )
            ax.text(
                ex + (j + 0.5) * s,
                ey + (d - 0.5 - i) * s,
                f"{emb[i, j]:.1f}",
                ha="center",
                va="center",
                fontsize=9.5,
                weight="bold" if picked else "normal",
            )
    _box(ax, ex + c * s, ey, s, d * s, face="none", edge=hi, lw=2.5, zorder=4)
    for j, word in enumerate(vocab):
        picked = j == c
        ax.text(
            ex + (j + 0.5) * s,
            ey - 0.12,
            word,
            ha="center",
            va="top",
            fontsize=9.5,
            color=hi if picked else PALETTE["muted"],
            weight="bold" if picked else "normal",
        )
    ax.text(
        ex + len(vocab) * s / 2,
        ey - 0.48,
        "one column per word  (V = 8)",
        ha="center",
        va="top",
        fontsize=9.5,
        color=PALETTE["muted"],
    )
    ax.text(
        ex - 0.18,
        y_mid,
        "d = 4 dimensions",
        rotation=90,
        ha="right",
        va="center",
        fontsize=9.5,
        color=PALETTE["muted"],
    )
    ax.text(
        ex + len(vocab) * s / 2,
        ey + d * s + 0.2,
        r"$\mathbf{E}$   (d × V)",
        ha="center",
        va="bottom",
        fontsize=14,
    )

    # times the one-hot vector
    ax.text(ex + len(vocab) * s + 0.42, y_mid, "×", ha="center", va="center", fontsize=24)
    ox, oy = ex + len(vocab) * s + 0.85, y_mid - len(vocab) * s / 2
    for j, word in enumerate(vocab):
        picked = j == c
        y = oy + (len(vocab) - 1 - j) * s
        _box(ax, ox, y, s, s, face=hi_face if picked else "white", edge=PALETTE["line"], lw=1.0)
        ax.text(
            ox + s / 2,
            y + s / 2,
            "1" if picked else "0",
            ha="center",
            va="center",
            fontsize=10.5,
            weight="bold" if picked else "normal",
            color=PALETTE["ink"] if picked else PALETTE["muted"],
        )
        ax.text(
            ox + s + 0.1,
            y + s / 2,
            word,
            ha="left",
            va="center",
            fontsize=9.5,
            color=hi if picked else PALETTE["muted"],
            weight="bold" if picked else "normal",
        )
    _box(ax, ox, oy + (len(vocab) - 1 - c) * s, s, s, face="none", edge=hi, lw=2.5, zorder=4)
    ax.text(
        ox + s / 2,
        oy + len(vocab) * s + 0.2,
        r"$\mathbf{o}_c$   (V × 1)",
        ha="center",
        va="bottom",
        fontsize=14,
    )

    # equals the picked column
    ax.text(ox + s + 1.05, y_mid, "=", ha="center", va="center", fontsize=24)
    cx = ox + s + 1.5
    for i in range(d):
        _box(ax, cx, ey + (d - 1 - i) * s, s, s, face=hi_face, edge="white", lw=1.5)
        ax.text(
            cx + s / 2,
            ey + (d - 0.5 - i) * s,
            f"{emb[i, c]:.1f}",
            ha="center",
            va="center",
            fontsize=9.5,
            weight="bold",
        )
    _box(ax, cx, ey, s, d * s, face="none", edge=hi, lw=2.5, zorder=4)
    ax.text(
        cx + s / 2,
        ey + d * s + 0.2,
        r"$\mathbf{e}_c$   (d × 1)",
        ha="center",
        va="bottom",
        fontsize=14,
    )
    ax.text(
        cx + s / 2,
        ey - 0.12,
        f'"{vocab[c]}"',
        ha="center",
        va="top",
        fontsize=9.5,
        color=hi,
        weight="bold",
    )

    _title(
        ax,
        5.2,
        6.85,
        r"An embedding lookup is a matrix product:  $\mathbf{e}_c = "
        r"\mathbf{E}\,\mathbf{o}_c$",
        "Multiplying by a one-hot vector keeps one column of E and multiplies "
        "every other column by 0.",
    )
    ax.text(
        5.2,
        0.42,
        "So no multiplication is needed: the lookup just reads column c.  "
        "(Keras' Embedding layer stores\nthe transpose, a V × d table, and reads row c "
        "— the same numbers.)",
        ha="center",
        va="center",
        fontsize=10.5,
        color=PALETTE["muted"],
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
        If the sentence is empty, ``window < 1`` or a target position is outside the sentence.
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

    fs, pair_fs = 12.5, 11
    probe, _ = _canvas(1, 1)
    widths = [_text_width(probe, w, fs) + 0.24 for w in words]
    gap, row_h, box_h = 0.09, 0.95, 0.46
    sentence_w = sum(widths) + gap * (len(words) - 1)
    all_pairs = [_window_pairs(words, t, window) for t in targets]
    per_line = 2
    pair_strings = [[f"({a}, {b})" for a, b in pairs] for pairs in all_pairs]  # one string per pair
    col_w = max(_text_width(probe, p, pair_fs) for ps in pair_strings for p in ps) + 0.25
    left, pairs_x = 1.05, 1.05 + sentence_w + 0.55
    width = pairs_x + per_line * col_w + 0.25
    n_lines = [max(1, -(-len(ps) // per_line)) for ps in pair_strings]
    row_h = max(row_h, max(n_lines) * 0.3 + 0.35)
    top = 1.55
    height = top + len(targets) * row_h + 1.0
    fig, ax = _canvas(width, height)

    tgt, ctx = PALETTE["target"], PALETTE["context"]
    xs = np.concatenate([[left], left + np.cumsum(np.array(widths) + gap)[:-1]])
    for r, (t, ps) in enumerate(zip(targets, pair_strings, strict=True)):
        yc = height - top - (r + 0.5) * row_h
        lo, hi = max(0, t - window), min(len(words), t + window + 1)
        # the window itself: a dashed frame around target and context
        wx0, wx1 = xs[lo] - 0.05, xs[hi - 1] + widths[hi - 1] + 0.05
        _box(
            ax,
            wx0,
            yc - box_h / 2 - 0.07,
            wx1 - wx0,
            box_h + 0.14,
            face="none",
            edge=PALETTE["muted"],
            lw=1.0,
            ls="--",
            radius=0.1,
            zorder=1,
        )
        for j, (word, x, w) in enumerate(zip(words, xs, widths, strict=True)):
            if j == t:
                face, edge, color, weight = tgt, tgt, "white", "bold"
            elif lo <= j < hi:
                face, edge, color, weight = _tint(ctx, 0.75), ctx, PALETTE["ink"], "normal"
            else:
                face, edge, color, weight = "white", PALETTE["line"], PALETTE["muted"], "normal"
            _box(ax, x, yc - box_h / 2, w, box_h, face=face, edge=edge, lw=1.3, radius=0.07)
            ax.text(
                x + w / 2,
                yc - 0.01,
                word,
                ha="center",
                va="center",
                fontsize=fs,
                color=color,
                weight=weight,
            )
        ax.text(
            left - 0.2,
            yc,
            f"target {t}",
            ha="right",
            va="center",
            fontsize=10,
            color=PALETTE["muted"],
        )
        lines = n_lines[r]
        for k, p in enumerate(ps):
            line, col = divmod(k, per_line)
            py = yc + (lines - 1) * 0.15 - line * 0.3
            ax.text(pairs_x + col * col_w, py, p, ha="left", va="center", fontsize=pair_fs)
        if r < len(targets) - 1:
            ax.plot([0.3, width - 0.3], [yc - row_h / 2] * 2, color="#EEEEEE", lw=1, zorder=0)

    # headers, title, legend
    head_y = height - top + 0.18
    ax.text(
        left + sentence_w / 2,
        head_y,
        "sentence",
        ha="center",
        va="bottom",
        fontsize=10.5,
        color=PALETTE["muted"],
    )
    ax.text(
        pairs_x,
        head_y,
        "(target, context) training pairs",
        ha="left",
        va="bottom",
        fontsize=10.5,
        color=PALETTE["muted"],
    )
    ax.plot([pairs_x - 0.28] * 2, [0.85, height - top + 0.1], color="#DDDDDD", lw=1)
    _title(
        ax,
        width / 2,
        height - 0.15,
        f"Skip-gram: the context window (window = {window})",
        "The target slides one word at a time; every word within the window gives "
        "one training pair.",
    )
    legend = [
        (tgt, tgt, "target word"),
        (_tint(ctx, 0.75), ctx, f"context: within {window} words either side"),
        ("white", PALETTE["line"], "outside the window"),
    ]
    lx = left
    for face, edge, label in legend:
        _box(ax, lx, 0.3, 0.3, 0.22, face=face, edge=edge, lw=1.3, radius=0.04)
        ax.text(lx + 0.42, 0.41, label, ha="left", va="center", fontsize=10.5)
        lx += 0.42 + _text_width(fig, label, 10.5) + 0.5
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
        One-hot input (V) → embedding E (d) → scores from θ / W′ (V) → softmax →
        P(context | target), with the V-term denominator marked as the bottleneck.
    """
    vocab, c, o = _VOCAB, 3, 4  # target "fox", true context "jumped"
    V, d = len(vocab), 3
    scores = np.array([0.9, 1.6, 1.7, -0.6, 2.3, 1.5, -0.2, 0.4])
    probs = _softmax(scores)
    fig, ax = _canvas(12.0, 8.7)
    tgt, ctx, emb, out = (
        PALETTE["target"],
        PALETTE["context"],
        PALETTE["embedding"],
        PALETTE["output"],
    )
    step, r = 0.56, 0.19
    y_mid = 4.55
    ys_v = y_mid + (np.arange(V)[::-1] - (V - 1) / 2) * step
    ys_d = y_mid + (np.arange(d)[::-1] - (d - 1) / 2) * step
    x_in, x_h, x_u, x_p = 1.45, 4.05, 6.65, 9.05

    # connections first, so the nodes sit on top
    for j in range(V):
        for i in range(d):
            active = j == c
            ax.plot(
                [x_in, x_h],
                [ys_v[j], ys_d[i]],
                color=tgt if active else "#E4E4E4",
                lw=1.8 if active else 0.8,
                zorder=1,
            )
            ax.plot([x_h, x_u], [ys_d[i], ys_v[j]], color=_tint(out, 0.45), lw=0.8, zorder=1)

    for j, word in enumerate(vocab):
        active = j == c
        ax.add_patch(
            matplotlib.patches.Circle(
                (x_in, ys_v[j]),
                r,
                zorder=2,
                lw=1.2,
                facecolor=tgt if active else "white",
                edgecolor=tgt if active else PALETTE["line"],
            )
        )
        ax.text(
            x_in,
            ys_v[j],
            "1" if active else "0",
            ha="center",
            va="center",
            fontsize=9.5,
            color="white" if active else PALETTE["muted"],
            zorder=3,
            weight="bold" if active else "normal",
        )
        ax.text(
            x_in - r - 0.12,
            ys_v[j],
            word,
            ha="right",
            va="center",
            fontsize=10.5,
            color=tgt if active else PALETTE["muted"],
            weight="bold" if active else "normal",
        )
        ax.add_patch(
            matplotlib.patches.Circle(
                (x_u, ys_v[j]), r, zorder=2, lw=1.2, facecolor=_tint(out, 0.75), edgecolor=out
            )
        )
        ax.text(
            x_u + r + 0.1,
            ys_v[j],
            f"{scores[j]:.1f}",
            ha="left",
            va="center",
            fontsize=9.5,
            color=PALETTE["muted"],
        )
    for i in range(d):
        ax.add_patch(
            matplotlib.patches.Circle(
                (x_h, ys_d[i]), r, zorder=2, lw=1.2, facecolor=_tint(emb, 0.7), edgecolor=emb
            )
        )

    # softmax block and probability bars
    sm_x = x_u + 0.85
    top_v, bot_v = ys_v[0] + step / 2, ys_v[-1] - step / 2
    _box(
        ax,
        sm_x,
        bot_v,
        0.42,
        top_v - bot_v,
        face=_tint(PALETTE["alert"], 0.85),
        edge=PALETTE["alert"],
        lw=1.3,
        radius=0.08,
    )
    ax.text(
        sm_x + 0.21,
        y_mid,
        "softmax",
        rotation=90,
        ha="center",
        va="center",
        fontsize=11,
        color=PALETTE["alert"],
        weight="bold",
    )
    bar_x, bar_scale = x_p + 0.75, 2.6
    for j, word in enumerate(vocab):
        true = j == o
        color = ctx if true else PALETTE["noise"]
        ax.text(
            bar_x - 0.1,
            ys_v[j],
            word,
            ha="right",
            va="center",
            fontsize=10.5,
            color=ctx if true else PALETTE["ink"],
            weight="bold" if true else "normal",
        )
        _box(
            ax,
            bar_x,
            ys_v[j] - 0.15,
            probs[j] * bar_scale,
            0.3,
            face=_tint(color, 0.3 if true else 0.45),
            edge="none",
            lw=0,
        )
        ax.text(
            bar_x + probs[j] * bar_scale + 0.08,
            ys_v[j],
            f"{probs[j]:.2f}",
            ha="left",
            va="center",
            fontsize=9.5,
            color=PALETTE["muted"],
        )
    ax.annotate(
        "true context word:\ntraining pushes this up\nand all V − 1 others down",
        xy=(bar_x + probs[o] * bar_scale + 0.5, ys_v[o]),
        xytext=(bar_x + 0.95, ys_v[-1] - 0.95),
        ha="center",
        va="center",
        fontsize=9.5,
        color=ctx,
        linespacing=1.3,
        arrowprops={
            "arrowstyle": "-|>",
            "color": ctx,
            "lw": 1.2,
            "connectionstyle": "arc3,rad=0.35",
        },
    )

    # column headings
    head_y = top_v + 0.3
    heads = [
        (x_in, "one-hot input", r"$\mathbf{o}_c$   (V)", tgt),
        (x_h, "hidden = embedding", r"$\mathbf{e}_c = \mathbf{E}\,\mathbf{o}_c$   (d)", emb),
        (x_u, "scores", r"$u_w = \theta_w^{\top}\mathbf{e}_c$   (V)", out),
        (bar_x + 0.55, "probabilities", r"$P(w \mid \mathrm{fox})$   (V)", ctx),
    ]
    for x, head, sub, color in heads:
        ax.text(
            x,
            head_y + 0.36,
            head,
            ha="center",
            va="bottom",
            fontsize=11.5,
            weight="bold",
            color=color,
        )
        ax.text(x, head_y, sub, ha="center", va="bottom", fontsize=11)
    # weight labels under the connections
    wy = bot_v - 0.3
    ax.text(
        (x_in + x_h) / 2,
        wy,
        r"$\mathbf{E}$   (d × V)" "\ntarget embedding",
        ha="center",
        va="top",
        fontsize=10.5,
        color=emb,
        linespacing=1.4,
    )
    ax.text(
        (x_h + x_u) / 2,
        wy,
        r"$\theta$ / $W'$   (V × d)" "\ncontext embedding",
        ha="center",
        va="top",
        fontsize=10.5,
        color=out,
        linespacing=1.4,
    )

    # the formula and its bottleneck
    fx, fy = 4.0, 1.05
    ax.text(
        fx,
        fy,
        r"$P(o \mid c) = \dfrac{\exp(\theta_o^{\top}\mathbf{e}_c)}"
        r"{\sum_{w=1}^{V}\,\exp(\theta_w^{\top}\mathbf{e}_c)}$",
        ha="center",
        va="center",
        fontsize=17,
    )
    ax.annotate(
        "the denominator sums over all V words:\nV dot products for every "
        "training pair.\nWith V ≈ 10⁵ – 10⁶ this is the bottleneck.",
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
        6.0,
        8.55,
        "Skip-gram with a full softmax",
        "Predict the context word from the target word, scoring every word in the "
        "vocabulary (here V = 8, d = 3).",
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
    tgt, ctx, emb, out, noise = (
        PALETTE[n] for n in ("target", "context", "embedding", "output", "noise")
    )
    negatives = ["piano", "the", "seven", "ran", "blue", "of", "city", "green"][:k]
    fig, ax = _canvas(13.6, 7.0)
    bh = 1.05  # box height
    y_t, y_c = 4.6, 2.15  # row centres
    cell = 0.34

    def layer(x: float, y: float, w: float, title: str, body: str, color: str) -> None:
        _box(ax, x, y - bh / 2, w, bh, face=_tint(color, 0.85), edge=color, lw=1.5, radius=0.1)
        ax.text(
            x + w / 2,
            y + 0.2,
            title,
            ha="center",
            va="center",
            fontsize=11.5,
            weight="bold",
            color=PALETTE["ink"],
        )
        ax.text(
            x + w / 2, y - 0.2, body, ha="center", va="center", fontsize=10, color=PALETTE["ink"]
        )

    # inputs
    x0, w0 = 0.3, 2.35
    layer(x0, y_t, w0, 'Input  "target"', "shape ()  a word id", tgt)
    layer(x0, y_c, w0, 'Input  "context"', f"shape (1 + k,) = ({1 + k},)", ctx)
    ax.text(
        x0 + w0 / 2,
        y_t + bh / 2 + 0.12,
        '"fox"',
        ha="center",
        va="bottom",
        fontsize=11,
        color=tgt,
        weight="bold",
    )
    # the context ids: 1 positive + k negatives, as chips under the context input
    chip_w, chip_gap = 0.78, 0.06
    chips = [("jumped", ctx)] + [(w, noise) for w in negatives]
    n_per = 3
    for i, (word, color) in enumerate(chips):
        row, col = divmod(i, n_per)
        cx = x0 + col * (chip_w + chip_gap)
        cy = y_c - bh / 2 - 0.5 - row * 0.38
        _box(ax, cx, cy, chip_w, 0.3, face=_tint(color, 0.8), edge=color, lw=1.0, radius=0.05)
        ax.text(cx + chip_w / 2, cy + 0.15, word, ha="center", va="center", fontsize=9.5)
    n_rows = -(-len(chips) // n_per)
    ax.text(
        x0,
        y_c - bh / 2 - 0.5 - (n_rows - 1) * 0.38 - 0.15,
        f"1 real context word + k = {k} negatives\ndrawn from the noise distribution",
        ha="left",
        va="top",
        fontsize=9.5,
        color=PALETTE["muted"],
        linespacing=1.3,
    )

    # embeddings
    x1, w1 = 3.25, 2.4
    layer(x1, y_t, w1, "Embedding", r"$\mathbf{E}$: V × d   (target)", emb)
    layer(x1, y_c, w1, "Embedding", r"$\theta$: V × d   (context)", out)
    for y in (y_t, y_c):
        _arrow(ax, (x0 + w0, y), (x1, y))

    # looked-up vectors, drawn as cells
    x2, dim = 6.25, 4
    ax.text(
        x2 + dim * cell / 2,
        y_t + cell / 2 + 0.12,
        "vector (1 × d)",
        ha="center",
        va="bottom",
        fontsize=10,
        color=PALETTE["muted"],
    )
    for j in range(dim):
        _box(ax, x2 + j * cell, y_t - cell / 2, cell, cell, face=_tint(emb, 0.55), edge="white")
    n_ctx = 1 + k
    top = y_c + n_ctx * cell / 2
    for i in range(n_ctx):
        color = ctx if i == 0 else noise
        for j in range(dim):
            _box(
                ax,
                x2 + j * cell,
                top - (i + 1) * cell,
                cell,
                cell,
                face=_tint(out, 0.55) if i == 0 else _tint(out, 0.8),
                edge="white",
            )
        ax.plot(
            [x2 - 0.08] * 2,
            [top - (i + 1) * cell + 0.04, top - i * cell - 0.04],
            color=color,
            lw=3,
            solid_capstyle="butt",
        )
    ax.text(
        x2 + dim * cell / 2,
        top + 0.12,
        f"vectors ({n_ctx} × d)",
        ha="center",
        va="bottom",
        fontsize=10,
        color=PALETTE["muted"],
    )
    _arrow(ax, (x1 + w1, y_t), (x2 - 0.12, y_t))
    _arrow(ax, (x1 + w1, y_c), (x2 - 0.15, y_c))

    # dot, dense, labels
    x3, w3, y_m = 8.25, 1.75, (y_t + y_c) / 2
    layer(x3, y_m, w3, "Dot", f"{n_ctx} scores  " r"$\mathbf{e}\cdot\theta_j$", PALETTE["ink"])
    _arrow(ax, (x2 + dim * cell + 0.08, y_t), (x3 + 0.35, y_m + bh / 2), rad=-0.25)
    _arrow(ax, (x2 + dim * cell + 0.08, y_c), (x3 + 0.35, y_m - bh / 2), rad=0.25)
    x4, w4 = 10.55, 1.75
    layer(x4, y_m, w4, "Dense", "sigmoid  →  (0, 1)", PALETTE["alert"])
    _arrow(ax, (x3 + w3, y_m), (x4, y_m))
    lab_x = 12.85
    lab_top = y_m + n_ctx * cell / 2
    for i in range(n_ctx):
        color = ctx if i == 0 else noise
        y = lab_top - (i + 1) * cell
        _box(ax, lab_x, y, cell * 1.3, cell, face=_tint(color, 0.75), edge="white")
        ax.text(
            lab_x + cell * 0.65,
            y + cell / 2,
            "1" if i == 0 else "0",
            ha="center",
            va="center",
            fontsize=10.5,
            weight="bold" if i == 0 else "normal",
        )
    _arrow(ax, (x4 + w4, y_m), (lab_x - 0.1, y_m))
    ax.text(
        lab_x + cell * 0.65,
        lab_top + 0.12,
        "labels",
        ha="center",
        va="bottom",
        fontsize=10.5,
        weight="bold",
    )
    ax.text(
        (x4 + lab_x + cell * 1.3) / 2,
        y_m - n_ctx * cell / 2 - 0.25,
        f"[{', '.join(['1'] + ['0'] * k)}]\nbinary cross-entropy",
        ha="center",
        va="top",
        fontsize=10,
        color=PALETTE["muted"],
        linespacing=1.4,
    )

    # shared-embedding note
    nx, ny, nw, nh = 6.2, 0.3, 7.1, 0.95
    _box(ax, nx, ny, nw, nh, face="#F6F6F6", edge=PALETTE["line"], lw=1.0, radius=0.08)
    ax.text(
        nx + 0.2,
        ny + nh / 2,
        "Option: shared embedding. Pass both inputs through one "
        "Embedding layer (θ = E):\nhalf the parameters, but a word then scores high "
        "with itself. word2vec keeps\ntwo tables and uses E as the word vectors.",
        ha="left",
        va="center",
        fontsize=9.5,
        linespacing=1.35,
    )
    _title(
        ax,
        6.8,
        6.85,
        "Skip-gram with negative sampling, as a two-input Keras model",
        f"Is (target, context) a real pair? One positive and k = {k} noise words per "
        "target: k + 1 dot products, not V.",
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

    Shown in notebook 02.

    Parameters
    ----------
    words : sequence of str
        Labels of the bars.
    freqs : sequence of float
        Their unigram probabilities.
    power : float
        The smoothing exponent.

    Returns
    -------
    matplotlib.figure.Figure
        Two bar charts side by side, annotated with ``p ** power`` before normalising and the
        factor each word's sampling probability changes by.

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
    p = p / p.sum()
    raised, noise = np.asarray(p, dtype=np.float64) ** power, noise_distribution(p, power)
    z = raised.sum()
    fig = Figure(figsize=(11.0, 5.6), dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2, sharey=True)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.78, bottom=0.2, wspace=0.12)
    xs = np.arange(len(words))
    colors = [PALETTE["context"], PALETTE["output"]]
    titles = ["unigram distribution  $p(w)$", f"noise distribution  $p(w)^{{{power:g}}}\\,/\\,Z$"]
    for ax, values, color, title in zip(axes, (p, noise), colors, titles, strict=True):
        ax.bar(xs, values, width=0.6, color=_tint(color, 0.25), edgecolor=color, lw=1.2)
        ax.set_xticks(xs, list(words), fontsize=11.5)
        ax.set_title(title, fontsize=13, pad=12)
        ax.set_ylim(0, 1.12)
        ax.tick_params(axis="x", length=0)
        ax.grid(axis="y", color="#EEEEEE", lw=1)
        ax.set_axisbelow(True)
        for x, v in zip(xs, values, strict=True):
            ax.text(
                x,
                v + 0.025,
                f"{v:.2g}",
                ha="center",
                va="bottom",
                fontsize=12,
                weight="bold",
                color=color,
            )
    axes[0].set_ylabel("probability of being drawn as a negative", fontsize=11)
    for x, (pi, ri, ni) in enumerate(zip(p, raised, noise, strict=True)):
        axes[1].text(
            x,
            ni + 0.11,
            f"{pi:.2g}$^{{{power:g}}}$ = {ri:.2g}",
            ha="center",
            va="bottom",
            fontsize=10.5,
            color=PALETTE["muted"],
        )
        factor = ni / pi
        sign = PALETTE["alert"] if factor > 1 else PALETTE["muted"]
        axes[1].text(
            x,
            -0.2,
            f"× {factor:.2g}",
            ha="center",
            va="top",
            fontsize=10.5,
            color=sign,
            weight="bold",
            transform=axes[1].get_xaxis_transform(),
        )
    terms = " + ".join(f"{r:.2g}" for r in raised)
    axes[1].text(
        0.97,
        0.96,
        f"Z = {terms} = {z:.3g}",
        transform=axes[1].transAxes,
        ha="right",
        va="top",
        fontsize=10.5,
        color=PALETTE["muted"],
        bbox={"boxstyle": "round,pad=0.4", "fc": "#F6F6F6", "ec": PALETTE["line"]},
    )
    fig.text(
        0.06, 0.045, "× = change in probability", ha="left", fontsize=10, color=PALETTE["muted"]
    )
    fig.suptitle(
        f"Raising frequencies to the power {power:g} flattens the noise distribution",
        fontsize=15,
        weight="bold",
        y=0.97,
    )
    fig.text(
        0.5,
        0.875,
        "Rare words are drawn as negatives more often, frequent words a little less often.",
        ha="center",
        fontsize=11,
        color=PALETTE["muted"],
    )
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
        raise Kw2vError(
            f"cannot create the folder {out}: {err.strerror}; pass another --out."
        ) from None
    paths = []
    for name, draw in DIAGRAMS.items():
        path = out / f"{name}.png"
        try:
            draw().savefig(path, dpi=DPI, facecolor="white", bbox_inches="tight", pad_inches=0.15)
        except OSError as err:
            raise Kw2vError(f"cannot write {path}: {err.strerror}; pass another --out.") from None
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
