"""Which words to keep (subsampling) and which to draw as negatives (the noise distribution)."""

from __future__ import annotations

import numpy as np

from kw2v.config import check_values
from kw2v.errors import Kw2vError


def keep_probabilities(counts: np.ndarray, sample: float = 1e-3) -> np.ndarray:
    """Probability of keeping each occurrence of a word under word2vec's subsampling.

    word2vec's C code (and gensim) keep a word of count ``c`` out of ``T`` tokens with
    probability ``(sqrt(c / (s T)) + 1) (s T) / c``, capped at 1: the paper's
    ``1 - sqrt(t / f)`` discard rule, smoothed. Frequent words ("the", "of") are mostly
    dropped, which speeds training and improves rare words. Introduced in notebook 02.

    Parameters
    ----------
    counts : ndarray of int
        Word counts indexed like the vocabulary (index 0, count 0, gets probability 0).
    sample : float
        The threshold ``s``; 0 disables subsampling (every word kept).

    Returns
    -------
    ndarray of float64
    """
    check_values(sample=sample)
    counts = np.asarray(counts, dtype=np.float64)
    keep = np.ones_like(counts)
    if sample > 0:
        threshold = sample * counts.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            keep = (np.sqrt(counts / threshold) + 1.0) * threshold / counts
        keep = np.minimum(keep, 1.0)
    keep[counts == 0] = 0.0
    return keep


def kept_tokens(counts: np.ndarray, sample: float = 1e-3) -> float:
    """The expected number of tokens one pass keeps after subsampling: what gensim's log calls
    "effective words". ``counts``: the vocabulary's (``min_count`` applied).
    Introduced in notebook 04.
    """
    counts = np.asarray(counts, dtype=np.float64)
    return float((counts * keep_probabilities(counts, sample)).sum())


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """The unigram distribution raised to ``power`` and renormalised: where negatives come from.

    Raising to 3/4 flattens the distribution, so rare words are drawn more often than their
    frequency (0.9 → 0.92, 0.09 → 0.16, 0.01 → 0.032 before normalising). Introduced in
    notebook 02.
    """
    weights = np.asarray(counts, dtype=np.float64) ** power
    weights[np.asarray(counts) == 0] = 0.0
    total = weights.sum()
    if total <= 0:
        raise Kw2vError("cannot build a noise distribution from an empty vocabulary")
    return weights / total


class NoiseSampler:
    """Draws word indices from a fixed distribution in O(1) per draw (Walker's alias method).

    Every index gets one bucket holding its own share and, in the rest, one "alias" index; a
    draw picks a bucket uniformly and then one of its two. Exact, unlike word2vec's quantised
    unigram table, and an order of magnitude faster than binary search over the cumulative
    distribution, which was 90% of the input pipeline's time. Introduced in notebook 04.

    Parameters
    ----------
    probabilities : ndarray
        Probability of each index, e.g. from :func:`noise_distribution`.
    """

    def __init__(self, probabilities: np.ndarray):
        p = np.asarray(probabilities, dtype=np.float64)
        n = len(p)
        scaled = p * (n / p.sum())
        self.threshold = np.ones(n)
        self.alias = np.arange(n, dtype=np.int32)
        small = [i for i in range(n) if scaled[i] < 1.0]
        large = [i for i in range(n) if scaled[i] >= 1.0]
        while small and large:  # Vose: pair an under-full bucket with an over-full index
            s, g = small.pop(), large[-1]
            self.threshold[s], self.alias[s] = scaled[s], g
            scaled[g] -= 1.0 - scaled[s]
            if scaled[g] < 1.0:
                small.append(large.pop())
        self.size = n

    def sample(self, rng: np.random.Generator, shape) -> np.ndarray:
        """Indices of the given shape, int32."""
        bucket = rng.integers(0, self.size, size=shape, dtype=np.int32)
        keep = rng.random(shape) < self.threshold[bucket]
        return np.where(keep, bucket, self.alias[bucket])


def make_sampling_table(size: int, sampling_factor: float = 1e-5) -> np.ndarray:
    """``tf.keras.preprocessing.sequence.make_sampling_table``, equal to it element for element.

    It guesses each word's frequency from its rank with Zipf's law, so it is only right when
    index ``i`` is the ``i``-th most frequent word (as in :class:`kw2v.Vocabulary`); with real
    counts, prefer :func:`keep_probabilities`. Introduced in notebook 02.

    Parameters
    ----------
    size : int
        Vocabulary size (index 0 included).
    sampling_factor : float
        The word2vec sampling threshold.

    Returns
    -------
    ndarray of float64, shape (size,)
        Entry ``i`` is the probability of keeping the word of rank ``i``.
    """
    gamma = 0.577  # Euler-Mascheroni constant, rounded as in tf.keras
    rank = np.arange(size)
    rank[:1] = 1
    inv_freq = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inv_freq
    return np.minimum(1.0, f / np.sqrt(f))
