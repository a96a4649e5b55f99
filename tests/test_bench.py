import json
import math
import os

import pytest
from conftest import planted_sentences
from gensim.models import Word2Vec
from PIL import Image

from kw2v import Vocabulary
from kw2v.bench import CURVE_SCORES, plot_time_to_quality, prepare_corpus
from kw2v.cli import main
from kw2v.sampling import kept_tokens


def test_prepare_corpus_keeps_the_first_words(tmp_path):
    src = tmp_path / "c.txt"
    src.write_text("a b c\nd e\nf g h i\n")
    text, n = prepare_corpus(str(src), 6, tmp_path)
    assert n == 6 and text.read_text() == "a b c\nd e\nf\n"


@pytest.mark.parametrize("sample", [1e-3, 1e-2, 0])
def test_effective_words_are_gensims(sample):
    """Words kept by min_count and subsampling, the count gensim logs as "effective words"."""
    sentences = [s + [f"rare{i % 700}"] for i, s in enumerate(planted_sentences())]
    gensim = Word2Vec(min_count=3, sample=sample)
    gensim.scan_vocab(corpus_iterable=sentences)
    expected = gensim.prepare_vocab(dry_run=True)["downsample_total"]  # gensim truncates
    vocab = Vocabulary.build(sentences, min_count=3)
    assert abs(round(kept_tokens(vocab.counts, sample)) - expected) <= 1
    if sample == 0:
        assert round(kept_tokens(vocab.counts, sample)) == vocab.counts.sum()


def test_bench_trains_both_and_reports_ratios(tmp_path, capsys):
    # Through the command line, as the README runs it (its defaults reach run_bench).
    argv = ["bench", "--corpus", "wiki-sample", "--out", str(tmp_path), "--max-words", "30000"]
    assert main([*argv, "--min-count", "3", "--epochs", "2"]) == 0
    assert "ratios" in capsys.readouterr().out
    report = json.loads((tmp_path / "bench.json").read_text())
    k, g = report["results"]["kw2v"], report["results"]["gensim"]
    assert k["vocabulary"] == g["vocabulary"] > 500  # same corpus, same vocabulary rule
    assert k["wall_s"] > 0 and g["peak_rss_mb"] > 0
    assert report["ratios"]["words_per_s"] == round(k["words_per_s"] / g["words_per_s"], 3)
    assert report["words"] == 30_000
    # subsampling (sample 1e-3) and min_count leave fewer effective words than raw ones
    assert 0 < report["effective_words"] < report["words"]
    for r in (k, g):
        rates = report["effective_words"] / report["words"]
        assert r["effective_words_per_s"] == pytest.approx(r["words_per_s"] * rates, rel=1e-3)
    md = (tmp_path / "bench.md").read_text()
    assert "| ws353 |" in md and "| raw words/s" in md and "| effective words/s" in md
    workers = os.cpu_count()  # gensim's default here: every core
    assert "## Quality against time" in md and f"| gensim (workers={workers}) | 2 |" in md
    assert report["gensim_options"] == {"sg": 1, "hs": 0, "negative": 5, "workers": workers}
    for r in (k, g):
        curve = r["curve"]
        assert [p["epoch"] for p in curve] == [1, 2]
        # seconds since the process started: increasing, within the process's wall time
        assert 0 < curve[0]["seconds"] < curve[1]["seconds"] <= r["wall_s"] + 0.1
        assert all(-1 <= p[s] <= 1 for p in curve for s in CURVE_SCORES)
        # the last epoch's vectors are the run's final vectors
        assert all(curve[-1][s] == r[s] for s in CURVE_SCORES)
    assert k["curve"][0]["seconds"] > 1  # kw2v's process starts TensorFlow before epoch 1
    with Image.open(tmp_path / "time_to_quality.png") as png:
        png.verify()
        assert png.format == "PNG" and png.size[0] > 2 * png.size[1] > 500


def test_the_picture_draws_each_trainers_epochs_against_seconds():
    def curve(seconds, score):
        return [
            {"epoch": i + 1, "seconds": s, **dict.fromkeys(CURVE_SCORES, score + 0.1 * i)}
            for i, s in enumerate(seconds)
        ]

    report = {
        "corpus": "/data/text8",
        "method": "skip-gram with negative sampling",
        "words": 1000,
        "options": {"epochs": "3"},
        "gensim_options": {"workers": 2},
        "results": {
            "kw2v": {"curve": curve([5, 7, 9], 0.2)},
            "gensim": {"curve": curve([1, 2, 3], 0.3)},
        },
    }
    fig = plot_time_to_quality(report)
    assert len(fig.axes) == len(CURVE_SCORES) == 3
    for ax in fig.axes:
        (kw2v, gensim) = ax.get_lines()
        assert list(kw2v.get_xdata()) == [5, 7, 9] and list(gensim.get_xdata()) == [1, 2, 3]
        assert [t.get_text() for t in ax.texts] == ["1", "2", "3"] * 2  # epochs labelled
        assert ax.get_xlim()[0] == 0  # from each process's start
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "kw2v",
        "gensim (workers=2)",
    ]
    assert "text8" in fig.get_suptitle() and "whole processes" in fig.get_suptitle()
    assert math.isclose(fig.axes[1].get_lines()[0].get_ydata()[2], 0.4)


def test_bench_cbow_with_hierarchical_softmax_matches_gensims_options(tmp_path, capsys):
    argv = ["bench", "--corpus", "wiki-sample", "--out", str(tmp_path), "--max-words", "20000"]
    options = ["--min-count", "1", "--sample", "0", "--model", "cbow", "--loss", "hierarchical"]
    options += ["--workers", "1"]
    assert main([*argv, *options]) == 0
    report = json.loads((tmp_path / "bench.json").read_text())
    options = {"sg": 0, "hs": 1, "negative": 0, "workers": 1}
    assert report["gensim_options"] == options
    assert report["method"] == "CBOW with hierarchical softmax"
    kw2v_run = json.loads((tmp_path / "kw2v" / "run.json").read_text())["config"]
    assert (kw2v_run["architecture"], kw2v_run["objective"], kw2v_run["negative"]) == (
        "cbow",
        "hierarchical",
        None,
    )
    k, g = report["results"]["kw2v"], report["results"]["gensim"]
    assert k["vocabulary"] == g["vocabulary"] > 300
    # neither min_count 1 nor sample 0 drops a word: every raw word is an effective one
    assert report["effective_words"] == report["words"] == 20_000
    assert k["words_per_s"] == k["effective_words_per_s"]
    assert [p["epoch"] for p in k["curve"]] == [p["epoch"] for p in g["curve"]] == [1]


def test_bench_refuses_glove_in_one_line(tmp_path, capsys):
    assert (
        main(["bench", "--corpus", "wiki-sample", "--out", str(tmp_path), "--model", "glove"]) == 2
    )
    (line,) = capsys.readouterr().err.splitlines()
    assert (
        "gensim's Word2Vec, which has no GloVe" in line and not (tmp_path / "bench.json").exists()
    )
