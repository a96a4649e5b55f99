"""Text in, token lists out: reading corpora as streams with bounded memory.

word2vec trains for several epochs over a corpus that may not fit in memory as a list of
tokens (text8 is a single 100 MB line, 17 million tokens). This module turns a file, plain or
compressed, into a re-iterable stream of sentences (lists of tokens), reading a chunk at a
time. The named corpora (``wiki-sample``, ``text8``) and their cache live in
:mod:`kw2v.datasets`; :class:`Corpus` accepts either a name or a path.

:class:`Corpus` is first used in notebook 00; notebook 04 opens this module up.
"""

from __future__ import annotations

import bz2
import codecs
import contextlib
import copy
import functools
import gzip
import io
import lzma
import numbers
import os
import re
import threading
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from kw2v import datasets
from kw2v.errors import Kw2vError

__all__ = [
    "TOKENIZE_MODES",
    "Corpus",
    "iter_sentences",
    "iter_text_chunks",
    "normalize_text8",
    "open_text",
    "tokenize",
]

#: Ways :func:`tokenize` can split text.
TOKENIZE_MODES = ("none", "lower", "text8")


# --------------------------------------------------------------------------- normalisation

_DIGIT_WORDS = "zero one two three four five six seven eight nine".split()
# Only ASCII A-Z is lowercased, as Perl's tr/A-Z/a-z/ in wikifil.pl; any other letter
# becomes a space, like every other character outside a-z.
_TEXT8_TABLE = {ord("A") + i: chr(ord("a") + i) for i in range(26)}
_TEXT8_TABLE.update({ord("0") + d: f" {word} " for d, word in enumerate(_DIGIT_WORDS)})
_NOT_A_TO_Z = re.compile(r"[^a-z]+")
_A_TO_Z_WORD = re.compile(r"[a-z]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def normalize_text8(text: str) -> str:
    """Normalise text the way text8 was made, so other text matches its vocabulary.

    Applies the character rules of Matt Mahoney's ``wikifil.pl`` (the part after the wiki
    markup is removed): ASCII letters are lowercased, each digit becomes its English word,
    every other character becomes a space, and runs of spaces collapse to one. Leading and
    trailing spaces are dropped.

    Introduced in notebook 04.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        Lowercase a–z words separated by single spaces.

    Examples
    --------
    >>> normalize_text8("In 1984, Orwell's Café!")
    'in one nine eight four orwell s caf'
    """
    return _NOT_A_TO_Z.sub(" ", text.translate(_TEXT8_TABLE)).strip()


@functools.cache
def _unicode_word() -> re.Pattern[str]:
    """Pattern for a word: letters and digits, with combining marks kept inside it.

    ``[^\\W_]`` alone splits words in scripts whose vowel signs are combining marks (Hindi
    "हिन्दी" would fall apart), so marks may follow a letter or digit. The marks are listed
    once, on first use; they live in planes 0, 1 and 14 only.
    """
    ranges: list[tuple[int, int]] = []
    for code in (*range(0x20000), *range(0xE0000, 0xE1000)):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    marks = "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in ranges
    )
    return re.compile(rf"[^\W_]+(?:[{marks}]+[^\W_]*)*")


def _tokens_none(text: str) -> list[str]:
    return text.split()


def _tokens_lower(text: str) -> list[str]:
    if text.isascii():  # fast path: most corpora, including text8
        return _ASCII_WORD.findall(text.lower())
    return _unicode_word().findall(unicodedata.normalize("NFC", text).lower())


def _tokens_text8(text: str) -> list[str]:
    # Same result as normalize_text8(text).split(), without building the joined string.
    return _A_TO_Z_WORD.findall(text.translate(_TEXT8_TABLE))


_TOKENIZERS = {"none": _tokens_none, "lower": _tokens_lower, "text8": _tokens_text8}


def _check_mode(mode: str) -> None:
    if mode not in _TOKENIZERS:
        raise Kw2vError(f"unknown tokenize mode {mode!r}; use one of: {', '.join(TOKENIZE_MODES)}")


