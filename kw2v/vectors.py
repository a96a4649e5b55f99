"""Trained word vectors: lookup, cosine similarity, analogies and the word2vec file formats.

A :class:`WordVectors` is what training leaves behind: one row per word, most frequent word
first. Everything later in the course (neighbours, evaluation tables, pictures) reads it, and the
word2vec C text/binary formats let gensim, the original C tools and our own notebooks exchange
the same vectors.

The module needs only numpy (gensim is imported lazily by the converters), so it loads fast.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from kw2v.errors import Kw2vError

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

__all__ = ["UnknownWordError", "WordVectors", "atomic_path", "atomic_write"]

# A word in the word2vec formats ends at the first space and a text row ends at a newline,
# so words holding any of these cannot be written and read back.
_UNSTORABLE = frozenset(" \t\n\r\v\f")
# Longest word we accept in a binary file before deciding it is not a word2vec file at all.
_MAX_WORD_BYTES = 1 << 16
# Bytes a text-format row is made of; a "binary" row made only of these is text read wrongly.
_TEXT_ROW_BYTES = frozenset(b"0123456789.-+eE \n")
# gensim's 3CosMul guard against dividing by zero.
_COSMUL_EPS = 1e-6

Query = str | np.ndarray | Sequence[str | np.ndarray]


class UnknownWordError(KeyError, Kw2vError):
    """A word that is not in the vocabulary.

    It is a ``KeyError`` so ``dict``-style code keeps working, and a
    :class:`~kw2v.errors.Kw2vError` so the command line reports it in one line. The message
    suggests close words from the vocabulary, which usually reveals a typo or a case mismatch.
    Introduced in notebook 00.

    Parameters
    ----------
    word : str
        The word that was looked up.
    suggestions : list of str
        Up to three vocabulary words that look like `word`.
    """

    def __init__(self, word: str, suggestions: Sequence[str] = ()) -> None:
        self.word = word
        self.suggestions = list(suggestions)
        if self.suggestions:
            hint = "did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            hint = "check the spelling, or train with a lower min_count to keep rarer words."
        super().__init__(f"{word!r} is not in the vocabulary; {hint}")

    def __str__(self) -> str:
        # KeyError would print the repr of the message, quotes and escapes included.
        return str(self.args[0])

    def __reduce__(self) -> tuple[type, tuple[str, list[str]]]:
        # Rebuild from the word, not the message, when sent between processes.
        return type(self), (self.word, self.suggestions)


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
    try:
        # "x": exclusive creation, with the usual permissions (umask), unlike mkstemp's 0600.
        with open(tmp, mode.replace("w", "x"), **text_options) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
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
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(target.parent)


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


class WordVectors:
    """Word vectors after training: one float32 row per word, most frequent word first.

    Rows keep the order they are given in, so ``words[:300]`` are the 300 most frequent words
    when the trainer passes them that way (it does). The vectors array is read-only: the cached
    unit vectors would silently go stale if it changed. Introduced in notebook 00.

    Parameters
    ----------
    words : sequence of str
        The vocabulary, unique non-empty strings, row order.
    vectors : numpy.ndarray
        Shape ``(len(words), dim)``; copied as float32.
    counts : sequence of int, optional
        Corpus frequency of each word, same order; ``None`` when unknown (e.g. loaded from a
        word2vec file, which does not store counts).

    Raises
    ------
    Kw2vError
        If the shapes do not match, a word repeats or is not a non-empty string.

    Examples
    --------
    >>> wv = WordVectors(["king", "queen"], np.eye(2))
    >>> round(wv.similarity("king", "queen"), 3)
    0.0
    """

    def __init__(
        self,
        words: Sequence[str],
        vectors: np.ndarray,
        counts: Sequence[int] | None = None,
    ) -> None:
        words = list(words)
        bad = [w for w in words if not isinstance(w, str) or not w]
        if bad:
            raise Kw2vError(
                f"words must be non-empty strings; got {bad[0]!r}. Pass the vocabulary as a list "
                "of tokens (str)."
            )
        vectors = np.array(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise Kw2vError(
                f"vectors must be a 2-D array (words x dimensions), got shape {vectors.shape}"
            )
        if vectors.shape[0] != len(words):
            raise Kw2vError(
                f"{len(words)} words but {vectors.shape[0]} vector rows; pass one row per word "
                "in the same order"
            )
        index = {w: i for i, w in enumerate(words)}
        if len(index) != len(words):
            seen: set[str] = set()
            dups = [w for w in words if w in seen or seen.add(w)]
            raise Kw2vError(
                f"words must be unique, but {sorted(set(dups))[:5]!r} appear more than once; "
                "merge duplicates before building the vectors"
            )
        if counts is not None:
            counts = [int(c) for c in counts]
            if len(counts) != len(words):
                raise Kw2vError(
                    f"{len(words)} words but {len(counts)} counts; pass one count per word or None"
                )
        vectors.setflags(write=False)
        self._words = words
        self._index = index
        self._vectors = vectors
        self._counts = counts
        self._unit: np.ndarray | None = None

    # --- basic container behaviour -------------------------------------------------------------

    @property
    def words(self) -> list[str]:
        """The vocabulary in row order (treat as read-only)."""
        return self._words

    @property
    def vectors(self) -> np.ndarray:
        """The float32 ``(n, dim)`` matrix, read-only."""
        return self._vectors

    @property
    def counts(self) -> list[int] | None:
        """Corpus counts in row order, or ``None`` when unknown."""
        return self._counts

    @property
    def dim(self) -> int:
        """Number of dimensions of each vector."""
        return int(self._vectors.shape[1])

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._index

    def __getitem__(self, word: str) -> np.ndarray:
        return self._vectors[self.index(word)]

    def __repr__(self) -> str:
        return f"WordVectors({len(self)} words, dim={self.dim})"

    def index(self, word: str) -> int:
        """Row of `word`.

        Parameters
        ----------
        word : str
            A vocabulary word.

        Returns
        -------
        int
            Its row in :attr:`vectors` (0 = most frequent).

        Raises
        ------
        UnknownWordError
            If `word` is not in the vocabulary; the message suggests close words.
        """
        try:
            return self._index[word]
        except (KeyError, TypeError):
            raise self._unknown(word) from None

    def _unknown(self, word: object) -> UnknownWordError:
        text = str(word)
        return UnknownWordError(text, difflib.get_close_matches(text, self._words, n=3))

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows scaled to length 1 (cached, read-only); all-zero rows stay zero.

        Cosine similarity is then a plain dot product, which is why every similarity method
        below works on these.
        """
        if self._unit is None:
            norms = np.linalg.norm(self._vectors, axis=1, keepdims=True)
            unit = np.zeros_like(self._vectors)
            np.divide(self._vectors, norms, out=unit, where=norms > 0)
            unit.setflags(write=False)
            self._unit = unit
        return self._unit

    # --- similarity ----------------------------------------------------------------------------

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words.

        Parameters
        ----------
        a, b : str
            Vocabulary words.

        Returns
        -------
        float
            In ``[-1, 1]``; 0 when either vector is all zeros.

        Raises
        ------
        UnknownWordError
            If a word is not in the vocabulary.
        """
        unit = self.unit_vectors
        return float(unit[self.index(a)] @ unit[self.index(b)])

    def _terms(self, query: Query | None) -> list[str | np.ndarray]:
        """Accept a word, a vector, or a sequence of them, as gensim does."""
        if query is None:
            return []
        if isinstance(query, str):
            return [query]
        if isinstance(query, np.ndarray):
            if query.ndim == 1:
                return [query]
            if query.ndim == 2:
                return list(query)
            raise Kw2vError(f"a query vector must be 1-D, got shape {query.shape}")
        return list(query)

    def _as_vector(self, item: np.ndarray) -> np.ndarray:
        vec = np.asarray(item, dtype=np.float32)
        if vec.shape != (self.dim,):
            raise Kw2vError(
                f"a query vector must have shape ({self.dim},) to match these vectors, "
                f"got {vec.shape}"
            )
        return vec

    def most_similar(
        self, positive: Query, negative: Query = (), topn: int | None = 10
    ) -> list[tuple[str, float]]:
        """Words closest to the mean of `positive` minus `negative` (3CosAdd).

        Each word contributes its unit vector with weight +1 (positive) or -1 (negative), the
        weighted sum is divided by the number of terms and normalised, then compared by cosine
        with every word -- the same computation as gensim's ``KeyedVectors.most_similar``.
        ``most_similar(["king", "woman"], ["man"])`` answers "man is to king as woman is to ?".
        Introduced in notebook 00.

        Parameters
        ----------
        positive : str, numpy.ndarray or sequence of them
            Words (or raw vectors, used as given) to move towards.
        negative : str, numpy.ndarray or sequence of them, optional
            Words (or raw vectors) to move away from.
        topn : int or None, optional
            How many results; ``None`` ranks the whole vocabulary.

        Returns
        -------
        list of (str, float)
            ``(word, cosine)`` best first; the query words themselves are left out.

        Raises
        ------
        UnknownWordError
            If a query word is not in the vocabulary.
        Kw2vError
            If no query term is given or a vector has the wrong shape.
        """
        terms = [(t, 1.0) for t in self._terms(positive)]
        terms += [(t, -1.0) for t in self._terms(negative)]
        if not terms:
            raise Kw2vError("most_similar needs at least one word or vector in positive/negative")
        unit = self.unit_vectors
        mean = np.zeros(self.dim, dtype=np.float64)
        exclude: set[int] = set()
        for term, weight in terms:
            if isinstance(term, str):
                row = self.index(term)
                exclude.add(row)
                mean += weight * unit[row]
            else:
                mean += weight * self._as_vector(term)
        mean /= len(terms)
        norm = np.linalg.norm(mean)
        if norm > 0:
            mean /= norm
        scores = unit @ mean.astype(np.float32)
        return self._best(scores, topn, exclude)

    def most_similar_cosmul(
        self, positive: Query, negative: Query = (), topn: int | None = 10
    ) -> list[tuple[str, float]]:
        """Words maximising Levy & Goldberg's 3CosMul objective.

        Cosines are shifted to ``[0, 1]`` as ``(1 + cos) / 2``; the score is the product over
        positive terms divided by (the product over negative terms + 1e-6), gensim's
        ``most_similar_cosmul`` formula. A single large similarity then cannot dominate the
        answer the way it can in 3CosAdd. Raw vectors are normalised first, so every factor is a
        shifted cosine (gensim uses raw vectors as given). Introduced in notebook 00.

        Parameters
        ----------
        positive : str, numpy.ndarray or sequence of them
            Words (or vectors) in the numerator.
        negative : str, numpy.ndarray or sequence of them, optional
            Words (or vectors) in the denominator.
        topn : int or None, optional
            How many results; ``None`` ranks the whole vocabulary.

        Returns
        -------
        list of (str, float)
            ``(word, score)`` best first, query words left out.

        Raises
        ------
        UnknownWordError
            If a query word is not in the vocabulary.
        Kw2vError
            If `positive` is empty or a vector has the wrong shape.
        """
        positive_terms = self._terms(positive)
        negative_terms = self._terms(negative)
        if not positive_terms:
            raise Kw2vError("most_similar_cosmul needs at least one positive word or vector")
        unit = self.unit_vectors
        exclude: set[int] = set()

        def shifted_cosines(term: str | np.ndarray) -> np.ndarray:
            if isinstance(term, str):
                row = self.index(term)
                exclude.add(row)
                vec = unit[row]
            else:
                vec = self._as_vector(term)
                norm = np.linalg.norm(vec)
                vec = vec / norm if norm > 0 else vec
            return (1.0 + unit @ vec) / 2.0

        numerator = np.ones(len(self), dtype=np.float32)
        for term in positive_terms:
            numerator = numerator * shifted_cosines(term)
        denominator = np.ones(len(self), dtype=np.float32)
        for term in negative_terms:
            denominator = denominator * shifted_cosines(term)
        scores = numerator / (denominator + _COSMUL_EPS)
        return self._best(scores, topn, exclude)

    def neighbors(self, word: str, topn: int = 10) -> list[tuple[str, float]]:
        """The `topn` nearest words to `word` by cosine; the quick look during training.

        Introduced in notebook 03.

        Parameters
        ----------
        word : str
            A vocabulary word.
        topn : int, optional
            How many neighbours.

        Returns
        -------
        list of (str, float)
            ``(word, cosine)`` best first, `word` itself left out.
        """
        return self.most_similar([word], topn=topn)

    def _best(
        self, scores: np.ndarray, topn: int | None, exclude: set[int]
    ) -> list[tuple[str, float]]:
        """Top entries of `scores`, best first, without the rows in `exclude`."""
        if topn is not None and topn < 1:
            return []
        n = len(scores)
        want = n if topn is None else min(n, topn + len(exclude))
        if want < n:
            candidates = np.argpartition(-scores, want - 1)[:want]
            order = candidates[np.argsort(-scores[candidates], kind="stable")]
        else:
            order = np.argsort(-scores, kind="stable")
        result = [(self._words[i], float(scores[i])) for i in order if i not in exclude]
        return result if topn is None else result[:topn]

    # --- word2vec C formats ----------------------------------------------------------------------

    def _check_storable(self, forbidden: frozenset[str], what: str) -> None:
        bad = [w for w in self._words if any(c in forbidden for c in w)]
        if bad:
            raise Kw2vError(
                f"{len(bad)} words cannot be stored in {what} because they contain whitespace, "
                f"e.g. {bad[:3]!r}; replace it (say with '_') when building the vocabulary"
            )

    def save_word2vec(self, path: str | os.PathLike[str], binary: bool | None = None) -> Path:
        """Write the vectors in the word2vec C format that gensim and the C tools read.

        The header is ``"<words> <dim>"``; each text row is the word and its values separated by
        spaces, each binary row the word, a space, ``dim`` little-endian float32 and a newline.
        The file is written atomically (see :func:`atomic_write`). Introduced in notebook 00.

        Parameters
        ----------
        path : str or os.PathLike
            Output file; parent directories are created.
        binary : bool, optional
            Binary format; ``None`` picks binary when the suffix is ``.bin``.

        Returns
        -------
        pathlib.Path
            The written file.

        Raises
        ------
        Kw2vError
            If a word contains whitespace (it could not be read back).
        """
        path = Path(path)
        if binary is None:
            binary = path.suffix.lower() == ".bin"
        self._check_storable(_UNSTORABLE, "the word2vec format")
        with atomic_write(path, "wb") as f:
            f.write(f"{len(self)} {self.dim}\n".encode())
            if binary:
                rows = self._vectors.astype("<f4", copy=False)
                for word, row in zip(self._words, rows, strict=True):
                    f.write(word.encode("utf-8") + b" " + row.tobytes() + b"\n")
            else:
                for word, row in zip(self._words, self._vectors, strict=True):
                    f.write(f"{word} {_format_row(row, ' ')}\n".encode())
        return path

    @classmethod
    def load_word2vec(cls, path: str | os.PathLike[str], binary: bool | None = None) -> WordVectors:
        """Read a word2vec C text or binary file (ours, gensim's, or the C tool's).

        The file is checked as it is read: a truncated file, a header whose count or dimension
        does not match the rows, or a value that is not a number raise an error that names the
        line (text) or the entry (binary) and the word. Binary files are read row by row, so
        memory stays at one row beyond the result. Introduced in notebook 00.

        Parameters
        ----------
        path : str or os.PathLike
            The file.
        binary : bool, optional
            Binary format; ``None`` picks binary when the suffix is ``.bin``.

        Returns
        -------
        WordVectors
            Words and vectors in file order, ``counts=None``.

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
        return cls(words, vectors)

    def save_projector(self, out_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
        """Write ``vectors.tsv`` and ``metadata.tsv`` for https://projector.tensorflow.org.

        Load both files with "Load" on the projector page to explore the vectors in 3-D (PCA,
        t-SNE, UMAP) with a search box. ``metadata.tsv`` has one word per line and no header,
        which is what the projector expects of a single column. Introduced in notebook 05.

        Parameters
        ----------
        out_dir : str or os.PathLike
            Directory for the two files; created if needed.

        Returns
        -------
        tuple of pathlib.Path
            ``(vectors_path, metadata_path)``.

        Raises
        ------
        Kw2vError
            If a word contains whitespace (a tab or newline would break the TSV).
        """
        self._check_storable(_UNSTORABLE - {" "}, "a TSV file")
        out = Path(out_dir)
        vectors_path, metadata_path = out / "vectors.tsv", out / "metadata.tsv"
        with atomic_write(vectors_path, "w") as f:
            for row in self._vectors:
                f.write(_format_row(row, "\t") + "\n")
        with atomic_write(metadata_path, "w") as f:
            for word in self._words:
                f.write(word + "\n")
        return vectors_path, metadata_path

    # --- gensim --------------------------------------------------------------------------------

    def to_gensim(self) -> KeyedVectors:
        """The same vectors as a gensim ``KeyedVectors`` (to compare with gensim's tools).

        Introduced in notebook 04.

        Returns
        -------
        gensim.models.KeyedVectors
            Same words, rows and order; counts stored as the ``"count"`` attribute when known.
        """
        from gensim.models import KeyedVectors

        kv = KeyedVectors(self.dim, count=0, dtype=np.float32)
        kv.add_vectors(list(self._words), np.array(self._vectors))
        if self._counts is not None:
            kv.allocate_vecattrs(attrs=["count"], types=[int])
            kv.expandos["count"][:] = self._counts
        return kv

    @classmethod
    def from_gensim(cls, kv: KeyedVectors) -> WordVectors:
        """Wrap a gensim ``KeyedVectors`` (e.g. ``Word2Vec(...).wv``) in a :class:`WordVectors`.

        Introduced in notebook 04.

        Parameters
        ----------
        kv : gensim.models.KeyedVectors
            Vectors with string keys.

        Returns
        -------
        WordVectors
            Same words and order; counts taken from the ``"count"`` attribute when present.
        """
        counts = kv.expandos.get("count") if hasattr(kv, "expandos") else None
        return cls(
            list(kv.index_to_key),
            kv.vectors,
            None if counts is None else [int(c) for c in counts],
        )


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
