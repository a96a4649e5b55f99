import numpy as np
import pytest
from keras.src.legacy.preprocessing import sequence as keras_sequence

from kw2v import Kw2vError, keep_probabilities, make_sampling_table, noise_distribution
from kw2v.sampling import NoiseSampler


def test_noise_distribution_worked_example():
    # The course's example: 0.9, 0.09, 0.01 raised to 3/4 before normalising.
    counts = np.array([0, 900, 90, 10])
    raw = counts[1:] / 1000
    np.testing.assert_allclose(raw**0.75, [0.924, 0.164, 0.0316], atol=1e-3)
    p = noise_distribution(counts)
    assert p[0] == 0 and p.sum() == pytest.approx(1)
    np.testing.assert_allclose(p[1:], raw**0.75 / (raw**0.75).sum())
    assert p[3] > raw[2]  # rare words drawn more often than their frequency


def test_keep_probabilities_known_answer():
    counts = np.array([0, 1000, 10])  # total 1010, threshold t = 1e-3 * 1010 = 1.01
    keep = keep_probabilities(counts, 1e-3)
    t = 1.01
    assert keep[0] == 0
    assert keep[1] == pytest.approx((np.sqrt(1000 / t) + 1) * t / 1000)
    assert keep[2] == pytest.approx((np.sqrt(10 / t) + 1) * t / 10)
    assert keep_probabilities(counts, 0).tolist() == [0, 1, 1]
    with pytest.raises(Kw2vError):
        keep_probabilities(counts, -1)


def test_keep_probabilities_equal_gensim():
    from gensim.models import Word2Vec

    rng = np.random.default_rng(1)
    sents = [[f"w{i}" for i in rng.zipf(1.3, 50) if i < 500] for _ in range(400)]
    model = Word2Vec(min_count=1, sample=1e-3, vector_size=4, workers=1)
    model.build_vocab(sents)
    from kw2v import Vocabulary

    vocab = Vocabulary.build(sents, min_count=1)
    ours = keep_probabilities(vocab.counts, 1e-3)[1:]
    theirs = [model.wv.get_vecattr(w, "sample_int") / 2**32 for w in vocab.words[1:]]
    np.testing.assert_allclose(ours, theirs, atol=1e-7)


def test_make_sampling_table_equals_tf_keras():
    for size in (1, 2, 10, 5000):
        np.testing.assert_array_equal(
            make_sampling_table(size, 1e-4), keras_sequence.make_sampling_table(size, 1e-4)
        )


def test_noise_sampler_matches_distribution():
    p = np.array([0.0, 0.5, 0.3, 0.2])
    draws = NoiseSampler(p).sample(np.random.default_rng(0), 200_000)
    freq = np.bincount(draws, minlength=4) / len(draws)
    np.testing.assert_allclose(freq, p, atol=0.005)
    assert draws.dtype == np.int32