def tokenize(text: str, mode: str = "lower") -> list[str]:
    """Split text into tokens; the mode decides how much cleaning happens first.

    Introduced in notebook 04.

    Parameters
    ----------
    text : str
        The text to split.
    mode : {"lower", "none", "text8"}
        ``"none"`` splits on whitespace and keeps tokens as they are (for corpora that are
        already tokenised). ``"lower"`` lowercases and keeps runs of Unicode letters and
        digits (combining marks included, text NFC-normalised), dropping punctuation, so
        ``"don't"`` gives ``["don", "t"]`` as in text8; a text8-style text comes out
        unchanged. ``"text8"`` applies :func:`normalize_text8`, then splits.

    Returns
    -------
    list of str
        The tokens, in order.

    Raises
    ------
    Kw2vError
        If ``mode`` is not one of the three modes.

    Examples
    --------
    >>> tokenize("Hello, World! 42")
    ['hello', 'world', '42']
    >>> tokenize("Hello, World! 42", mode="text8")
    ['hello', 'world', 'four', 'two']
    """
    _check_mode(mode)
    return _TOKENIZERS[mode](text)


# --------------------------------------------------------------------------- reading files

# Bytes that are not UTF-8 decode to U+FFFD as with errors="replace", but through this
# handler, which also counts them, so a reader can tell decoding damage from a genuine U+FFFD
# in the file. The count is per thread; readers compare it before and after each read.
_REPLACE_HANDLER = "kw2v.count_replace"
_decode_state = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _decode_state.replaced = getattr(_decode_state, "replaced", 0) + 1
    return "\ufffd", exc.end


codecs.register_error(_REPLACE_HANDLER, _count_and_replace)


def _replaced_so_far() -> int:
    return getattr(_decode_state, "replaced", 0)


# What a damaged or mislabelled compressed file raises while it is read.
_READ_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile)


class _CorpusReader(io.TextIOWrapper):
    """UTF-8 text stream that warns once about undecodable bytes and names the file on errors."""

    def __init__(self, binary: io.BufferedIOBase, path: Path) -> None:
        # utf-8-sig drops a byte-order mark at the start and is plain UTF-8 otherwise.
        super().__init__(binary, encoding="utf-8-sig", errors=_REPLACE_HANDLER, newline=None)
        self._kw2v_path = path
        self._kw2v_warned = False

    def _kw2v_call(self, method: Callable[..., str], *args: int) -> str:
        before = _replaced_so_far()
        try:
            result = method(*args)
        except _READ_ERRORS as exc:
            raise _damaged(self._kw2v_path, exc) from exc
        if not self._kw2v_warned and _replaced_so_far() != before:
            self._kw2v_warned = True
            warnings.warn(
                f"{self._kw2v_path} is not valid UTF-8; undecodable bytes were replaced by "
                "U+FFFD. Convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8) to keep them.",
                UnicodeWarning,
                stacklevel=3,
            )
        return result

    def read(self, size: int | None = -1) -> str:
        return self._kw2v_call(super().read, size)

    def readline(self, size: int = -1) -> str:
        return self._kw2v_call(super().readline, size)

    def __next__(self) -> str:
        return self._kw2v_call(super().__next__)


def _damaged(path: Path, exc: BaseException) -> Kw2vError:
    return Kw2vError(
        f"could not read {path}: {exc}; the file is damaged or its name ends in the wrong "
        "suffix (.gz, .bz2, .xz, .zip); re-download or re-compress it"
    )


def _not_found(path: Path | str) -> Kw2vError:
    return Kw2vError(
        f"corpus file not found: {path}; give a text file, .gz/.bz2/.xz/.zip, "
        f"or a dataset name: {', '.join(datasets.DATASETS)}"
    )


def _zip_member(zf: zipfile.ZipFile, path: Path) -> str:
    names = [info.filename for info in zf.infolist() if not info.is_dir()]
    if len(names) != 1:
        listed = ", ".join(names) if names else "none"
        raise Kw2vError(
            f"{path} holds {len(names)} files ({listed}); kw2v reads a zip with exactly one "
            "text file, like text8.zip: unzip it and pass the one file you want"
        )
    return names[0]


