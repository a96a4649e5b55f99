"""Tests for kw2v.corpus: normalisation, tokenising, streaming files, and Corpus."""

import bz2
import gzip
import lzma
import tracemalloc
import warnings
import zipfile

import pytest

from kw2v.corpus import (
    Corpus,
    iter_sentences,
    iter_text_chunks,
    normalize_text8,
    open_text,
    tokenize,
)
from kw2v.errors import Kw2vError

# A text that exercises every tokeniser: digits, punctuation, capitals, accents, a script with
# combining vowel signs, words longer than the tiny chunks below, tabs, blank and
# punctuation-only lines, CRLF line ends.
SAMPLE = (
    "Anarchism is a political philosophy.\n"
    "\n"
    "In 1984, Orwell's Café served 3 naïve internationalization-experts\t(R2-D2)!\r\n"
    "हिन्दी भाषा और देवनागरी लिपि\n"
    "...!!!\n"
    "   leading and trailing spaces   \n"
    "last line without newline supercalifragilisticexpialidocious"
)


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1984", "one nine eight four"),
        ("In 1984, Orwell wrote", "in one nine eight four orwell wrote"),
        ("Hello,   World!", "hello world"),
        ("R2-D2", "r two d two"),
        ("Café naïve", "caf na ve"),  # non-ASCII letters are not a-z: they become spaces
        ("don't", "don t"),
        ("  tabs\tand\nnewlines  ", "tabs and newlines"),
        ("0123456789", "zero one two three four five six seven eight nine"),
        ("!!!", ""),
        ("anarchism originated as a term", "anarchism originated as a term"),
    ],
)
def test_normalize_text8_known_answers(text, expected):
    assert normalize_text8(text) == expected


def test_normalize_text8_output_alphabet():
    out = normalize_text8(SAMPLE)
    assert set(out) <= set("abcdefghijklmnopqrstuvwxyz ")
    assert "  " not in out and out == out.strip()


@pytest.mark.parametrize(
    ("mode", "text", "expected"),
    [
        ("none", "Hello, World!  It's\tme", ["Hello,", "World!", "It's", "me"]),
        ("lower", "Hello, World! It's me", ["hello", "world", "it", "s", "me"]),
        ("lower", "In 1984 (R2-D2)", ["in", "1984", "r2", "d2"]),
        ("lower", "Ça va? Straße, NAÏVE", ["ça", "va", "straße", "naïve"]),
        ("lower", "हिन्दी भाषा", ["हिन्दी", "भाषा"]),  # vowel signs stay in the word
        ("lower", "日本語 テキスト", ["日本語", "テキスト"]),
        ("lower", "snake_case", ["snake", "case"]),
        (
            "text8",
            "In 1984 (R2-D2)",
            ["in", "one", "nine", "eight", "four", "r", "two", "d", "two"],
        ),
        ("text8", "Café", ["caf"]),
    ],
)
def test_tokenize_known_answers(mode, text, expected):
    assert tokenize(text, mode) == expected


def test_tokenize_lower_is_the_default_and_normalises_unicode():
    decomposed, composed = "cafe\u0301", "caf\u00e9"
    assert tokenize(decomposed) == tokenize(composed) == ["café"]


def test_tokenize_lower_keeps_text8_style_text():
    text = normalize_text8(SAMPLE) + " the quick brown fox jumps over the lazy dog"
    assert tokenize(text, "lower") == text.split() == tokenize(text, "none")


def test_tokenize_text8_equals_normalize_then_split():
    assert tokenize(SAMPLE, "text8") == normalize_text8(SAMPLE).split()


def test_tokenize_unknown_mode_names_the_valid_ones():
    with pytest.raises(Kw2vError, match="none, lower, text8"):
        tokenize("x", "upper")


# --------------------------------------------------------------------------- reading files


def _write(path, text, fmt):
    data = text.encode("utf-8")
    if fmt == "plain":
        path.write_bytes(data)
    elif fmt == "gz":
        with gzip.open(path, "wb") as f:
            f.write(data)
    elif fmt == "bz2":
        with bz2.open(path, "wb") as f:
            f.write(data)
    elif fmt == "xz":
        with lzma.open(path, "wb") as f:
            f.write(data)
    elif fmt == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("text8", data)
    return path


