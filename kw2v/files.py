"""Files: atomic writes, the word2vec C text/binary formats, Embedding Projector files.

:func:`atomic_write` and :func:`atomic_path` write through a temporary file that is renamed
over the target, so a crash never leaves a half-written file. The word2vec reader checks a file
as it reads it and names the line or entry that is wrong. :class:`kw2v.vectors.WordVectors`
saves and loads through this module (``save_word2vec``, ``load_word2vec``, ``save_projector``,
``save_tensorboard``).

The module needs only numpy, so it loads fast; the TensorBoard writer imports TensorFlow and
TensorBoard when it is called.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from kw2v.errors import Kw2vError

__all__ = [
    "atomic_path",
    "atomic_write",
    "read_epoch_vectors",
    "read_word2vec",
    "save_epoch_vectors",
    "write_projector",
    "write_tensorboard_projector",
    "write_word2vec",
]

TENSORBOARD_TENSOR = "embedding/.ATTRIBUTES/VARIABLE_VALUE"  # the variable's name in the checkpoint

# A word in the word2vec formats ends at the first space and a text row ends at a newline,
# so words holding any of these cannot be written and read back.
_UNSTORABLE = frozenset(" \t\n\r\v\f")
# Longest word we accept in a binary file before deciding it is not a word2vec file at all.
_MAX_WORD_BYTES = 1 << 16
# Bytes a text-format row is made of; a "binary" row made only of these is text read wrongly.
_TEXT_ROW_BYTES = frozenset(b"0123456789.-+eE \n")


# --- atomic files ------------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a file for writing so that readers only ever see the old or the complete new file.

    Writes go to a hidden temporary file in the same directory, which is flushed, synced to disk
    and renamed over `path` when the ``with`` block ends. If the block raises (or the process is
    killed), `path` is left as it was and the temporary file is removed (or, after a kill, left
    as a hidden ``.name.*.tmp`` beside it). Missing parent directories are created.
    Introduced in notebook 00.

    Parameters
    ----------
    path : str or os.PathLike
        The file to (re)write.
    mode : {"wb", "w"}
        Binary, or text in UTF-8 with ``"\\n"`` line ends on every platform.

    Yields
    ------
    IO
        The open temporary file; write to it like to `path`.

    Raises
    ------
    Kw2vError
        If `mode` is not ``"wb"`` or ``"w"``, or `path` is a folder.
    """
    if mode not in ("wb", "w"):
        raise Kw2vError(f"atomic_write mode must be 'wb' or 'w', not {mode!r}")
    target = _writable_target(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    text_options = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    # "x": exclusive creation, with the usual permissions (umask), unlike mkstemp's 0600.
    with _renamed_over(target, tmp), open(tmp, mode.replace("w", "x"), **text_options) as f:
        yield f
        f.flush()
        os.fsync(f.fileno())


@contextlib.contextmanager
def _renamed_over(target: Path, tmp: Path) -> Iterator[None]:
    """Rename ``tmp`` over ``target`` when the block ends, then sync the folder; if the block
    raises, remove ``tmp`` and leave ``target`` as it was."""
    try:
        yield
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(target.parent)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path to save to, renamed over `path` when the ``with`` block ends.

    :func:`atomic_write` for libraries that write a file by name (``model.save(...)``,
    ``model.save_weights(...)``): the temporary name is hidden, sits in the same directory and
    ends with the same suffixes as `path`, so checks such as Keras's ``.keras`` or
    ``.weights.h5`` pass. The file is synced to disk before the rename; if the block raises,
    `path` is left as it was and the temporary file is removed. Introduced in notebook 04.

    Parameters
    ----------
    path : str or os.PathLike
        The file to (re)write; missing parent directories are created.

    Yields
    ------
    pathlib.Path
        Where to write instead of `path`.

    Raises
    ------
    Kw2vError
        If `path` is a folder.
    """
    target = _writable_target(path)
    suffixes = "".join(target.suffixes)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp{suffixes}")
    with _renamed_over(target, tmp):
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _writable_target(path: str | os.PathLike[str]) -> Path:
    """`path` as a Path, its parent folders created; a folder in its place is refused."""
    target = Path(path)
    if target.is_dir():
        raise Kw2vError(f"{target} is a folder; give the path of a file to write")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable on POSIX; Windows cannot open directories, and needs no fsync."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _format_row(row: np.ndarray, sep: str) -> str:
    """Shortest text that reads back as the same float32 (what gensim writes, too)."""
    return sep.join(map(str, row))


# --- word2vec C formats and projector files ----------------------------------------------------


def _check_storable(words: Sequence[str], forbidden: frozenset[str], what: str) -> None:
    bad = [w for w in words if any(c in forbidden for c in w)]
    if bad:
        raise Kw2vError(
            f"{len(bad)} words cannot be stored in {what} because they contain whitespace, "
            f"e.g. {bad[:3]!r}; replace it (say with '_') when building the vocabulary"
        )


def _as_matrix(words: Sequence[str], vectors: np.ndarray) -> np.ndarray:
    """`vectors` as a float32 matrix with one row per word (no copy when it already is)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or matrix.shape[0] != len(words):
        raise Kw2vError(
            f"{len(words)} words but vectors of shape {matrix.shape}; pass one row per word"
        )
    return matrix


def write_word2vec(
    path: str | os.PathLike[str],
    words: Sequence[str],
    vectors: np.ndarray,
    binary: bool | None = None,
) -> Path:
    """Write words and vectors in the word2vec C format that gensim and the C tools read.

    The header is ``"<words> <dim>"``; each text row is the word and its values separated by
    spaces (the shortest text that reads back as the same float32, as gensim writes), each
    binary row the word, a space, ``dim`` little-endian float32 and a newline. The file is
    written atomically (see :func:`atomic_write`). :meth:`kw2v.vectors.WordVectors.save_word2vec`
    calls this. Introduced in notebook 00.

    Parameters
    ----------
    path : str or os.PathLike
        Output file; parent directories are created.
    words : sequence of str
        The words, in row order.
    vectors : numpy.ndarray
        Shape ``(len(words), dim)``; written as float32.
    binary : bool, optional
        Binary format; ``None`` picks binary when the suffix is ``.bin``.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    Kw2vError
        If a word contains whitespace (it could not be read back), or the shapes do not match.
    """
    path = Path(path)
    if binary is None:
        binary = path.suffix.lower() == ".bin"
    vectors = _as_matrix(words, vectors)
    _check_storable(words, _UNSTORABLE, "the word2vec format")
    with atomic_write(path, "wb") as f:
        f.write(f"{len(words)} {vectors.shape[1]}\n".encode())
        if binary:
            rows = vectors.astype("<f4", copy=False)
            for word, row in zip(words, rows, strict=True):
                f.write(word.encode("utf-8") + b" " + row.tobytes() + b"\n")
        else:
            for word, row in zip(words, vectors, strict=True):
                f.write(f"{word} {_format_row(row, ' ')}\n".encode())
    return path


def read_word2vec(
    path: str | os.PathLike[str], binary: bool | None = None
) -> tuple[list[str], np.ndarray]:
    """Read a word2vec C text or binary file (ours, gensim's, or the C tool's).

    The file is checked as it is read: a truncated file, a header whose count or dimension
    does not match the rows, or a value that is not a number raise an error that names the
    line (text) or the entry (binary) and the word. Binary files are read row by row, so
    memory stays at one row beyond the result. :meth:`kw2v.vectors.WordVectors.load_word2vec`
    calls this. Introduced in notebook 00.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    binary : bool, optional
        Binary format; ``None`` picks binary when the suffix is ``.bin``.

    Returns
    -------
    words : list of str
        The words in file order.
    vectors : numpy.ndarray
        Float32, shape ``(len(words), dim)``, same order.

    Raises
    ------
    Kw2vError
        If the file is missing or malformed; the message says where and what to try.
    """
    path = Path(path)
    if not path.is_file():
        raise Kw2vError(f"{path} does not exist; check the path (or train and save first)")
    if binary is None:
        binary = path.suffix.lower() == ".bin"
    with open(path, "rb") as f:
        n, d = _read_header(f, path)
        size = path.stat().st_size
        # Cheapest possible row: a 1-byte word, a space and the values (binary) or "0 " each.
        least = n * (2 + 4 * d) if binary else n * (2 + 2 * d)
        if size < least:
            raise Kw2vError(
                f"{path}: its header promises {n} vectors of dimension {d} (at least "
                f"{least:,} bytes) but the file has only {size:,} bytes; it is truncated "
                "or the header is wrong (re-save or re-download it)"
                + ("" if binary else "; if it is a binary file pass binary=True")
            )
        words: list[str] = []
        vectors = np.empty((n, d), dtype=np.float32)
        reader = _read_binary_rows if binary else _read_text_rows
        reader(f, path, n, d, words, vectors)
    return words, vectors


def write_projector(
    out_dir: str | os.PathLike[str], words: Sequence[str], vectors: np.ndarray
) -> tuple[Path, Path]:
    """Write ``vectors.tsv`` and ``metadata.tsv`` for https://projector.tensorflow.org.

    ``vectors.tsv`` has one tab-separated row of values per word; ``metadata.tsv`` has one word
    per line and no header, which is what the projector expects of a single column. Both are
    written atomically. :meth:`kw2v.vectors.WordVectors.save_projector` calls this.
    Introduced in notebook 05.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Directory for the two files; created if needed.
    words : sequence of str
        The words, in row order.
    vectors : numpy.ndarray
        Shape ``(len(words), dim)``; written as float32.

    Returns
    -------
    tuple of pathlib.Path
        ``(vectors_path, metadata_path)``.

    Raises
    ------
    Kw2vError
        If a word contains whitespace other than a space (a tab or newline would break the
        TSV), or the shapes do not match.
    """
    vectors = _as_matrix(words, vectors)
    _check_storable(words, _UNSTORABLE - {" "}, "a TSV file")
    out = Path(out_dir)
    vectors_path, metadata_path = out / "vectors.tsv", out / "metadata.tsv"
    with atomic_write(vectors_path, "w") as f:
        for row in vectors:
            f.write(_format_row(row, "\t") + "\n")
    with atomic_write(metadata_path, "w") as f:
        for word in words:
            f.write(word + "\n")
    return vectors_path, metadata_path


def write_tensorboard_projector(
    log_dir: str | os.PathLike[str], words: Sequence[str], vectors: np.ndarray
) -> Path:
    """Write a TensorBoard log folder that the Embedding Projector tab shows, offline.

    ``tensorboard --logdir LOG_DIR`` then shows the vectors, labelled with their words, under
    "Projector" at http://localhost:6006, without uploading anything. The folder holds a
    checkpoint of one variable (``tf.train.Checkpoint(embedding=...)``), ``metadata.tsv`` (one
    word per line, row order) and ``projector_config.pbtxt``, which ties the checkpoint tensor
    ``embedding/.ATTRIBUTES/VARIABLE_VALUE`` to the words. Keras 3's ``TensorBoard`` callback
    no longer writes this (keras-team/keras#20210). Introduced in notebook 05.

    Parameters
    ----------
    log_dir : str or os.PathLike
        The folder to give ``tensorboard --logdir``; created if needed.
    words : sequence of str
        The words, in row order.
    vectors : numpy.ndarray
        Shape ``(len(words), dim)``; stored as float32.

    Returns
    -------
    pathlib.Path
        `log_dir`.

    Raises
    ------
    Kw2vError
        If TensorBoard is not installed, a word contains a tab or newline, or the shapes do
        not match.
    """
    vectors = _as_matrix(words, vectors)
    _check_storable(words, _UNSTORABLE - {" "}, "a TSV file")
    from kw2v.backend import require_tensorflow

    tf = require_tensorflow("writing a TensorBoard projector log")
    try:
        from tensorboard.plugins import projector
    except ImportError:
        raise Kw2vError(
            "writing a TensorBoard projector log needs TensorBoard: pip install tensorboard "
            "(or use save_projector for the TSV files of projector.tensorflow.org)"
        ) from None
    out = Path(log_dir)
    with atomic_write(out / "metadata.tsv", "w") as f:
        for word in words:
            f.write(word + "\n")
    checkpoint = tf.train.Checkpoint(embedding=tf.Variable(vectors, name="embedding"))
    checkpoint.save(str(out / "embedding.ckpt"))  # also points out/checkpoint at this save
    config = projector.ProjectorConfig()
    embedding = config.embeddings.add()
    embedding.tensor_name = TENSORBOARD_TENSOR
    embedding.metadata_path = "metadata.tsv"  # relative to the log folder
    projector.visualize_embeddings(str(out), config)
    return out


# --- vectors after every epoch ----------------------------------------------------------------

EPOCH_TIMES = "epochs.json"


def save_epoch_vectors(
    directory: str | os.PathLike[str],
    epoch: int,
    words: Sequence[str],
    vectors: np.ndarray,
    when: float,
) -> Path:
    """Write the vectors after epoch ``epoch`` (from 1) and the time it ended, for a curve of
    quality against time (``kw2v train --epoch-vectors``, ``kw2v bench``).

    ``directory/epoch-N.bin`` is word2vec binary (:func:`write_word2vec`); ``when`` (unix
    time) is added as ``{"epoch": N, "time": when}`` to the list in ``directory/epochs.json``.
    Entries for epoch N and later are dropped first: they are left from an earlier run into
    the same folder, while those before N belong to the run that this one resumes. Both
    trainers of ``kw2v bench`` write through here, so their snapshots are read alike.

    Returns
    -------
    pathlib.Path
        The vectors file.
    """
    folder = Path(directory)
    path = write_word2vec(_epoch_file(folder, epoch), words, vectors, binary=True)
    times = [e for e in _epoch_times(folder) if e["epoch"] < epoch]
    times.append({"epoch": epoch, "time": when})
    with atomic_write(folder / EPOCH_TIMES, "w") as f:
        json.dump(times, f, indent=1)
    return path


def read_epoch_vectors(directory: str | os.PathLike[str]) -> list[tuple[int, float, Path]]:
    """``(epoch, unix time it ended, vectors file)`` for each epoch saved by
    :func:`save_epoch_vectors` in ``directory``, in epoch order; empty if there is none."""
    folder = Path(directory)
    return [(e["epoch"], e["time"], _epoch_file(folder, e["epoch"])) for e in _epoch_times(folder)]


def _epoch_file(folder: Path, epoch: int) -> Path:
    return folder / f"epoch-{epoch}.bin"


def _epoch_times(folder: Path) -> list[dict[str, float]]:
    path = folder / EPOCH_TIMES
    if not path.is_file():
        return []
    return sorted(json.loads(path.read_text()), key=lambda e: e["epoch"])


# --- readers -----------------------------------------------------------------------------------


def _read_header(f: IO[bytes], path: Path) -> tuple[int, int]:
    raw = f.readline(1024)
    try:
        n_text, d_text = raw.decode("utf-8").split()
        n, d = int(n_text), int(d_text)
        if n < 0 or d < 1:
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        raise Kw2vError(
            f"{path}: the first line should be '<number of words> <dimension>', got "
            f"{raw[:60]!r}; is this a word2vec file? (GloVe files lack this header: add it)"
        ) from None
    return n, d


def _read_text_rows(
    f: IO[bytes], path: Path, n: int, d: int, words: list[str], vectors: np.ndarray
) -> None:
    seen: dict[str, int] = {}
    hint = "; if it is a binary file pass binary=True"
    for i in range(n):
        line_no = i + 2
        raw = f.readline()
        if not raw:
            raise Kw2vError(
                f"{path} ends after {i} vectors but its header promises {n}; the file is "
                "truncated or the header count is wrong"
            )
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Kw2vError(f"{path}, line {line_no}: not UTF-8 text{hint}") from None
        parts = line.rstrip().split(" ")
        word = parts[0]
        if not word:
            raise Kw2vError(f"{path}, line {line_no}: starts with a space or is empty, no word")
        if len(parts) != d + 1:
            raise Kw2vError(
                f"{path}, line {line_no} (word {word!r}): {len(parts) - 1} values but the header "
                f"says dimension {d}{hint}"
            )
        try:
            vectors[i] = np.array(parts[1:], dtype=np.float32)
        except ValueError:
            bad = next(v for v in parts[1:] if not _is_number(v))
            raise Kw2vError(
                f"{path}, line {line_no} (word {word!r}): {bad[:30]!r} is not a number"
            ) from None
        _remember(seen, word, line_no, path, "line")
        words.append(word)
    for extra_no, raw in enumerate(f, start=n + 2):
        if raw.strip():
            raise Kw2vError(
                f"{path}, line {extra_no}: more vectors than the {n} its header promises; "
                "fix the count in the first line"
            )


def _read_binary_rows(
    f: IO[bytes], path: Path, n: int, d: int, words: list[str], vectors: np.ndarray
) -> None:
    seen: dict[str, int] = {}
    row_bytes = 4 * d
    for i in range(n):
        token = _read_word(f, path, i + 1)
        if token is None:
            raise Kw2vError(
                f"{path} ends after {i} vectors but its header promises {n}; the file is "
                "truncated or the header count is wrong"
            )
        # The C tool ends each row with "\n"; gensim does not. Either way it leads the next word.
        token = token.lstrip(b"\n")
        try:
            word = token.decode("utf-8")
        except UnicodeDecodeError:
            raise Kw2vError(
                f"{path}, vector {i + 1}: the word is not UTF-8 ({token[:30]!r}); "
                "is this really a binary word2vec file? (try binary=False)"
            ) from None
        if not word:
            raise Kw2vError(f"{path}, vector {i + 1}: empty word; the file is damaged")
        data = f.read(row_bytes)
        if len(data) < row_bytes:
            raise Kw2vError(
                f"{path} is truncated inside vector {i + 1} (word {word!r}): {len(data)} of "
                f"{row_bytes} bytes; its header promises {n} vectors of dimension {d}"
            )
        if i == 0 and set(data) <= _TEXT_ROW_BYTES:
            raise Kw2vError(
                f"{path}: the first vector (word {word!r}) is written as text; "
                "this is the text format, pass binary=False"
            )
        vectors[i] = np.frombuffer(data, dtype="<f4")
        _remember(seen, word, i + 1, path, "vector")
        words.append(word)
    while rest := f.read(1 << 16):
        if rest.strip():
            raise Kw2vError(
                f"{path}: more data after the {n} vectors its header promises; the header "
                "count or dimension is wrong"
            )


def _read_word(f: IO[bytes], path: Path, entry: int) -> bytes | None:
    """Bytes up to the next space (consumed); None at a clean end of file."""
    pieces: list[bytes] = []
    size = 0
    while True:
        buffered = f.peek(1)  # type: ignore[attr-defined]  # BufferedReader
        if not buffered:
            if not pieces or not b"".join(pieces).strip():
                return None
            raise Kw2vError(f"{path} is truncated inside the word of vector {entry}")
        stop = buffered.find(b" ")
        if stop >= 0:
            pieces.append(f.read(stop))
            f.read(1)
            return b"".join(pieces)
        pieces.append(f.read(len(buffered)))
        size += len(buffered)
        if size > _MAX_WORD_BYTES:
            raise Kw2vError(
                f"{path}, vector {entry}: no space within {_MAX_WORD_BYTES:,} bytes where a word "
                "should end; the header dimension is wrong or this is not a binary word2vec file"
            )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _remember(seen: dict[str, int], word: str, where: int, path: Path, unit: str) -> None:
    first = seen.setdefault(word, where)
    if first != where:
        raise Kw2vError(
            f"{path}: word {word!r} appears twice ({unit}s {first} and {where}); "
            "each word must have one vector"
        )