# How much of a file's (decompressed) start is looked at to tell text from binary, as git
# and grep do; and the share of undecodable bytes above which it is not taken for UTF-8 text.
_SNIFF_BYTES = 8192
_MAX_UNDECODABLE = 0.25
# Compressed data behind a plain-text name: the suffix that would make kw2v read it.
_MAGIC_SUFFIXES = (
    (b"\x1f\x8b", ".gz"),
    (b"BZh", ".bz2"),
    (b"\xfd7zXZ\x00", ".xz"),
    (b"PK\x03\x04", ".zip"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _open_binary(resolved: Path) -> io.BufferedIOBase:
    """The file's bytes, decompressed as its suffix says (a zip: its one member)."""
    suffix = resolved.suffix.lower()
    if suffix == ".gz":
        return gzip.open(resolved, "rb")
    if suffix == ".bz2":
        return bz2.open(resolved, "rb")
    if suffix in (".xz", ".lzma"):
        return lzma.open(resolved, "rb")
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(resolved) as zf:  # the open member keeps the file open
                return zf.open(_zip_member(zf, resolved))
        except zipfile.BadZipFile as exc:
            raise Kw2vError(f"{resolved} is not a valid zip file ({exc}); re-download it") from exc
    return open(resolved, "rb")


def _check_text(head: bytes, path: str | os.PathLike[str], suffix: str) -> None:
    """Refuse a file whose first bytes show it is empty, binary, or not UTF-8 at all.

    A few undecodable bytes in a text (say a Latin-1 "é") are replaced and warned about when
    the file is read; a file that starts with NUL bytes, or in which a quarter of the first
    8 KiB is not UTF-8, would only train on garbage, so it is refused here with the fix.
    """
    if not head:
        raise Kw2vError(f"corpus file is empty: {path}; give a file with some text in it")
    if head.startswith(_UTF16_BOMS):
        raise Kw2vError(
            f"{path} is UTF-16 text; kw2v reads UTF-8: convert it first, e.g. "
            f"iconv -f utf-16 -t utf-8 {path} > corpus.txt"
        )
    if suffix not in (".gz", ".bz2", ".xz", ".lzma", ".zip"):
        for magic, right in _MAGIC_SUFFIXES:
            if head.startswith(magic):
                raise Kw2vError(
                    f"{path} is {right[1:]}-compressed but its name does not end in {right}; "
                    f"rename it to end in {right}"
                )
    if b"\x00" in head:
        raise Kw2vError(
            f"{path} looks like a binary file, not text: it holds NUL bytes (UTF-16 text "
            "does too: convert it to UTF-8); give a UTF-8 text file, plain or .gz/.bz2/.xz/.zip"
        )
    # A multi-byte character cut by the end of the sample is not counted as an error.
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(head, final=False)
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    if bad > _MAX_UNDECODABLE * len(head):
        raise Kw2vError(
            f"{path} is not UTF-8 text ({bad * 100 // len(head)}% of its first "
            f"{len(head):,} bytes are not UTF-8): if it is text in another encoding, convert "
            f"it, e.g. iconv -f latin1 -t utf-8 {path} > corpus.txt; if it is binary, give a "
            "text file"
        )


def _check_file(path: str | os.PathLike[str]) -> Path:
    """Resolve a corpus path and fail early, with a fix, if it cannot be read as text."""
    resolved = Path(path).expanduser()
    if not resolved.exists():
        raise _not_found(path)
    if resolved.is_dir():
        raise Kw2vError(
            f"corpus path is a directory: {path}; give one text file (or .gz/.bz2/.xz/.zip); "
            "to train on several files, concatenate them into one"
        )
    try:
        binary = _open_binary(resolved)
    except PermissionError as exc:
        raise Kw2vError(
            f"cannot read corpus file {path}: {exc.strerror}; check its permissions "
            f"(e.g. chmod a+r {path})"
        ) from exc
    except OSError as exc:
        raise Kw2vError(f"cannot open corpus file {path}: {exc.strerror or exc}") from exc
    with binary:
        try:
            head = binary.read(_SNIFF_BYTES)
        except _READ_ERRORS as exc:
            raise _damaged(resolved, exc) from exc
    _check_text(head, path, resolved.suffix.lower())
    return resolved


@contextlib.contextmanager
def open_text(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """Open a corpus file as text, whatever its compression.

    The format follows the file name: ``.gz``, ``.bz2``, ``.xz`` (or ``.lzma``), ``.zip``
    with exactly one member (the layout of text8.zip), else plain text. A zip member is only
    ever streamed, never extracted, so a member name such as ``../../x`` writes nothing.
    Text is decoded as UTF-8; bytes that are not UTF-8 become U+FFFD with one
    :class:`UnicodeWarning` per file, because one bad byte should not stop a long training
    run. A file that is empty, binary (NUL bytes), UTF-16, or mostly not UTF-8 is refused.
    Line endings become ``"\\n"``.

    Introduced in notebook 04.

    Parameters
    ----------
    path : str or os.PathLike
        The corpus file.

    Yields
    ------
    TextIO
        A text stream; read it in pieces (``read(n)``), since a corpus can be one huge line.

    Raises
    ------
    Kw2vError
        If the file is missing, unreadable, empty, binary, a directory, a zip without
        exactly one member, or damaged.
    """
    resolved = _check_file(path)
    binary = _open_binary(resolved)
    with _CorpusReader(binary, resolved) as reader:  # closes the binary stream too
        yield reader


def _positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise Kw2vError(f"{name} must be a positive whole number, got {value!r}")


def iter_text_chunks(path: str | os.PathLike[str], chunk_chars: int = 1 << 20) -> Iterator[str]:
    """Read a corpus file as pieces of at most ``chunk_chars`` characters.

    Memory stays bounded by the chunk size however long the file's lines are. The path is
    checked when this function is called, before the first chunk is asked for.

    Introduced in notebook 04.

    Parameters
    ----------
    path : str or os.PathLike
        The corpus file, plain or compressed (see :func:`open_text`).
    chunk_chars : int, default 1 << 20
        Characters per chunk.

    Returns
    -------
    Iterator[str]
        The text, chunk by chunk; joined, the chunks give the whole text.

    Raises
    ------
    Kw2vError
        If the path cannot be read (see :func:`open_text`) or ``chunk_chars`` < 1.
    """
    _positive("chunk_chars", chunk_chars)
    _check_file(path)
    return _chunks(path, chunk_chars)


def _chunks(path: str | os.PathLike[str], chunk_chars: int) -> Iterator[str]:
    with open_text(path) as stream:
        while chunk := stream.read(chunk_chars):
            yield chunk


def iter_sentences(
    path: str | os.PathLike[str],
    mode: str = "lower",
    max_sentence_length: int = 10_000,
    chunk_chars: int = 1 << 20,
) -> Iterator[list[str]]:
    """Stream a corpus file as sentences: one list of tokens per line.

    A newline ends a sentence and empty lines give nothing. A line longer than
    ``max_sentence_length`` tokens is cut into pieces of that length, as gensim does, so a
    one-line corpus such as text8 never has to be held in memory whole. The text is read in
    chunks and cut only at whitespace, so no token is ever split by a chunk boundary.

    Introduced in notebook 04.

    Parameters
    ----------
    path : str or os.PathLike
        The corpus file, plain or compressed (see :func:`open_text`).
    mode : {"lower", "none", "text8"}
        How to tokenise each line (see :func:`tokenize`).
    max_sentence_length : int, default 10_000
        Longest sentence yielded, in tokens.
    chunk_chars : int, default 1 << 20
        Characters read at a time; it bounds memory, not the result.

    Returns
    -------
    Iterator[list[str]]
        The sentences, each a non-empty list of tokens.

    Raises
    ------
    Kw2vError
        If the path cannot be read, the mode is unknown, or a size is below 1.
    """
    _check_mode(mode)
    _positive("max_sentence_length", max_sentence_length)
    _positive("chunk_chars", chunk_chars)
    _check_file(path)
    return _sentences(path, _TOKENIZERS[mode], max_sentence_length, chunk_chars)


def _full_pieces(tokens: list[str], size: int) -> Iterator[list[str]]:
    """Yield and remove every complete ``size``-token piece from the front of ``tokens``."""
    start = 0
    while len(tokens) - start >= size:
        yield tokens[start : start + size]
        start += size
    del tokens[:start]


def _sentences(
    path: str | os.PathLike[str],
    tokens_of: Callable[[str], list[str]],
    max_len: int,
    chunk_chars: int,
) -> Iterator[list[str]]:
    sentence: list[str] = []  # tokens of the current line not yet yielded
    pending = ""  # text after the last safe cut, waiting for the next chunk
    for chunk in _chunks(path, chunk_chars):
        lines = (pending + chunk).split("\n")
        unfinished = lines.pop()
        for line in lines:
            sentence.extend(tokens_of(line))
            yield from _full_pieces(sentence, max_len)
            if sentence:
                yield sentence
                sentence = []
        # Whitespace separates tokens in every mode, so cutting there cannot split one.
        cut = max(unfinished.rfind(" "), unfinished.rfind("\t"))
        if cut >= 0:
            sentence.extend(tokens_of(unfinished[:cut]))
            yield from _full_pieces(sentence, max_len)
        pending = unfinished[cut + 1 :]
    sentence.extend(tokens_of(pending))
    yield from _full_pieces(sentence, max_len)
    if sentence:
        yield sentence


# --------------------------------------------------------------------------- Corpus


class Corpus:
    """A corpus as a re-iterable stream of sentences, for training over several epochs.

    Each ``for sentence in corpus`` reads the file again from the start, chunk by chunk, so
    memory does not grow with the corpus. The source is resolved when the object is made, so
    a wrong path fails at once rather than at the first epoch.

    Introduced in notebook 04.

    Parameters
    ----------
    source : str or os.PathLike
        A dataset name, ``"wiki-sample"`` (shipped with gensim) or ``"text8"`` (downloaded
        once), or the path of a text file, plain or .gz/.bz2/.xz/.zip. A name wins over a
        file of the same name; write ``"./text8"`` to mean the file.
    mode : {"lower", "none", "text8"}, optional
        Tokenisation (see :func:`tokenize`). By default ``"none"`` for the datasets, which
        are already normalised, and ``"lower"`` for files.
    data_dir : str or os.PathLike, optional
        Cache folder for the datasets (see :func:`kw2v.datasets.data_dir`).
    max_sentence_length : int, default 10_000
        Longer lines are cut into pieces of this many tokens.
    max_tokens : int, optional
        Read only the first ``max_tokens`` tokens (a slice for quick runs and experiments);
        by default the whole corpus.

    Attributes
    ----------
    name : str
        The dataset name, or the file name.
    path : pathlib.Path
        The local file that is read.
    mode : str
        The tokenisation mode in use.
    max_sentence_length : int
        Longest sentence yielded, in tokens.
    max_tokens : int or None
        Tokens read at most; None reads everything.

    Raises
    ------
    Kw2vError
        If the source cannot be found or read, or an option is invalid.

    Examples
    --------
    >>> corpus = Corpus("wiki-sample")  # doctest: +SKIP
    >>> next(iter(corpus))[:3]  # doctest: +SKIP
    ['anarchism', 'is', 'political']
    """

    def __init__(
        self,
        source: str | os.PathLike[str],
        *,
        mode: str | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        max_sentence_length: int = 10_000,
        max_tokens: int | None = None,
    ) -> None:
        if mode is not None:
            _check_mode(mode)
        _positive("max_sentence_length", max_sentence_length)
        if max_tokens is not None:
            _positive("max_tokens", max_tokens)
        if isinstance(source, str) and source in datasets.DATASETS:
            self.name = source
            if source == "wiki-sample":
                self.path = datasets.wiki_sample_path(data_dir)
            else:
                self.path = datasets.download_text8(data_dir)
            self.mode = mode or "none"
        else:
            self.path = _check_file(source)
            self.name = self.path.name
            self.mode = mode or "lower"
        self.max_sentence_length = max_sentence_length
        self.max_tokens = max_tokens

    @classmethod
    def first_available(cls, *sources: str | os.PathLike[str], **options) -> Corpus:
        """The first of ``sources`` that can be opened, e.g. ``("text8", "wiki-sample")``.

        For the notebooks: train on text8 when it can be downloaded, else on the bundled
        sample, with a warning that says why. ``options`` are passed to :class:`Corpus`.

        Raises
        ------
        Kw2vError
            If no source can be opened (the last one's error).
        """
        if not sources:
            raise Kw2vError("first_available needs at least one source")
        for source in sources[:-1]:
            try:
                return cls(source, **options)
            except Kw2vError as err:
                reason = str(err).split(". ")[0]
                warnings.warn(f"{source} is not available: {reason}; trying the next", stacklevel=2)
        return cls(sources[-1], **options)

    def head(self, max_tokens: int) -> Corpus:
        """The same corpus cut to its first ``max_tokens`` tokens (or fewer, if already cut)."""
        _positive("max_tokens", max_tokens)
        cut = copy.copy(self)
        cut.max_tokens = min(max_tokens, self.max_tokens or max_tokens)
        return cut

    def __iter__(self) -> Iterator[list[str]]:
        sentences = iter_sentences(self.path, self.mode, self.max_sentence_length)
        return sentences if self.max_tokens is None else _first_tokens(sentences, self.max_tokens)

    def __repr__(self) -> str:
        cut = "" if self.max_tokens is None else f", max_tokens={self.max_tokens}"
        return (
            f"Corpus({self.name!r}, path={str(self.path)!r}, mode={self.mode!r}, "
            f"max_sentence_length={self.max_sentence_length}{cut})"
        )


def _first_tokens(sentences: Iterator[list[str]], limit: int) -> Iterator[list[str]]:
    """The sentences up to ``limit`` tokens in all, the last one cut; closes the stream."""
    with contextlib.closing(sentences):
        for sentence in sentences:
            yield sentence[:limit]
            limit -= len(sentence)
            if limit <= 0:
                return
