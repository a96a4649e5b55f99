"""Plots: files are written, projections keep planted clusters apart, bad input is handled."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from kw2v.errors import Kw2vError
from kw2v.plot import (
    WORD_GROUPS,
    content_words,
    overlapping_labels,
    plot_analogy_arrows,
    plot_pca,
    plot_tsne,
    project_2d,
)
from kw2v.vectors import UnknownWordError, WordVectors

matplotlib.use("Agg")  # tests never need a window

CLUSTERS = ("fruit", "city", "verb")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    """Three tight clusters of 13 words around random centres, plus one outlier word."""
    rng = np.random.default_rng(0)
    words, rows = [], []
    for name in CLUSTERS:
        centre = 3.0 * rng.standard_normal(16)
        for i in range(13):
            words.append(f"{name}{i}")
            rows.append(centre + 0.3 * rng.standard_normal(16))
    words.append("lonely")
    rows.append(rng.standard_normal(16))
    return WordVectors(words, np.array(rows))


def _cluster_of(word: str) -> str:
    return word.rstrip("0123456789")


def _assert_png(path) -> None:
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 5_000


def _assert_clusters_apart(coords: np.ndarray, words: list[str]) -> None:
    labels = np.array([_cluster_of(w) for w in words])
    for name in CLUSTERS:
        inside = coords[labels == name]
        outside = coords[(labels != name) & (labels != "lonely")]
        spread = np.linalg.norm(inside - inside.mean(axis=0), axis=1).max()
        gap = np.linalg.norm(outside - inside.mean(axis=0), axis=1).min()
        assert gap > spread, name


def test_pca_projection_keeps_planted_clusters_apart(wv) -> None:
    words = [w for w in wv.words if w != "lonely"]
    coords = project_2d(wv, words, method="pca")
    assert coords.shape == (39, 2)
    _assert_clusters_apart(coords, words)


def test_tsne_projection_keeps_planted_clusters_apart_and_is_seeded(wv) -> None:
    words = [w for w in wv.words if w != "lonely"]
    coords = project_2d(wv, words, method="tsne", perplexity=8, seed=1)
    _assert_clusters_apart(coords, words)
    np.testing.assert_array_equal(coords, project_2d(wv, words, perplexity=8, seed=1))


def test_plot_tsne_writes_png_with_highlight(wv, tmp_path) -> None:
    before = plt.get_fignums()
    out = tmp_path / "deep" / "dir" / "tsne.png"
    fig = plot_tsne(wv, 30, out=out, perplexity=10, highlight={"cities": ["city1", "city2"]})
    assert isinstance(fig, Figure)
    _assert_png(out)
    ax = fig.axes[0]
    assert "t-SNE of 30 words" in ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cities (2)"]
    labels = {t.get_text() for t in ax.texts}
    assert {"city1", "city2"} <= labels and 20 <= len(labels) <= 30  # crowded labels dropped
    assert plt.get_fignums() == before  # not left open in pyplot


def test_highlight_words_are_added_and_unknown_ones_skipped_with_warning(wv, tmp_path) -> None:
    groups = {"verbs": ["verb12", "nosuchword"], "fruit": ["fruit0"]}
    with pytest.warns(UserWarning, match="nosuchword"):
        fig = plot_pca(wv, n_words=5, out=tmp_path / "pca.png", highlight=groups)
    _assert_png(tmp_path / "pca.png")
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_text()]
    assert labels == ["fruit0", "fruit1", "fruit2", "fruit3", "fruit4", "verb12"]


def test_too_large_perplexity_is_lowered_not_an_error(wv, tmp_path) -> None:
    words = wv.words[:10]
    with pytest.warns(UserWarning, match="perplexity=30 is too large for 10 words"):
        coords = project_2d(wv, words, method="tsne", perplexity=30)
    assert coords.shape == (10, 2) and np.isfinite(coords).all()
    with pytest.warns(UserWarning, match="perplexity"):
        fig = plot_tsne(wv, words=words, out=tmp_path / "small.png")
    assert "perplexity 3" in fig.axes[0].get_title()
    _assert_png(tmp_path / "small.png")


def test_plot_analogy_arrows(wv, tmp_path) -> None:
    pairs = [("fruit0", "city0"), ("fruit1", "city1"), ("verb0", "nosuch")]
    with pytest.warns(UserWarning, match="nosuch"):
        fig = plot_analogy_arrows(wv, pairs, out=tmp_path / "arrows.png")
    _assert_png(tmp_path / "arrows.png")
    ax = fig.axes[0]
    arrows = [t for t in ax.texts if t.get_text() == ""]
    assert len(arrows) == 2
    assert sorted(t.get_text() for t in ax.texts if t.get_text()) == [
        "city0",
        "city1",
        "fruit0",
        "fruit1",
    ]
    with pytest.raises(Kw2vError, match="no pair"), pytest.warns(UserWarning):
        plot_analogy_arrows(wv, [("nosuch", "fruit0")])
    with pytest.raises(Kw2vError, match="from_word, to_word"):
        plot_analogy_arrows(wv, [("fruit0", "city0", "verb0")])


def test_drawing_into_a_given_axes_returns_its_figure(wv) -> None:
    fig, (left, right) = plt.subplots(1, 2)
    try:
        assert plot_pca(wv, 12, ax=left, title="mine") is fig
        assert left.get_title() == "mine"
        assert plot_analogy_arrows(wv, [("fruit0", "fruit1")], ax=right) is fig
    finally:
        plt.close(fig)


def test_bad_input(wv) -> None:
    with pytest.raises(Kw2vError, match="'tsne' or 'pca'"):
        project_2d(wv, wv.words[:5], method="umap")
    with pytest.raises(UnknownWordError):
        project_2d(wv, ["fruit0", "nosuch"], method="pca")
    with pytest.raises(Kw2vError, match="at least 3 words"):
        project_2d(wv, ["fruit0", "fruit1"])
    with pytest.raises(Kw2vError, match="nothing to plot"), pytest.warns(UserWarning):
        plot_pca(wv, words=["nosuch"])


def test_content_words_skip_stopwords_short_tokens_and_numbers() -> None:
    words = ["the", "of", "war", "a", "is", "1990", "music", "th", "they", "king", "queen"]
    wv = WordVectors(words, np.eye(len(words)))
    assert content_words(wv, 3) == ["war", "music", "king"]
    assert content_words(wv, 10, skip=["music"]) == ["war", "king", "queen"]
    short = WordVectors(["a1", "b2", "c3"], np.eye(3))
    with pytest.warns(UserWarning, match="no content words"):
        fig = plot_pca(short, 2)
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["a1", "b2"]


def _drawn_label_boxes(fig: Figure, dpi: float) -> list:
    """The boxes of the visible, non-empty texts of every axes, as an Agg canvas draws them."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for ax in fig.axes
        for t in ax.texts
        if t.get_visible() and t.get_text()
    ]


