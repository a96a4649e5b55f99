"""The two network diagrams: skip-gram's full softmax and negative sampling (notebooks 01, 02).

Drawn with the kit of :mod:`kw2v.course.drawing`; listed, with the other diagrams, in
:data:`kw2v.course.diagrams.DIAGRAMS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from kw2v.course import drawing
from kw2v.errors import Kw2vError

# --------------------------------------------------------------------------- 3. softmax


def _softmax(u: np.ndarray) -> np.ndarray:
    e = np.exp(u - u.max())
    return e / e.sum()


@dataclass(frozen=True)
class _SoftmaxLayout:
    """Where the parts of the softmax network sit (inches), and the example's numbers."""

    c: int = 3  # target "fox"
    o: int = 4  # true context word "jumped"
    d: int = 3
    scores: tuple[float, ...] = (0.9, 1.6, 1.7, -0.6, 2.3, 1.5, -0.2, 0.4)
    step: float = 0.56
    r: float = 0.19
    y_mid: float = 4.55
    x_in: float = 1.45
    x_h: float = 4.05
    x_u: float = 6.65
    bar_x: float = 9.8
    bar_scale: float = 2.3

    @property
    def ys_v(self) -> np.ndarray:
        V = len(drawing.EXAMPLE_WORDS)
        return self.y_mid + ((V - 1) / 2 - np.arange(V)) * self.step

    @property
    def ys_d(self) -> np.ndarray:
        return self.y_mid + ((self.d - 1) / 2 - np.arange(self.d)) * self.step

    @property
    def probs(self) -> np.ndarray:
        return _softmax(np.array(self.scores))


def _softmax_layers(ax, g: _SoftmaxLayout) -> None:
    """The one-hot input, hidden and score nodes, and the connections between them."""
    vocab, ys_v, ys_d, r = drawing.EXAMPLE_WORDS, g.ys_v, g.ys_d, g.r
    # connections first, so that the nodes sit on top
    for j in range(len(vocab)):
        for i in range(g.d):
            color, lw = (drawing.PALETTE["target"], 1.8) if j == g.c else ("#E4E4E4", 0.8)
            ax.plot([g.x_in, g.x_h], [ys_v[j], ys_d[i]], color=color, lw=lw, zorder=1)
            ax.plot(
                [g.x_h, g.x_u],
                [ys_d[i], ys_v[j]],
                color=drawing.tint("output", 0.45),
                lw=0.8,
                zorder=1,
            )

    def node(x: float, y: float, face, edge: str) -> None:
        ax.add_patch(
            Circle((x, y), r, fc=face, ec=drawing.PALETTE.get(edge, edge), lw=1.2, zorder=2)
        )

    for j, w in enumerate(vocab):
        on = j == g.c
        face = drawing.PALETTE["target"] if on else "white"
        node(g.x_in, ys_v[j], face, "target" if on else "line")
        drawing.text(
            ax, g.x_in, ys_v[j], "1" if on else "0", 9.5, "white" if on else "muted", bold=on
        )
        color = "target" if on else "muted"
        drawing.text(ax, g.x_in - r - 0.12, ys_v[j], w, 10.5, color, ha="right", bold=on)
        node(g.x_u, ys_v[j], drawing.tint("output", 0.75), "output")
        score = f"{g.scores[j]:.1f}"
        drawing.text(ax, g.x_u + r + 0.1, ys_v[j], score, 9.5, "muted", ha="left")
    for i in range(g.d):
        node(g.x_h, ys_d[i], drawing.tint("embedding", 0.7), "embedding")


