"""Vocabulary: word counts, frequency-ranked indices, index 0 reserved; the corpus as indices."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from kw2v.config import check_values
from kw2v.errors import Kw2vError

RESERVED = ""  # index 0: not a word (the tf.keras convention, also used as padding)


class Vocabulary:
    """Words ranked by frequency, with their counts; index 0 is reserved and is not a word.

    Ranking by frequency makes index ``i`` the ``i``-th most common word, the assumption behind
    ``make_sampling_table``. Ties are ordered as gensim orders them, so both number a
    vocabulary alike. Introduced in notebook 01.

    Parameters
    ----------
    words : sequence of str
        The words, most frequent first, without the reserved index 0.
    counts : sequence of int
        Corpus count of each word.
    """

    def __init__(self, words: Sequence[str], counts: Sequence[int]):
        if len(words) != len(counts):
            raise Kw2vError(f"vocabulary has {len(words)} words but {len(counts)} counts")
        self.words: list[str] = [RESERVED, *words]
        self.counts: np.ndarray = np.array([0, *counts], dtype=np.int64)
        self.index: dict[str, int] = {w: i for i, w in enumerate(self.words) if i}
        if len(self.index) != len(words):
            raise Kw2vError("vocabulary words must be unique")

    @classmethod
    def build(
        cls,
        sentences: Iterable[Sequence[str]],
        min_count: int = 5,
        max_size: int | None = None,
    ) -> Vocabulary:
        """Count the words of a corpus and keep those seen at least ``min_count`` times.

        Parameters
        ----------
        sentences : iterable of list of str
            The corpus, e.g. a :class:`kw2v.corpus.Corpus`; read once.
        min_count : int
            Rarer words are dropped (word2vec's default is 5).
        max_size : int, optional
            Keep at most this many of the most frequent words.

        Raises
        ------
        Kw2vError
            If the corpus is empty or no word reaches ``min_count``.
        """
        check_values(min_count=min_count, max_vocab=max_size)
        counter: Counter[str] = Counter()
        for sentence in sentences:
            counter.update(sentence)
        if not counter:
            raise Kw2vError("the corpus has no words; check the file is not empty")
        # Counter iterates in first-seen order; like gensim, equal counts put the word seen
        # first last (its lexsort on (-index, -count)), so both number a vocabulary alike.
        seen = [(w, c, i) for i, (w, c) in enumerate(counter.items()) if c >= min_count]
        kept = [(w, c) for w, c, _ in sorted(seen, key=lambda wci: (-wci[1], -wci[2]))]
        if not kept:
            top = counter.most_common(1)[0]
            raise Kw2vError(
                f"no word occurs {min_count} times or more (the most frequent, {top[0]!r}, "
                f"occurs {top[1]} times); use a larger corpus or a lower --min-count"
            )
        if max_size is not None:
            kept = kept[:max_size]
        words, counts = zip(*kept, strict=True)
        return cls(words, counts)

    def __len__(self) -> int:
        """The number of indices, reserved index 0 included: the Embedding's ``input_dim``."""
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def __repr__(self) -> str:
        head = ", ".join(self.words[1:6])
        return f"Vocabulary({len(self) - 1} words: {head}, ...)"

    @property
    def total(self) -> int:
        """How many corpus tokens the vocabulary covers."""
        return int(self.counts.sum())

    def encode(self, tokens: Iterable[str], keep_unknown: bool = False) -> np.ndarray:
        """Map tokens to indices; unknown words are dropped, or kept as 0 if ``keep_unknown``."""
        get = self.index.get
        ids = np.fromiter((get(t, 0) for t in tokens), dtype=np.int32)
        return ids if keep_unknown else ids[ids != 0]

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Map indices back to words."""
        return [self.words[i] for i in ids]

    def save(self, path: str | os.PathLike) -> None:
        """Write ``word<TAB>count`` lines, most frequent first, atomically."""
        from kw2v.files import atomic_write

        with atomic_write(path, mode="w") as f:
            for w, c in zip(self.words[1:], self.counts[1:], strict=True):
                f.write(f"{w}\t{c}\n")

    @classmethod
    def load(cls, path: str | os.PathLike) -> Vocabulary:
        """Read a file written by :meth:`save`."""
        path = Path(path)
        if not path.is_file():
            raise Kw2vError(f"vocabulary file not found: {path}")
        words, counts = [], []
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                word, sep, count = line.rstrip("\n").rpartition("\t")
                if not sep or not count.isdigit():
                    raise Kw2vError(f"{path}:{n}: expected 'word<TAB>count', got {line!r}")
                words.append(word)
                counts.append(int(count))
        return cls(words, counts)


#: Tokens encoded between two writes to the file of :func:`encode_corpus` (4 MB).
_WRITE_TOKENS = 1 << 20


def encode_corpus(
    sentences: Iterable[Sequence[str]], vocab: Vocabulary, path: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The corpus as one int32 array of word indices (unknown words dropped), plus where each
    sentence starts. Four bytes a token: 68 MB for text8, where the pairs of one epoch would
    be gigabytes. Introduced in notebook 02.

    With ``path``, the indices are written to that file as they are made and returned
    memory-mapped (``numpy.memmap``, read-only), so memory no longer grows with the corpus:
    training reads them a chunk at a time. :func:`kw2v.train` does this.

    Raises
    ------
    Kw2vError
        If no word of the corpus is in the vocabulary.
    """
    starts, n = [], 0
    parts: list[np.ndarray] = []
    out = open(path, "wb") if path is not None else None  # noqa: SIM115 (closed below)
    try:
        buffered = 0
        for sentence in sentences:
            ids = vocab.encode(sentence)
            if len(ids):
                parts.append(np.asarray(ids, dtype=np.int32))
                starts.append(n)
                n += len(ids)
                buffered += len(ids)
            if out is not None and buffered >= _WRITE_TOKENS:
                out.write(np.concatenate(parts).tobytes())
                parts, buffered = [], 0
        if out is not None and parts:
            out.write(np.concatenate(parts).tobytes())
    finally:
        if out is not None:
            out.close()
    if not n:
        raise Kw2vError("no word of the corpus is in the vocabulary; lower --min-count")
    starts = np.asarray(starts, dtype=np.int64)
    if path is not None:
        return np.memmap(path, dtype=np.int32, mode="r", shape=(n,)), starts
    return np.concatenate(parts), starts
