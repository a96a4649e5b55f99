"""Hierarchical softmax: word2vec's Huffman tree (a known answer, optimal and complete), and
a model whose path probabilities make a normalised softmax."""

import heapq

import keras
import numpy as np
import pytest

from kw2v import Kw2vError
from kw2v.hierarchical import (
    PAD_CODE,
    HuffmanTree,
    build_hierarchical_skipgram_model,
    path_loss,
)


def test_huffman_codes_known_answer():
    # Words a..e with counts 5, 4, 3, 2, 2 (index 0 is kw2v's reserved slot). word2vec merges
    # the two lightest nodes, taking an already merged node when a word ties with it, and
    # gives bit 1 to the second node taken. Inner nodes are numbered as they are made:
    #   node 0 = e(2) + d(2) = 4      e: 0, d: 1
    #   node 1 = c(3) + node 0 (4)    c: 0, node 0: 1   (b(4) ties with node 0: node 0 first)
    #   node 2 = b(4) + a(5) = 9      b: 0, a: 1
    #   node 3 = node 1 (7) + node 2  node 1: 0, node 2: 1   — the root
    # Reading the bits from the root down:
    #   a: 1 1    b: 1 0    c: 0 0    d: 0 1 1    e: 0 1 0
    tree = HuffmanTree([0, 5, 4, 3, 2, 2])
    assert tree.n_nodes == 4 and tree.max_depth == 3
    assert [tree.code(i) for i in range(1, 6)] == ["11", "10", "00", "011", "010"]
    assert [tree.path(i).tolist() for i in range(1, 6)] == [
        [3, 2],
        [3, 2],
        [3, 1],
        [3, 1, 0],
        [3, 1, 0],
    ]
    assert tree.codes[0].tolist() == [PAD_CODE] * 3 and tree.lengths[0] == 0
    assert tree.codes[1].tolist() == [1, 1, PAD_CODE]


def test_huffman_tree_is_optimal_and_complete():
    rng = np.random.default_rng(0)
    counts = np.sort(rng.integers(1, 1000, size=300))[::-1]
    tree = HuffmanTree(np.r_[0, counts])
    depth = tree.lengths[1:]
    # Kraft equality: a full binary tree, every inner node has two children.
    assert np.isclose((0.5**depth).sum(), 1.0)
    # Optimal: the weighted depth equals the cost of a Huffman tree made with a heap.
    heap = counts.tolist()
    heapq.heapify(heap)
    cost = 0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        cost += merged
        heapq.heappush(heap, merged)
    assert int((counts * depth).sum()) == cost
    codes = {tree.code(i) for i in range(1, 301)}
    assert len(codes) == 300  # every word its own code


def test_huffman_tree_rejects_bad_counts():
    with pytest.raises(Kw2vError, match="at least 2 words"):
        HuffmanTree([0, 7])
    with pytest.raises(Kw2vError, match="sorted"):
        HuffmanTree([0, 1, 5])


def _random_hs_model(tree, vocab_size, dim=8, seed=0):
    model = build_hierarchical_skipgram_model(vocab_size, tree.n_nodes, dim)
    rng = np.random.default_rng(seed)
    model.get_layer("target_embedding").set_weights([rng.normal(size=(vocab_size, dim))])
    model.get_layer("node_embedding").set_weights([rng.normal(size=(tree.n_nodes, dim))])
    return model


def test_hierarchical_softmax_probabilities_sum_to_one():
    rng = np.random.default_rng(1)
    counts = np.r_[0, np.sort(rng.integers(1, 500, size=40))[::-1]]
    tree = HuffmanTree(counts)
    model = _random_hs_model(tree, len(counts))
    words = np.arange(1, len(counts))
    for c in (1, 17, 40):
        # The model's sigma(u . v) at every step of every word's path, for input word c.
        p_one = model.predict(
            {"target": np.full(len(words), c), "path": tree.paths[words]}, verbose=0
        ).astype(np.float64)
        codes = tree.codes[words]
        step = np.where(codes == 1, p_one, 1.0 - p_one)
        probs = np.where(codes == PAD_CODE, 1.0, step).prod(axis=1)
        assert abs(probs.sum() - 1.0) < 1e-5
        v = model.get_layer("target_embedding").get_weights()[0][c]
        u = model.get_layer("node_embedding").get_weights()[0]
        np.testing.assert_allclose(tree.word_probabilities(v, u)[1:], probs, rtol=1e-4)
        # The loss is -log P(w | c): padding steps count for nothing.
        loss = keras.ops.convert_to_numpy(path_loss(codes.astype(np.float32), p_one))
        np.testing.assert_allclose(loss, -np.log(probs), rtol=1e-4, atol=1e-6)
