import keras
import numpy as np
import pytest
import tensorflow as tf

from kw2v import (
    Kw2vError,
    build_skipgram_model,
    build_softmax_model,
    couples_to_inputs,
    embedding_weights,
    skipgrams,
)


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


def test_bad_sizes():
    with pytest.raises(Kw2vError):
        build_skipgram_model(1, 8)
    with pytest.raises(Kw2vError):
        build_skipgram_model(10, 0)


def test_word2vec_embedding_starts_as_word2vec_does():
    from kw2v.embeddings import word2vec_embedding

    table = word2vec_embedding(40, 8, "t")
    table.build((None,))
    rows = keras.ops.convert_to_numpy(table.embeddings)
    assert rows.shape == (40, 8) and np.abs(rows).max() <= 0.5 / 8 and rows.std() > 0
    zeros = word2vec_embedding(40, 8, "z", seed=None, mask_zero=True)
    zeros.build((None,))
    assert not keras.ops.convert_to_numpy(zeros.embeddings).any() and zeros.mask_zero
    with pytest.raises(Kw2vError, match="--dim must be at least 1"):
        word2vec_embedding(40, 0, "bad")
