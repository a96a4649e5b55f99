"""Trained word vectors: lookup, cosine similarity, analogies and nearest neighbours.

A :class:`WordVectors` is what training leaves behind: one row per word, most frequent word
first. Everything later in the course (neighbours, evaluation tables, pictures) reads it. It
converts to and from gensim's ``KeyedVectors``; its ``save_word2vec``, ``load_word2vec`` and
``save_projector`` methods hand the file formats to :mod:`kw2v.files`.

The module needs only numpy (gensim is imported lazily by the converters), so it loads fast.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kw2v.errors import Kw2vError
from kw2v.files import read_word2vec, write_projector, write_tensorboard_projector, write_word2vec

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

__all__ = ["UnknownWordError", "WordVectors"]

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

    # --- word2vec C formats and projector files (written and read by kw2v.files) ------------------

    def save_word2vec(self, path: str | os.PathLike[str], binary: bool | None = None) -> Path:
        """Write the vectors in the word2vec C format that gensim and the C tools read.

        The header is ``"<words> <dim>"``; each text row is the word and its values separated by
        spaces, each binary row the word, a space, ``dim`` little-endian float32 and a newline.
        The file is written atomically (see :func:`kw2v.files.atomic_write`).
        Introduced in notebook 00.

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
        return write_word2vec(path, self._words, self._vectors, binary)

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
        words, vectors = read_word2vec(path, binary)
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
        return write_projector(out_dir, self._words, self._vectors)

    def save_tensorboard(self, log_dir: str | os.PathLike[str]) -> Path:
        """Write a log folder for TensorBoard's Embedding Projector: the same view, offline.

        Run ``tensorboard --logdir LOG_DIR`` and open the "Projector" tab of
        http://localhost:6006: the vectors, searchable by word, in PCA, t-SNE or UMAP.
        Needs TensorFlow and TensorBoard. Introduced in notebook 05.

        Parameters
        ----------
        log_dir : str or os.PathLike
            The folder; created if needed.

        Returns
        -------
        pathlib.Path
            `log_dir`, holding the checkpoint, ``metadata.tsv`` and ``projector_config.pbtxt``.

        Raises
        ------
        Kw2vError
            If TensorBoard is not installed or a word contains a tab or newline.
        """
        return write_tensorboard_projector(log_dir, self._words, self._vectors)

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
