import keras
import numpy as np
import tensorflow as tf

from kw2v import RowAdagrad


def _apply(grad, start, lr=0.1, steps=1):
    var = keras.Variable(start.copy())
    opt = RowAdagrad(lr)
    opt.build([var])
    for _ in range(steps):
        opt.apply_gradients([(grad, var)])
    return var.numpy()


def _reference(start, rows, values, lr=0.1, steps=1, acc0=1e-12, eps=1e-10):
    """Row-wise Adagrad in NumPy, one occurrence at a time for the accumulator."""
    w, acc = start.astype(np.float64).copy(), np.full(len(start), acc0)
    for _ in range(steps):
        np.add.at(acc, rows, (values.astype(np.float64) ** 2).mean(1))
        w_delta = lr * values / (np.sqrt(acc[rows]) + eps)[:, None]
        np.subtract.at(w, rows, w_delta)
    return w


def test_sparse_update_known_answer_with_repeated_rows():
    rng = np.random.default_rng(0)
    start = rng.normal(size=(6, 3)).astype("float32")
    rows = np.array([1, 4, 1], "int32")  # row 1 twice
    values = rng.normal(size=(3, 3)).astype("float32")
    grad = tf.IndexedSlices(tf.constant(values), tf.constant(rows), tf.constant([6, 3]))
    got = _apply(grad, start, steps=3)
    np.testing.assert_allclose(got, _reference(start, rows, values, steps=3), rtol=1e-5)
    np.testing.assert_array_equal(got[[0, 2, 3, 5]], start[[0, 2, 3, 5]])  # untouched rows


def test_sparse_and_dense_paths_agree_without_repeats():
    rng = np.random.default_rng(1)
    start = rng.normal(size=(5, 4)).astype("float32")
    rows = np.array([0, 3], "int32")
    values = rng.normal(size=(2, 4)).astype("float32")
    sparse = tf.IndexedSlices(tf.constant(values), tf.constant(rows), tf.constant([5, 4]))
    dense = tf.convert_to_tensor(sparse)
    np.testing.assert_allclose(
        _apply(sparse, start, steps=2), _apply(dense, start, steps=2), rtol=1e-6
    )


def test_first_step_moves_each_touched_row_by_about_lr():
    """A tiny initial accumulator makes the first step scale-free, like Adam's."""
    start = np.zeros((3, 4), "float32")
    g = np.full((3, 4), 1e-4, "float32")
    got = _apply(tf.constant(g), start, lr=0.1)
    np.testing.assert_allclose(got, -0.1, rtol=1e-3)


def test_config_round_trip():
    opt = RowAdagrad(0.3, epsilon=1e-8)
    again = RowAdagrad.from_config(opt.get_config())
    assert again.epsilon == 1e-8 and float(again.learning_rate) == np.float32(0.3)
