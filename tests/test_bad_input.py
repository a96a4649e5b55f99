"""Bad input: every mistake a user can make gets one clear line naming the fix, never a
traceback. Corpus checks are unit-tested here; the command line is run for real (a subprocess
per case, most of them before TensorFlow loads, so they are quick)."""

import gzip
import os
import zipfile
from pathlib import Path

import pytest
from conftest import (
    METHODS,
    ON_DEVICE,
    assert_user_error,
    cli_flags,
    method_options,
    planted_file,
    run_kw2v,
)

from kw2v import Corpus, Kw2vError
from kw2v.cli import main
from kw2v.corpus import iter_sentences

# --------------------------------------------------------------------------- corpus files


def test_empty_file_is_refused_naming_it(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    with pytest.raises(Kw2vError, match=r"empty: .*e\.txt"):
        Corpus(tmp_path / "e.txt")
    with gzip.open(tmp_path / "e.txt.gz", "wb"):
        pass  # a valid gzip file holding no text
    with pytest.raises(Kw2vError, match="empty"):
        Corpus(tmp_path / "e.txt.gz")


def test_binary_file_with_nul_bytes_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(Kw2vError, match="binary file.*NUL"):
        Corpus(path)


def test_utf16_is_refused_with_the_conversion(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("hello world\n".encode("utf-16") * 10)
    with pytest.raises(Kw2vError, match="UTF-16.*iconv -f utf-16 -t utf-8"):
        Corpus(path)


def test_mostly_undecodable_text_is_refused(tmp_path):
    path = tmp_path / "cyrillic.txt"
    path.write_bytes("привет мир это текст\n".encode("cp1251") * 50)
    with pytest.raises(Kw2vError, match=r"not UTF-8 text \(\d+% .*iconv"):
        Corpus(path)


def test_a_few_bad_bytes_are_replaced_with_a_warning(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("le café est très bon\n".encode("latin-1") * 50)
    with pytest.warns(UnicodeWarning, match="not valid UTF-8"):
        sentences = list(Corpus(path))
    assert len(sentences) == 50 and sentences[0][0] == "le"


def test_compressed_file_with_a_plain_name_says_how_to_rename(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_bytes(gzip.compress(b"the cat sat on the mat\n" * 20))
    with pytest.raises(Kw2vError, match=r"gz-compressed.*rename it to end in \.gz"):
        Corpus(path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_names_the_permission_fix(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("the cat sat\n")
    path.chmod(0)
    with pytest.raises(Kw2vError, match="cannot read corpus file.*chmod"):
        Corpus(path)


def test_unreadable_file_message_when_opening_fails(tmp_path, monkeypatch):
    # Runs as root too: opening is made to fail the way chmod 0 makes it fail for a user.
    import kw2v.corpus as corpus_module

    path = tmp_path / "secret.txt"
    path.write_text("the cat sat\n")

    def denied(resolved):
        raise PermissionError(13, "Permission denied", str(resolved))

    monkeypatch.setattr(corpus_module, "_open_binary", denied)
    with pytest.raises(Kw2vError, match="cannot read corpus file .*Permission denied.*chmod"):
        Corpus(path)


def test_zip_member_escaping_the_folder_is_only_streamed(tmp_path):
    """A zip member named ../../evil is read as a stream: nothing is written anywhere."""
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    path = inner / "corpus.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../evil", "the cat sat on the mat\n" * 3)
    before = sorted(p for p in tmp_path.rglob("*"))
    assert list(iter_sentences(path)) == [["the", "cat", "sat", "on", "the", "mat"]] * 3
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert not (tmp_path / "evil").exists()


# --------------------------------------------------------------------------- command line


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Bad corpora and damaged vectors files, plus one small good corpus."""
    d = tmp_path_factory.mktemp("bad")
    (d / "empty.txt").write_bytes(b"")
    (d / "folder").mkdir()
    (d / "binary.bin").write_bytes(bytes(range(256)) * 40)
    (d / "latin1.txt").write_bytes(
        ("le café est très bon à boire " * 3 + "\n").encode("latin-1") * 40
    )
    (d / "rare.txt").write_text("every word here appears once only\n")
    (d / "one_word_lines.txt").write_text("alpha\nbeta\n" * 20)
    with zipfile.ZipFile(d / "two.zip", "w") as zf:
        zf.writestr("a.txt", "the cat\n")
        zf.writestr("b.txt", "the dog\n")
    (d / "blocker").write_text("a file where a folder should be")
    good = d / "good.txt"
    planted_file(good, 200)
    header, row = b"3 4\n", lambda w: w + b" " + b"\x00\x00\x80\x3f" * 4
    (d / "truncated.bin").write_bytes(header + row(b"a") + row(b"b")[:9])
    (d / "count.bin").write_bytes(b"5 4\n" + row(b"a") + row(b"b") + row(b"c"))
    (d / "mixed.txt").write_text("2 3\na 1 2 3\nb 1 2\n")
    (d / "dim.txt").write_text("2 3\na 1 2 3 4\nb 1 2 3 4\n")
    (d / "notvectors.txt").write_text("hello there\nthis is prose\n")
    return d


def _train_args(d, corpus, *extra):
    return ("train", "--corpus", str(d / corpus), "--out", str(d / "out"), *extra)


TRAIN = "train --corpus {d}/good.txt --out {d}/out"


@pytest.mark.parametrize(
    "command,fragments",
    [
        ("train --corpus {d}/missing.txt --out {d}/out", ["not found", "missing.txt"]),
        ("train --corpus {d}/folder --out {d}/out", ["is a directory", "one text file"]),
        ("train --corpus {d}/empty.txt --out {d}/out", ["empty", "empty.txt"]),
        ("train --corpus {d}/binary.bin --out {d}/out", ["binary file", "UTF-8 text file"]),
        ("train --corpus {d}/two.zip --out {d}/out", ["2 files", "exactly one"]),
        (TRAIN + " --window 0", ["--window must be at least 1"]),
        (TRAIN + " --window -2", ["--window must be at least 1"]),
        (TRAIN + " --negative -1", ["--negative must be 0 or more"]),
        (TRAIN + " --dim 0", ["--dim must be at least 1"]),
        (TRAIN + " --epochs 0", ["--epochs must be at least 1"]),
        (TRAIN + " --sample -0.5", ["--sample must be 0 or more"]),
        (TRAIN + " --batch-size 0", ["--batch-size must be at least 1"]),
        (TRAIN + " --epochs abc", ["--epochs", "'abc'", "--help"]),
        (TRAIN + " --sample x", ["--sample", "invalid float"]),
        (TRAIN + " --bogus", ["unrecognized arguments: --bogus"]),
        ("train --corpus {d}/good.txt", ["--out"]),
        ("frobnicate", ["invalid choice", "frobnicate"]),
        (
            "train --corpus {d}/good.txt --out {d}/blocker/x",
            ["cannot write to output folder", "choose another --out"],
        ),
        ("neighbors {d}/truncated.bin a", ["truncated"]),
        ("evaluate {d}/count.bin", ["header promises 5"]),
        ("plot {d}/mixed.txt --out {d}/p.png", ["2 values"]),
        ("export {d}/dim.txt --format projector --out {d}", ["4 values"]),
        ("export {d}/mixed.txt --format word2vec-text --out {d}/x.txt", ["2 values"]),
        ("neighbors {d}/notvectors.txt a", ["first line should be"]),
        ("neighbors {d}/folder a", ["vectors file not found"]),
        ("neighbors {d}/dim.txt a --topn 0", ["--topn", "at least 1"]),
        ("plot {d}/dim.txt --out {d}/p.png --words -3", ["--words", "at least 1"]),
    ],
)
def test_command_line_user_errors(files, command, fragments):
    args = [arg.format(d=files) for arg in command.split()]
    assert_user_error(run_kw2v(*args), *fragments, most_lines=3)


def test_export_onto_a_folder_names_the_folder(files, tmp_path):
    good = tmp_path / "v.txt"
    good.write_text("1 2\na 1 2\n")
    proc = run_kw2v("export", str(good), "--format", "word2vec-text", "--out", str(tmp_path))
    assert_user_error(proc, f"{tmp_path} is a folder", most_lines=3)


# Errors found only after TensorFlow loads run in-process (TensorFlow is already imported).


def test_no_word_reaches_min_count(files, capsys):
    assert main(list(_train_args(files, "rare.txt"))) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no word occurs 5 times" in err and "--min-count" in err


def test_corpus_shorter_than_a_window_makes_no_pairs(files, capsys):
    args = _train_args(files, "one_word_lines.txt", "--min-count", "1", "--sample", "0")
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "training pairs" in err and "lines of 2 or more" in err


def test_subsampling_everything_away_is_refused_before_fit(files, capsys):
    # 200 lines of 8 words, 32 distinct: with --sample 1e-5 almost every word is dropped.
    args = _train_args(files, "good.txt", "--min-count", "1", "--sample", "1e-6")
    assert main(list(args)) == 2
    assert "--sample 0 keeps every word" in capsys.readouterr().err


def test_error_inside_the_input_pipeline_during_fit_is_reported_as_itself(files, monkeypatch):
    """TensorFlow wraps an exception raised by the generator that feeds fit (GloVe's: the
    word2vec methods make their examples with TensorFlow ops, with no Python to fail);
    train re-raises the original, so the command line still prints one line."""
    from kw2v.glove import GloVePipeline

    def broken(self, epoch):
        raise Kw2vError("planted pipeline failure; the fix goes here")
        yield  # a generator

    monkeypatch.setattr(GloVePipeline, "batches", broken)
    args = _train_args(files, "good.txt", "--model", "glove", "--min-count", "1", "--dim", "4")
    with pytest.raises(Kw2vError, match="planted pipeline failure"):
        from kw2v.training import train

        train(
            Corpus(files / "good.txt"),
            epochs=1,
            min_count=1,
            dim=4,
            architecture="glove",
            verbose=0,
        )
    assert main(list(args)) == 2


def test_latin1_corpus_trains_with_a_one_line_warning(files, tmp_path, capsys):
    argv = ["train", "--corpus", str(files / "latin1.txt"), "--out", str(tmp_path / "run")]
    argv += ["--epochs", "1", "--dim", "4", "--min-count", "1", "--sample", "0"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "UTF-8" in line]
    assert len(warnings) == 1 and warnings[0].startswith("kw2v: warning: "), err
    assert "iconv" in warnings[0] and "Traceback" not in err
    assert (tmp_path / "run" / "vectors.bin").is_file()


# --------------------------------------------------------------------------- every method

# The bad input above, for each of the five methods (conftest.METHODS): the options and
# corpora that the methods read differently. In-process, after the first, TensorFlow is loaded.
EVERY_METHOD = [
    ("empty.txt", [], ["empty"]),
    ("binary.bin", [], ["binary file"]),
    ("rare.txt", [], ["no word occurs 5 times", "--min-count"]),
    ("one_word_lines.txt", ["--min-count", "1"], ["--min-count"]),  # no pairs in any line
    ("good.txt", ["--window", "0"], ["--window must be at least 1"]),
    ("good.txt", ["--dim", "0"], ["--dim must be at least 1"]),
    ("good.txt", ["--epochs", "0"], ["--epochs must be at least 1"]),
    ("good.txt", ["--batch-size", "0"], ["--batch-size must be at least 1"]),
    ("good.txt", ["--learning-rate", "0"], ["--learning-rate must be above 0"]),
    ("good.txt", ["--min-count", "0"], ["--min-count must be at least 1"]),
]


@pytest.mark.parametrize("method", [*METHODS, *ON_DEVICE])
@pytest.mark.parametrize("corpus,extra,fragments", EVERY_METHOD, ids=lambda v: str(v)[:20])
def test_every_method_refuses_bad_input_in_one_line(
    files, capsys, method, corpus, extra, fragments
):
    """The same one-line errors whether the examples are made on the host or the device."""
    args = [*_train_args(files, corpus, *extra), *cli_flags(method_options(method))]
    assert main(args) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kw2v: error: "), lines
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.mark.parametrize(
    "method,option,why",
    [
        ("skipgram-hs", ["--negative", "5"], "no negatives"),
        ("cbow-hs", ["--negative", "0"], "no negatives"),
        ("glove", ["--negative", "5"], "no negatives"),
        ("glove", ["--sample", "0"], "counts every co-occurrence"),
        ("cbow", ["--shared-embedding"], "only skip-gram with negative sampling"),
        ("skipgram-hs", ["--output-vectors", "target+context"], "no context table"),
    ],
)
def test_an_option_the_method_does_not_use_is_refused_before_tensorflow(method, option, why):
    args = [*_train_args(Path("/nonexistent-but-unread"), "c.txt"), *option]
    proc = run_kw2v(*args, *cli_flags(METHODS[method]))
    assert_user_error(proc, option[0], why, most_lines=3)


def test_options_a_method_reads_are_accepted(files, tmp_path, capsys):
    # --output-vectors target+context is CBOW's E + Θ; target is GloVe's w alone.
    for method, option in (("cbow", "target+context"), ("glove", "target")):
        args = _train_args(files, "good.txt", "--min-count", "1", "--epochs", "1", "--dim", "4")
        args = [*args[:4], str(tmp_path / method), *args[5:], "--output-vectors", option]
        assert main([*args, *cli_flags(METHODS[method])]) == 0, capsys.readouterr().err
