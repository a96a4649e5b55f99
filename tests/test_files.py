"""kw2v.files: atomic writes, word2vec text/binary files (checked against gensim), projector."""

from __future__ import annotations

import os

import numpy as np
import pytest
from gensim.models import KeyedVectors

import kw2v.files as files
from kw2v.errors import Kw2vError
from kw2v.files import atomic_write, read_word2vec, write_word2vec
from kw2v.vectors import WordVectors

# --- word2vec formats --------------------------------------------------------------------------


@pytest.mark.parametrize("binary", [False, True])
def test_gensim_reads_our_files(wv, tmp_path, binary) -> None:
    path = wv.save_word2vec(tmp_path / ("v.bin" if binary else "v.txt"))
    loaded = KeyedVectors.load_word2vec_format(str(path), binary=binary)
    assert loaded.index_to_key == wv.words
    np.testing.assert_array_equal(loaded.vectors, wv.vectors)


@pytest.mark.parametrize("binary", [False, True])
def test_we_read_gensim_files(wv, kv, tmp_path, binary) -> None:
    path = tmp_path / "gensim.w2v"
    kv.save_word2vec_format(str(path), binary=binary)
    loaded = WordVectors.load_word2vec(path, binary=binary)
    assert loaded.words == wv.words
    np.testing.assert_array_equal(loaded.vectors, wv.vectors)
    assert loaded.counts is None


def test_text_file_is_byte_identical_to_gensims(wv, kv, tmp_path) -> None:
    kv.save_word2vec_format(str(tmp_path / "gensim.txt"), binary=False)
    wv.save_word2vec(tmp_path / "ours.txt")
    assert (tmp_path / "ours.txt").read_bytes() == (tmp_path / "gensim.txt").read_bytes()


def test_binary_layout_and_suffix_choice(tmp_path) -> None:
    wv = WordVectors(["ab", "c"], [[1.0, -2.0], [0.5, 0.25]])
    wv.save_word2vec(tmp_path / "v.bin")
    expected = b"2 2\n" + b"ab " + np.array([1.0, -2.0], "<f4").tobytes() + b"\n"
    expected += b"c " + np.array([0.5, 0.25], "<f4").tobytes() + b"\n"
    assert (tmp_path / "v.bin").read_bytes() == expected
    wv.save_word2vec(tmp_path / "v.txt")
    assert (tmp_path / "v.txt").read_text() == "2 2\nab 1.0 -2.0\nc 0.5 0.25\n"
    for name in ("v.bin", "v.txt"):
        back = WordVectors.load_word2vec(tmp_path / name)
        assert back.words == ["ab", "c"]
        np.testing.assert_array_equal(back.vectors, wv.vectors)


@pytest.mark.parametrize("binary", [False, True])
def test_round_trip(wv, tmp_path, binary) -> None:
    path = wv.save_word2vec(tmp_path / "sub" / "v.w2v", binary=binary)
    back = WordVectors.load_word2vec(path, binary=binary)
    assert back.words == wv.words
    np.testing.assert_array_equal(back.vectors, wv.vectors)


def test_words_with_spaces_cannot_be_saved(tmp_path) -> None:
    wv = WordVectors(["new york", "b"], np.ones((2, 2)))
    with pytest.raises(Kw2vError, match="new york"):
        wv.save_word2vec(tmp_path / "v.txt")
    assert list(tmp_path.iterdir()) == []


def _text_file(tmp_path, body: str, name: str = "v.txt"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("3 2\na 1.0 2.0\nb 3.0 4.0\n", "ends after 2 vectors but its header promises 3"),
        ("1 2\na 1 2\nb 3 4\n", "line 3: more vectors than the 1"),
        ("2 2\na 1 2\nb 3 4 5\n", r"line 3 \(word 'b'\): 3 values but the header says dimension 2"),
        ("2 2\na 1 2\nb 3 x4\n", r"line 3 \(word 'b'\): 'x4' is not a number"),
        ("2 2\na 1 2\na 3 4\n", "'a' appears twice"),
        ("hello world\n", "first line"),
        ("", "first line"),
        ("100 50\na 1 2\n", "truncated or the header is wrong"),
    ],
)
def test_malformed_text_files(tmp_path, body, match) -> None:
    with pytest.raises(Kw2vError, match=match):
        WordVectors.load_word2vec(_text_file(tmp_path, body))


