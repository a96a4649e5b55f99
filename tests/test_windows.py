"""The window rule, once in NumPy (kw2v.windows) and once in TensorFlow ops
(kw2v.graph_windows): known answers, and the graph twins equal the NumPy versions given the
same random draws."""

import numpy as np
import pytest
import tensorflow as tf

from kw2v import NoiseSampler, cbow_windows, keep_probabilities, window_pairs
from kw2v.graph_windows import alias_draw, cbow_windows_from_draws, window_pairs_from_draws

# --------------------------------------------------------------------------- NumPy


def test_window_pairs_full_window_known_answer():
    ids = np.array([1, 2, 3, 4], np.int32)
    t, c = window_pairs(ids, 2, np.random.default_rng(0), dynamic=False)
    got = sorted(zip(t.tolist(), c.tolist(), strict=True))
    want = sorted((ids[i], ids[j]) for i in range(4) for j in range(4) if 0 < abs(i - j) <= 2)
    assert got == want


def test_window_pairs_respect_sentences_and_dynamic_windows():
    ids = np.arange(1, 101, dtype=np.int32)
    sent = np.repeat([0, 1], 50)
    t, c = window_pairs(ids, 5, np.random.default_rng(0), sentence_ids=sent)
    assert not np.any((t <= 50) != (c <= 50))  # no pair crosses the boundary
    dist = np.abs(t - c)
    assert dist.min() >= 1 and dist.max() <= 5
    # dynamic windows: distance d is kept with probability (w - d + 1) / w
    counts = np.bincount(dist, minlength=6)[1:]
    assert counts[0] > counts[2] > counts[4] > 0


def test_window_pairs_subsampling_drops_words():
    ids = np.array([1, 2] * 500, np.int32)
    keep = np.array([0.0, 1.0, 0.0])  # drop every 2
    t, c = window_pairs(ids, 2, np.random.default_rng(0), keep=keep)
    assert set(t.tolist()) == {1} and set(c.tolist()) == {1}


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


# --------------------------------------------------------------------------- graph twins


def _stretch(n=400, vocab=30, seed=0):
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, vocab, size=n).astype(np.int32)
    sentences = np.sort(rng.integers(0, 12, size=n)).astype(np.int32)
    counts = np.bincount(ids, minlength=vocab)
    return ids, sentences, keep_probabilities(counts, 0.02)


def _draws(ids, keep, window, seed):
    """The draws the NumPy functions take from ``default_rng(seed)``, in their order."""
    rng = np.random.default_rng(seed)
    kept = keep[ids] > rng.random(len(ids))
    spans = rng.integers(1, window + 1, size=int(kept.sum()))
    return kept, spans


@pytest.mark.parametrize("window", [1, 3, 5])
def test_graph_pairs_equal_window_pairs_given_the_same_draws(window):
    ids, sentences, keep = _stretch()
    kept, spans = _draws(ids, keep, window, seed=7)
    t, c = window_pairs(ids, window, np.random.default_rng(7), keep=keep, sentence_ids=sentences)
    gt, gc = window_pairs_from_draws(ids, sentences, kept, spans.astype(np.int32), window)
    assert len(t) > 100  # subsampling left pairs to compare
    np.testing.assert_array_equal(gt.numpy(), t)
    np.testing.assert_array_equal(gc.numpy(), c)


@pytest.mark.parametrize("window", [1, 4])
def test_graph_cbow_windows_equal_cbow_windows_given_the_same_draws(window):
    ids, sentences, keep = _stretch(seed=1)
    kept, spans = _draws(ids, keep, window, seed=3)
    ctx, centre = cbow_windows(
        ids, window, np.random.default_rng(3), keep=keep, sentence_ids=sentences
    )
    gctx, gcentre = cbow_windows_from_draws(ids, sentences, kept, spans.astype(np.int32), window)
    assert len(centre) > 100
    np.testing.assert_array_equal(gctx.numpy(), ctx)
    np.testing.assert_array_equal(gcentre.numpy(), centre)


def test_alias_draws_follow_the_noise_distribution():
    p = np.array([0.0, 0.5, 0.3, 0.15, 0.05])
    sampler = NoiseSampler(p)
    n = 200_000
    rng = np.random.default_rng(0)
    bucket = rng.integers(0, len(p), size=n).astype(np.int32)
    draws = alias_draw(
        tf.constant(sampler.threshold, tf.float32), tf.constant(sampler.alias), bucket,
        rng.random(n).astype(np.float32),
    ).numpy()  # fmt: skip
    freq = np.bincount(draws, minlength=len(p)) / n
    np.testing.assert_allclose(freq, p, atol=4e-3)
