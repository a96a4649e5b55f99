"""The window rule, once, in NumPy: which tokens are a word's context.

word2vec's rule, shared by skip-gram's pairs, CBOW's windows and GloVe's counts: frequent
words are first dropped by subsampling (so the window then reaches further), each word draws
its own window size from ``1 .. window`` (which weights near neighbours more), and no window
crosses a sentence boundary. :func:`neighbours` states the rule; :func:`window_pairs` and
:func:`cbow_windows` lay its answer out for a method. The graph twin of this module, for
``tf.data``, is :mod:`kw2v.graph_windows`. Introduced in notebook 02.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from kw2v.errors import Kw2vError


def subsample_and_draw_spans(
    ids: np.ndarray,
    window: int,
    rng: np.random.Generator,
    *,
    keep: np.ndarray | None = None,
    sentence_ids: np.ndarray | None = None,
    dynamic: bool = True,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """The random half of the rule: the tokens that survive subsampling, their sentence ids,
    and the window size of each (drawn in that order from ``rng``).

    ``keep`` is the keep probability per word index (:func:`kw2v.keep_probabilities`);
    ``dynamic=False`` gives every word the whole ``window``.
    """
    if window < 1:
        raise Kw2vError(f"window must be at least 1, got {window}")
    ids = np.asarray(ids, dtype=np.int32)
    if keep is not None:
        mask = keep[ids] > rng.random(len(ids))
        ids = ids[mask]
        if sentence_ids is not None:
            sentence_ids = np.asarray(sentence_ids)[mask]
    n = len(ids)
    spans = rng.integers(1, window + 1, size=n) if dynamic else np.full(n, window)
    return ids, sentence_ids, spans


def neighbours(
    n: int, window: int, spans: np.ndarray | None, sentence_ids: np.ndarray | None
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """The fixed half of the rule: for each distance in ``1 .. window``, which of the
    ``n - distance`` position pairs ``(i, i + distance)`` are in a window.

    Yields ``(distance, forward, backward)``: ``forward[i]`` says that token ``i + distance``
    is in the window of token ``i`` (its span reaches ``distance``, same sentence),
    ``backward[i]`` that token ``i`` is in the window of token ``i + distance``.
    ``spans=None`` means every span is ``window``.
    """
    for distance in range(1, min(window, n - 1) + 1):
        same = (
            np.ones(n - distance, bool)
            if sentence_ids is None
            else sentence_ids[:-distance] == sentence_ids[distance:]
        )
        if spans is None:
            yield distance, same, same
        else:
            yield (
                distance,
                same & (spans[:-distance] >= distance),
                same & (spans[distance:] >= distance),
            )


def window_pairs(
    ids: np.ndarray, window: int, rng: np.random.Generator, **rule
) -> tuple[np.ndarray, np.ndarray]:
    """(target, context) index pairs of a stretch of corpus, the way word2vec makes them.

    Every step is a NumPy array operation over the whole stretch: no Python loop per word.
    Introduced in notebook 02.

    Parameters
    ----------
    ids : ndarray of int32
        Word indices of consecutive tokens.
    window : int
        Largest distance between a target and its context.
    rng : numpy.random.Generator
    **rule
        :func:`subsample_and_draw_spans`'s ``keep`` (keep probability per word index,
        :func:`kw2v.keep_probabilities`), ``sentence_ids`` (sentence number of each token;
        pairs stay inside a sentence) and ``dynamic`` (draw a window size per target, as
        word2vec does, instead of always ``window``; default True).

    Returns
    -------
    targets, contexts : ndarray of int32
        Grouped by distance (forward, then backward), not shuffled.
    """
    ids, sentence_ids, spans = subsample_and_draw_spans(ids, window, rng, **rule)
    targets, contexts = [], []
    for distance, fwd, bwd in neighbours(len(ids), window, spans, sentence_ids):
        targets += [ids[:-distance][fwd], ids[distance:][bwd]]
        contexts += [ids[distance:][fwd], ids[:-distance][bwd]]
    if not targets:
        empty = np.zeros(0, np.int32)
        return empty, empty
    return np.concatenate(targets), np.concatenate(contexts)


def cbow_windows(
    ids: np.ndarray, window: int, rng: np.random.Generator, **rule
) -> tuple[np.ndarray, np.ndarray]:
    """CBOW examples of a stretch of corpus: each kept word with its context words, padded.

    The same rule as :func:`window_pairs`, laid out per centre word: row ``i`` of the context
    matrix holds the words at offsets ``-window .. -1, 1 .. window`` around centre ``i``, with
    0 (the reserved index) where a word is out of reach; centres with no context word at all
    are dropped. ``rule`` takes :func:`window_pairs`'s ``keep``, ``sentence_ids`` and
    ``dynamic``. Introduced in notebook 06.

    Returns
    -------
    contexts : ndarray of int32, shape (n, 2 * window)
    centres : ndarray of int32, shape (n,)
    """
    ids, sentence_ids, spans = subsample_and_draw_spans(ids, window, rng, **rule)
    n = len(ids)
    contexts = np.zeros((n, 2 * window), np.int32)
    for distance, fwd, bwd in neighbours(n, window, spans, sentence_ids):
        after, before = ids[distance:], ids[:-distance]
        contexts[: n - distance, window - 1 + distance] = np.where(fwd, after, 0)
        contexts[distance:, window - distance] = np.where(bwd, before, 0)
    has_context = contexts.any(axis=1)
    return contexts[has_context], ids[has_context]
