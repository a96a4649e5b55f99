"""Pictures of word vectors: t-SNE and PCA maps of content words, and analogy arrows.

Every function returns a ``matplotlib.figure.Figure`` and never calls ``plt.show()``. The
figures are not left open in pyplot, so a script (even on a machine without a display) can draw
hundreds of them without warnings or leaks, and in Jupyter a figure shows once, when it is the
value of a cell (end the cell with the call, or with ``fig``). Pass ``ax=`` to draw into an axes
of your own instead. scikit-learn is imported only when a projection is computed.

Map labels are placed by adjustText (a maintained label-placement library) so that they do not
cover each other; a label that still collides after placement is left out (its dot stays), so
no two drawn labels ever overlap.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kw2v.errors import Kw2vError
from kw2v.files import atomic_write
from kw2v.vectors import WordVectors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "WORD_GROUPS",
    "content_words",
    "overlapping_labels",
    "plot_analogy_arrows",
    "plot_pca",
    "plot_tsne",
    "project_2d",
]

DPI = 120
#: The course's matplotlib style: notebooks (their setup cell) and the benchmark's pictures.
PLOT_STYLE = {
    "figure.figsize": (7, 4.2),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
}
_BASE_COLOR = "0.55"
_LABEL_SIZE = 8
_LABEL_STEPS = 40  # adjustText iterations per round of label placement
_LABEL_MARGIN_PX = 1.0  # labels keep this gap at any resolution the figure is drawn at

WORD_GROUPS = {  # groups that training should gather; the maps colour them
    "countries": ("france", "germany", "italy", "spain", "england", "russia", "china", "japan",
                  "india", "canada", "egypt", "greece", "poland", "brazil"),
    "numbers": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "hundred", "thousand", "million"),
    "months": ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"),
    "family": ("father", "mother", "son", "daughter", "brother", "sister", "wife", "husband",
               "king", "queen"),
    "colours": ("red", "blue", "green", "black", "white", "yellow"),
}  # fmt: skip


def content_words(wv: WordVectors, n: int, *, skip: Sequence[str] = ()) -> list[str]:
    """The `n` most frequent content words: no stopwords, no tokens of one or two characters.

    The most frequent words of any corpus are grammar (*the*, *of*, *and*, *was*); a map of them
    shows grammatical roles, not meaning. This skips scikit-learn's English stopword list
    (318 words), tokens shorter than 3 characters and tokens without a letter (numbers).
    Introduced in notebook 05.

    Parameters
    ----------
    wv : WordVectors
        The vectors, most frequent word first (as kw2v writes them).
    n : int
        How many words to return (fewer if the vocabulary runs out).
    skip : sequence of str, optional
        More words to leave out (e.g. the words of highlighted groups, drawn anyway).

    Returns
    -------
    list of str
        In frequency order.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    if n < 1:
        raise Kw2vError(f"n_words must be at least 1, got {n}")
    unwanted = ENGLISH_STOP_WORDS | set(skip)
    chosen: list[str] = []
    for word in wv.words:
        if len(word) >= 3 and word not in unwanted and any(c.isalpha() for c in word):
            chosen.append(word)
            if len(chosen) == n:
                break
    return chosen