def _softmax_output(ax, g: _SoftmaxLayout) -> None:
    """The softmax box and the probabilities it gives, the true context word marked."""
    ys_v, probs, bar_x, bar_scale, o = g.ys_v, g.probs, g.bar_x, g.bar_scale, g.o
    sm_x = g.x_u + 0.85
    top_v, bot_v = ys_v[0] + g.step / 2, ys_v[-1] - g.step / 2
    face = drawing.tint("alert", 0.85)
    drawing.box(ax, sm_x, bot_v, 0.42, top_v - bot_v, face, "alert", 1.3, 0.08)
    drawing.text(ax, sm_x + 0.21, g.y_mid, "softmax", 11, "alert", bold=True, rotation=90)
    for j, w in enumerate(drawing.EXAMPLE_WORDS):
        true = j == o
        drawing.text(
            ax, bar_x - 0.1, ys_v[j], w, 10.5, "context" if true else "ink", ha="right", bold=true
        )
        face = drawing.tint("context", 0.3) if true else drawing.tint("noise", 0.45)
        drawing.box(ax, bar_x, ys_v[j] - 0.15, probs[j] * bar_scale, 0.3, face, "none", lw=0)
        end = bar_x + probs[j] * bar_scale + 0.08
        drawing.text(ax, end, ys_v[j], f"{probs[j]:.2f}", 9.5, "muted", ha="left")
    drawing.callout(
        ax,
        "true context word:\ntraining pushes its\nprobability up, and\nthe other V − 1 down",
        (bar_x + probs[o] * bar_scale + 0.5, ys_v[o]),
        (bar_x + probs[o] * bar_scale + 0.8, ys_v[o]),
        "context",
        size=9.5,
        linespacing=1.3,
        lw=1.2,
    )


def _softmax_labels(ax, g: _SoftmaxLayout) -> None:
    """Column headings, the two weight matrices, the formula and its costly denominator."""
    head_y = g.ys_v[0] + g.step / 2 + 0.3
    heads = [
        (g.x_in, "one-hot input", r"$\mathbf{x}_c$   (V)", "target"),
        (
            g.x_h,
            "hidden: linear, no activation",
            r"$\mathbf{e}_c = \mathbf{E}^{\top}\mathbf{x}_c$   (d)",
            "embedding",
        ),
        (g.x_u, "scores", r"$s_w = \theta_w^{\top}\mathbf{e}_c$   (V)", "output"),
        (g.bar_x + 0.4, "probabilities", r"$P(w \mid \mathrm{fox})$   (V)", "context"),
    ]
    for x, head, sub, color in heads:
        drawing.text(ax, x, head_y + 0.36, head, 11.5, color, va="bottom", bold=True)
        drawing.text(ax, x, head_y, sub, va="bottom")
    weights = [
        ((g.x_in + g.x_h) / 2, "$\\mathbf{E}$   (V × d)\ntarget embedding", "embedding"),
        ((g.x_h + g.x_u) / 2, "$\\Theta$   (V × d)\ncontext embedding", "output"),
    ]
    bot_v = g.ys_v[-1] - g.step / 2
    for x, label, color in weights:
        drawing.text(ax, x, bot_v - 0.3, label, 10.5, color, va="top", linespacing=1.4)
    fx, fy = 4.0, 1.0
    formula = (
        r"$P(o \mid c) = \dfrac{\exp(\theta_o^{\top}\mathbf{e}_c)}"
        r"{\sum_{w=1}^{V}\,\exp(\theta_w^{\top}\mathbf{e}_c)}$"
    )
    drawing.text(ax, fx, fy, formula, 17)
    drawing.callout(
        ax,
        "the denominator sums over all V words:\nV dot products for every training pair.\n"
        "With V ≈ 10⁵ – 10⁶ this is the bottleneck.",
        (fx + 1.35, fy - 0.33),
        (fx + 2.35, fy - 0.3),
        "alert",
        size=10.5,
        linespacing=1.4,
        lw=1.3,
    )


@drawing.styled
def draw_softmax_network() -> Figure:
    """Draw skip-gram with a full softmax over the vocabulary, and why it is slow.

    Shown in notebook 01.

    Returns
    -------
    matplotlib.figure.Figure
        One-hot input x_c (V) → embedding E (d) → scores from Θ (V) → softmax →
        P(context | target), with the V-term denominator marked as the bottleneck.
    """
    layout = _SoftmaxLayout()
    fig, ax = drawing.canvas(13.0, 8.6)
    _softmax_layers(ax, layout)
    _softmax_output(ax, layout)
    _softmax_labels(ax, layout)
    drawing.title(
        ax,
        6.5,
        8.45,
        "Skip-gram with a full softmax",
        "Predict the context word from the target word by scoring every word in the "
        f"vocabulary (here V = {len(drawing.EXAMPLE_WORDS)}, d = {layout.d}).",
    )
    return fig


# --------------------------------------------------------------------------- 4. negative sampling


