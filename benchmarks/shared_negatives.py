"""Experiment: skip-gram examples made inside the compiled training step, with or without
shared negatives. Measures speed and quality per epoch; the results are in RESULTS.md.

    python benchmarks/shared_negatives.py CORPUS MODE [--epochs 1] [--tokens 256]

Each step reads ``--tokens`` consecutive corpus tokens (a random stretch of the corpus) and,
inside one XLA-compiled ``train_step``, subsamples them, draws a window size per word, forms
every (word, neighbour) pair as a shifted copy of the stretch, draws negatives from the alias
table and applies kw2v's ``RowAdagrad``. ``MODE`` says how negatives are drawn:

- ``pair``: k negatives for every pair (word2vec's estimator, what ``kw2v train`` computes);
- ``word``: k negatives per word, shared by all its pairs and scored once (pWord2Vec-style
  sharing: 10 dot products per word instead of 36);
- ``batch``: 64 negatives shared by the whole step, scored as one matrix product and
  weighted k/64 (BlazingText-style sharing).

Random numbers come from a counter-based hash of (epoch, step, position), so a step can be
replayed exactly. This is a measurement script, not part of the package: ``kw2v train`` makes
its examples with TensorFlow ops inside ``tf.data`` (:mod:`kw2v.graph_windows`), which measured
faster on 2 CPU cores than any of these.
"""

from __future__ import annotations

import argparse
import time

import keras
import numpy as np
import tensorflow as tf

from kw2v import Corpus, Vocabulary, encode_corpus, evaluate_all, model_vectors
from kw2v.embeddings import word2vec_embedding
from kw2v.optimizers import RowAdagrad
from kw2v.sampling import NoiseSampler, keep_probabilities, noise_distribution

WINDOW, NEGATIVE, SHARED_BATCH = 5, 5, 64


def _mix(x):
    """murmur3's 32-bit finaliser: a bijection that scrambles every bit."""
    x = tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, 16)) * tf.constant(
        0x85EBCA6B, tf.uint32
    )
    x = tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, 13)) * tf.constant(
        0xC2B2AE35, tf.uint32
    )
    return tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, 16))


def _uniform(key, shape, stream):
    """Uniform [0, 1) floats, a pure function of (key, stream, position)."""
    n = int(np.prod(shape))
    counter = tf.cast(tf.range(n), tf.uint32) + tf.constant(
        (stream * 0x9E3779B9) & 0xFFFFFFFF, tf.uint32
    )
    bits = _mix(counter * tf.constant(0x9E3779B1, tf.uint32) + key)
    return tf.reshape(tf.cast(tf.bitwise.right_shift(bits, 8), tf.float32) / (1 << 24), shape)


