"""CBOW: the mean of the context words' vectors predicts the centre word.

Skip-gram turns each window into ``2w`` (centre, context) pairs; CBOW turns it into one
example: the context words are looked up, averaged into one vector ``h``, and ``h`` must pick
the true centre word out of k negatives (or, with hierarchical softmax, walk its path in the
Huffman tree). One update per centre word instead of one per pair makes it several times faster
per epoch; averaging blurs rare words a little, so skip-gram usually wins on small corpora.
Introduced in notebook 06.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from kw2v.errors import Kw2vError
from kw2v.model import word2vec_embedding
from kw2v.pipeline import ChunkedExamples, _labels_first_true

__all__ = ["CBOWPipeline", "build_cbow_model", "cbow_windows"]


def cbow_windows(
    ids: np.ndarray,
    window: int,
    rng: np.random.Generator,
    *,
    keep: np.ndarray | None = None,
    sentence_ids: np.ndarray | None = None,
    dynamic: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """CBOW examples of a stretch of corpus: each kept word with its context words, padded.

    The same rules as :func:`kw2v.window_pairs`: subsampling first, a window size drawn per
    centre word from ``1 .. window`` (``dynamic``), no window across a sentence boundary. Row
    ``i`` of the context matrix holds the words at offsets ``-window .. -1, 1 .. window``
    around centre ``i``, with 0 (the reserved index) where a word is out of reach; centres
    with no context word at all are dropped. Introduced in notebook 06.

    Parameters
    ----------
    ids : ndarray of int32
        Word indices of consecutive tokens.
    window : int
        Largest distance between the centre and a context word.
    rng : numpy.random.Generator
    keep : ndarray, optional
        Keep probability per word index (:func:`kw2v.keep_probabilities`).
    sentence_ids : ndarray of int, optional
        Sentence number of each token.
    dynamic : bool
        Draw a window size per centre word (word2vec) instead of always ``window``.

    Returns
    -------
    contexts : ndarray of int32, shape (n, 2 * window)
    centres : ndarray of int32, shape (n,)
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
    contexts = np.zeros((n, 2 * window), np.int32)
    offsets = [*range(-window, 0), *range(1, window + 1)]
    for col, off in enumerate(offsets):
        d = abs(off)
        if d >= n:
            continue
        # centre i, context i + off: rows lo..hi of the centres have a neighbour at off
        lo, hi = (d, n) if off < 0 else (0, n - d)
        ok = spans[lo:hi] >= d
        if sentence_ids is not None:
            ok &= sentence_ids[lo:hi] == sentence_ids[lo + off : hi + off]
        contexts[lo:hi, col] = np.where(ok, ids[lo + off : hi + off], 0)
    has_context = contexts.any(axis=1)
    return contexts[has_context], ids[has_context]


class CBOWPipeline(ChunkedExamples):
    """Batches of (context words (B, 2w), centre + k negatives (B, 1 + k)), made per epoch.

    Streams the encoded corpus chunk by chunk like :class:`kw2v.SkipGramPipeline` — subsampling,
    dynamic windows, a shuffle inside each chunk, unigram^0.75 negatives — so memory stays at
    one chunk's examples (about ``8 * window * chunk_tokens`` bytes) whatever the corpus size.
    Epoch ``e`` uses the random stream ``(seed, e)`` (:class:`kw2v.pipeline.ExamplePipeline`).
    ``batch_size`` counts centre words. Introduced in notebook 06.

    Parameters
    ----------
    ids : ndarray of int32
        The encoded corpus (:func:`kw2v.encode_corpus`).
    counts : ndarray of int
        ``Vocabulary.counts``: subsampling and the noise distribution.
    sentence_starts : ndarray of int, optional
        Token offsets where sentences start.
    window, negative, sample : int, int, float
        word2vec's ``-window``, ``-negative`` and ``-sample``; ``negative=0`` for hierarchical
        softmax (the batches then carry the centre word alone).
    batch_size : int
        Centre words per batch.
    chunk_tokens : int
    seed : int
    tree : HuffmanTree, optional
        Hierarchical softmax: the centre word becomes its path in this tree.
    """

    examples = "CBOW examples"
    predicted = "target"
    graph_kind = "cbow"

    def __init__(
        self,
        ids: np.ndarray,
        counts: np.ndarray,
        *,
        sentence_starts: np.ndarray | None = None,
        window: int = 5,
        negative: int = 5,
        sample: float = 1e-3,
        batch_size: int = 256,
        chunk_tokens: int = 200_000,
        seed: int = 0,
        noise_power: float = 0.75,
        tree=None,
    ):
        super().__init__(
            ids, counts, sentence_starts=sentence_starts, window=window, negative=negative,
            sample=sample, batch_size=batch_size, chunk_tokens=chunk_tokens, seed=seed,
            noise_power=noise_power, tree=tree,
        )  # fmt: skip

    def expected_examples(self) -> float:
        """Expected centre words per epoch: the tokens of sentences of 2 or more words that
        survive subsampling.

        (Survivors left alone, with no context word in reach, are dropped; that is a fraction
        of a percent on real text, so an epoch may borrow a few batches from the next pass.)
        """
        lengths = np.diff(np.append(self.starts, len(self.ids)))
        tokens = lengths[lengths >= 2].sum()
        return float(self.kept_fraction() * tokens * (self.hi - self.lo) / len(self.ids))

    def _chunk_examples(self, ids, rng, sentence_ids):
        return cbow_windows(ids, self.window, rng, keep=self.keep, sentence_ids=sentence_ids)

    def _pass(self, rng):
        for ctx, centre in self._pass_batches(rng, self.batch_size):
            yield ctx, self._with_negatives(rng, centre)

    def _signature(self):
        import tensorflow as tf

        return (
            tf.TensorSpec((None, 2 * self.window), tf.int32),
            tf.TensorSpec((None, self.negative + 1), tf.int32),
        )

    def _to_examples(self, ds):
        """``({"context", "target"}, labels [1, 0, ..., 0])``."""
        return ds.map(lambda ctx, tgt: ({"context": ctx, "target": tgt}, _labels_first_true(tgt)))