@dataclass(frozen=True)
class _NegativeSamplingLayout:
    """Where the layers of the negative-sampling model sit (inches), for ``k`` negatives."""

    k: int
    bh: float = 1.05  # layer box height
    y_t: float = 4.6  # centre of the target row
    y_c: float = 2.15  # centre of the context row
    x0: float = 0.3  # inputs
    w0: float = 2.4
    x1: float = 3.25  # embeddings
    w1: float = 2.4
    x2: float = 6.25  # looked-up vectors
    dim: int = 4
    x3: float = 8.25  # Dot
    w3: float = 1.75
    x4: float = 10.55  # Dense
    w4: float = 1.75

    @property
    def n_ctx(self) -> int:
        return 1 + self.k

    @property
    def y_m(self) -> float:
        return (self.y_t + self.y_c) / 2

    @property
    def cell(self) -> float:
        return min(0.34, 2.1 / self.n_ctx)

    def layer(self, ax, x: float, y: float, w: float, title: str, body: str, color: str) -> None:
        """A layer's box: its name in bold, what it holds below."""
        bh = self.bh
        drawing.box(ax, x, y - bh / 2, w, bh, drawing.tint(color, 0.85), color, 1.5, 0.1)
        drawing.text(ax, x + w / 2, y + 0.26, title, 11.5, bold=True)
        drawing.text(ax, x + w / 2, y - 0.15, body, 10, linespacing=1.35)


def _negative_sampling_inputs(ax, g: _NegativeSamplingLayout) -> None:
    """The two inputs, the context ids as chips (1 real, k negatives), and a note."""
    x0, w0, bh, k, y_c = g.x0, g.w0, g.bh, g.k, g.y_c
    g.layer(ax, x0, g.y_t, w0, 'Input  "target"', "shape ()\none word id", "target")
    context_body = f"shape (n,)\nn = 1 + k = {g.n_ctx} word ids"
    g.layer(ax, x0, y_c, w0, 'Input  "context"', context_body, "context")
    drawing.text(
        ax, x0 + w0 / 2, g.y_t + bh / 2 + 0.12, '"fox"', 11, "target", va="bottom", bold=True
    )
    # the context ids: 1 real context word and k negatives (at most 6 chips, then "+ n more")
    negatives = ["piano", "the", "seven", "ran", "blue", "of", "city", "green"][:k]
    chips = [("jumped", "context")] + [(w, "noise") for w in negatives]
    if len(chips) > 6:
        chips = chips[:5] + [(f"+ {len(chips) - 5} more", "noise")]
    chip_w, chip_gap, per_row = 0.76, 0.06, 3
    for i, (word, color) in enumerate(chips):
        row, col = divmod(i, per_row)
        x, y = x0 + col * (chip_w + chip_gap), y_c - bh / 2 - 0.5 - row * 0.38
        drawing.box(ax, x, y, chip_w, 0.3, drawing.tint(color, 0.8), color, 1.0, 0.05)
        drawing.text(ax, x + chip_w / 2, y + 0.15, word, 9.5)
    note_y = y_c - bh / 2 - 0.5 - (len(chips) - 1) // per_row * 0.38 - 0.15
    note = f"1 real context word + k = {k} negatives\ndrawn from the noise distribution"
    drawing.text(ax, x0, note_y, note, 9.5, "muted", ha="left", va="top", linespacing=1.3)


def _negative_sampling_tables(ax, g: _NegativeSamplingLayout) -> None:
    """The two Embedding layers and the vectors they look up, drawn as cells."""
    x1, w1, x2, y_t, y_c, cell, n_ctx = g.x1, g.w1, g.x2, g.y_t, g.y_c, g.cell, g.n_ctx
    g.layer(ax, x1, y_t, w1, "Embedding", '"target_embedding"\n$\\mathbf{E}$: V × d', "embedding")
    g.layer(ax, x1, y_c, w1, "Embedding", '"context_embedding"\n$\\Theta$: V × d', "output")
    for y in (y_t, y_c):
        drawing.arrow(ax, (g.x0 + g.w0, y), (x1, y))
    x2_end = x2 + g.dim * cell
    for j in range(g.dim):
        face = drawing.tint("embedding", 0.55)
        drawing.box(ax, x2 + j * cell, y_t - cell / 2, cell, cell, face, "white")
    drawing.text(
        ax, (x2 + x2_end) / 2, y_t + cell / 2 + 0.12, "vector (d)", 10, "muted", va="bottom"
    )
    top = y_c + n_ctx * cell / 2
    for i in range(n_ctx):
        for j in range(g.dim):
            face = drawing.tint("output", 0.55 if i == 0 else 0.8)
            drawing.box(ax, x2 + j * cell, top - (i + 1) * cell, cell, cell, face, "white")
        ys = [top - (i + 1) * cell + 0.04, top - i * cell - 0.04]
        color = drawing.PALETTE["context"] if i == 0 else drawing.PALETTE["noise"]
        ax.plot([x2 - 0.08] * 2, ys, color=color, lw=3, solid_capstyle="butt")
    drawing.text(
        ax, (x2 + x2_end) / 2, top + 0.12, f"vectors ({n_ctx} × d)", 10, "muted", va="bottom"
    )
    drawing.arrow(ax, (x1 + w1, y_t), (x2 - 0.12, y_t))
    drawing.arrow(ax, (x1 + w1, y_c), (x2 - 0.15, y_c))


