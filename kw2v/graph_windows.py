"""The window rule, once, in TensorFlow ops: word2vec's training examples made inside ``tf.data``.

The graph twin of :mod:`kw2v.windows`, the same rule step for step (subsampling first, a
window size drawn per word, no window across a sentence), with unigram^0.75 negatives by the
alias method (:class:`kw2v.NoiseSampler`'s table). :meth:`kw2v.pipeline.CorpusPipeline.dataset`
runs :class:`ChunkBatcher` on chunks of the encoded corpus, so that the examples of one chunk
are made by TensorFlow's C++ threads on one core while ``fit`` trains on the other: no Python
per batch. The random draws are arguments of the ``*_from_draws`` functions, which a test
feeds the same draws as the NumPy versions to check that both make the same examples.
Introduced in notebook 04.
"""

from __future__ import annotations

import numpy as np

from kw2v.backend import require_tensorflow

tf = require_tensorflow("word2vec's tf.data pipeline")


def neighbours(sentence_ids, spans, window: int):
    """Yield ``(distance, forward, backward)`` for each distance in ``1 .. window``: which
    position pairs ``(i, i + distance)`` are in a window (as :func:`kw2v.windows.neighbours`)."""
    for distance in range(1, window + 1):
        same = tf.equal(sentence_ids[:-distance], sentence_ids[distance:])
        yield (
            distance,
            same & (spans[:-distance] >= distance),
            same & (spans[distance:] >= distance),
        )


def window_pairs_from_draws(ids, sentence_ids, kept, spans, window: int):
    """(targets, contexts) of a stretch of corpus, given its subsampling mask and window sizes.

    ``kept[i]``: token ``i`` survives subsampling; ``spans[j]``: the window size of the
    ``j``-th surviving token. Same order as :func:`kw2v.window_pairs` (by distance, forward
    then backward).
    """
    ids, sentence_ids = tf.boolean_mask(ids, kept), tf.boolean_mask(sentence_ids, kept)
    targets, contexts = [], []
    for distance, fwd, bwd in neighbours(sentence_ids, spans, window):
        targets += [tf.boolean_mask(ids[:-distance], fwd), tf.boolean_mask(ids[distance:], bwd)]
        contexts += [tf.boolean_mask(ids[distance:], fwd), tf.boolean_mask(ids[:-distance], bwd)]
    return tf.concat(targets, 0), tf.concat(contexts, 0)


def cbow_windows_from_draws(ids, sentence_ids, kept, spans, window: int):
    """(contexts (n, 2 window), centres (n,)) given the draws; as :func:`kw2v.cbow_windows`."""
    ids, sentence_ids = tf.boolean_mask(ids, kept), tf.boolean_mask(sentence_ids, kept)
    n = tf.size(ids)
    columns = [None] * (2 * window)
    for distance, fwd, bwd in neighbours(sentence_ids, spans, window):
        after = tf.pad(
            tf.where(fwd, ids[distance:], 0), [[0, distance]]
        )  # the word that far after, or 0
        before = tf.pad(
            tf.where(bwd, ids[:-distance], 0), [[distance, 0]]
        )  # the word that far before, or 0
        columns[window - 1 + distance] = after[:n]
        columns[window - distance] = before[tf.maximum(distance - n, 0) :]
    contexts = tf.stack(columns, axis=1)
    has_context = tf.reduce_any(contexts > 0, axis=1)
    return tf.boolean_mask(contexts, has_context), tf.boolean_mask(ids, has_context)


def alias_draw(threshold, alias, bucket, u):
    """Walker's alias method given uniform ``bucket`` indices and uniform ``u`` in [0, 1)."""
    return tf.where(u < tf.gather(threshold, bucket), bucket, tf.gather(alias, bucket))


class ChunkBatcher:
    """Makes one chunk's shuffled examples and negatives, cut into batches, from a seed.

    Parameters
    ----------
    kind : "pairs" or "cbow"
    keep : ndarray
        Keep probability per word index (:func:`kw2v.keep_probabilities`).
    sampler : NoiseSampler
        The noise distribution's alias table.
    window, negative, batch_size : int
    """

    def __init__(self, kind, keep, sampler, *, window, negative, batch_size):
        self.kind, self.window, self.negative, self.batch_size = kind, window, negative, batch_size
        self.keep = tf.constant(np.asarray(keep, np.float32))
        self.threshold = tf.constant(np.asarray(sampler.threshold, np.float32))
        self.alias = tf.constant(np.asarray(sampler.alias, np.int32))
        self.vocab_size = int(sampler.size)

    def examples(self, ids, sentence_ids, seed):
        """One chunk's examples ``(x, predicted)`` in corpus order; ``seed``: shape (2,)."""
        keep_seed, span_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
        u = tf.random.stateless_uniform(tf.shape(ids), keep_seed)
        kept = tf.gather(self.keep, ids) > u
        n = tf.reduce_sum(tf.cast(kept, tf.int32))
        spans = tf.random.stateless_uniform(
            [n], span_seed, minval=1, maxval=self.window + 1, dtype=tf.int32
        )
        make = window_pairs_from_draws if self.kind == "pairs" else cbow_windows_from_draws
        return make(ids, sentence_ids, kept, spans, self.window)

    def batches(self, ids, sentence_ids, seed):
        """The chunk's examples shuffled, each predicted word followed by ``negative`` draws,
        cut into ``(n_batches, batch_size, ...)``; the partial last batch is dropped unless
        the chunk makes no full one (a tiny corpus), which then gives one short batch."""
        ex_seed, shuffle_seed, neg_seed = tf.unstack(
            tf.random.experimental.stateless_split(seed, 3)
        )
        x, predicted = self.examples(ids, sentence_ids, ex_seed)
        perm = tf.random.experimental.stateless_shuffle(
            tf.range(tf.shape(predicted)[0]), shuffle_seed
        )
        x, predicted = tf.gather(x, perm), tf.gather(predicted, perm)
        if self.negative:
            bucket_seed, u_seed = tf.unstack(tf.random.experimental.stateless_split(neg_seed, 2))
            shape = [tf.shape(predicted)[0], self.negative]
            bucket = tf.random.stateless_uniform(
                shape, bucket_seed, minval=0, maxval=self.vocab_size, dtype=tf.int32
            )
            negs = alias_draw(
                self.threshold, self.alias, bucket, tf.random.stateless_uniform(shape, u_seed)
            )
            predicted = tf.concat([predicted[:, None], negs], axis=1)
        else:
            predicted = predicted[:, None]
        b = self.batch_size
        total = tf.shape(predicted)[0]
        full = total // b

        def cut(t):
            width = tf.shape(t)[1:]
            return tf.cond(
                full > 0,
                lambda: tf.reshape(t[: full * b], tf.concat([[full, b], width], 0)),
                lambda: tf.reshape(t, tf.concat([[tf.minimum(total, 1), total], width], 0)),
            )

        return cut(x), cut(predicted)
