"""The command line: every command on a small trained run, and user errors as one line, exit 2."""

import os

import keras
import pytest
from conftest import (
    METHODS,
    assert_user_error,
    cli_flags,
    planted_file,
    run_kw2v,
)

from kw2v.cli import main


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A corpus file and a short `train` run on it, shared by the tests below."""
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "planted.txt"
    planted_file(corpus)
    out = root / "run"
    argv = [
        "train",
        "--corpus",
        str(corpus),
        "--out",
        str(out),
        "--epochs",
        "2",
        "--dim",
        "16",
        "--min-count",
        "1",
        "--sample",
        "0",
        "--batch-size",
        "256",
    ]
    assert main(argv) == 0
    return out


def test_train_writes_vectors_that_gensim_loads(run_dir):
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(run_dir / "vectors.bin", binary=True)
    assert len(kv) == 32 and kv.vector_size == 16
    assert kv.most_similar("a1", topn=1)[0][0].startswith("a")


def test_neighbors_evaluate_plot_export(run_dir, tmp_path, capsys):
    assert main(["neighbors", str(run_dir), "a1", "c2", "--topn", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("a1: a") and "\nc2: c" in out
    assert main(["evaluate", str(run_dir / "vectors.bin"), "--json"]) == 0
    assert '"ws353"' in capsys.readouterr().out
    assert main(["plot", str(run_dir), "--out", str(tmp_path / "p.png"), "--method", "pca"]) == 0
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    assert (
        main(
            ["export", str(run_dir), "--format", "word2vec-text", "--out", str(tmp_path / "v.txt")]
        )
        == 0
    )
    assert (tmp_path / "v.txt").read_text().startswith("32 16\n")
    assert main(["export", str(run_dir), "--format", "projector", "--out", str(tmp_path)]) == 0
    assert len((tmp_path / "metadata.tsv").read_text().splitlines()) == 32
    assert (
        main(["export", str(run_dir), "--format", "tensorboard", "--out", str(tmp_path / "tb")])
        == 0
    )
    assert "metadata.tsv" in (tmp_path / "tb" / "projector_config.pbtxt").read_text()


@pytest.mark.parametrize(
    "args,message",
    [
        (["train", "--corpus", "/no/such/file.txt", "--out", "X"], "not found"),
        (["train", "--corpus", "wiki-sample", "--out", "X", "--window", "0"], "--window"),
        (["train", "--corpus", "wiki-sample", "--out", "X", "--epochs", "-1"], "--epochs"),
        (["neighbors", "/no/such/vectors.bin", "king"], "not found"),
        (
            ["train", "--corpus", "wiki-sample", "--out", "X", "--epoch-vectors", os.devnull],
            f"--epoch-vectors {os.devnull} is a file; give a folder",
        ),
    ],
)
def test_user_errors_one_line_exit_2_no_traceback(args, message):
    proc = run_kw2v(*args)
    assert_user_error(proc, message)


def test_unknown_word_suggests_close_ones(run_dir, capsys):
    assert main(["neighbors", str(run_dir), "a11"]) == 2
    err = capsys.readouterr().err
    assert "'a11'" in err and "a1" in err and err.count("\n") == 1


def test_vectors_with_nan_name_the_word_instead_of_scores(tmp_path, capsys):
    """A diverged run saves NaN: evaluate and neighbors refuse, naming the word; export
    copies the file with a one-line warning."""
    path = tmp_path / "v.txt"
    path.write_text("3 2\nking 1 2\nqueen nan 1\nprince 1 inf\n")
    for argv in (["evaluate", str(path)], ["neighbors", str(path), "king"]):
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.out == ""  # no score printed
        (line,) = captured.err.splitlines()
        assert "'queen' (and 1 other word(s)) holds NaN or infinite values" in line
        assert line.startswith("kw2v: error: ")
    out = tmp_path / "copy.txt"
    proc = run_kw2v("export", str(path), "--format", "word2vec-text", "--out", str(out))
    assert proc.returncode == 0 and out.is_file()
    (warning,) = proc.stderr.splitlines()
    assert warning.startswith("kw2v: warning: ") and "'queen'" in warning


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    return planted_file(tmp_path_factory.mktemp("cli") / "planted.txt", 300)


def _train_argv(corpus, out, *flags):
    common = ["--corpus", str(corpus), "--epochs", "1", "--dim", "8", "--min-count", "1"]
    return ["train", *common, "--out", str(out), *flags]


# skip-gram with negative sampling is run_dir's method, above
@pytest.mark.parametrize("method", [m for m in METHODS if m != "skipgram"])
def test_cli_trains_each_variant(small_corpus, tmp_path, method):
    from gensim.models import KeyedVectors

    out = tmp_path / method
    assert main(_train_argv(small_corpus, out, *cli_flags(METHODS[method]))) == 0
    kv = KeyedVectors.load_word2vec_format(out / "vectors.bin", binary=True)
    assert len(kv) == 32 and kv.vector_size == 8
    if METHODS[method].get("objective") == "hierarchical":
        # the saved hierarchical-softmax model reloads, custom loss included
        model = keras.models.load_model(out / "model.keras", safe_mode=True)
        assert model.get_layer("node_embedding").input_dim == 31


def test_cli_refuses_glove_with_hierarchical_softmax(small_corpus, tmp_path, capsys):
    argv = _train_argv(small_corpus, tmp_path / "x", "--model", "glove", "--loss", "hierarchical")
    assert main(argv) == 2
    assert "--loss" in capsys.readouterr().err
