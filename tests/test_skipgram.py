"""Skip-gram: ``skipgrams`` equals tf.keras's, the skip-gram and full-softmax models (known
answers, gradients), and SkipGramPipeline's pairs and negatives (NumPy and tf.data)."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import random_sentences, skipgram_pipeline
from keras.src.legacy.preprocessing import sequence as keras_sequence

from kw2v import (
    Kw2vError,
    SkipGramPipeline,
    Vocabulary,
    build_skipgram_model,
    build_softmax_model,
    couples_to_inputs,
    embedding_weights,
    encode_corpus,
    skipgrams,
)

# --------------------------------------------------------------------------- skipgrams


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


def test_skipgrams_bad_arguments():
    with pytest.raises(Kw2vError):
        skipgrams([1, 2], 3, window_size=0)
    with pytest.raises(Kw2vError):
        skipgrams([1, 2], 3, negative_samples=-1)


# --------------------------------------------------------------------------- the models


def _set_random_weights(model, seed=0):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.Embedding):
            layer.embeddings.assign(rng.normal(0, 0.5, layer.embeddings.shape).astype("float32"))
    return rng


@pytest.mark.parametrize("n", [1, 6])
@pytest.mark.parametrize("shared", [True, False])
def test_shapes_for_couples_and_grouped_examples(n, shared):
    model = build_skipgram_model(50, 8, shared_embedding=shared)
    out = model({"target": np.arange(4, dtype="int32"), "context": np.ones((4, n), dtype="int32")})
    assert tuple(out.shape) == (4, n)
    n_tables = sum(isinstance(layer, keras.layers.Embedding) for layer in model.layers)
    assert n_tables == (1 if shared else 2)
    assert [i.name for i in model.inputs] == ["target", "context"]


def test_output_is_sigmoid_of_dot_product_known_answer():
    model = build_skipgram_model(20, 5)
    _set_random_weights(model)
    model.get_layer("prob").set_weights([np.array([[2.0]]), np.array([-0.5])])
    t, c = np.array([3, 7], "int32"), np.array([[1, 2, 3], [4, 5, 6]], "int32")
    T, C = embedding_weights(model, "target"), embedding_weights(model, "context")
    dots = np.einsum("bd,bnd->bn", T[t], C[c])
    want = 1 / (1 + np.exp(-(2.0 * dots - 0.5)))
    np.testing.assert_allclose(model({"target": t, "context": c}), want, rtol=1e-5)


def test_gradient_equals_negative_sampling_formula_and_finite_differences():
    """d loss / d v_t = mean over outputs of (sigma(v_t . u_j) - y_j) u_j, checked two ways."""
    model = build_skipgram_model(12, 4)
    _set_random_weights(model, 1)
    t = np.array([2], "int32")
    c = np.array([[5, 1, 7, 9]], "int32")  # positive, then 3 negatives
    y = np.array([[1, 0, 0, 0]], "float32")
    bce = keras.losses.BinaryCrossentropy()
    table = model.get_layer("target_embedding").embeddings
    with tf.GradientTape() as tape:
        loss = bce(y, model({"target": t, "context": c}))
    grad = tf.convert_to_tensor(tape.gradient(loss, table))[2].numpy()

    T, U = embedding_weights(model, "target"), embedding_weights(model, "context")
    s = U[c[0]] @ T[2]
    formula = ((1 / (1 + np.exp(-s)) - y[0])[:, None] * U[c[0]]).sum(0) / 4
    np.testing.assert_allclose(grad, formula, rtol=1e-4, atol=1e-6)

    def numpy_loss(v):
        p = 1 / (1 + np.exp(-(U[c[0]] @ v)))
        return -np.mean(y[0] * np.log(p) + (1 - y[0]) * np.log(1 - p))

    eps, v = 1e-3, T[2].astype(np.float64)
    numeric = [(numpy_loss(v + eps * e) - numpy_loss(v - eps * e)) / (2 * eps) for e in np.eye(4)]
    np.testing.assert_allclose(grad, numeric, rtol=1e-3, atol=1e-5)


def test_trains_on_tf_keras_style_couples():
    seq = np.random.default_rng(0).integers(1, 30, size=300)
    couples, labels = skipgrams(seq, 30, window_size=2, seed=0)
    x, y = couples_to_inputs(couples, labels)
    assert x["context"].shape == (len(couples), 1) and y.shape == (len(couples), 1)
    model = build_skipgram_model(30, 8, shared_embedding=True)
    model.compile("adam", "binary_crossentropy")
    hist = model.fit(x, y, epochs=3, batch_size=64, verbose=0)
    assert hist.history["loss"][-1] < hist.history["loss"][0]


def test_softmax_model_outputs_a_distribution_over_the_vocabulary():
    model = build_softmax_model(40, 6)
    p = model(np.array([1, 2, 3], "int32")).numpy()
    assert p.shape == (3, 40)
    np.testing.assert_allclose(p.sum(1), 1, rtol=1e-5)


def test_model_bad_sizes():
    with pytest.raises(Kw2vError):
        build_skipgram_model(1, 8)
    with pytest.raises(Kw2vError):
        build_skipgram_model(10, 0)


# --------------------------------------------------------------------------- SkipGramPipeline


def test_exact_batch_count_shapes_and_true_contexts(planted):
    vocab = Vocabulary.build(planted, min_count=1)
    ids, starts = encode_corpus(planted, vocab)
    p = skipgram_pipeline(ids, vocab.counts, sentence_starts=starts, window=3, negative=4, sample=0)
    batches = list(p.batches(0))
    assert len(batches) == p.steps_per_epoch()
    t, c = batches[0]
    assert t.shape == (16,) and c.shape == (16, 5)
    # the true context (column 0) shares the target's planted group; negatives need not
    words = np.array(vocab.words)
    assert all(words[a][0] == words[b][0] for a, b in zip(t, c[:, 0], strict=True))
    # the expected number of pairs is a good estimate of a real pass
    real = sum(len(b[0]) for b in p._pass_batches(np.random.default_rng(0), 16))
    assert abs(real - p.expected_pairs()) / p.expected_pairs() < 0.03


def test_negatives_follow_the_unigram_075_distribution():
    counts = np.array([0, 8000, 1000, 100])
    rng = np.random.default_rng(0)
    ids = rng.choice(4, size=9100, p=counts / counts.sum()).astype(np.int32)
    p = skipgram_pipeline(ids[ids > 0], counts, negative=5, sample=0, batch_size=256)
    negs = np.concatenate([c[:, 1:].ravel() for _, c in p.batches(0)])
    freq = np.bincount(negs, minlength=4)[1:] / len(negs)
    want = counts[1:] ** 0.75 / (counts[1:] ** 0.75).sum()
    np.testing.assert_allclose(freq, want, atol=0.01)


def test_dataset_labels_and_endless_epochs():
    ids = np.random.default_rng(0).integers(1, 20, 500)
    p = skipgram_pipeline(ids, np.bincount(ids, minlength=20), negative=3)
    steps = p.steps_per_epoch()
    items = list(p.dataset().take(2 * steps + 1))  # runs past one epoch without ending
    assert len(items) == 2 * steps + 1
    x, y = items[0]
    assert x["context"].shape[1] == 4
    np.testing.assert_array_equal(y.numpy()[0], [1, 0, 0, 0])


def test_dataset_pairs_come_from_the_windows_and_negatives_from_the_noise():
    sentences = random_sentences()
    vocab = Vocabulary.build(sentences, min_count=1)
    ids, starts = encode_corpus(sentences, vocab)
    p = SkipGramPipeline(
        ids,
        vocab.counts,
        sentence_starts=starts,
        batch_size=64,
        chunk_tokens=700,
        seed=2,
        sample=0.0,
    )
    ids = np.asarray(p.ids)
    near = set()
    for i in range(len(ids)):
        for j in range(max(0, i - p.window), min(len(ids), i + p.window + 1)):
            same = np.searchsorted(p.starts, i, "right") == np.searchsorted(p.starts, j, "right")
            if i != j and same:
                near.add((int(ids[i]), int(ids[j])))
    batches = list(p.dataset().take(p.steps_per_epoch()))
    pairs = {
        (int(t), int(c))
        for x, _ in batches
        for t, c in zip(x["target"], x["context"][:, 0], strict=True)
    }
    assert pairs <= near and len(pairs) > 0.5 * len(near)
    labels = np.concatenate([y.numpy() for _, y in batches])
    assert (labels[:, 0] == 1).all() and (labels[:, 1:] == 0).all()
    negs = np.concatenate([x["context"][:, 1:].numpy().ravel() for x, _ in batches])
    freq = np.bincount(negs, minlength=len(p.counts)) / len(negs)
    noise = p.counts**0.75 / (p.counts**0.75).sum()
    assert freq[0] == 0
    np.testing.assert_allclose(freq, noise, atol=0.01)
