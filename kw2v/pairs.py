"""Skip-gram training pairs: the tf.keras-compatible ``skipgrams`` and fast dynamic windows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kw2v.errors import Kw2vError


def skipgrams(
    sequence: Sequence[int] | np.ndarray,
    vocabulary_size: int,
    window_size: int = 4,
    negative_samples: float = 1.0,
    shuffle: bool = True,
    categorical: bool = False,
    sampling_table: np.ndarray | None = None,
    seed: int | None = None,
    negative_distribution: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Skip-gram couples and labels, a vectorised drop-in for tf.keras's ``skipgrams``.

    Same arguments and meaning as ``tf.keras.preprocessing.sequence.skipgrams``: every
    (word, neighbour within ``window_size``) couple gets label 1, index 0 is skipped, and
    ``int(n_positive * negative_samples)`` negative couples (a shuffled positive target, a
    random word) get label 0, appended after the positives. With ``shuffle=False`` and no
    negatives the couples are identical to tf.keras's, in the same order. First used in
    notebook 01; compared with tf.keras's in notebook 02.

    Two differences, both on purpose: the result is NumPy arrays (``.tolist()`` gives
    tf.keras's lists), and randomness comes from ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    sequence : sequence of int
        Word indices; 0 is not a word.
    vocabulary_size : int
        Largest index + 1; negatives are drawn from ``1 .. vocabulary_size - 1``.
    window_size : int
        Half-window: neighbours up to this distance on each side.
    negative_samples : float
        Negatives per positive (0 for none).
    shuffle : bool
        Shuffle couples and labels together.
    categorical : bool
        Labels as ``[0, 1]`` (positive) / ``[1, 0]`` (negative) instead of 1 / 0.
    sampling_table : ndarray, optional
        ``sampling_table[i]`` is the probability of keeping word ``i`` as a target.
    seed : int, optional
        Seed for the subsampling, the negatives and the shuffle.
    negative_distribution : ndarray, optional
        Draw negative words from these probabilities (e.g. :func:`kw2v.noise_distribution`,
        unigram^0.75, as word2vec does) instead of tf.keras's uniform draw.

    Returns
    -------
    couples : ndarray of int, shape (n, 2)
        ``[target, context]`` rows.
    labels : ndarray of int, shape (n,) or (n, 2) if ``categorical``
    """
    if window_size < 1:
        raise Kw2vError(f"window_size must be at least 1, got {window_size}")
    if negative_samples < 0:
        raise Kw2vError(f"negative_samples must be >= 0, got {negative_samples}")
    rng = np.random.default_rng(seed)
    seq = np.asarray(sequence, dtype=np.int64).reshape(-1)
    n = len(seq)
    is_target = seq != 0
    if sampling_table is not None:
        is_target &= np.asarray(sampling_table)[seq] >= rng.random(n)

    # One column per offset, in tf.keras's order (j from i - w to i + w, skipping i):
    # flattening row by row gives the couples in exactly its order.
    offsets = np.concatenate([np.arange(-window_size, 0), np.arange(1, window_size + 1)])
    j = np.arange(n)[:, None] + offsets[None, :]
    inside = (j >= 0) & (j < n)
    jc = np.clip(j, 0, max(n - 1, 0))
    valid = inside & is_target[:, None] & (seq[jc] != 0)
    rows, cols = np.nonzero(valid)
    targets = seq[rows]
    contexts = seq[jc[rows, cols]]
    n_pos = len(targets)

    n_neg = int(n_pos * negative_samples) if negative_samples > 0 else 0
    if n_neg and n_pos:
        neg_targets = rng.permutation(targets)[np.arange(n_neg) % n_pos]
        if negative_distribution is None:
            neg_contexts = rng.integers(1, vocabulary_size, size=n_neg)
        else:
            p = np.asarray(negative_distribution, dtype=np.float64)
            neg_contexts = rng.choice(len(p), size=n_neg, p=p / p.sum())
        targets = np.concatenate([targets, neg_targets])
        contexts = np.concatenate([contexts, neg_contexts])
    else:
        n_neg = 0
    couples = np.stack([targets, contexts], axis=1)
    labels = np.concatenate([np.ones(n_pos, np.int64), np.zeros(n_neg, np.int64)])
    if categorical:
        labels = np.stack([1 - labels, labels], axis=1)
    if shuffle:
        order = rng.permutation(len(couples))
        couples, labels = couples[order], labels[order]
    return couples, labels


def window_pairs(
    ids: np.ndarray,
    window: int,
    rng: np.random.Generator,
    *,
    keep: np.ndarray | None = None,
    sentence_ids: np.ndarray | None = None,
    dynamic: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """(target, context) index pairs of a stretch of corpus, the way word2vec makes them.

    Frequent words are first dropped with probability ``1 - keep[word]`` (subsampling), so the
    window then reaches further; each target then draws its own window size uniformly from
    ``1 .. window`` (``dynamic``), which weights near neighbours more. Pairs never cross a
    sentence boundary. Every step is a NumPy array operation over the whole stretch: no
    Python loop per word. Introduced in notebook 02.

    Parameters
    ----------
    ids : ndarray of int32
        Word indices of consecutive tokens.
    window : int
        Largest distance between a target and its context.
    rng : numpy.random.Generator
    keep : ndarray, optional
        Keep probability per word index (:func:`kw2v.keep_probabilities`).
    sentence_ids : ndarray of int, optional
        Sentence number of each token; pairs stay inside a sentence.
    dynamic : bool
        Draw a window size per target (word2vec) instead of always ``window``.

    Returns
    -------
    targets, contexts : ndarray of int32
        Grouped by offset, not shuffled.
    """
    if keep is not None:
        mask = keep[ids] > rng.random(len(ids))
        ids = ids[mask]
        if sentence_ids is not None:
            sentence_ids = sentence_ids[mask]
    n = len(ids)
    spans = rng.integers(1, window + 1, size=n) if dynamic else np.full(n, window)
    targets, contexts = [], []
    for off in range(1, min(window, n - 1) + 1):
        same = (
            np.ones(n - off, bool)
            if sentence_ids is None
            else (sentence_ids[:-off] == sentence_ids[off:])
        )
        fwd = same & (spans[:-off] >= off)  # target i, context i + off
        bwd = same & (spans[off:] >= off)  # target i + off, context i
        targets += [ids[:-off][fwd], ids[off:][bwd]]
        contexts += [ids[off:][fwd], ids[:-off][bwd]]
    if not targets:
        empty = np.zeros(0, np.int32)
        return empty, empty
    return (
        np.concatenate(targets).astype(np.int32, copy=False),
        np.concatenate(contexts).astype(np.int32, copy=False),
    )
