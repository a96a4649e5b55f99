"""GloVe: co-occurrence counts (a known answer, in chunks, capped), the weighting f(x) and
the pipeline's sampling, and biases that fit a rank-free matrix exactly."""

import numpy as np
import pytest

from kw2v import Kw2vError
from kw2v.glove import Cooccurrence, GloVePipeline, count_cooccurrences, fit_biases, glove_weight


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