def build_cbow_model(
    vocab_size: int,
    embedding_dim: int = 100,
    *,
    n_nodes: int | None = None,
    name: str = "cbow",
) -> keras.Model:
    """CBOW: average the context vectors, score candidates for the centre word.

    Input ``context`` (batch, 2w) holds the context word indices, 0 where the window had no
    word; ``Embedding(mask_zero=True)`` marks those, and ``GlobalAveragePooling1D`` averages
    over the real words only, giving ``h`` (batch, dim). With negative sampling (the default)
    input ``target`` (batch, 1 + k) holds the true centre word and k negatives, scored like
    skip-gram's: ``sigma(a * h . u + b)``, output (batch, 1 + k). With ``n_nodes`` set, the
    output side is hierarchical softmax instead (:mod:`kw2v.hierarchical`): input ``path``
    (batch, depth), output ``sigma(u_node . h)`` per step, trained with
    :func:`kw2v.hierarchical.path_loss`. The word vectors we keep are the input (context-side)
    table, ``word_embedding``, as in word2vec. Introduced in notebook 06.

    Parameters
    ----------
    vocab_size : int
        ``len(vocabulary)``, reserved index 0 included.
    embedding_dim : int
    n_nodes : int, optional
        Inner nodes of the Huffman tree, for hierarchical softmax.

    Returns
    -------
    keras.Model
        Not compiled.
    """
    if vocab_size < 2:
        raise Kw2vError(f"vocab_size must be at least 2 (index 0 is reserved), got {vocab_size}")
    embedding = word2vec_embedding(
        vocab_size,
        embedding_dim,
        "word_embedding",
        mask_zero=True,  # index 0 pads short windows: left out of the mean
    )
    context = keras.Input(shape=(None,), dtype="int32", name="context")
    e = embedding(context)
    h = layers.GlobalAveragePooling1D(name="context_mean")(e)  # (batch, dim)
    if n_nodes is not None:
        from kw2v.hierarchical import _path_output

        path = keras.Input(shape=(None,), dtype="int32", name="path")
        prob = _path_output(h, path, n_nodes, embedding_dim)
        return keras.Model([context, path], prob, name=f"{name}_hs")
    target = keras.Input(shape=(None,), dtype="int32", name="target")
    u = word2vec_embedding(vocab_size, embedding_dim, "output_embedding", seed=None)(
        target
    )  # (batch, 1 + k, dim)
    dots = layers.Dot(axes=(1, 2), name="dot")([h, u])  # (batch, 1 + k)
    dots = layers.Reshape((-1, 1))(dots)
    prob = layers.Dense(
        1, activation="sigmoid", kernel_initializer="ones", bias_initializer="zeros", name="prob"
    )(dots)
    prob = layers.Reshape((-1,), name="probability")(prob)
    return keras.Model([context, target], prob, name=name)