def _lines(text, mode):
    """The expected sentences, computed the simple way: whole text, split into lines."""
    lines = text.replace("\r\n", "\n").split("\n")
    return [tokens for line in lines if (tokens := tokenize(line, mode))]


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("plain", "c.txt"), ("gz", "c.txt.gz"), ("bz2", "c.bz2"), ("xz", "c.xz"), ("zip", "c.zip")],
)
def test_every_format_round_trips(tmp_path, fmt, name):
    path = _write(tmp_path / name, SAMPLE, fmt)
    with open_text(path) as f:
        assert f.read() == SAMPLE.replace("\r\n", "\n")
    assert "".join(iter_text_chunks(path, chunk_chars=5)) == SAMPLE.replace("\r\n", "\n")
    assert list(iter_sentences(path, mode="lower")) == _lines(SAMPLE, "lower")


def test_chunks_are_bounded(tmp_path):
    path = _write(tmp_path / "c.txt", SAMPLE * 3, "plain")
    chunks = list(iter_text_chunks(path, chunk_chars=7))
    assert max(map(len, chunks)) == 7
    assert len(chunks) == -(-len(SAMPLE.replace("\r\n", "\n") * 3) // 7)


def test_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHello world\n")
    assert list(iter_sentences(path, mode="none")) == [["Hello", "world"]]


def test_zip_with_two_members_lists_them(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.txt", "one")
        zf.writestr("b.txt", "two")
    with pytest.raises(Kw2vError, match=r"2 files \(a\.txt, b\.txt\)"):
        iter_sentences(path)
    with pytest.raises(Kw2vError, match="a.txt, b.txt"):
        Corpus(path)


def test_empty_zip_says_none(tmp_path):
    path = tmp_path / "empty.zip"
    zipfile.ZipFile(path, "w").close()
    with pytest.raises(Kw2vError, match=r"0 files \(none\)"), open_text(path):
        pass


def test_missing_path_gives_the_fix(tmp_path):
    missing = tmp_path / "nope.txt"
    expected = "corpus file not found: .*nope.txt; give a text file, .*wiki-sample, text8"
    with pytest.raises(Kw2vError, match=expected):
        iter_sentences(missing)  # fails on the call, before iteration
    with pytest.raises(Kw2vError, match=expected):
        Corpus(str(missing))
    with pytest.raises(Kw2vError, match=expected):
        iter_text_chunks(missing)


def test_directory_is_refused(tmp_path):
    with pytest.raises(Kw2vError, match="directory"):
        Corpus(tmp_path)
    with pytest.raises(Kw2vError, match="directory"), open_text(tmp_path):
        pass


def test_damaged_compressed_file_names_the_file(tmp_path):
    path = tmp_path / "fake.gz"
    path.write_bytes(b"this is not gzip data at all")
    with pytest.raises(Kw2vError, match="could not read .*fake.gz"):
        list(iter_sentences(path))


@pytest.mark.parametrize("mode", ["none", "lower", "text8"])
def test_chunk_boundaries_never_split_tokens(tmp_path, mode):
    path = _write(tmp_path / "c.txt", SAMPLE, "plain")
    tiny = list(iter_sentences(path, mode=mode, chunk_chars=7))
    whole = list(iter_sentences(path, mode=mode, chunk_chars=1 << 20))
    assert tiny == whole == _lines(SAMPLE, mode)
    assert ["supercalifragilisticexpialidocious"] == tiny[-1][-1:]


@pytest.mark.parametrize("chunk_chars", [1, 2, 3, 7, 64])
def test_one_long_line_is_cut_at_max_sentence_length(tmp_path, chunk_chars):
    words = [f"w{i}" for i in range(25)]
    path = tmp_path / "one_line.txt"
    path.write_text(" ".join(words) + "\nshort line\n" + " ".join(words[:10]), encoding="utf-8")
    got = list(iter_sentences(path, mode="none", max_sentence_length=10, chunk_chars=chunk_chars))
    assert got == [
        words[:10],
        words[10:20],
        words[20:],
        ["short", "line"],
        words[:10],  # exactly max_sentence_length: one piece, no empty one after it
    ]


def test_streaming_memory_does_not_grow_with_a_long_line(tmp_path):
    # One 3 MB line, like text8 in miniature: held whole as a list of tokens it would take
    # tens of MB; streamed, memory stays near one chunk plus one sentence.
    path = tmp_path / "long.txt"
    path.write_text(" ".join(f"tok{i % 5000}" for i in range(400_000)), encoding="utf-8")
    tracemalloc.start()
    try:
        count = sum(
            len(s) for s in iter_sentences(path, max_sentence_length=1000, chunk_chars=16384)
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 400_000
    assert peak < 2_000_000, f"peak traced memory {peak:,} bytes"


def test_empty_lines_yield_nothing(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("\n\n   \n\t\n", encoding="utf-8")
    assert list(iter_sentences(path)) == []


def test_invalid_utf8_is_replaced_with_one_warning(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(("café crème brûlée\n" * 50).encode("latin-1"))
    with pytest.warns(UnicodeWarning, match="not valid UTF-8") as record:
        sentences = list(iter_sentences(path, mode="none", chunk_chars=16))
    assert len(record) == 1
    assert sentences[0] == ["caf\ufffd", "cr\ufffdme", "br\ufffdl\ufffde"]
    assert len(sentences) == 50


def test_genuine_replacement_character_does_not_warn(tmp_path):
    path = tmp_path / "ok.txt"
    path.write_text("valid \ufffd text\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert list(iter_sentences(path, mode="none")) == [["valid", "\ufffd", "text"]]


@pytest.mark.parametrize(
    "kwargs", [{"mode": "upper"}, {"max_sentence_length": 0}, {"chunk_chars": 0}]
)
def test_bad_options_are_refused(tmp_path, kwargs):
    path = _write(tmp_path / "c.txt", SAMPLE, "plain")
    with pytest.raises(Kw2vError):
        iter_sentences(path, **kwargs)


# --------------------------------------------------------------------------- Corpus


def test_corpus_is_reiterable(tmp_path):
    path = _write(tmp_path / "c.txt.gz", SAMPLE, "gz")
    c = Corpus(path, max_sentence_length=3)
    first, second = list(c), list(c)
    assert first == second and len(first) > 3
    assert all(1 <= len(s) <= 3 for s in first)
    assert c.name == "c.txt.gz" and c.path == path and c.mode == "lower"
    assert "c.txt.gz" in repr(c) and "lower" in repr(c)


def test_corpus_mode_can_be_chosen(tmp_path):
    path = _write(tmp_path / "c.txt", "Hello, World 42\n", "plain")
    assert list(Corpus(path, mode="none")) == [["Hello,", "World", "42"]]
    assert list(Corpus(path, mode="text8")) == [["hello", "world", "four", "two"]]
    with pytest.raises(Kw2vError, match="none, lower, text8"):
        Corpus(path, mode="nope")


def test_max_tokens_reads_a_prefix_and_head_cuts_further(tmp_path):
    path = _write(tmp_path / "c.txt", "a b c\nd e\nf g h i\n", "plain")
    assert list(Corpus(path, max_tokens=4)) == [["a", "b", "c"], ["d"]]
    assert list(Corpus(path, max_tokens=3)) == [["a", "b", "c"]]
    assert list(Corpus(path, max_tokens=100)) == list(Corpus(path))
    whole = Corpus(path)
    cut = whole.head(6)
    assert list(cut) == [["a", "b", "c"], ["d", "e"], ["f"]] and whole.max_tokens is None
    assert cut.head(9).max_tokens == 6 and list(cut.head(2)) == [["a", "b"]]
    assert "max_tokens=6" in repr(cut)
    with pytest.raises(Kw2vError, match="max_tokens"):
        Corpus(path, max_tokens=0)


def test_first_available_falls_back_with_a_warning(tmp_path):
    path = _write(tmp_path / "c.txt", "a b c\n", "plain")
    with pytest.warns(UserWarning, match="missing.txt is not available: .*not found"):
        chosen = Corpus.first_available(tmp_path / "missing.txt", path, max_tokens=2)
    assert chosen.path == path and list(chosen) == [["a", "b"]]
    with pytest.raises(Kw2vError, match="not found"):
        Corpus.first_available(tmp_path / "missing.txt")