def project_2d(
    wv: WordVectors,
    words: Sequence[str],
    method: str = "tsne",
    perplexity: float = 30.0,
    seed: int = 0,
) -> np.ndarray:
    """2-D coordinates of `words`, from their unit vectors (so distances follow cosines).

    The one place where vectors are projected; the plots below all call it.
    Introduced in notebook 05.

    Parameters
    ----------
    wv : WordVectors
        The vectors.
    words : sequence of str
        Words to place, one row each.
    method : {"tsne", "pca"}, optional
        t-SNE (keeps neighbourhoods, distorts global distances) or PCA (a linear view that keeps
        directions, so parallel offsets such as man->woman, king->queen stay parallel).
    perplexity : float, optional
        t-SNE's effective number of neighbours; when it is not below ``len(words) - 1`` it is
        lowered to ``(len(words) - 1) / 3`` with a warning.
    seed : int, optional
        Random state for t-SNE.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(words), 2)``.

    Raises
    ------
    UnknownWordError
        If a word is not in the vocabulary.
    Kw2vError
        If `method` is unknown or there are too few words.
    """
    if method not in ("tsne", "pca"):
        raise Kw2vError(f"unknown projection {method!r}; use 'tsne' or 'pca'")
    rows = [wv.index(word) for word in words]
    points = wv.unit_vectors[rows].astype(np.float64)
    n = len(rows)
    if method == "pca":
        if n < 2 or wv.dim < 2:
            raise Kw2vError(f"PCA to 2-D needs at least 2 words of dimension >= 2, got {n}")
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(points)
    if n < 3:
        raise Kw2vError(f"t-SNE needs at least 3 words, got {n}; use method='pca'")
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    tsne = TSNE(
        n_components=2,
        perplexity=_fit_perplexity(perplexity, n),
        init="pca",
        learning_rate="auto",
        random_state=seed,
    )
    # One OpenMP thread: for the few hundred words we draw, sklearn's threaded Barnes-Hut
    # gradient gains little on an idle machine and can be 30x slower on a busy one (2-core CI,
    # a laptop running training), because its threads wait on each other at every step.
    with threadpool_limits(limits=1, user_api="openmp"):
        return tsne.fit_transform(points)


def _fit_perplexity(perplexity: float, n: int) -> float:
    if perplexity <= 0:
        raise Kw2vError(f"perplexity must be positive, got {perplexity}")
    if perplexity < n - 1:
        return float(perplexity)
    adjusted = max(1.0, (n - 1) / 3)
    warnings.warn(
        f"perplexity={perplexity:g} is too large for {n} words (it must stay below {n - 1}); "
        f"using {adjusted:.3g} instead. Plot more words or pass a smaller perplexity.",
        stacklevel=3,
    )
    return adjusted


def _new_figure(side: float) -> Figure:
    """A figure with the right canvas for this session, but not kept open by pyplot.

    Creating it through pyplot lets Jupyter's inline backend hook up figure display; closing it
    at once means pyplot neither shows it at the end of the cell (no double picture) nor keeps
    it alive. Without a display, pyplot falls back to the Agg backend by itself.
    """
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(side, side))
    plt.close(fig)
    return fig


def _figure_for(ax: Axes | None, side: float) -> tuple[Figure, Axes]:
    if ax is None:
        fig = _new_figure(side)
        return fig, fig.add_subplot()
    try:
        return ax.get_figure(root=True), ax
    except TypeError:  # matplotlib < 3.10
        return ax.figure, ax


def save_figure(fig: Figure, out: str | os.PathLike[str] | None) -> None:
    """Write ``fig`` to ``out`` (format from its suffix, PNG by default) atomically; None: don't."""
    if out is None:
        return
    out = Path(out)
    with atomic_write(out, "wb") as f:
        fig.savefig(f, format=out.suffix.lstrip(".").lower() or "png", dpi=DPI, bbox_inches="tight")


def _choose_words(
    wv: WordVectors,
    n_words: int,
    words: Sequence[str] | None,
    highlight: Mapping[str, Sequence[str]] | None,
) -> tuple[list[str], dict[str, list[str]]]:
    """The words to draw (frequent content words, or the given ones, plus the groups)."""
    if words is None:
        chosen = content_words(wv, n_words)
        if not chosen:  # a toy vocabulary of short tokens: draw it as it is
            warnings.warn(
                "no content words (3+ characters, not stopwords) in the vocabulary; "
                f"drawing the {n_words} most frequent words",
                stacklevel=3,
            )
            chosen = list(wv.words[:n_words])
    else:
        chosen = list(dict.fromkeys(words))
    missing = [w for w in chosen if w not in wv]
    groups: dict[str, list[str]] = {}
    coloured: set[str] = set()
    for group, members in (highlight or {}).items():
        if isinstance(members, str):
            members = [members]
        missing += [w for w in members if w not in wv]
        groups[str(group)] = [w for w in dict.fromkeys(members) if w in wv and w not in coloured]
        coloured.update(groups[str(group)])
    if missing:
        shown = ", ".join(repr(w) for w in missing[:10]) + (" ..." if len(missing) > 10 else "")
        warnings.warn(
            f"skipping {len(missing)} words that are not in the vocabulary: {shown}",
            stacklevel=3,
        )
    chosen = [w for w in chosen if w in wv]
    chosen += [w for members in groups.values() for w in members]
    return list(dict.fromkeys(chosen)), groups


