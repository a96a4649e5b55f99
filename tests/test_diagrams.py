"""kw2v.course.diagrams: every figure draws, saves as a PNG, and shows computed numbers."""

import warnings
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from kw2v import noise_distribution
from kw2v.course import diagrams
from kw2v.errors import Kw2vError
from kw2v.hierarchical import HuffmanTree

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
STEMS = {
    "embedding_lookup",
    "skipgram_window",
    "softmax_network",
    "negative_sampling_network",
    "unigram_noise",
}


def figure_texts(fig: Figure) -> list[str]:
    """Every string drawn in ``fig``, tick labels and titles included."""
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def png_size(path) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header."""
    data = path.read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_save_all_writes_five_pngs(tmp_path):
    paths = diagrams.save_all(tmp_path / "new" / "images")
    assert {p.stem for p in paths} == STEMS == set(diagrams.DIAGRAMS)
    for path in paths:
        assert path.suffix == ".png"
        assert path.read_bytes()[:8] == PNG_MAGIC
        assert path.stat().st_size > 20_000  # a real drawing, not a blank page
        width, height = png_size(path)
        assert 900 <= width <= 2600 and 600 <= height <= 1600, (path.name, width, height)


def test_cli_writes_into_out_and_lists_the_files(tmp_path, capsys, monkeypatch):
    # two diagrams are enough to test the command line; save_all above draws all five
    few = {s: diagrams.DIAGRAMS[s] for s in ("skipgram_window", "unigram_noise")}
    monkeypatch.setattr(diagrams, "DIAGRAMS", few)
    assert diagrams.main(["--out", str(tmp_path / "imgs")]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / "imgs" / f"{s}.png") for s in few]
    assert all(Path(p).read_bytes()[:8] == PNG_MAGIC for p in printed)


def test_cli_bad_out_folder_is_one_line_and_status_2(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert diagrams.main(["--out", str(blocker / "images")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--out" in err


def test_worked_example_numbers_to_two_significant_figures():
    # the figure's numbers: 0.9, 0.09, 0.01 raised to 3/4, then normalised by kw2v's sampler
    raw = np.array([0.9, 0.09, 0.01])
    assert [float(f"{r:.2g}") for r in raw**0.75] == [0.92, 0.16, 0.032]
    probs = noise_distribution(raw)
    np.testing.assert_allclose(probs, raw**0.75 / (raw**0.75).sum())
    assert probs[2] / raw[2] == pytest.approx(2.82, abs=0.01)  # rare words gain
    assert probs[0] < raw[0]  # frequent words lose


@pytest.mark.parametrize("bad", [[], [0, 0], [0.5, -0.1]])
def test_unigram_figure_rejects_bad_frequencies(bad):
    with pytest.raises(Kw2vError, match="non-negative"):
        diagrams.draw_unigram_noise(["w"] * len(bad), bad)


def test_unigram_figure_rejects_mismatched_lengths():
    with pytest.raises(Kw2vError, match="one frequency per word"):
        diagrams.draw_unigram_noise(["a", "b"], [1.0])


def test_unigram_figure_shows_computed_numbers(monkeypatch):
    texts = " ".join(figure_texts(diagrams.draw_unigram_noise()))
    for shown in ["0.92", "0.16", "0.032", "0.83", "0.028", "1.12"]:
        assert shown in texts
    # the bars come from kw2v's noise_distribution, not from strings typed into the figure
    monkeypatch.setattr(diagrams, "noise_distribution", lambda p, power=0.75: np.full(3, 0.3))
    texts = " ".join(figure_texts(diagrams.draw_unigram_noise()))
    assert "0.83" not in texts and "0.028" not in texts
    assert "0.3" in texts


def test_unigram_figure_follows_its_arguments():
    texts = figure_texts(diagrams.draw_unigram_noise(["a", "b"], [3, 1], power=0.5))
    # 0.75 ** 0.5 = 0.866, 0.25 ** 0.5 = 0.5
    assert "0.87" in " ".join(texts) and "a" in texts and "b" in texts


def test_skipgram_window_lists_the_pairs():
    texts = figure_texts(diagrams.draw_skipgram_window("a b c d e", window=1, targets=[0, 2]))
    pairs = [t for t in texts if t.startswith("(") and t.endswith(")") and ", " in t]
    assert pairs == ["(a, b)", "(c, b)", "(c, d)"]


@pytest.mark.parametrize(
    "kwargs",
    [{"sentence": "  "}, {"window": 0}, {"targets": [9]}, {"targets": []}],
)
def test_skipgram_window_rejects_bad_input(kwargs):
    with pytest.raises(Kw2vError):
        diagrams.draw_skipgram_window(**kwargs)


@pytest.mark.parametrize("k", [1, 5, 8])
def test_negative_sampling_labels_match_k(k):
    texts = figure_texts(diagrams.draw_negative_sampling_network(k=k))
    labels = "[" + ", ".join(["1"] + ["0"] * k) + "]"
    assert any(t.startswith(labels + "\n") for t in texts)
    assert texts.count("0") == k and texts.count("1") == 1


def test_negative_sampling_rejects_k_that_does_not_fit():
    with pytest.raises(Kw2vError, match="k must be"):
        diagrams.draw_negative_sampling_network(k=0)


def test_figures_ignore_the_callers_rcparams():
    import matplotlib

    with matplotlib.rc_context({"font.size": 30, "figure.facecolor": "black"}):
        fig = diagrams.draw_embedding_lookup()
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    sizes = {t.get_fontsize() for t in fig.findobj(lambda a: hasattr(a, "get_fontsize"))}
    assert 30 not in sizes


def test_figures_show_as_png_in_jupyter_without_pyplot():
    # Jupyter calls _repr_png_ when no inline backend has registered a Figure printer
    fig = diagrams.draw_skipgram_window()
    assert fig._repr_png_()[:8] == PNG_MAGIC


def test_huffman_picture(tmp_path):
    words = ["", "the", "of", "and", "king", "queen"]
    tree = HuffmanTree([0, 50, 30, 20, 5, 4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = diagrams.plot_huffman_tree(
            tree, words, [0, 50, 30, 20, 5, 4], out=tmp_path / "tree.png"
        )
    assert (tmp_path / "tree.png").stat().st_size > 1000
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "king\n5" in texts and "3" in texts  # a leaf and the root (inner node 3)
