"""Skip-gram: every (target, context) pair within a window, the target predicting its context.

Everything skip-gram with negative sampling needs, in the order the course builds it: the
tf.keras-compatible :func:`skipgrams` (notebooks 01-03), :class:`SkipGramPipeline` (the pairs
of a whole corpus, streamed; notebook 02), the two-input Keras model
:func:`build_skipgram_model` (Embedding, Dot, sigmoid Dense; notebook 03) with the
full-softmax baseline beside it (notebook 01), and :class:`SkipGramNegative`, the method
:func:`kw2v.train` runs by default. Hierarchical softmax is in :mod:`kw2v.hierarchical`.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

from kw2v.embeddings import sigmoid_scores, word2vec_embedding
from kw2v.errors import Kw2vError
from kw2v.method import Word2VecMethod
from kw2v.pipeline import CorpusPipeline
from kw2v.windows import window_pairs


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


class SkipGramPipeline(CorpusPipeline):
    """Batches of (target, 1 true context + k negatives), made per epoch from the encoded corpus.

    The pairs of :func:`kw2v.window_pairs` over the whole corpus, chunk by chunk, shuffled
    inside each chunk, each with k negatives from unigram^0.75
    (:class:`kw2v.pipeline.CorpusPipeline`, which lists the parameters). Epoch ``e`` uses the
    random stream ``(seed, e)``, so a run is reproducible and can resume at any epoch.
    Introduced in notebook 02; notebook 04 trains on a real corpus with it.
    """

    examples = "training pairs"
    inputs = ("target", "context")
    graph_kind = "pairs"

    def expected_pairs(self) -> float:
        """Expected positive pairs per epoch, sentence ends and dynamic windows included.

        A sentence keeping ``K`` tokens after subsampling has ``K - d`` position pairs at
        distance ``d``, each counted in both directions when the target's window reaches
        ``d`` (probability ``(w - d + 1) / w``). ``K`` is taken as its expectation.
        """
        lengths = np.diff(np.append(self.starts, len(self.ids))) * self.kept_fraction()
        w = self.window
        pairs = float(
            sum(2 * np.maximum(lengths - d, 0).sum() * (w - d + 1) / w for d in range(1, w + 1))
        )
        return pairs * (self.hi - self.lo) / len(self.ids)  # a shard's share

    expected_examples = expected_pairs

    def _chunk_examples(self, ids, rng, sentence_ids):
        return window_pairs(ids, self.window, rng, keep=self.keep, sentence_ids=sentence_ids)


def build_skipgram_model(
    vocab_size: int,
    embedding_dim: int = 100,
    shared_embedding: bool = False,
    name: str = "skipgram",
) -> keras.Model:
    """The two-input skip-gram model: Embedding, Dot, sigmoid Dense.

    ``target`` has shape ``(batch,)`` and ``context`` shape ``(batch, N)``; the output is one
    probability per context word, shape ``(batch, N)``. So the same model trains on tf.keras
    ``skipgrams`` couples (n = 1, one label per couple) and on grouped examples (n = 1 + k: the
    true context followed by k negatives, labels ``[1, 0, ..., 0]``), which look the target
    vector up once for all k + 1 dot products. Introduced in notebook 03.

    ``shared_embedding=True`` is the classic Keras tutorial: one table for both inputs.
    The default, ``False``, is word2vec proper: a separate context table. With one table a
    word must be close to its own neighbours, which pulls apart words that are similar but
    rarely side by side; with two, similar words only need similar contexts. On wiki-sample
    (notebook 03) the separate tables scored a little higher on the word-pair benchmarks
    (WS353, SimLex-999), by less than the evaluation's noise, and the shared table a little
    higher on the analogy questions, where both are near zero on so small a corpus. It is also
    the layout gensim uses.

    Parameters
    ----------
    vocab_size : int
        Number of word indices, reserved index 0 included (``len(vocabulary)``).
    embedding_dim : int
        Vector size.
    shared_embedding : bool
        One Embedding for target and context (True) or two (False).

    Returns
    -------
    keras.Model
        Not compiled; see :func:`kw2v.compile_model`.
    """
    if vocab_size < 2:
        raise Kw2vError(f"vocab_size must be at least 2 (index 0 is reserved), got {vocab_size}")
    # word2vec's start: small random target vectors; context vectors at zero when separate
    # (a shared table cannot start at zero: every gradient would be zero).
    target_embedding = word2vec_embedding(vocab_size, embedding_dim, "target_embedding")
    context_embedding = (
        target_embedding
        if shared_embedding
        else word2vec_embedding(vocab_size, embedding_dim, "context_embedding", seed=None)
    )
    target = keras.Input(shape=(), dtype="int32", name="target")
    context = keras.Input(shape=(None,), dtype="int32", name="context")
    t = target_embedding(target)  # (batch, dim)
    c = context_embedding(context)  # (batch, n, dim)
    return keras.Model([target, context], sigmoid_scores(t, c), name=name)


def build_softmax_model(vocab_size: int, embedding_dim: int = 50) -> keras.Model:
    """Skip-gram with a full softmax: P(context | target) over the whole vocabulary.

    The baseline of notebook 01: correct and simple, but every step computes a score for every
    word in the vocabulary, so it slows down linearly as the vocabulary grows. Trains with
    ``sparse_categorical_crossentropy`` on (target, context) index pairs. Introduced in
    notebook 01.
    """
    if vocab_size < 2:
        raise Kw2vError(f"vocab_size must be at least 2, got {vocab_size}")
    target = keras.Input(shape=(), dtype="int32", name="target")
    e = layers.Embedding(vocab_size, embedding_dim, name="target_embedding")(target)
    probs = layers.Dense(vocab_size, activation="softmax", name="softmax")(e)
    return keras.Model(target, probs, name="skipgram_softmax")


def couples_to_inputs(couples: np.ndarray, labels: np.ndarray | None = None):
    """tf.keras ``skipgrams`` output → the model's inputs (``context`` as shape (n, 1)).

    Returns ``{"target": ..., "context": ...}``, plus labels of shape (n, 1) if given.
    """
    couples = np.asarray(couples, dtype=np.int32)
    x = {"target": couples[:, 0], "context": couples[:, 1:2]}
    if labels is None:
        return x
    return x, np.asarray(labels, dtype=np.float32).reshape(-1, 1)


class SkipGramNegative(Word2VecMethod):
    """Skip-gram with negative sampling: word2vec's default, kw2v's first (notebooks 02-05)."""

    title = "skip-gram with negative sampling"
    device_examples = True
    defaults = {"negative": 5, "sample": 1e-3, "shared_embedding": False}
    pipeline_class = SkipGramPipeline

    def build(self, config, vocab, pipeline):
        return build_skipgram_model(len(vocab), config.dim, config.shared_embedding)