def _negative_sampling_head(ax, g: _NegativeSamplingLayout) -> None:
    """Dot → Dense(sigmoid) → the labels [1, 0, ..., 0] and the loss."""
    x3, w3, x4, w4, y_m, cell, n_ctx, bh = g.x3, g.w3, g.x4, g.w4, g.y_m, g.cell, g.n_ctx, g.bh
    x2_end = g.x2 + g.dim * cell
    dot_body = f"axes=(1, 2)\n{n_ctx} scores " r"$\mathbf{e}\cdot\theta_j$"
    g.layer(ax, x3, y_m, w3, "Dot", dot_body, "ink")
    drawing.arrow(ax, (x2_end + 0.08, g.y_t), (x3 + 0.35, y_m + bh / 2), rad=-0.25)
    drawing.arrow(ax, (x2_end + 0.08, g.y_c), (x3 + 0.35, y_m - bh / 2), rad=0.25)
    g.layer(ax, x4, y_m, w4, "Dense(1)", "sigmoid, per score\n→ P(real pair)", "alert")
    drawing.arrow(ax, (x3 + w3, y_m), (x4, y_m))
    lab_x, lab_w = 12.85, 0.44
    lab_top = y_m + n_ctx * cell / 2
    for i in range(n_ctx):
        y = lab_top - (i + 1) * cell
        face = drawing.tint("context" if i == 0 else "noise", 0.75)
        drawing.box(ax, lab_x, y, lab_w, cell, face, "white")
        drawing.text(ax, lab_x + lab_w / 2, y + cell / 2, "1" if i == 0 else "0", 10.5, bold=i == 0)
    drawing.arrow(ax, (x4 + w4, y_m), (lab_x - 0.1, y_m))
    drawing.text(ax, lab_x + lab_w / 2, lab_top + 0.12, "labels", 10.5, va="bottom", bold=True)
    loss = f"[{', '.join(['1'] + ['0'] * g.k)}]\nbinary cross-entropy"
    loss_y = y_m - n_ctx * cell / 2 - 0.25
    drawing.text(ax, (x4 + lab_x + lab_w) / 2, loss_y, loss, 10, "muted", va="top", linespacing=1.4)


@drawing.styled
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
    layout = _NegativeSamplingLayout(k)
    fig, ax = drawing.canvas(13.6, 6.4)
    _negative_sampling_inputs(ax, layout)
    _negative_sampling_tables(ax, layout)
    _negative_sampling_head(ax, layout)
    # the shared-embedding option
    nx, ny, nw, nh = 8.25, 0.3, 5.05, 1.05
    drawing.box(ax, nx, ny, nw, nh, "#F6F6F6", "line", 1.0, 0.08)
    option = (
        "Option: shared_embedding=True passes both inputs through\n"
        "one Embedding (Θ = E), as the classic Keras tutorial does.\n"
        "The default keeps two tables, as word2vec and gensim do;\n"
        "kw2v saves E + Θ as the word vectors."
    )
    drawing.text(ax, nx + 0.2, ny + nh / 2, option, 9.5, ha="left", linespacing=1.35)
    drawing.title(
        ax,
        6.8,
        6.25,
        "Skip-gram with negative sampling, as a two-input Keras model",
        f"Is (target, context) a real pair? One real and k = {k} noise words per target: "
        f"k + 1 = {layout.n_ctx} dot products, not V.",
    )
    return fig