def test_malformed_binary_files(wv, tmp_path) -> None:
    good = wv.save_word2vec(tmp_path / "good.bin").read_bytes()
    cut = tmp_path / "cut.bin"
    cut.write_bytes(good[: len(good) // 2])
    with pytest.raises(Kw2vError, match="truncated"):
        WordVectors.load_word2vec(cut)
    cut.write_bytes(good[:-10])  # inside the last vector
    with pytest.raises(Kw2vError, match=r"truncated inside vector 203 \(word '日本'\)"):
        WordVectors.load_word2vec(cut)
    fewer = tmp_path / "fewer.bin"
    fewer.write_bytes(good.replace(b"203 16\n", b"202 16\n", 1))
    with pytest.raises(Kw2vError, match="more data after the 202 vectors"):
        WordVectors.load_word2vec(fewer)
    more = tmp_path / "more.bin"
    more.write_bytes(good.replace(b"203 16\n", b"204 16\n", 1))
    with pytest.raises(Kw2vError, match="header"):
        WordVectors.load_word2vec(more)


def test_wrong_format_flag_gives_a_hint(wv, tmp_path) -> None:
    text = wv.save_word2vec(tmp_path / "v.txt")
    with pytest.raises(Kw2vError, match="binary=False"):
        WordVectors.load_word2vec(text, binary=True)
    binary = wv.save_word2vec(tmp_path / "v.vec", binary=True)
    with pytest.raises(Kw2vError, match="binary=True"):
        WordVectors.load_word2vec(binary)
    with pytest.raises(Kw2vError, match="does not exist"):
        WordVectors.load_word2vec(tmp_path / "missing.txt")


# --- atomic writes -----------------------------------------------------------------------------


def test_atomic_write_keeps_old_file_when_the_writer_fails(tmp_path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target, "w") as f:
        f.write("half of the new ")
        raise RuntimeError("killed midway")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]
    with atomic_write(target) as f:
        f.write(b"new")
    assert target.read_bytes() == b"new" and os.listdir(tmp_path) == ["out.txt"]
    with pytest.raises(Kw2vError, match="mode"):
        with atomic_write(target, "a"):
            pass


def test_failed_save_leaves_previous_vectors(wv, tmp_path, monkeypatch) -> None:
    path = wv.save_word2vec(tmp_path / "v.txt")
    before = path.read_bytes()
    calls = iter(range(10**6))

    def failing_format(row, sep):
        if next(calls) == 100:
            raise OSError("disk full")
        return sep.join(map(str, row))

    monkeypatch.setattr(files, "_format_row", failing_format)
    smaller = WordVectors(wv.words, wv.vectors * 2)
    with pytest.raises(OSError, match="disk full"):
        smaller.save_word2vec(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["v.txt"]


# --- projector files ---------------------------------------------------------------------------


def test_save_projector(wv, tmp_path) -> None:
    vectors_path, metadata_path = wv.save_projector(tmp_path / "projector")
    assert (vectors_path.name, metadata_path.name) == ("vectors.tsv", "metadata.tsv")
    rows = vectors_path.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(wv)
    np.testing.assert_array_equal(
        np.array([r.split("\t") for r in rows], dtype=np.float32), wv.vectors
    )
    assert metadata_path.read_text(encoding="utf-8").splitlines() == wv.words
    with pytest.raises(Kw2vError, match="whitespace"):
        WordVectors(["a\tb"], np.ones((1, 2))).save_projector(tmp_path / "bad")


def test_module_functions_round_trip_plain_arrays(tmp_path) -> None:
    words, vectors = ["ab", "c"], np.array([[1.0, -2.0], [0.5, 0.25]])  # float64 in
    for name in ("v.txt", "v.bin"):
        path = write_word2vec(tmp_path / name, words, vectors)
        back_words, back_vectors = read_word2vec(path)
        assert back_words == words and back_vectors.dtype == np.float32
        np.testing.assert_array_equal(back_vectors, vectors)
    assert (tmp_path / "v.txt").read_text() == "2 2\nab 1.0 -2.0\nc 0.5 0.25\n"
    with pytest.raises(Kw2vError, match="one row per word"):
        write_word2vec(tmp_path / "bad.txt", ["a"], np.zeros((2, 2)))
    assert not (tmp_path / "bad.txt").exists()
