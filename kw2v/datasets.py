"""The corpora the course uses by name, and the folder where they are cached.

``wiki-sample`` is a Wikipedia excerpt shipped inside gensim (no download), parsed once into
a text file; ``text8`` is downloaded once, resuming a transfer that breaks off, and checked
against its size and SHA-256. :class:`kw2v.corpus.Corpus` resolves these names through here.

Introduced in notebook 04.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

from kw2v.errors import Kw2vError

__all__ = [
    "DATASETS",
    "TEXT8_SHA256",
    "TEXT8_SIZE",
    "TEXT8_URL",
    "data_dir",
    "download_text8",
    "wiki_sample_path",
]

#: Corpora that :class:`~kw2v.corpus.Corpus` knows by name.
DATASETS = ("wiki-sample", "text8")

#: Canonical address of text8 (Matt Mahoney, http://mattmahoney.net/dc/textdata.html).
TEXT8_URL = "http://mattmahoney.net/dc/text8.zip"
#: Size of text8.zip in bytes; its one member ``text8`` holds 100,000,000 bytes.
TEXT8_SIZE = 31_344_016
#: SHA-256 of text8.zip, as published by several independent projects that pin it.
TEXT8_SHA256 = "a6640522afe85d1963ad56c05b0ede0a0c000dddc9671758a6cc09b7a38e5232"

_WIKI_SAMPLE_FILE = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
_DOWNLOAD_BLOCK = 1 << 20
_DOWNLOAD_TIMEOUT_S = 60
_DOWNLOAD_ATTEMPTS = 3
_RETRY_DELAY_S = 2.0  # before the second attempt; doubled before each later one


# --------------------------------------------------------------------------- data folder


def _cache_dir(path: str | os.PathLike[str] | None) -> Path:
    if path is not None:
        folder = Path(path).expanduser()
    elif os.environ.get("KW2V_DATA_DIR"):
        folder = Path(os.environ["KW2V_DATA_DIR"]).expanduser()
    else:
        root = Path(__file__).resolve().parents[1]
        # In a checkout, downloads land beside data/README.md (data/cache/ is git-ignored).
        # pyproject.toml tells a checkout from a site-packages folder that has a data/ dir.
        if (root / "data").is_dir() and (root / "pyproject.toml").is_file():
            folder = root / "data" / "cache"
        else:
            folder = Path.home() / ".cache" / "kw2v"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Kw2vError(
            f"cannot use {folder} as the data folder ({exc}); set KW2V_DATA_DIR to a "
            "writable folder or pass data_dir="
        ) from exc
    return folder


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder where corpora are cached, creating it if needed.

    Introduced in notebook 04.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Use this folder. Otherwise the environment variable ``KW2V_DATA_DIR``; otherwise
        ``data/cache`` in the repository when kw2v runs from a checkout; otherwise
        ``~/.cache/kw2v``.

    Returns
    -------
    pathlib.Path
        The folder, which exists.

    Raises
    ------
    Kw2vError
        If the folder cannot be created.
    """
    return _cache_dir(path)


# --------------------------------------------------------------------------- wiki-sample


def _write_atomically(target: Path, lines: Iterator[str]) -> None:
    """Write lines with :func:`kw2v.files.atomic_write` (temporary file, fsync, rename).

    A crash or Ctrl-C midway leaves no half-written ``target`` that a later run would trust.
    """
    from kw2v.files import atomic_write

    with atomic_write(target, "w") as out:
        out.writelines(lines)


