"""CBOW, hierarchical softmax and GloVe: known answers, a normalised softmax, planted structure."""

import heapq

import keras
import numpy as np
import pytest
from conftest import group_purity, method_options, planted_sentences

from kw2v import Kw2vError, TrainConfig, train
from kw2v.cbow import CBOWPipeline, build_cbow_model, cbow_windows
from kw2v.cli import main
from kw2v.glove import Cooccurrence, GloVePipeline, count_cooccurrences, fit_biases, glove_weight
from kw2v.hierarchical import (
    PAD_CODE,
    HuffmanTree,
    build_hierarchical_skipgram_model,
    path_loss,
)

# ------------------------------------------------------------------------------ Huffman tree


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


# ------------------------------------------------------------------------------ CBOW


def test_cbow_windows_known_answer():
    ids = np.array([1, 2, 3, 4, 5], np.int32)
    sentence = np.array([0, 0, 0, 1, 1])
    ctx, centre = cbow_windows(
        ids, 2, np.random.default_rng(0), sentence_ids=sentence, dynamic=False
    )
    # columns: offsets -2, -1, +1, +2; 0 where no word (out of the sentence or the text)
    assert centre.tolist() == [1, 2, 3, 4, 5]
    assert ctx.tolist() == [
        [0, 0, 2, 3],
        [0, 1, 3, 0],
        [1, 2, 0, 0],
        [0, 0, 5, 0],
        [0, 4, 0, 0],
    ]
    # a sentence of one word has no context: dropped
    ctx, centre = cbow_windows(ids[:3], 2, np.random.default_rng(0), sentence_ids=np.arange(3))
    assert len(centre) == 0


def test_cbow_pipeline_batches():
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 50, size=5000).astype(np.int32)
    counts = np.r_[0, np.bincount(ids, minlength=50)[1:]]
    pipe = CBOWPipeline(ids, counts, window=3, negative=4, sample=0, batch_size=100)
    batches = list(pipe.batches(0))
    assert len(batches) == pipe.steps_per_epoch() == 50
    ctx, tgt = batches[0]
    assert ctx.shape == (100, 6) and tgt.shape == (100, 5)
    assert (ctx != 0).any(axis=1).all()
    again = next(iter(pipe.batches(0)))
    np.testing.assert_array_equal(again[0], ctx)


def test_cbow_model_averages_real_context_words_only():
    model = build_cbow_model(10, 4)
    table = np.arange(40, dtype=np.float32).reshape(10, 4) / 40
    model.get_layer("word_embedding").set_weights([table])
    out_table = np.ones((10, 4), np.float32)
    model.get_layer("output_embedding").set_weights([out_table])
    p = model.predict({"context": np.array([[3, 5, 0, 0]]), "target": np.array([[1]])}, verbose=0)
    h = (table[3] + table[5]) / 2  # the padding 0s are not averaged in
    np.testing.assert_allclose(p[0, 0], 1 / (1 + np.exp(-h.sum())), rtol=1e-5)


# ------------------------------------------------------------------------------ GloVe


def test_cooccurrence_known_answer():
    # "a b c a" (a=1, b=2, c=3), window 2, each pair weighted 1/distance in both directions:
    #   distance 1: (a,b) (b,c) (c,a) -> +1     distance 2: (a,c) (b,a) -> +1/2
    #   X[a,b] = 1 + 1/2, X[b,c] = 1, X[a,c] = 1 + 1/2; a and a are 3 apart: not counted
    ids = np.array([1, 2, 3, 1], np.int32)
    x = count_cooccurrences(ids, 4, window=2).to_dense()
    expected = np.zeros((4, 4))
    expected[1, 2] = expected[2, 1] = 1.5
    expected[2, 3] = expected[3, 2] = 1.0
    expected[1, 3] = expected[3, 1] = 1.5
    np.testing.assert_allclose(x, expected)
    # window 3 reaches a..a at distance 3: 1/3 from each direction
    assert count_cooccurrences(ids, 4, window=3).get(1, 1) == pytest.approx(2 / 3)
    # two sentences "a b" | "c a": no pair across the boundary
    x = count_cooccurrences(ids, 4, window=2, sentence_starts=np.array([0, 2])).to_dense()
    assert x[1, 2] == 1 and x[3, 1] == 1 and x[2, 3] == 0 and x.sum() == 4


def test_cooccurrence_chunks_equal_one_pass_and_cap_prunes():
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 30, size=3000).astype(np.int32)
    starts = np.array([0, 100, 101, 1700])
    whole = count_cooccurrences(ids, 30, window=4, sentence_starts=starts, chunk_tokens=10**6)
    chunked = count_cooccurrences(ids, 30, window=4, sentence_starts=starts, chunk_tokens=37)
    np.testing.assert_allclose(whole.to_dense(), chunked.to_dense(), rtol=1e-6)
    np.testing.assert_allclose(whole.to_dense(), whole.to_dense().T)
    with pytest.warns(UserWarning, match="weakest were dropped"):
        capped = count_cooccurrences(ids, 30, window=4, chunk_tokens=500, max_pairs=100)
    assert len(capped) == 100


