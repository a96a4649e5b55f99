"""Tests for kw2v.corpus: normalisation, tokenising, streaming files, and the two datasets."""

import bz2
import gzip
import hashlib
import http.server
import io
import lzma
import os
import threading
import tracemalloc
import warnings
import zipfile

import pytest

from kw2v import corpus
from kw2v.corpus import (
    DATASETS,
    TEXT8_SHA256,
    TEXT8_SIZE,
    TEXT8_URL,
    Corpus,
    data_dir,
    download_text8,
    iter_sentences,
    iter_text_chunks,
    normalize_text8,
    open_text,
    tokenize,
    wiki_sample_path,
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


# --------------------------------------------------------------------------- data folder


def test_data_dir_argument_env_and_creation(tmp_path, monkeypatch):
    monkeypatch.setenv("KW2V_DATA_DIR", str(tmp_path / "from_env"))
    assert data_dir() == tmp_path / "from_env"
    assert (tmp_path / "from_env").is_dir()
    assert data_dir(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert (tmp_path / "a" / "b").is_dir()


def test_data_dir_that_is_a_file_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(Kw2vError, match="KW2V_DATA_DIR"):
        data_dir(blocker)


# --------------------------------------------------------------------------- wiki-sample


@pytest.fixture(scope="module")
def wiki_dir(tmp_path_factory):
    """Parse the gensim excerpt once for this module, into a temporary data folder."""
    folder = tmp_path_factory.mktemp("wiki_data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KW2V_DATA_DIR", str(folder))
        path = wiki_sample_path()  # no argument: the environment variable decides
    assert path == folder / "wiki-sample.txt"
    return folder


def test_wiki_sample_known_answers(wiki_dir, monkeypatch):
    monkeypatch.setenv("KW2V_DATA_DIR", str(wiki_dir))
    c = Corpus("wiki-sample")
    assert c.name == "wiki-sample" and c.mode == "none"
    assert c.path == wiki_dir / "wiki-sample.txt"
    sentences = list(c)
    assert sentences[0][:5] == ["anarchism", "is", "political", "philosophy", "that"]
    assert sum(map(len, sentences)) == 452_944
    assert sum(1 for _ in open(c.path, encoding="utf-8")) == 106
    assert all(len(s) <= 10_000 for s in sentences)


def test_wiki_sample_second_call_uses_the_cache(wiki_dir, monkeypatch):
    import gensim.corpora

    def no_parse(*args, **kwargs):
        raise AssertionError("WikiCorpus must not run when the cache exists")

    monkeypatch.setattr(gensim.corpora, "WikiCorpus", no_parse)
    cached = wiki_dir / "wiki-sample.txt"
    before = cached.stat().st_mtime_ns
    assert wiki_sample_path(wiki_dir) == cached
    assert cached.stat().st_mtime_ns == before


def test_interrupted_wiki_parse_leaves_nothing(tmp_path, monkeypatch):
    import gensim.corpora

    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        def get_texts(self):
            yield ["first", "article"]
            raise KeyboardInterrupt

    monkeypatch.setattr(gensim.corpora, "WikiCorpus", Broken)
    with pytest.raises(KeyboardInterrupt):
        wiki_sample_path(tmp_path)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- text8 download


def test_text8_constants():
    assert DATASETS == ("wiki-sample", "text8")
    assert TEXT8_URL == "http://mattmahoney.net/dc/text8.zip"
    assert TEXT8_SIZE == 31_344_016
    assert len(TEXT8_SHA256) == 64 and int(TEXT8_SHA256, 16) >= 0


def _fake_text8_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("text8", " anarchism originated as a term of abuse" * 200)
    return buffer.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    # Set by the fixture: the bytes to serve, what to do, and a log of requested paths.
    payload = b""
    behaviour = "ok"
    requests: list = []

    def do_GET(self):  # the name http.server looks for
        type(self).requests.append(self.path)
        type(self).ranges.append(self.headers.get("Range"))
        first = len(self.requests) == 1
        if self.behaviour == "404" or (self.behaviour == "500-once" and first):
            code = 404 if self.behaviour == "404" else 500
            self.send_error(code, "Not Found" if code == 404 else "Server Error")
            return
        start = 0
        wanted = self.headers.get("Range", "")
        if self.behaviour == "short-once" and wanted.startswith("bytes="):
            start = int(wanted[6:].split("-")[0])  # honour "bytes=N-"
        if start:
            self.send_response(206)
            total = len(self.payload)
            self.send_header("Content-Range", f"bytes {start}-{total - 1}/{total}")
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(self.payload) - start))
        self.end_headers()
        body = self.payload[start:]
        if self.behaviour == "short" or (self.behaviour.startswith("short-once") and first):
            body = body[: len(body) // 2]  # fewer bytes than announced, then close
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up early, as it should on a size mismatch

    def log_message(self, format, *args):  # keep test output clean
        pass


@pytest.fixture
def server(monkeypatch):
    """A loopback HTTP server on 127.0.0.1 (an unused port) serving a small fake text8.zip."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setattr(corpus, "_RETRY_DELAY_S", 0.0)
    payload = _fake_text8_zip()
    handler = type("Handler", (_Handler,), {"payload": payload, "requests": [], "ranges": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    port = httpd.server_address[1]
    yield {
        "handler": handler,
        "url": f"http://127.0.0.1:{port}/dc/text8.zip",
        "size": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "payload": payload,
    }
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _download(server, folder, **overrides):
    kwargs = {"url": server["url"], "size": server["size"], "sha256": server["sha256"]}
    kwargs.update(overrides)
    kwargs.setdefault("progress", False)
    return download_text8(folder, **kwargs)


def test_text8_download_then_cache_hit(server, tmp_path, capsys):
    path = _download(server, tmp_path, progress=True)
    assert path == tmp_path / "text8.zip"
    assert path.read_bytes() == server["payload"]
    assert os.listdir(tmp_path) == ["text8.zip"]  # no .part file left behind
    assert "100%" in capsys.readouterr().err  # stderr is not a TTY here: a line per 10%
    assert len(server["handler"].requests) == 1

    again = _download(server, tmp_path)
    assert again == path
    assert len(server["handler"].requests) == 1  # verified cache: no new request


def test_corrupt_cached_file_is_downloaded_again(server, tmp_path):
    (tmp_path / "text8.zip").write_bytes(b"x" * server["size"])
    with pytest.warns(UserWarning, match="SHA-256"):
        path = _download(server, tmp_path)
    assert path.read_bytes() == server["payload"]
    assert len(server["handler"].requests) == 1


def test_text8_checksum_mismatch_leaves_nothing(server, tmp_path):
    with pytest.raises(Kw2vError, match="checksum mismatch.*download .* yourself"):
        _download(server, tmp_path, sha256="0" * 64)
    assert list(tmp_path.iterdir()) == []


def test_text8_cut_short_leaves_nothing(server, tmp_path):
    server["handler"].behaviour = "short"
    with pytest.raises(Kw2vError, match=r"cut short.*\(3 attempts\)"):
        _download(server, tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert len(server["handler"].requests) == 3


def test_text8_cut_short_once_resumes_with_a_range_request(server, tmp_path):
    server["handler"].behaviour = "short-once"
    path = _download(server, tmp_path)
    assert path.read_bytes() == server["payload"] and os.listdir(tmp_path) == ["text8.zip"]
    half = (server["size"]) // 2
    assert server["handler"].ranges == [None, f"bytes={half}-"]  # only the missing bytes


def test_text8_cut_short_once_starts_over_when_ranges_are_not_offered(server, tmp_path):
    server["handler"].behaviour = "short-once-norange"  # answers 200 and the whole file
    path = _download(server, tmp_path)
    assert path.read_bytes() == server["payload"] and os.listdir(tmp_path) == ["text8.zip"]
    assert len(server["handler"].requests) == 2


def test_text8_server_error_is_tried_again(server, tmp_path):
    server["handler"].behaviour = "500-once"
    assert _download(server, tmp_path).read_bytes() == server["payload"]
    assert len(server["handler"].requests) == 2


def test_text8_size_mismatch_is_caught_before_downloading(server, tmp_path):
    with pytest.raises(Kw2vError, match="expected"):
        _download(server, tmp_path, size=server["size"] + 1)
    assert list(tmp_path.iterdir()) == []


def test_text8_http_error_leaves_nothing(server, tmp_path):
    server["handler"].behaviour = "404"
    with pytest.raises(Kw2vError, match="HTTP error 404"):
        _download(server, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_corpus_text8_reads_the_zip_member(server, tmp_path, monkeypatch):
    # Corpus("text8") uses the module defaults; point them at the fake for this test.
    monkeypatch.setattr(
        corpus,
        "download_text8",
        lambda data_dir=None: _download(server, data_dir),
    )
    c = Corpus("text8", data_dir=tmp_path, max_sentence_length=50)
    assert c.name == "text8" and c.mode == "none" and c.path == tmp_path / "text8.zip"
    sentences = list(c)
    assert sentences[0][:3] == ["anarchism", "originated", "as"]
    assert sum(map(len, sentences)) == 7 * 200
    assert all(len(s) <= 50 for s in sentences)
