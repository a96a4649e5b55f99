"""The course's explanatory diagrams, drawn with matplotlib.

Every diagram has a function that returns a :class:`matplotlib.figure.Figure`, so a notebook
shows it inline when the call is the last line of a cell. The figures are built without pyplot:
they need no display, never pile up in pyplot's list of open figures, and show once (not twice)
in Jupyter. ``python -m kw2v.course.diagrams --out images`` writes them all as PNG files.
The drawing kit (palette, style, boxes, arrows) is :mod:`kw2v.course.drawing`; the two network
diagrams live in :mod:`kw2v.course.network_diagrams`. :func:`plot_huffman_tree` draws a
:class:`~kw2v.hierarchical.HuffmanTree` (notebook 06).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from kw2v.course import drawing
from kw2v.course.network_diagrams import draw_negative_sampling_network, draw_softmax_network
from kw2v.errors import Kw2vError
from kw2v.sampling import noise_distribution

if TYPE_CHECKING:
    from kw2v.hierarchical import HuffmanTree

__all__ = [
    "DIAGRAMS",
    "draw_embedding_lookup",
    "draw_negative_sampling_network",
    "draw_skipgram_window",
    "draw_softmax_network",
    "draw_unigram_noise",
    "main",
    "plot_huffman_tree",
    "save_all",
]


# --------------------------------------------------------------------------- 1. lookup


@dataclass(frozen=True)
class _LookupGrid:
    """The cells, frames and labels of the lookup figure: cells of ``s`` inches on ``ax``."""

    ax: Axes
    s: float
    pick: tuple[float, float, float]

    def cell(self, x: float, y: float, value: str, face, picked: bool) -> None:
        drawing.box(self.ax, x, y, self.s, self.s, face=face, edge="white", lw=1.5)
        drawing.text(self.ax, x + self.s / 2, y + self.s / 2, value, size=9.5, bold=picked)

    def frame(self, x: float, y: float, h: float) -> None:
        drawing.box(self.ax, x, y, self.s, h, face="none", edge="target", lw=2.5, zorder=4)

    def heading(self, x: float, y: float, s: str) -> None:
        drawing.text(self.ax, x, y, s, size=14, va="bottom")

    def word(self, x: float, y: float, s: str, picked: bool, **kwargs) -> None:
        color = "target" if picked else "muted"
        drawing.text(self.ax, x, y, s, size=9.5, color=color, bold=picked, **kwargs)


def _lookup_table(g: _LookupGrid, emb: np.ndarray, c: int, ex: float, ey: float) -> None:
    """Eᵀ: d rows, one column per word, the looked-up column framed."""
    (d, V), s, y_mid = emb.shape, g.s, ey + emb.shape[0] * g.s / 2
    for i in range(d):
        for j in range(V):
            face = g.pick if j == c else drawing.tint("embedding", 0.85)
            g.cell(ex + j * s, ey + (d - 1 - i) * s, f"{emb[i, j]:.1f}", face, j == c)
    g.frame(ex + c * s, ey, d * s)
    for j, w in enumerate(drawing.EXAMPLE_WORDS):
        g.word(ex + (j + 0.5) * s, ey - 0.12, w, j == c, va="top")
    drawing.text(
        g.ax, ex + V * s / 2, ey - 0.5, f"one column per word  (V = {V})", 9.5, "muted", va="top"
    )
    drawing.text(
        g.ax, ex - 0.18, y_mid, f"d = {d} dimensions", 9.5, "muted", ha="right", rotation=90
    )
    g.heading(ex + V * s / 2, ey + d * s + 0.2, r"$\mathbf{E}^\top$   (d × V)")


def _lookup_one_hot(g: _LookupGrid, c: int, ox: float, oy: float) -> None:
    """The one-hot column x_c, its 1 framed, each entry labelled with its word."""
    s, vocab = g.s, drawing.EXAMPLE_WORDS
    V = len(vocab)
    for j, w in enumerate(vocab):
        y = oy + (V - 1 - j) * s
        drawing.box(g.ax, ox, y, s, s, face=g.pick if j == c else "white", edge="line", lw=1.0)
        drawing.text(
            g.ax,
            ox + s / 2,
            y + s / 2,
            "1" if j == c else "0",
            10.5,
            bold=j == c,
            color="ink" if j == c else "muted",
        )
        g.word(ox + s + 0.1, y + s / 2, w, j == c, ha="left")
    g.frame(ox, oy + (V - 1 - c) * s, s)
    g.heading(ox + s / 2, oy + V * s + 0.2, r"$\mathbf{x}_c$   (V × 1)")


@drawing.styled
def draw_embedding_lookup() -> Figure:
    """Draw ``e_c = Eᵀ x_c``: multiplying by a one-hot vector picks one row of E.

    E is the course's V × d table (docs/notation.md); the figure draws its transpose so that
    the vector comes out as a column. Shown in notebook 00.

    Returns
    -------
    matplotlib.figure.Figure
        The d × V matrix Eᵀ, the one-hot vector x_c and the column e_c they give.
    """
    vocab, c = drawing.EXAMPLE_WORDS, 3  # c: the word looked up, "fox"
    d, V = 4, len(vocab)
    emb = np.random.default_rng(7).normal(0.0, 0.5, size=(d, V)).round(1) + 0.0  # no "-0.0"
    s = 0.58  # cell size, inches
    fig, ax = drawing.canvas(10.4, 7.0)
    g = _LookupGrid(ax, s, drawing.tint("target", 0.72))
    y_mid = 3.4
    ex, ey = 0.95, y_mid - d * s / 2
    _lookup_table(g, emb, c, ex, ey)
    # times the one-hot vector
    drawing.text(ax, ex + V * s + 0.42, y_mid, "×", size=24)
    ox, oy = ex + V * s + 0.85, y_mid - V * s / 2
    _lookup_one_hot(g, c, ox, oy)
    # equals the column of the chosen word
    drawing.text(ax, ox + s + 1.05, y_mid, "=", size=24)
    cx = ox + s + 1.5
    for i in range(d):
        g.cell(cx, ey + (d - 1 - i) * s, f"{emb[i, c]:.1f}", g.pick, True)
    g.frame(cx, ey, d * s)
    g.heading(cx + s / 2, ey + d * s + 0.2, r"$\mathbf{e}_c$   (d × 1)")
    g.word(cx + s / 2, ey - 0.12, f'"{vocab[c]}"', True, va="top")

    drawing.title(
        ax,
        5.2,
        6.85,
        r"An embedding lookup is a matrix product:  $\mathbf{e}_c = "
        r"\mathbf{E}^\top\mathbf{x}_c$",
        "Multiplying by a one-hot vector keeps one column of Eᵀ (one row of E) "
        "and multiplies every other one by 0.",
    )
    drawing.text(
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


@drawing.styled
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
    words = _window_words(sentence, window, targets)
    size, pair_size, box_h, gap = 12.5, 11, 0.46, 0.09
    probe, _ = drawing.canvas(1, 1)
    widths = [drawing.text_width(probe, w, size) + 0.24 for w in words]
    pairs = [[f"({a}, {b})" for a, b in _window_pairs(words, t, window)] for t in targets]
    per_line = 2
    n_lines = [max(1, -(-len(p) // per_line)) for p in pairs]
    col_w = max(drawing.text_width(probe, p, pair_size) for row in pairs for p in row) + 0.25
    row_h = max(0.95, max(n_lines) * 0.3 + 0.35)
    left = 1.05
    sentence_w = sum(widths) + gap * (len(words) - 1)
    pairs_x = left + sentence_w + 0.55
    top = 1.55  # title and column headings
    width, height = pairs_x + per_line * col_w + 0.25, top + len(targets) * row_h + 1.0
    fig, ax = drawing.canvas(width, height)
    xs = left + np.concatenate([[0.0], np.cumsum(np.array(widths) + gap)[:-1]])

    for r, t in enumerate(targets):
        yc = height - top - (r + 0.5) * row_h
        _window_row(ax, words, xs, widths, t, window, yc, box_h, size)
        drawing.text(ax, left - 0.2, yc, f"target {t}", 10, "muted", ha="right")
        for k, p in enumerate(pairs[r]):
            line, col = divmod(k, per_line)
            y = yc + (n_lines[r] - 1) * 0.15 - line * 0.3
            drawing.text(ax, pairs_x + col * col_w, y, p, pair_size, ha="left")
        if r < len(targets) - 1:
            ax.plot([0.3, width - 0.3], [yc - row_h / 2] * 2, color="#EEEEEE", lw=1, zorder=0)

    head_y = height - top + 0.18
    drawing.text(ax, left + sentence_w / 2, head_y, "sentence", 10.5, "muted", va="bottom")
    heading = "(target, context) training pairs"
    drawing.text(ax, pairs_x, head_y, heading, 10.5, "muted", ha="left", va="bottom")
    ax.plot([pairs_x - 0.28] * 2, [0.85, height - top + 0.1], color="#DDDDDD", lw=1)
    drawing.title(
        ax,
        width / 2,
        height - 0.15,
        f"Skip-gram: the context window (m = {window})",
        "The target slides one word at a time; every word within the window gives one "
        "training pair.",
    )
    legend = [
        ("target", "target", "target word"),
        (drawing.tint("context", 0.75), "context", f"context: within {window} words either side"),
        ("white", "line", "outside the window"),
    ]
    x = left
    for face, edge, label in legend:
        drawing.box(ax, x, 0.3, 0.3, 0.22, face, edge, lw=1.3, radius=0.04)
        drawing.text(ax, x + 0.42, 0.41, label, 10.5, ha="left")
        x += 0.92 + drawing.text_width(fig, label, 10.5)
    return fig


def _window_words(sentence: str, window: int, targets: Sequence[int]) -> list[str]:
    """The sentence's words, once the window and the target positions are checked."""
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
    return words