def _side(n: int) -> float:
    """Figure side in inches: 300 labelled words need about 14 to stay readable."""
    return float(min(16.0, max(6.0, 4.0 + n / 30.0)))


def _draw_map(
    wv: WordVectors,
    method: str,
    n_words: int,
    out: str | os.PathLike[str] | None,
    highlight: Mapping[str, Sequence[str]] | None,
    words: Sequence[str] | None,
    ax: Axes | None,
    title: str | None,
    perplexity: float = 30.0,
    seed: int = 0,
) -> Figure:
    chosen, groups = _choose_words(wv, n_words, words, highlight)
    if not chosen:
        raise Kw2vError("none of the requested words is in the vocabulary; nothing to plot")
    coords = project_2d(wv, chosen, method=method, perplexity=perplexity, seed=seed)
    fig, ax = _figure_for(ax, _side(len(chosen)))
    where = {w: i for i, w in enumerate(chosen)}
    colour_of: dict[str, str] = {}
    grouped = set().union(*groups.values()) if groups else set()
    plain = [where[w] for w in chosen if w not in grouped]
    ax.scatter(coords[plain, 0], coords[plain, 1], s=8, color=_BASE_COLOR, alpha=0.6)
    palette = _palette(len(groups))
    for (group, members), colour in zip(groups.items(), palette, strict=True):
        idx = [where[w] for w in members]
        ax.scatter(
            coords[idx, 0], coords[idx, 1], s=24, color=colour, label=f"{group} ({len(idx)})"
        )
        colour_of.update(dict.fromkeys(members, colour))
    _place_labels(ax, coords, chosen, colour_of)
    if groups:
        ax.legend(loc="best", fontsize=10, framealpha=0.9)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is None:
        if method == "tsne":
            used = _quiet_perplexity(perplexity, len(chosen))
            title = f"t-SNE of {len(chosen)} words (perplexity {used:.3g})"
        else:
            title = f"PCA of {len(chosen)} words"
    ax.set_title(title)
    save_figure(fig, out)
    return fig