def test_glove_weight_and_pipeline_sampling():
    np.testing.assert_allclose(glove_weight([1, 50, 100, 1000]), [0.01**0.75, 0.5**0.75, 1, 1])
    ids = np.random.default_rng(0).integers(1, 20, size=2000).astype(np.int32)
    cooc = count_cooccurrences(ids, 20, window=3)
    f = glove_weight(cooc.values)
    # uniform (the paper): every entry once an epoch, weighted f(x)
    uniform = GloVePipeline(cooc, batch_size=64, sampling="uniform")
    seen = []
    for x, log_x, weight in uniform.batches(0):
        i, j = x["word"], x["context"]
        np.testing.assert_allclose(np.exp(log_x[:, 0]), cooc.to_dense()[i, j], rtol=1e-5)
        np.testing.assert_allclose(weight, glove_weight(cooc.to_dense()[i, j]), rtol=1e-5)
        seen += (i * 20 + j).tolist()
    assert len(seen) == len(set(seen)) == len(cooc) // 64 * 64
    # weighted (the default): entry i visited N f_i / sum(f) times an epoch, rounded down or
    # up, each error weighted the mean of f. Zipf-like words make f range widely.
    ids = np.minimum(np.random.default_rng(1).zipf(1.6, size=3000), 19).astype(np.int32)
    cooc = count_cooccurrences(ids, 20, window=3)
    f = glove_weight(cooc.values)
    assert f.max() / f.min() > 20
    weighted = GloVePipeline(cooc, batch_size=len(cooc))  # one batch: the whole epoch
    for epoch in range(3):
        (x, _, weight), *rest = weighted.batches(epoch)
        assert not rest
        np.testing.assert_allclose(weight, f.mean(), rtol=1e-5)
        visits = np.zeros((20, 20))
        np.add.at(visits, (x["word"], x["context"]), 1)
        expected = len(cooc) * f / f.sum()
        got = visits[cooc.rows, cooc.cols]
        assert np.all((got >= np.floor(expected) - 1e-9) & (got <= np.ceil(expected) + 1e-9))
        assert got.sum() == len(cooc)
    with pytest.raises(Kw2vError, match="sampling"):
        GloVePipeline(cooc, sampling="sorted")


def test_fit_biases_explain_a_rank_free_matrix_exactly():
    # log X_ij = a_i + c_j has no structure for vectors to learn: the biases alone fit it.
    rng = np.random.default_rng(0)
    a, c = rng.uniform(0, 4, size=12), rng.uniform(0, 4, size=12)
    rows, cols = np.meshgrid(np.arange(1, 12), np.arange(1, 12), indexing="ij")
    rows, cols = rows.ravel(), cols.ravel()
    cooc = Cooccurrence(rows, cols, np.exp(a[rows] + c[cols]), 12)
    b, bc = fit_biases(cooc, iterations=50)
    np.testing.assert_allclose(b[rows] + bc[cols], a[rows] + c[cols], atol=1e-4)


# ------------------------------------------------------------------------------ training


def _noisy(sentences, noise=0.3, seed=1):
    """The planted corpus with 30% of the words replaced by any word of any group."""
    rng = np.random.default_rng(seed)
    words = sorted({w for s in sentences for w in s})
    return [[words[rng.integers(32)] if rng.random() < noise else w for w in s] for s in sentences]


@pytest.mark.parametrize(
    "method,epochs", [("cbow", 4), ("cbow-hs", 4), ("skipgram-hs", 3), ("glove", 3)]
)
def test_variants_recover_planted_groups(planted, method, epochs):
    # GloVe fits log X on the non-zero entries only. In the pure planted corpus the groups
    # show only in *which* entries are zero (every non-zero count is about the same), so
    # GloVe gets noise: cross-group pairs that are rare but present, as in real text.
    corpus = _noisy(planted) if method == "glove" else planted
    base = {"dim": 16, "min_count": 1, "sample": 0, "window": 3, "batch_size": 128, "verbose": 0}
    result = train(corpus, epochs=epochs, **method_options(method, **base))
    assert len(result.vectors) == 32
    assert group_purity(result.vectors) > 0.9
    assert result.history["loss"][-1] < result.history["loss"][0]


def test_bad_variant_options_fail_clearly():
    from kw2v.methods import resolve

    with pytest.raises(Kw2vError, match="--model must be one of"):
        TrainConfig(architecture="fasttext").validate()
    with pytest.raises(Kw2vError, match="--loss"):
        resolve(TrainConfig(architecture="glove", objective="hierarchical"))
    with pytest.raises(Kw2vError, match="--shared-embedding"):
        resolve(TrainConfig(architecture="cbow", shared_embedding=True))


def test_cli_trains_each_variant(tmp_path, capsys):
    from gensim.models import KeyedVectors

    corpus = tmp_path / "planted.txt"
    corpus.write_text("\n".join(" ".join(s) for s in planted_sentences(300)) + "\n")
    common = ["--corpus", str(corpus), "--epochs", "1", "--dim", "8", "--min-count", "1"]
    for flags in (["--model", "cbow"], ["--loss", "hierarchical"], ["--model", "glove"]):
        out = tmp_path / flags[1]
        assert main(["train", *common, "--out", str(out), *flags]) == 0
        kv = KeyedVectors.load_word2vec_format(out / "vectors.bin", binary=True)
        assert len(kv) == 32 and kv.vector_size == 8
    # the saved hierarchical-softmax model reloads, custom loss included
    model = keras.models.load_model(tmp_path / "hierarchical" / "model.keras", safe_mode=True)
    assert model.get_layer("node_embedding").input_dim == 31
    assert main(["train", *common, "--out", str(tmp_path / "x"), "--model", "glove",
                 "--loss", "hierarchical"]) == 2  # fmt: skip
    assert "--loss" in capsys.readouterr().err
