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

from kw2v.config import check_values
from kw2v.embeddings import sigmoid_scores, word2vec_embedding
from kw2v.errors import Kw2vError
from kw2v.method import ONE_TABLE, Word2VecMethod
from kw2v.pipeline import CorpusPipeline
from kw2v.windows import cbow_windows

__all__ = ["CBOWNegative", "CBOWPipeline", "build_cbow_model", "context_mean"]


class CBOWPipeline(CorpusPipeline):
    """Batches of (context words (B, 2w), centre + k negatives (B, 1 + k)), made per epoch.

    Streams the encoded corpus chunk by chunk like :class:`kw2v.SkipGramPipeline`
    (:class:`kw2v.pipeline.CorpusPipeline` lists the parameters), with
    :func:`kw2v.cbow_windows` in place of the pairs, so memory stays at one chunk's examples
    (about ``8 * window * chunk_tokens`` bytes) whatever the corpus size. ``batch_size`` counts
    centre words. Introduced in notebook 06.
    """

    examples = "CBOW examples"
    inputs = ("context", "target")
    graph_kind = "cbow"
    default_batch_size = 256
    default_chunk_tokens = 200_000

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

    def _x_shape(self):
        return (None, 2 * self.window)


def context_mean(vocab_size: int, embedding_dim: int):
    """CBOW's input side: the ``context`` input (batch, 2w), 0 where the window had no word,
    and ``h`` (batch, dim), the mean of the real context words' vectors (``mask_zero`` marks
    the padding, which ``GlobalAveragePooling1D`` leaves out). Their table, ``word_embedding``,
    holds the word vectors we keep, as in word2vec. Introduced in notebook 06."""
    check_values(dim=embedding_dim)
    if vocab_size < 2:
        raise Kw2vError(f"vocab_size must be at least 2 (index 0 is reserved), got {vocab_size}")
    embedding = word2vec_embedding(vocab_size, embedding_dim, "word_embedding", mask_zero=True)
    context = keras.Input(shape=(None,), dtype="int32", name="context")
    return context, layers.GlobalAveragePooling1D(name="context_mean")(embedding(context))


def build_cbow_model(vocab_size: int, embedding_dim: int = 100, name: str = "cbow") -> keras.Model:
    """CBOW with negative sampling: the mean of the context vectors scores the centre word.

    Input ``context`` (batch, 2w) as :func:`context_mean` reads it; input ``target``
    (batch, 1 + k) holds the true centre word and k negatives, scored like skip-gram's:
    ``sigma(a * h . u + b)``, output (batch, 1 + k). Hierarchical softmax puts a path in the
    Huffman tree in place of ``target`` (:func:`kw2v.hierarchical.build_hierarchical_cbow_model`).
    Introduced in notebook 06.

    Returns
    -------
    keras.Model
        Not compiled.
    """
    context, h = context_mean(vocab_size, embedding_dim)
    target = keras.Input(shape=(None,), dtype="int32", name="target")
    u = word2vec_embedding(vocab_size, embedding_dim, "output_embedding", seed=None)(target)
    return keras.Model([context, target], sigmoid_scores(h, u), name=name)


class CBOWNegative(Word2VecMethod):
    """CBOW with negative sampling: the mean of the context words predicts the centre word.

    Its default vectors are E alone (the context words' table), as word2vec saves them.
    """

    title = "CBOW with negative sampling"
    device_examples = True
    unused = {"shared_embedding": ONE_TABLE}
    output_vectors = ("target", "target+context")
    pipeline_class = CBOWPipeline

    def build(self, config, vocab, pipeline):
        return build_cbow_model(len(vocab), config.dim)