def _place_labels(
    ax: Axes, coords: np.ndarray, words: Sequence[str], colour_of: Mapping[str, object]
) -> None:
    """Label every point without overlaps: adjustText moves the labels apart, in two rounds.

    After the first round, plain labels that still collide are removed, which frees room for
    the coloured (group) labels in the second round; whatever still collides after it is
    removed too, group labels last, so every drawn label is clear of the others.
    """
    from adjustText import adjust_text

    texts = [
        ax.text(
            x,
            y,
            word,
            fontsize=_LABEL_SIZE + (1.5 if word in colour_of else 0),
            color=colour_of.get(word, "0.15"),
            fontweight="bold" if word in colour_of else "normal",
            zorder=3,
        )
        for word, (x, y) in zip(words, coords, strict=True)
    ]
    # Group labels first, then plain words by frequency: the first to claim a spot keeps it.
    order = sorted(range(len(texts)), key=lambda i: (words[i] not in colour_of, i))
    if len(texts) < 2:
        return
    # A fixed number of steps, not adjustText's default time limit: the same map on every run.
    adjust_text(
        texts,
        x=coords[:, 0],
        y=coords[:, 1],
        ax=ax,
        expand=(1.1, 1.3),
        iter_lim=_LABEL_STEPS,
        prevent_crossings=False,  # no lines in this round; its check is a slow Python loop
    )
    order = _remove_colliding(ax, texts, order, keep=lambda i: words[i] in colour_of)
    grouped = [i for i in order if words[i] in colour_of]
    arrows = []
    if grouped:  # the group labels only, free to move further, with a line to their dot
        _, arrows = adjust_text(
            [texts[i] for i in grouped],
            x=coords[:, 0],
            y=coords[:, 1],
            target_x=coords[grouped, 0],
            target_y=coords[grouped, 1],
            ax=ax,
            expand=(1.2, 1.5),
            force_text=(0.4, 0.6),
            max_move=None,
            iter_lim=_LABEL_STEPS,
            arrowprops={"arrowstyle": "-", "color": "0.5", "lw": 0.6},
        )
    arrow_of = {id(getattr(arrow, "patchA", None)): arrow for arrow in arrows}
    for i in set(order) - set(_remove_colliding(ax, texts, order)):
        if id(texts[i]) in arrow_of:
            arrow_of[id(texts[i])].remove()


def _remove_colliding(ax: Axes, texts: list, order: list[int], keep=lambda i: False) -> list[int]:
    """Remove, in `order`, each text whose box overlaps an earlier one (unless `keep(i)`).

    Returns the indices of the texts left, in the same order.
    """
    from adjustText import get_renderer

    renderer = get_renderer(ax.figure)
    left, boxes = [], []
    for i in order:
        box = texts[i].get_window_extent(renderer).padded(_LABEL_MARGIN_PX)
        if keep(i) or not any(box.overlaps(other) for other in boxes):
            left.append(i)
            boxes.append(box)
        else:
            texts[i].remove()
    return left


