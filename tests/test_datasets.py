"""Tests for kw2v.datasets: the data folder, the wiki-sample cache and the text8 download."""

import hashlib
import http.server
import io
import os
import threading
import zipfile

import pytest

from kw2v import datasets
from kw2v.corpus import Corpus
from kw2v.datasets import (
    DATASETS,
    TEXT8_SHA256,
    TEXT8_SIZE,
    TEXT8_URL,
    data_dir,
    download_text8,
    wiki_sample_path,
)
from kw2v.errors import Kw2vError

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
    monkeypatch.setattr(datasets, "_RETRY_DELAY_S", 0.0)
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
        datasets,
        "download_text8",
        lambda data_dir=None: _download(server, data_dir),
    )
    c = Corpus("text8", data_dir=tmp_path, max_sentence_length=50)
    assert c.name == "text8" and c.mode == "none" and c.path == tmp_path / "text8.zip"
    sentences = list(c)
    assert sentences[0][:3] == ["anarchism", "originated", "as"]
    assert sum(map(len, sentences)) == 7 * 200
    assert all(len(s) <= 50 for s in sentences)
