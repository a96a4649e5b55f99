import numpy as np
import pytest
from keras.src.legacy.preprocessing import sequence as keras_sequence

from kw2v import Kw2vError, skipgrams, window_pairs


@pytest.mark.parametrize("trial", range(40))
def test_skipgrams_equal_tf_keras_without_negatives(trial):
    rng = np.random.default_rng(trial)
    n, vocab, window = rng.integers(0, 50), int(rng.integers(2, 20)), int(rng.integers(1, 6))
    seq = rng.integers(0, vocab, size=n).tolist()  # includes 0s, which both skip
    theirs = keras_sequence.skipgrams(
        seq, vocab, window_size=window, negative_samples=0, shuffle=False
    )
    couples, labels = skipgrams(seq, vocab, window_size=window, negative_samples=0, shuffle=False)
    assert couples.tolist() == theirs[0]
    assert labels.tolist() == theirs[1]


@pytest.mark.parametrize("neg", [1.0, 0.5, 2.0])
def test_skipgrams_negatives_counts_and_layout_match(neg):
    seq = np.random.default_rng(3).integers(1, 30, size=200).tolist()
    theirs_c, theirs_l = keras_sequence.skipgrams(
        seq, 30, window_size=3, negative_samples=neg, shuffle=False
    )
    couples, labels = skipgrams(seq, 30, window_size=3, negative_samples=neg, shuffle=False, seed=0)
    assert len(couples) == len(theirs_c)
    assert labels.tolist() == theirs_l  # positives first, then negatives
    n_pos = int(labels.sum())
    assert set(couples[n_pos:, 0]) <= set(couples[:n_pos, 0])  # negative targets are real targets
    assert couples[n_pos:, 1].min() >= 1 and couples[n_pos:, 1].max() < 30


def test_skipgrams_shuffle_keeps_couples_and_labels_together():
    seq = list(range(1, 40))
    c0, l0 = skipgrams(seq, 40, window_size=2, negative_samples=1.0, shuffle=False, seed=5)
    c1, l1 = skipgrams(seq, 40, window_size=2, negative_samples=1.0, shuffle=True, seed=5)
    assert sorted(map(tuple, np.c_[c0, l0])) == sorted(map(tuple, np.c_[c1, l1]))
    assert c0.tolist() != c1.tolist()


def test_skipgrams_categorical_and_sampling_table():
    seq = [1, 2, 3, 1, 2]
    c, lab = skipgrams(seq, 4, window_size=1, negative_samples=1.0, categorical=True, seed=0)
    assert lab.shape == (len(c), 2) and set(map(tuple, lab.tolist())) == {(0, 1), (1, 0)}
    c, lab = skipgrams(seq, 4, negative_samples=0, sampling_table=np.zeros(4), seed=0)
    assert len(c) == 0


def test_skipgrams_unigram_negatives():
    seq = np.random.default_rng(0).integers(1, 5, size=300)
    p = np.array([0, 0, 0, 1.0, 0])  # every negative must be word 3
    c, lab = skipgrams(seq, 5, negative_distribution=p, seed=1)
    assert set(c[lab == 0, 1]) == {3}


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


def test_bad_arguments():
    with pytest.raises(Kw2vError):
        skipgrams([1, 2], 3, window_size=0)
    with pytest.raises(Kw2vError):
        skipgrams([1, 2], 3, negative_samples=-1)
