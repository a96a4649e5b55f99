"""Hierarchical softmax: a Huffman tree over the vocabulary and the Keras model that walks it.

Negative sampling replaces the softmax over V words by k + 1 binary questions. Hierarchical
softmax keeps a true probability distribution over all V words but makes it cheap: the words
are the leaves of a binary tree, each of the V - 1 inner nodes holds a vector ``u``, and the
probability of a word is the product of the left/right decisions on the path from the root to
its leaf, ``P(w | c) = prod sigma(+-u_node . v_c)``. A Huffman tree built from the word counts
gives frequent words short paths (about log2 V steps on average, fewer for "the"), so a training
pair costs a handful of dot products instead of V. Introduced in notebook 06.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers, ops

from kw2v.backend import require_tensorflow
from kw2v.cbow import CBOWNegative, CBOWPipeline, context_mean
from kw2v.embeddings import word2vec_embedding
from kw2v.errors import Kw2vError
from kw2v.method import ONE_TABLE
from kw2v.skipgram import SkipGramNegative, SkipGramPipeline

__all__ = [
    "PAD_CODE",
    "CBOWHierarchical",
    "HuffmanTree",
    "SkipGramHierarchical",
    "build_hierarchical_cbow_model",
    "build_hierarchical_skipgram_model",
    "hierarchical_dataset",
    "path_loss",
]

#: Code of a padding step in a path: masked out of the loss.
PAD_CODE = -1


class HuffmanTree:
    """The Huffman tree of a vocabulary: for every word, the inner nodes on its path and the codes.

    Built exactly as word2vec's ``CreateBinaryTree`` builds it, so a vocabulary always gets the
    same tree: the words sorted by count (most frequent first, as :class:`kw2v.Vocabulary`
    orders them) form one queue, the merged nodes a second; each step merges the two
    smallest, taking the merged node when a word ties with it, and the second one taken gets
    code 1. Inner nodes are numbered in the order they are made, so the root is the last one,
    ``n_nodes - 1``. Introduced in notebook 06.

    Parameters
    ----------
    counts : sequence of int
        Word counts, most frequent first, indexed like ``Vocabulary.counts``: entry 0 is the
        reserved index (count 0) and is not a leaf unless ``reserved_zero=False``.
    reserved_zero : bool
        Whether entry 0 is kw2v's reserved index (the default) rather than a word.

    Attributes
    ----------
    n_words : int
        Leaves (words) in the tree.
    n_nodes : int
        Inner nodes, ``n_words - 1``: the rows of the node embedding.
    paths : ndarray of int32, shape (len(counts), max_depth)
        ``paths[i]``: the inner nodes from the root down to word ``i``'s parent, padded with 0.
    codes : ndarray of int8, same shape
        ``codes[i, d]``: which child (0 or 1) the path of word ``i`` takes at ``paths[i, d]``;
        :data:`PAD_CODE` (-1) past the end of the path.
    lengths : ndarray of int32
        Path length (code length) of each word; 0 for the reserved index.
    parents : ndarray of int64, shape (n_words + n_nodes,)
        Parent of every tree node (leaves first, then inner nodes); -1 for the root.
    branches : ndarray of int8, same shape
        The code bit on the edge above every tree node (0 for the root).
    """

    def __init__(self, counts: Sequence[int] | np.ndarray, reserved_zero: bool = True):
        counts = np.asarray(counts, dtype=np.int64)
        offset = 1 if reserved_zero else 0
        leaf_counts = counts[offset:]
        n = len(leaf_counts)
        if n < 2:
            raise Kw2vError(
                f"hierarchical softmax needs at least 2 words in the vocabulary, got {n}; "
                "use a larger corpus or a lower --min-count"
            )
        if np.any(np.diff(leaf_counts) > 0):
            raise Kw2vError("counts must be sorted from most to least frequent, as in Vocabulary")
        self.offset, self.n_words, self.n_nodes = offset, n, n - 1

        # Tree nodes 0..n-1 are the leaves (words), n..2n-2 the inner nodes in creation order.
        weight = np.concatenate([leaf_counts, np.zeros(n - 1, np.int64)])
        parent = np.full(2 * n - 1, -1, np.int64)
        branch = np.zeros(2 * n - 1, np.int8)
        leaf, inner = n - 1, n  # next smallest word (counting down) and merged node (up)

        def take_smallest(made: int) -> int:
            nonlocal leaf, inner
            # A leaf is taken only when strictly lighter than the next merged node.
            if leaf >= 0 and (inner >= made or weight[leaf] < weight[inner]):
                leaf -= 1
                return leaf + 1
            inner += 1
            return inner - 1

        for step in range(n - 1):
            made = n + step  # merged nodes n .. made-1 exist so far
            first, second = take_smallest(made), take_smallest(made)
            weight[made] = weight[first] + weight[second]
            parent[first] = parent[second] = made
            branch[second] = 1
        self.parents, self.branches = parent, branch

        # Paths from the root down, one level at a time: a node's path is its parent's path
        # plus the parent. Parents are made after their children, so walking the nodes from
        # the root (made last) backwards gives every node's depth after its parent's.
        total = 2 * n - 1
        depth = np.zeros(total, np.int64)
        for node in range(total - 2, -1, -1):
            depth[node] = depth[parent[node]] + 1
        width = int(depth[:n].max())
        node_paths = np.zeros((total, width), np.int32)
        node_codes = np.full((total, width), PAD_CODE, np.int8)
        for level in range(1, width + 1):
            here = np.flatnonzero(depth == level)
            up = parent[here]
            node_paths[here] = node_paths[up]
            node_codes[here] = node_codes[up]
            node_paths[here, level - 1] = up - n
            node_codes[here, level - 1] = branch[here]
        self.paths = np.zeros((len(counts), width), np.int32)
        self.codes = np.full((len(counts), width), PAD_CODE, np.int8)
        self.paths[offset:] = node_paths[:n]
        self.codes[offset:] = node_codes[:n]
        self.lengths = np.zeros(len(counts), np.int32)
        self.lengths[offset:] = depth[:n]

    @property
    def max_depth(self) -> int:
        """Length of the longest path: the padded width of :attr:`paths`."""
        return self.paths.shape[1]

    def code(self, word: int) -> str:
        """The Huffman code of word index ``word`` as a string of 0s and 1s, root first."""
        return "".join(str(b) for b in self.codes[word, : self.lengths[word]])

    def path(self, word: int) -> np.ndarray:
        """The inner nodes (node-embedding rows) on the path of word index ``word``, root first."""
        return self.paths[word, : self.lengths[word]]

    def mean_depth(self, counts: Sequence[int] | np.ndarray) -> float:
        """Average path length over corpus tokens: dot products per training pair."""
        counts = np.asarray(counts, dtype=np.float64)
        return float((counts * self.lengths).sum() / counts.sum())

    def word_probabilities(self, input_vector: np.ndarray, node_vectors: np.ndarray) -> np.ndarray:
        """``P(w | c)`` of every word given an input vector ``v_c``: the product down each path.

        At node ``n`` the path takes branch 1 with probability ``sigma(u_n . v_c)`` and branch
        0 with ``1 - sigma(u_n . v_c) = sigma(-u_n . v_c)``; the two children share the node's
        probability, so the leaves' probabilities sum to 1. Entry 0 (reserved) is 0.

        Parameters
        ----------
        input_vector : ndarray, shape (dim,)
        node_vectors : ndarray, shape (n_nodes, dim)

        Returns
        -------
        ndarray of float64, shape (len(counts),)
        """
        scores = np.asarray(node_vectors, np.float64) @ np.asarray(input_vector, np.float64)
        p_one = 1.0 / (1.0 + np.exp(-scores))  # sigma(u . v) at every inner node
        p_node = p_one[self.paths]  # (words, depth)
        step = np.where(self.codes == 1, p_node, 1.0 - p_node)
        step = np.where(self.codes == PAD_CODE, 1.0, step)
        probs = step.prod(axis=1)
        probs[self.lengths == 0] = 0.0
        return probs


@keras.saving.register_keras_serializable(package="kw2v")
def path_loss(y_true, y_pred):
    """Negative log-likelihood of the true word: binary cross-entropy summed along its path.

    ``y_true`` holds the codes (0 or 1) and :data:`PAD_CODE` (-1) where the path has ended;
    ``y_pred`` holds ``sigma(u_node . v)`` for each step. The sum over the real steps of a row
    is ``-log P(w | c)``, so the loss reads in nats per pair, like the softmax's. Introduced in
    notebook 06.
    """
    y_true = ops.cast(y_true, y_pred.dtype)
    mask = ops.cast(ops.greater_equal(y_true, 0.0), y_pred.dtype)
    eps = keras.backend.epsilon()
    p = ops.clip(y_pred, eps, 1.0 - eps)
    bce = -(y_true * ops.log(p) + (1.0 - y_true) * ops.log(1.0 - p))
    return ops.sum(bce * mask, axis=-1)


def path_output(hidden, path, n_nodes: int, embedding_dim: int):
    """``sigma(u_node . h)`` for every node on the (padded) path: shape (batch, depth)."""
    node_embedding = layers.Embedding(
        n_nodes, embedding_dim, embeddings_initializer="zeros", name="node_embedding"
    )
    u = node_embedding(path)  # (batch, depth, dim)
    dots = layers.Dot(axes=(1, 2), name="dot")([hidden, u])  # (batch, depth)
    return layers.Activation("sigmoid", name="probability")(dots)


def build_hierarchical_skipgram_model(
    vocab_size: int, n_nodes: int, embedding_dim: int = 100, name: str = "skipgram_hs"
) -> keras.Model:
    """Skip-gram with hierarchical softmax: a word's vector against the nodes on a path.

    Inputs ``target`` (batch,) — the centre word — and ``path`` (batch, depth) — the inner
    nodes on the path of the context word to predict, padded. The output is
    ``sigma(u_node . v_target)`` at each step, shape (batch, depth); train it with
    :func:`path_loss` against the path's codes. The word vectors we keep are the
    ``target_embedding``, as with negative sampling; the node vectors replace the context
    table. Introduced in notebook 06.

    Parameters
    ----------
    vocab_size : int
        ``len(vocabulary)``, reserved index 0 included.
    n_nodes : int
        Inner nodes of the tree (:attr:`HuffmanTree.n_nodes`).
    embedding_dim : int

    Returns
    -------
    keras.Model
        Not compiled.
    """
    if vocab_size < 3 or n_nodes < 1:
        raise Kw2vError("hierarchical softmax needs at least 2 words in the vocabulary")
    embedding = word2vec_embedding(vocab_size, embedding_dim, "target_embedding")
    target = keras.Input(shape=(), dtype="int32", name="target")
    path = keras.Input(shape=(None,), dtype="int32", name="path")
    v = embedding(target)
    prob = path_output(v, path, n_nodes, embedding_dim)
    return keras.Model([target, path], prob, name=name)


def build_hierarchical_cbow_model(
    vocab_size: int, n_nodes: int, embedding_dim: int = 100, name: str = "cbow_hs"
) -> keras.Model:
    """CBOW with hierarchical softmax: the mean of the context vectors
    (:func:`kw2v.cbow.context_mean`) against the nodes on the centre word's path.

    Inputs ``context`` (batch, 2w) and ``path`` (batch, depth); output ``sigma(u_node . h)``
    per step, trained with :func:`path_loss`. Introduced in notebook 06.
    """
    if vocab_size < 3 or n_nodes < 1:
        raise Kw2vError("hierarchical softmax needs at least 2 words in the vocabulary")
    context, h = context_mean(vocab_size, embedding_dim)
    path = keras.Input(shape=(None,), dtype="int32", name="path")
    prob = path_output(h, path, n_nodes, embedding_dim)
    return keras.Model([context, path], prob, name=name)


def hierarchical_dataset(dataset, tree: HuffmanTree, predicted: str):
    """Turn a negative-sampling ``tf.data`` stream into a hierarchical-softmax one.

    Each example's word to predict (column 0 of input ``predicted``: ``"context"`` for
    skip-gram, ``"target"`` for CBOW; the negatives after it are dropped) is replaced by its
    path (input ``path``), and the labels by its codes. Build the source pipeline with
    ``negative=0`` so no negatives are drawn for nothing. Introduced in notebook 06.
    """
    tf = require_tensorflow("the tf.data input pipeline")
    paths = tf.constant(tree.paths)
    codes = tf.constant(tree.codes.astype(np.float32))

    def to_paths(x, _labels):
        words = x[predicted][:, 0]
        x = {k: v for k, v in x.items() if k != predicted}
        x["path"] = tf.gather(paths, words)
        return x, tf.gather(codes, words)

    return dataset.map(to_paths, num_parallel_calls=tf.data.AUTOTUNE)


class _PathExamples:
    """What hierarchical softmax changes in a word2vec pipeline: no negatives are drawn, and
    the word to predict (column 0 of input ``inputs[1]``) becomes its path in ``tree``
    (:func:`hierarchical_dataset`). Introduced in notebook 06.
    """

    def __init__(self, ids, counts, *, tree: HuffmanTree, **options):
        self.tree = tree
        super().__init__(ids, counts, **{**options, "negative": 0})

    def _to_examples(self, ds):
        return hierarchical_dataset(super()._to_examples(ds), self.tree, self.inputs[1])


class SkipGramPathPipeline(_PathExamples, SkipGramPipeline):
    """Skip-gram's pairs with the context word's path in the Huffman tree."""


class CBOWPathPipeline(_PathExamples, CBOWPipeline):
    """CBOW's windows with the centre word's path in the Huffman tree."""


def huffman_tree(vocab, verbose=0) -> HuffmanTree:
    """The Huffman tree of a vocabulary, described in one line if ``verbose``."""
    tree = HuffmanTree(vocab.counts)
    if verbose:
        print(
            f"Huffman tree: {tree.n_nodes:,} inner nodes, paths of {tree.lengths[1:].min()} to "
            f"{tree.max_depth} steps ({tree.mean_depth(vocab.counts):.1f} per token on average)",
            flush=True,
        )
    return tree


class _Hierarchical:
    """What hierarchical softmax changes in a word2vec method: no negatives, no table Θ of
    words (the node vectors of the Huffman tree take its place), so E alone is kept."""

    defaults = {"sample": 1e-3}
    device_examples = False
    unused = {
        "negative": "hierarchical softmax predicts through the Huffman tree, with no negatives",
        "shared_embedding": ONE_TABLE,
    }
    output_vectors = ("target",)

    def keras_loss(self):
        return path_loss

    def pipeline_options(self, config, vocab, ids, starts, verbose):
        options = super().pipeline_options(config, vocab, ids, starts, verbose)
        return {**options, "tree": huffman_tree(vocab, verbose)}


class SkipGramHierarchical(_Hierarchical, SkipGramNegative):
    """Skip-gram with hierarchical softmax: the context word's path in a Huffman tree."""

    title = "skip-gram with hierarchical softmax"
    pipeline_class = SkipGramPathPipeline

    def build(self, config, vocab, pipeline):
        return build_hierarchical_skipgram_model(len(vocab), pipeline.tree.n_nodes, config.dim)


class CBOWHierarchical(_Hierarchical, CBOWNegative):
    """CBOW with hierarchical softmax: the centre word's path in a Huffman tree."""

    title = "CBOW with hierarchical softmax"
    pipeline_class = CBOWPathPipeline

    def build(self, config, vocab, pipeline):
        return build_hierarchical_cbow_model(len(vocab), pipeline.tree.n_nodes, config.dim)