def wiki_sample_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the default corpus as a text file: a Wikipedia excerpt that ships with gensim.

    It needs no download, so every notebook and test can run offline. gensim's
    ``WikiCorpus`` parses the dump (106 articles, 452,944 tokens, lowercase, punctuation
    removed); the result is cached as ``wiki-sample.txt``, one article per line, and the
    parse (about 2 s) runs only the first time.

    Introduced in notebook 04.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        Cache folder (see :func:`data_dir`).

    Returns
    -------
    pathlib.Path
        The cached ``wiki-sample.txt``; read it with ``mode="none"``.
    """
    target = _cache_dir(data_dir) / "wiki-sample.txt"
    if target.is_file() and target.stat().st_size > 0:
        return target
    from gensim.corpora import WikiCorpus  # slow import; only needed for the first parse
    from gensim.test.utils import datapath

    # dictionary={} skips building a gensim Dictionary, which we do not need.
    wiki = WikiCorpus(datapath(_WIKI_SAMPLE_FILE), dictionary={}, processes=1)
    _write_atomically(target, (" ".join(tokens) + "\n" for tokens in wiki.get_texts()))
    return target


# --------------------------------------------------------------------------- text8 download


class _Progress:
    """One short status line on stderr: rewritten in place on a terminal, else every 10%."""

    def __init__(self, label: str, total: int | None, enabled: bool) -> None:
        self.label, self.total, self.enabled = label, total, enabled
        self.tty = enabled and sys.stderr.isatty()
        self.shown = -1

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        if self.total:
            percent = min(100, done * 100 // self.total)
            step = percent if self.tty else percent // 10 * 10
            text = f"{self.label}: {done / 1e6:.1f} of {self.total / 1e6:.1f} MB ({percent}%)"
        else:  # size unknown: report every 10 MB
            step = done // 10_000_000
            text = f"{self.label}: {done / 1e6:.1f} MB"
        if step != self.shown:
            self.shown = step
            sys.stderr.write(f"\r{text}" if self.tty else f"{text}\n")
            sys.stderr.flush()

    def close(self) -> None:
        if self.tty and self.shown >= 0:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _file_problem(path: Path, size: int | None, sha256: str | None) -> str | None:
    """Say what is wrong with a downloaded file, or return None if it checks out."""
    actual_size = path.stat().st_size
    if size is not None and actual_size != size:
        return f"has {actual_size:,} bytes, expected {size:,}"
    if sha256 is not None:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while block := f.read(_DOWNLOAD_BLOCK):
                digest.update(block)
        if digest.hexdigest() != sha256.lower():
            return f"has SHA-256 {digest.hexdigest()}, expected {sha256.lower()}"
    return None


class _Retry(Exception):
    """A transfer that failed in a way worth trying again (cut short, connection lost)."""


def _fetch(url: str, out, size: int | None, bar: _Progress, failure) -> tuple:
    """Download ``url`` into ``out``, resuming a transfer that breaks off.

    Up to :data:`_DOWNLOAD_ATTEMPTS` tries, waiting a little longer each time; a retry asks
    for the missing bytes only (an HTTP ``Range`` request) and starts over if the server
    does not offer them. Returns the SHA-256 object and the byte count.
    """
    digest, received = hashlib.sha256(), 0
    for attempt in range(1, _DOWNLOAD_ATTEMPTS + 1):
        try:
            return _transfer(url, out, digest, received, size, bar, failure)
        except _Retry as exc:
            digest, received, what = exc.args
            if attempt == _DOWNLOAD_ATTEMPTS:
                raise failure(f"{what} ({_DOWNLOAD_ATTEMPTS} attempts)") from None
            time.sleep(_RETRY_DELAY_S * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def _transfer(url, out, digest, received: int, size, bar: _Progress, failure) -> tuple:
    """One HTTP request, appending to ``out`` from byte ``received`` when the server can."""
    request = urllib.request.Request(url)
    if received:
        request.add_header("Range", f"bytes={received}-")
    try:
        with urllib.request.urlopen(request, timeout=_DOWNLOAD_TIMEOUT_S) as response:
            content_range = response.headers.get("Content-Range") or ""
            if not (
                received
                and response.status == 206
                and content_range.startswith(f"bytes {received}-")
            ):
                out.seek(0)  # a fresh start: the first request, or no range offered
                out.truncate()
                digest, received = hashlib.sha256(), 0
            length = response.headers.get("Content-Length")
            announced = received + int(length) if length and length.isdigit() else None
            if size is not None and announced is not None and announced != size:
                raise failure(f"the server offers {announced:,} bytes, expected {size:,}")
            bar.total = bar.total or announced
            try:
                while block := response.read(_DOWNLOAD_BLOCK):
                    out.write(block)
                    digest.update(block)
                    received += len(block)
                    bar.update(received)
            except (http.client.IncompleteRead, OSError) as exc:
                raise _Retry(digest, received, f"the download was cut short ({exc!r})") from exc
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and received:  # the range is not offered: start again
            raise _Retry(hashlib.sha256(), 0, f"HTTP error {exc.code} {exc.reason}") from exc
        if exc.code >= 500:
            raise _Retry(digest, received, f"HTTP error {exc.code} {exc.reason}") from exc
        raise failure(f"HTTP error {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise _Retry(digest, received, f"cannot reach the server ({exc.reason})") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _Retry(digest, received, f"the transfer failed ({exc!r})") from exc
    if announced is not None and received < announced:
        raise _Retry(
            digest, received, f"the download was cut short: got {received:,} of {announced:,} bytes"
        )
    return digest, received


def download_text8(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    url: str = TEXT8_URL,
    sha256: str | None = TEXT8_SHA256,
    size: int | None = TEXT8_SIZE,
    progress: bool = True,
) -> Path:
    """Download text8.zip once, check it, and return its path in the cache.

    text8 is the first 10^8 bytes of a cleaned English Wikipedia dump, the corpus most
    word2vec tutorials and papers report on. The file is streamed to a ``.part`` file in the
    cache folder, checked against its size and SHA-256, and only then renamed to
    ``text8.zip``, so an interrupted or corrupted download is never used. A transfer that
    breaks off (or a server error 5xx) is tried again up to three times, asking only for the
    missing bytes (HTTP ``Range``) when the server allows it. When a checked ``text8.zip`` is
    already in the folder, nothing is downloaded.

    Introduced in notebook 04.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        Cache folder (see :func:`data_dir`).
    url : str, default TEXT8_URL
        Where to download from.
    sha256 : str or None, default TEXT8_SHA256
        Expected SHA-256 (hex) of the file; None skips the check.
    size : int or None, default TEXT8_SIZE
        Expected size in bytes; None skips the check.
    progress : bool, default True
        Report progress on stderr.

    Returns
    -------
    pathlib.Path
        The checked ``text8.zip``.

    Raises
    ------
    Kw2vError
        If the download fails or the file does not match; nothing is left in the cache.
    """
    folder = _cache_dir(data_dir)
    target = folder / "text8.zip"
    if target.is_file():
        problem = _file_problem(target, size, sha256)
        if problem is None:
            return target
        warnings.warn(f"{target} {problem}; downloading it again", stacklevel=2)
        target.unlink()

    def failure(what: str) -> Kw2vError:
        return Kw2vError(
            f"could not download text8 from {url}: {what}. Try again later; if it keeps "
            f"failing, download {url} yourself (e.g. with a browser), put it at {target} or "
            "pass its path instead of 'text8', e.g. Corpus('path/to/text8.zip')"
        )

    fd, tmp = tempfile.mkstemp(dir=folder, prefix="text8.zip.", suffix=".part")
    bar = _Progress("text8.zip", size, progress)
    try:
        with open(fd, "wb") as out:
            try:
                digest, received = _fetch(url, out, size, bar, failure)
            finally:
                bar.close()
            out.flush()
            os.fsync(out.fileno())
        if size is not None and received != size:
            raise failure(f"got {received:,} bytes, expected {size:,}")
        if sha256 is not None and digest.hexdigest() != sha256.lower():
            raise failure(
                f"checksum mismatch: SHA-256 {digest.hexdigest()}, expected {sha256.lower()}"
            )
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target