def overlapping_labels(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of visible text labels inside the axes of `fig` whose drawn boxes overlap.

    Checks what the map functions promise (no label covers another), on the boxes the renderer
    draws. Titles, axis labels and legend texts are not map labels and are left out.
    Introduced in notebook 05.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure drawn by :func:`plot_tsne`, :func:`plot_pca` or any other.

    Returns
    -------
    list of (str, str)
        The overlapping pairs; empty when the labels are clear of each other.
    """
    from adjustText import get_renderer

    renderer = get_renderer(fig)
    pairs = []
    for ax in fig.axes:
        texts = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
        boxes = [t.get_window_extent(renderer) for t in texts]
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                if boxes[i].overlaps(boxes[j]):
                    pairs.append((texts[i].get_text(), texts[j].get_text()))
    return pairs


def _quiet_perplexity(perplexity: float, n: int) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _fit_perplexity(perplexity, n)


def _palette(k: int) -> list[tuple[float, float, float, float]]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if k <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(k)]


def plot_tsne(
    wv: WordVectors,
    n_words: int = 300,
    *,
    out: str | os.PathLike[str] | None = None,
    perplexity: float = 30.0,
    seed: int = 0,
    highlight: Mapping[str, Sequence[str]] | None = None,
    words: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """A labelled t-SNE map of the most frequent words, with optional coloured groups.

    Neighbours in the map are neighbours in the vectors (by cosine), so clusters such as
    numbers, months or countries should appear; distances between clusters mean little.
    Introduced in notebook 05.

    Parameters
    ----------
    wv : WordVectors
        The vectors, most frequent word first.
    n_words : int, optional
        How many of the most frequent words to draw (ignored when `words` is given).
    out : str or os.PathLike, optional
        Also save the picture here (PNG at 120 dpi unless the suffix says otherwise); parent
        directories are created.
    perplexity : float, optional
        t-SNE's neighbourhood size; lowered with a warning when too large for the word count.
    seed : int, optional
        Random state, for the same map on every run.
    highlight : dict of str to sequence of str, optional
        Groups to colour, e.g. ``{"months": ["january", ...], "numbers": ["one", ...]}``; they
        are added to the map if not among the drawn words. Unknown words are skipped with a
        warning.
    words : sequence of str, optional
        Exactly these words instead of the most frequent ones.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of in a new figure.
    title : str, optional
        Axes title; a description of the map by default.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (the one holding `ax` when given).

    Raises
    ------
    Kw2vError
        If no requested word is in the vocabulary, or fewer than 3 remain.
    """
    return _draw_map(
        wv, "tsne", n_words, out, highlight, words, ax, title, perplexity=perplexity, seed=seed
    )


def plot_pca(
    wv: WordVectors,
    n_words: int = 300,
    *,
    out: str | os.PathLike[str] | None = None,
    highlight: Mapping[str, Sequence[str]] | None = None,
    words: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """A labelled PCA map (first two principal components) of the most frequent words.

    Faster and deterministic, but a linear view: clusters overlap more than in
    :func:`plot_tsne`. Introduced in notebook 05.

    Parameters
    ----------
    wv : WordVectors
        The vectors, most frequent word first.
    n_words : int, optional
        How many of the most frequent words to draw (ignored when `words` is given).
    out : str or os.PathLike, optional
        Also save the picture here (PNG at 120 dpi unless the suffix says otherwise).
    highlight : dict of str to sequence of str, optional
        Groups to colour; unknown words are skipped with a warning.
    words : sequence of str, optional
        Exactly these words instead of the most frequent ones.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of in a new figure.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Raises
    ------
    Kw2vError
        If no requested word is in the vocabulary, or fewer than 2 remain.
    """
    return _draw_map(wv, "pca", n_words, out, highlight, words, ax, title)


def plot_analogy_arrows(
    wv: WordVectors,
    pairs: Sequence[tuple[str, str]],
    *,
    out: str | os.PathLike[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Arrows from `a` to `b` for each pair, in a PCA view of the words involved.

    When training has learned a relation, the arrows (man->woman, king->queen, ...) point the
    same way and have similar lengths: that shared offset is what 3CosAdd exploits. PCA, unlike
    t-SNE, is linear, so parallel offsets stay parallel in the picture.
    Introduced in notebook 05.

    Parameters
    ----------
    wv : WordVectors
        The vectors.
    pairs : sequence of (str, str)
        ``(from, to)`` word pairs; pairs with an unknown word are skipped with a warning.
    out : str or os.PathLike, optional
        Also save the picture here.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of in a new figure.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Raises
    ------
    Kw2vError
        If a pair is not two words, or no pair is fully in the vocabulary.
    """
    usable: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    for pair in pairs:
        if isinstance(pair, str) or len(pair) != 2:
            raise Kw2vError(f"each pair must be (from_word, to_word), got {pair!r}")
        a, b = pair
        (usable if a in wv and b in wv else skipped).append((a, b))
    if skipped:
        warnings.warn(
            f"skipping pairs with words not in the vocabulary: {skipped[:10]}", stacklevel=2
        )
    if not usable:
        raise Kw2vError("no pair has both words in the vocabulary; nothing to plot")
    words = list(dict.fromkeys(w for pair in usable for w in pair))
    coords = project_2d(wv, words, method="pca")
    where = {w: i for i, w in enumerate(words)}
    fig, ax = _figure_for(ax, 8.0)
    ax.scatter(coords[:, 0], coords[:, 1], s=16, color=_BASE_COLOR)
    for (a, b), colour in zip(usable, _palette(len(usable)), strict=True):
        ax.annotate(
            "",
            xy=coords[where[b]],
            xytext=coords[where[a]],
            arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.5, "shrinkA": 3, "shrinkB": 3},
        )
    for word, (x, y) in zip(words, coords, strict=True):
        ax.annotate(word, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=9)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or f"{len(usable)} word pairs as arrows (PCA)")
    save_figure(fig, out)
    return fig