@pytest.fixture(scope="module")
def crowded() -> WordVectors:
    """116 words: the course's five groups, each a tight cluster, among 60 filler words."""
    rng = np.random.default_rng(3)
    words, rows = [], []
    for members in WORD_GROUPS.values():
        centre = 2.0 * rng.standard_normal(24)
        for word in members:
            words.append(word)
            rows.append(centre + 0.3 * rng.standard_normal(24))
    for i in range(60):
        words.append(f"filler{i}")
        rows.append(rng.standard_normal(24))
    return WordVectors(words, np.array(rows))


@pytest.mark.parametrize("draw", [plot_tsne, plot_pca], ids=["tsne", "pca"])
def test_map_labels_never_overlap_and_most_words_are_labelled(crowded, draw) -> None:
    fig = draw(crowded, 60, highlight=WORD_GROUPS)
    for dpi in (100, 120):  # the notebooks' inline figures and the saved PNGs
        boxes = _drawn_label_boxes(fig, dpi)
        clashes = [
            (a, b)
            for i, (a, box_a) in enumerate(boxes)
            for b, box_b in boxes[i + 1 :]
            if box_a.overlaps(box_b)
        ]
        assert clashes == [], f"at {dpi} dpi"
    drawn = {word for word, _ in boxes}
    for members in WORD_GROUPS.values():  # labels are moved apart, not simply dropped
        assert len(drawn & set(members)) >= len(members) / 2, members
    assert len(drawn) >= len(crowded) / 2
    assert overlapping_labels(fig) == []


def test_overlapping_labels_finds_labels_drawn_on_top_of_each_other() -> None:
    fig, ax = plt.subplots()
    try:
        ax.text(0.5, 0.5, "king")
        ax.text(0.5, 0.5, "queen")
        ax.text(0.1, 0.1, "far")
        assert overlapping_labels(fig) == [("king", "queen")]
    finally:
        plt.close(fig)
