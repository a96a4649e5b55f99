"""The space-forming film: snapshots, one fixed basis, the loss curve, the GIF, the CLI flag."""

import keras
import numpy as np
import pytest
from conftest import METHODS, assert_user_error, method_options, run_kw2v
from PIL import Image

from kw2v import Kw2vError, SpaceAnimation, Vocabulary, train

PLANTED_GROUPS = {g: [f"{g}{i}" for i in range(8)] for g in "abcd"}


def test_planted_groups_gather_in_the_last_frame_and_the_gif_has_frames(planted, tmp_path):
    path = tmp_path / "space.gif"
    result = train(
        planted, dim=16, epochs=3, min_count=1, sample=0, batch_size=256, window=3, verbose=0,
        steps_per_execution=4, callbacks=[anim := SpaceAnimation(
            Vocabulary.build(planted, min_count=1), PLANTED_GROUPS, frames=30, path=path
        )],
    )  # fmt: skip
    assert result.vectors is not None
    steps = [s for s, _ in anim.snapshots]
    assert steps[0] == 0 and steps == sorted(set(steps)) and len(steps) > 10
    xy = anim.positions()
    groups = np.array(anim.group_of)

    def within_over_between(frame):
        d = np.linalg.norm(frame[:, None] - frame[None], axis=-1)
        same = groups[:, None] == groups[None]
        np.fill_diagonal(same, False)
        return d[same].mean() / d[groups[:, None] != groups[None]].mean()

    assert within_over_between(xy[-1]) < 0.5 < within_over_between(xy[0])
    with Image.open(path) as gif:
        assert gif.n_frames == len(steps) > 10
    assert all(np.isfinite(loss) for _, loss in anim.losses)


@pytest.mark.parametrize("method", [m for m in METHODS if m != "skipgram"])
def test_every_method_can_be_filmed(planted, tmp_path, method):
    """The film reads each method's word table (E, or GloVe's word table) by itself."""
    path, corpus = tmp_path / "space.gif", planted[:400]
    anim = SpaceAnimation(Vocabulary.build(corpus, min_count=1), PLANTED_GROUPS, path=path)
    options = method_options(method, dim=8, epochs=1, min_count=1, sample=0, verbose=0)
    train(corpus, callbacks=[anim], **options)
    with Image.open(path) as gif:
        assert gif.n_frames >= 2


def test_positions_use_one_fixed_basis_from_the_last_snapshot():
    vocab = Vocabulary(["a", "b", "c", "d"], [4, 3, 2, 1])
    anim = SpaceAnimation(vocab, {"g": ["a", "b", "c", "d"]})
    rng = np.random.default_rng(0)
    plane = np.linalg.qr(rng.normal(size=(8, 2)))[0]  # an orthonormal 2-D plane in 8-D
    last = np.array([[3, 0], [0, 3], [-3, 0], [0, -3]], dtype="float32") @ plane.T
    first = rng.normal(size=(4, 8)).astype("float32")
    anim.snapshots = [(0, first), (10, last)]
    xy = anim.positions()
    # the last frame keeps its shape: a square, centred, zoomed to an RMS radius of 1
    np.testing.assert_allclose(np.linalg.norm(xy[-1], axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(xy[-1].mean(axis=0), 0.0, atol=1e-6)
    # the first frame is projected on the last frame's plane (any basis of it: the square's
    # two principal axes are tied), not on its own principal axes
    unit = first / np.linalg.norm(first, axis=1, keepdims=True)
    own = (unit - unit.mean(0)) @ plane
    own /= np.sqrt((own**2).sum(axis=1).mean())

    def distances(frame):
        return np.linalg.norm(frame[:, None] - frame[None], axis=-1)

    np.testing.assert_allclose(distances(xy[0]), distances(own), atol=1e-5)


def test_loss_curve_undoes_keras_running_mean():
    vocab = Vocabulary(["a", "b", "c"], [3, 2, 1])
    anim = SpaceAnimation(vocab, {"g": ["a", "b", "c"]})
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    anim.set_model(model)
    anim.schedule = []
    # step losses 4, 2 | 0, 2 (calls after batches 1 and 3), then a new epoch: 5, 1
    anim.on_train_batch_end(1, {"loss": 3.0})
    anim.on_train_batch_end(3, {"loss": 2.0})
    anim.on_train_batch_end(1, {"loss": 3.0})
    assert [loss for _, loss in anim.losses] == [3.0, 1.0, 3.0]


def test_too_few_probe_words_is_a_clear_error():
    with pytest.raises(Kw2vError, match="3 or more probe words"):
        SpaceAnimation(Vocabulary(["a", "b"], [2, 1]))


def test_cli_refuses_an_animation_path_it_cannot_write(tmp_path):
    proc = run_kw2v("train", "--corpus", "wiki-sample", "--out", str(tmp_path / "run"),
                    "--animate", str(tmp_path / "space.txt"))  # fmt: skip
    assert_user_error(proc, "--animate")