class InStepSkipGram(keras.Model):
    """Skip-gram whose examples are made inside ``train_step`` from a stretch of token ids."""

    def __init__(self, counts, mode, tokens, dim=100):
        super().__init__()
        self.mode, self.tokens = mode, tokens
        v = len(counts)
        self.target = word2vec_embedding(v, dim, "target_embedding")
        self.context = word2vec_embedding(v, dim, "context_embedding", seed=None)
        self.target.build((None,))
        self.context.build((None,))
        sampler = NoiseSampler(noise_distribution(counts))
        self.keep = tf.constant(keep_probabilities(counts, 1e-3), tf.float32)
        self.threshold = tf.constant(sampler.threshold, tf.float32)
        self.alias = tf.constant(sampler.alias)
        self.tracker = keras.metrics.Mean("loss")

    @property
    def metrics(self):
        return [self.tracker]

    def _negatives(self, key, shape, stream):
        v = self.threshold.shape[0]
        bucket = tf.minimum(tf.cast(_uniform(key, shape, stream) * v, tf.int32), v - 1)
        u = _uniform(key, shape, stream + 1)
        return tf.where(
            u < tf.gather(self.threshold, bucket), bucket, tf.gather(self.alias, bucket)
        )

    def train_step(self, data):
        ids, seed = data
        n, w, k = self.tokens, WINDOW, NEGATIVE
        ids = tf.reshape(ids, [n])
        key = _mix(
            tf.cast(seed[0], tf.uint32) * tf.constant(0x9E3779B1, tf.uint32)
            + tf.cast(seed[1], tf.uint32)
        )
        kept = (tf.gather(self.keep, ids) > _uniform(key, [n], 1)) & (ids > 0)
        k_int = tf.cast(kept, tf.int32)
        n_kept = tf.reduce_sum(k_int)
        slot = tf.where(kept, tf.cumsum(k_int) - 1, n)
        words = tf.math.unsorted_segment_sum(ids * k_int, slot, n + 1)[:n]  # kept, packed left
        valid = tf.range(n) < n_kept
        spans = 1 + tf.minimum(tf.cast(_uniform(key, [n], 2) * w, tf.int32), w - 1)
        table_t, table_c = self.target.embeddings, self.context.embeddings
        offsets = [o for o in range(-w, w + 1) if o]
        pad = lambda t: tf.pad(t, [[w, w]] + [[0, 0]] * (len(t.shape) - 1))  # noqa: E731
        valid_p, spans_p, words_p = pad(valid), pad(spans), pad(words)
        with tf.GradientTape() as tape:
            pos_loss, neg_loss, count = 0.0, 0.0, 0.0
            e = tf.gather(table_t, words)
            for o in offsets:
                # pair (word j, centre j + o), inside the centre's window
                m = valid & valid_p[w + o : w + o + n] & (abs(o) <= spans_p[w + o : w + o + n])
                m = tf.cast(m, tf.float32)
                if self.mode == "pair":  # separate gathers: one Adagrad entry per pair
                    e_j = tf.gather(table_t, words)
                    c = tf.gather(table_c, words_p[w + o : w + o + n])
                    negs = tf.gather(table_c, self._negatives(key, [n, k], 10 + 2 * (o + w)))
                    neg_loss += (
                        tf.reduce_sum(tf.nn.softplus(tf.einsum("nd,nkd->nk", e_j, negs)), 1) * m
                    )
                else:
                    e_j, c = e, tf.gather(table_c, words_p[w + o : w + o + n])
                pos_loss += tf.nn.softplus(-tf.reduce_sum(e_j * c, 1)) * m
                count += m
            if self.mode == "word":
                negs = tf.gather(table_c, self._negatives(key, [n, k], 5))
                neg_loss = (
                    tf.reduce_sum(tf.nn.softplus(tf.einsum("nd,nkd->nk", e, negs)), 1) * count
                )
            elif self.mode == "batch":
                negs = tf.gather(table_c, self._negatives(key, [SHARED_BATCH], 5))
                scores = tf.nn.softplus(tf.matmul(e, negs, transpose_b=True))
                neg_loss = tf.reduce_sum(scores, 1) * count * (k / SHARED_BATCH)
            loss = (
                tf.reduce_sum(pos_loss + neg_loss) / tf.maximum(tf.reduce_sum(count), 1.0) / (1 + k)
            )
        grads = tape.gradient(loss, [table_t, table_c])
        self.optimizer.apply(grads, [table_t, table_c])
        self.tracker.update_state(loss)
        return {"loss": self.tracker.result()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("mode", choices=("pair", "word", "batch"))
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=256)
    args = parser.parse_args()
    corpus = Corpus(args.corpus, mode="none")
    vocab = Vocabulary.build(corpus, min_count=5)
    ids, _ = encode_corpus(corpus, vocab)
    rows = ids[: len(ids) // args.tokens * args.tokens].reshape(-1, args.tokens)

    def stretches():
        epoch = 0
        while True:
            for i, r in enumerate(np.random.default_rng([1, epoch]).permutation(len(rows))):
                yield rows[r], np.array([epoch, i], np.int32)
            epoch += 1

    spec = (tf.TensorSpec((args.tokens,), tf.int32), tf.TensorSpec((2,), tf.int32))
    data = tf.data.Dataset.from_generator(stretches, output_signature=spec).prefetch(64)
    model = InStepSkipGram(vocab.counts, args.mode, args.tokens)
    model.compile(optimizer=RowAdagrad(0.1), jit_compile=True, steps_per_execution=32)
    start = time.perf_counter()
    model.fit(data, epochs=args.epochs, steps_per_epoch=len(rows) // 32 * 32, verbose=2)
    seconds = time.perf_counter() - start
    scores = evaluate_all(model_vectors(model, vocab))
    print(
        f"{args.mode}: {args.epochs} epoch(s) in {seconds:.1f} s, "
        f"{len(ids) * args.epochs / seconds:,.0f} corpus words/s; WS353 {scores['ws353']:.3f}, "
        f"SimLex {scores['simlex']:.3f}, analogies {scores['analogy_add']:.1%}"
    )


if __name__ == "__main__":
    main()