def _window_row(ax, words, xs, widths, t: int, window: int, yc: float, box_h, size) -> None:
    """One row of the window figure: the sentence, target ``t`` and its context marked."""
    lo, hi = max(0, t - window), min(len(words), t + window + 1)
    # the window itself: a dashed frame around the target and its context
    x0, x1 = xs[lo] - 0.05, xs[hi - 1] + widths[hi - 1] + 0.05
    y0 = yc - box_h / 2 - 0.07
    drawing.box(ax, x0, y0, x1 - x0, box_h + 0.14, "none", "muted", 1.0, 0.1, ls="--", zorder=1)
    for j, (w, x, bw) in enumerate(zip(words, xs, widths, strict=True)):
        if j == t:
            face, edge, color = "target", "target", "white"
        elif lo <= j < hi:
            face, edge, color = drawing.tint("context", 0.75), "context", "ink"
        else:
            face, edge, color = "white", "line", "muted"
        drawing.box(ax, x, yc - box_h / 2, bw, box_h, face, edge, lw=1.3, radius=0.07)
        drawing.text(ax, x + bw / 2, yc - 0.01, w, size, color, bold=j == t)


# --------------------------------------------------------------------------- 5. unigram noise


@drawing.styled
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
    p = _unigram(words, freqs)
    raised = p**power  # the worked example's numbers before normalising
    noise = noise_distribution(p, power)  # the distribution kw2v samples negatives from
    fig = drawing.DiagramFigure(figsize=(11.0, 5.6), dpi=drawing.DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2, sharey=True)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.78, bottom=0.21, wspace=0.12)
    panels = [
        (p, "context", "unigram distribution  $p(w)$"),
        (noise, "output", f"noise distribution  $p(w)^{{{power:g}}}\\,/\\,Z$"),
    ]
    for ax, (values, color, title) in zip(axes, panels, strict=True):
        _bars(ax, words, values, color, title)
    axes[0].set_ylabel("probability of being drawn as a negative", fontsize=11)
    below = axes[1].get_xaxis_transform()  # x in data, y in axes fraction
    for x, (pi, ri, ni) in enumerate(zip(p, raised, noise, strict=True)):
        drawing.text(
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
        drawing.text(
            axes[1], x, -0.12, f"× {factor:.2g}", 10.5, color, va="top", bold=True, transform=below
        )
    axes[1].set_xlabel(
        "× : noise probability ÷ unigram probability",
        fontsize=10,
        color=drawing.PALETTE["muted"],
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
        color=drawing.PALETTE["muted"],
        bbox={"boxstyle": "round,pad=0.4", "fc": "#F6F6F6", "ec": drawing.PALETTE["line"]},
    )
    title = f"Raising frequencies to the power {power:g} flattens the noise distribution"
    fig.suptitle(title, fontsize=15, weight="bold", y=0.97)
    subtitle = "Rare words are drawn as negatives more often, frequent words a little less often."
    fig.text(0.5, 0.875, subtitle, ha="center", fontsize=11, color=drawing.PALETTE["muted"])
    return fig


def _unigram(words: Sequence[str], freqs: Sequence[float]) -> np.ndarray:
    """``freqs`` normalised to sum to 1, once checked: one per word, non-negative."""
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
    return p / p.sum()


def _bars(ax: Axes, words: Sequence[str], values, color: str, title: str) -> None:
    """One panel of the noise figure: a bar per word, its value on top."""
    xs = np.arange(len(words))
    ax.bar(
        xs,
        values,
        width=0.6,
        color=drawing.tint(color, 0.25),
        edgecolor=drawing.PALETTE[color],
        lw=1.2,
    )
    ax.set_xticks(xs, list(words), fontsize=11.5)
    ax.set_title(title, fontsize=13, pad=12)
    ax.set_ylim(0, 1.12)
    ax.tick_params(axis="x", length=0)
    ax.grid(axis="y", color="#EEEEEE", lw=1)
    ax.set_axisbelow(True)
    for x, v in zip(xs, values, strict=True):
        drawing.text(ax, x, v + 0.025, f"{v:.2g}", 12, color, va="bottom", bold=True)


# -------------------------------------------------------------- the Huffman tree (notebook 06)


def _tree_layout(tree: HuffmanTree) -> tuple[dict[int, float], dict[int, float]]:
    """Where each node of ``tree`` is drawn: leaves evenly spaced left to right in depth-first
    order (branch 0 left), parents centred over their children, one row per depth."""
    n = tree.n_words
    children: dict[int, list[int]] = {}
    for node in range(2 * n - 2):
        children.setdefault(int(tree.parents[node]), []).append(node)
    x: dict[int, float] = {}
    y: dict[int, float] = {}
    next_leaf = [0]

    def place(node: int, depth: int) -> None:
        y[node] = -depth
        if node < n:
            x[node] = next_leaf[0]
            next_leaf[0] += 1
            return
        kids = sorted(children[node], key=lambda c: int(tree.branches[c]))
        for kid in kids:
            place(kid, depth + 1)
        x[node] = sum(x[k] for k in kids) / len(kids)

    place(2 * n - 2, 0)  # the root
    return x, y


def plot_huffman_tree(
    tree: HuffmanTree,
    words: Sequence[str],
    counts: Sequence[int] | None = None,
    *,
    out: str | os.PathLike | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the tree: words at the leaves, inner nodes numbered as rows of the node embedding.

    Edges are labelled with their code bit, so a word's code reads along its path from the
    root. Meant for a small vocabulary (a dozen words). Introduced in notebook 06.

    Parameters
    ----------
    tree : HuffmanTree
    words : sequence of str
        ``Vocabulary.words``-style list, aligned with the counts the tree was built from.
    counts : sequence of int, optional
        Shown under each word.
    out : path, optional
        Also write a PNG there.
    ax : matplotlib Axes, optional
        Draw into it instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    n = tree.n_words
    x, y = _tree_layout(tree)
    if ax is None:
        fig = Figure(figsize=(max(6.0, 0.9 * n), 1.0 + 0.9 * (max(-v for v in y.values()) + 1)))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    for node in range(2 * n - 2):
        up = int(tree.parents[node])
        ax.plot([x[up], x[node]], [y[up], y[node]], color="0.6", lw=1, zorder=1)
        ax.text(
            (x[up] + x[node]) / 2,
            (y[up] + y[node]) / 2,
            str(tree.branches[node]),
            ha="center",
            va="center",
            fontsize=8,
            color="tab:red",
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"},
        )
    for node in range(n, 2 * n - 1):
        ax.scatter(x[node], y[node], s=260, color="tab:blue", zorder=2)
        ax.text(x[node], y[node], str(node - n), color="white", ha="center", va="center",
                fontsize=7, zorder=3)  # fmt: skip
    for leaf in range(n):
        label = words[leaf + tree.offset]
        if counts is not None:
            label += f"\n{counts[leaf + tree.offset]}"
        ax.text(x[leaf], y[leaf], label, ha="center", va="top", fontsize=8, zorder=3,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#fdf0d5", "ec": "0.5"})  # fmt: skip
    ax.set_axis_off()
    ax.margins(0.08, 0.15)
    ax.set_title(title or "Huffman tree: inner nodes (blue) are node-embedding rows")
    if out is not None:
        fig.savefig(out, dpi=120, bbox_inches="tight")
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
            draw().savefig(
                path, dpi=drawing.DPI, facecolor="white", bbox_inches="tight", pad_inches=0.15
            )
        except OSError as err:
            raise Kw2vError(f"cannot write {path}: {err.strerror}; pass another --out.") from err
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Write every course diagram: ``python -m kw2v.course.diagrams [--out images]``.

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
        prog="python -m kw2v.course.diagrams", description="Draw the course diagrams as PNG files."
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
