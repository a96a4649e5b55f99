"""Examples made inside the training step (kw2v.device_examples), on every Keras backend.

Every test here but the last is backend-neutral; the last runs them all again under
``KERAS_BACKEND=jax`` in an environment without TensorFlow (``.venv-jax``, built once).
"""

import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from scipy import stats

from kw2v.cbow import CBOWPipeline
from kw2v.device_examples import DeviceExamples, hash_bits
from kw2v.embeddings import word_tables
from kw2v.optimizers import RowAdagrad
from kw2v.sampling import noise_distribution
from kw2v.skipgram import SkipGramPipeline, build_skipgram_model
from kw2v.windows import window_pairs

REPO = Path(__file__).resolve().parents[1]


def on_device(ids, counts, *, model="skipgram", block=4, halo=None, capacity=None, **options):
    """The examples of a skip-gram or CBOW pipeline over ``ids`` (``options``), made on the
    device."""
    host = (SkipGramPipeline if model == "skipgram" else CBOWPipeline)(ids, counts, **options)
    return DeviceExamples(host, block=block, halo=halo, capacity=capacity)


BACKEND = keras.backend.backend()


def build_core(model, vocab_size, dim=16):
    from kw2v.cbow import build_cbow_model

    build = build_skipgram_model if model == "skipgram" else build_cbow_model
    return build(vocab_size, dim)


class FixedDraws:
    """A stand-in for ``numpy.random.Generator`` that hands out given draws, so the NumPy
    reference makes its examples from the very random numbers the device used."""

    def __init__(self, uniforms, spans):
        self.uniforms, self.spans = uniforms, spans

    def random(self, n):
        assert n == len(self.uniforms)
        return self.uniforms

    def integers(self, low, high, size):
        assert size == len(self.spans) and self.spans.min() >= low and self.spans.max() < high
        return self.spans


def unique_word_corpus(n=900, seed=0):
    """Word ``i + 1`` at position ``i``: an id pair names a position pair. Counts vary so that
    subsampling keeps each word with its own probability; sentences of 1 to 30 words."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, n + 1, dtype=np.int32)
    counts = np.concatenate([[0], rng.integers(1, 400, n)])
    starts = np.unique(np.concatenate([[0], rng.integers(1, n, n // 12)]))
    return ids, counts, starts


def reference_and_device(model, halo, block=7, epoch=1):
    """The NumPy reference's examples over the whole corpus and the device's, block by block,
    from the same draws; as sorted rows."""
    from kw2v.cbow import cbow_windows

    ids, counts, starts = unique_word_corpus()
    ex = on_device(
        ids, counts, sentence_starts=starts, model=model, window=4, sample=1e-4,
        batch_size=60, block=block, halo=halo, seed=3,
    )  # fmt: skip
    maker = ex.maker()
    u, spans = (keras.ops.convert_to_numpy(a) for a in maker.draws(epoch, np.arange(len(ids))))
    keep = maker.keep.numpy().astype(np.float64)  # the float32 the device compares with
    kept = u < keep[ids]
    assert 0.3 < kept.mean() < 0.9  # subsampling really drops words here
    draws = FixedDraws(u.astype(np.float64), spans[kept])
    sentence_ids = ex.sentence_ids()
    if model == "skipgram":
        t, c = window_pairs(ids, 4, draws, keep=keep, sentence_ids=sentence_ids)
        reference = np.stack([t, c], axis=1)
    else:
        contexts, centres = cbow_windows(ids, 4, draws, keep=keep, sentence_ids=sentence_ids)
        reference = np.concatenate([centres[:, None], contexts], axis=1)
    every_block = np.arange(ex.blocks_per_epoch(), dtype=np.int32)
    centres, neighbours, real = (
        keras.ops.convert_to_numpy(a) for a in maker.windows(epoch, every_block)
    )
    if model == "skipgram":
        rows, cols = np.nonzero(real)
        made = np.stack([centres[rows], neighbours[rows, cols]], axis=1)
    else:
        some = real.any(axis=1)
        made = np.concatenate([centres[some, None], np.where(real, neighbours, 0)[some]], 1)
    order = lambda a: a[np.lexsort(a.T[::-1])]  # noqa: E731
    return order(reference), order(made), ex


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_examples_equal_numpy_reference_given_same_draws(model):
    reference, made, ex = reference_and_device(model, halo=40)
    assert ex.blocks_per_epoch() > 100  # many block edges
    assert len(made) > 300
    np.testing.assert_array_equal(made, reference)


def test_short_halo_only_loses_pairs_at_block_edges():
    """With a halo of one position, windows at block edges miss kept words past it: the
    device's pairs are a subset of the reference's, and every missing one reaches across an
    edge. (The default halo, 4 windows, gives the exact pairs: the test above.)"""
    reference, made, ex = reference_and_device("skipgram", halo=1, block=30)
    ref_set, made_set = set(map(tuple, reference)), set(map(tuple, made))
    assert made_set < ref_set
    block = ex.block
    for target, context in ref_set - made_set:
        i, j = target - 1, context - 1  # positions
        assert (
            i // block != j // block
            or min(i % block, j % block) < 4
            or (max(i % block, j % block) >= block - 4)
        )


def numpy_hash(key, stream, counter):
    """The murmur3-finaliser hash of kw2v.device_examples, in NumPy: a known answer."""

    def mix(x):
        x = x ^ (x >> np.uint32(16))
        x = x * np.uint32(0x85EBCA6B)
        x = x ^ (x >> np.uint32(13))
        x = x * np.uint32(0xC2B2AE35)
        return x ^ (x >> np.uint32(16))

    with np.errstate(over="ignore"):
        key = np.uint32(key)
        x = counter.astype(np.uint32) * np.uint32(0x9E3779B9) + mix(key ^ np.uint32(stream))
        return mix(mix(x) ^ key)


def test_hash_is_the_same_on_every_backend():
    """The random bits are a known function of (key, stream, counter): uint32 arithmetic
    wraps the same way under TensorFlow and JAX, so both backends draw the same examples."""
    counter = np.arange(-5, 2000, dtype=np.int32)
    key = keras.ops.convert_to_tensor(np.uint32(0xDEADBEEF))
    got = keras.ops.convert_to_numpy(hash_bits(key, 3, counter))
    np.testing.assert_array_equal(got, numpy_hash(0xDEADBEEF, 3, counter))


def zipf_examples(**options):
    rng = np.random.default_rng(0)
    counts = np.concatenate([[0], (5000 / np.arange(1, 41)).astype(int)])
    ids = rng.choice(41, size=4000, p=counts / counts.sum()).astype(np.int32)
    return on_device(ids, counts, **options), counts


def test_negatives_follow_unigram_to_the_three_quarters():
    ex, counts = zipf_examples()
    maker = ex.maker()
    draws = np.concatenate(
        [keras.ops.convert_to_numpy(maker.negatives(0, i, (50_000,))) for i in range(4)]
    )
    assert draws.min() >= 1  # never index 0, the padding
    expected = noise_distribution(counts)[1:] * len(draws)
    observed = np.bincount(draws, minlength=len(counts))[1:]
    assert stats.chisquare(observed, expected).pvalue > 1e-3
    uniform_counts = np.full(40, len(draws) / 40)  # and it can tell a wrong distribution
    assert stats.chisquare(observed, uniform_counts).pvalue < 1e-6


def test_window_sizes_and_keeps_follow_their_distributions():
    ex, counts = zipf_examples(window=5, sample=1e-2)
    maker = ex.maker()
    positions = np.arange(len(ex.host.ids))
    u, spans = (keras.ops.convert_to_numpy(a) for a in maker.draws(2, positions))
    assert stats.chisquare(np.bincount(spans)[1:]).pvalue > 1e-3  # uniform over 1..5
    assert stats.kstest(u, "uniform").pvalue > 1e-3


def step_blocks(ex, step):
    """The block numbers ``fit`` gives global step ``step``."""
    return ex.fit_inputs(0, step // ex.steps_per_epoch() + 1).reshape(-1, ex.blocks_per_step())[
        step
    ]


def step_examples(ex, step):
    maker = ex.maker()
    inputs, weight, _ = maker(step_blocks(ex, step))
    return {
        k: keras.ops.convert_to_numpy(v) for k, v in inputs.items()
    }, keras.ops.convert_to_numpy(weight)


def test_same_seed_same_examples_other_epoch_or_seed_other_examples():
    ex, _ = zipf_examples(seed=5)
    spe = ex.steps_per_epoch()
    first, weight = step_examples(ex, 1)
    again, weight_again = step_examples(zipf_examples(seed=5)[0], 1)
    for name in first:
        np.testing.assert_array_equal(first[name], again[name])
    np.testing.assert_array_equal(weight, weight_again)
    next_epoch, _ = step_examples(ex, 1 + spe)  # the same block, one epoch later
    other_seed, _ = step_examples(zipf_examples(seed=6)[0], 1)
    for other in (next_epoch, other_seed):
        assert not np.array_equal(first["context"], other["context"])


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_capacity_packs_the_same_examples_and_counts_what_it_drops(model):
    ids, counts, starts = unique_word_corpus()
    options = dict(sentence_starts=starts, model=model, window=4, sample=1e-4, batch_size=60)
    exact = on_device(ids, counts, **options)
    most = max(step_examples(exact, step)[1].sum() for step in range(3))
    mean = exact.expected_examples() / exact.steps_per_epoch()
    packed = on_device(ids, counts, capacity=most / mean, **options)  # room for all
    tight = on_device(ids, counts, capacity=0.5, **options)
    assert packed.slots() < len(step_examples(exact, 0)[1])  # fewer rows to score
    predicted = "context" if model == "skipgram" else "target"
    for step in range(3):
        (x, w), (px, pw) = step_examples(exact, step), step_examples(packed, step)
        real = w.astype(bool)
        assert pw.sum() == real.sum() and pw[: real.sum()].all()  # the real rows first
        for name in x:  # the same examples in the same order (negatives aside)
            keep = x[name][real] if name != predicted else x[name][real][:, :1]
            got = px[name][: real.sum()] if name != predicted else px[name][: real.sum(), :1]
            np.testing.assert_array_equal(got, keep)
        maker = tight.maker()
        _, tw, dropped = maker(step_blocks(tight, step))
        assert int(dropped) == real.sum() - tight.slots() > 0
        assert keras.ops.convert_to_numpy(tw).all()


def planted_corpus(seed=0, sentences=600, length=8):
    """Two groups of 10 words; a sentence takes its words from one group only."""
    rng = np.random.default_rng(seed)
    group = rng.integers(2, size=sentences)
    ids = (1 + 10 * group[:, None] + rng.integers(10, size=(sentences, length))).reshape(-1)
    counts = np.bincount(ids, minlength=21)
    return ids.astype(np.int32), counts, np.arange(0, sentences * length, length)


def trainer_for(ex, model, learning_rate=0.1):
    trainer = ex.training_model(build_core(model, 21))
    trainer.compile(optimizer=RowAdagrad(learning_rate), jit_compile=True, steps_per_execution=4)
    return trainer


def device_examples(model, **options):
    ids, counts, starts = planted_corpus()
    ex = on_device(
        ids, counts, sentence_starts=starts, model=model, sample=0, window=3,
        batch_size=256 if model == "skipgram" else 64, seed=1, steps_per_execution=4,
        **options,
    )  # fmt: skip
    return ex


@pytest.mark.parametrize(("model", "capacity"), [("skipgram", None), ("cbow", 1.5)])
def test_training_recovers_planted_groups(model, capacity):
    ex = device_examples(model, capacity=capacity)
    trainer = trainer_for(ex, model)
    history = trainer.fit(**ex.fit_arguments(0, 4), verbose=0).history
    assert history["loss"][-1] < history["loss"][0]
    assert history["dropped"] == [0] * 4
    vectors = word_tables(trainer.core)[1:]
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine = unit @ unit.T
    same = np.equal.outer(np.arange(20) // 10, np.arange(20) // 10)
    within = cosine[same & ~np.eye(20, dtype=bool)].mean()
    across = cosine[~same].mean()
    assert within > across + 0.3, (within, across)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_resumed_run_equals_uninterrupted(model, tmp_path):
    """Stopped after 2 epochs, its checkpoint (``save_weights``, as kw2v.RunBackup writes it:
    the model's and the optimizer's variables, not the corpus) restored into a new trainer,
    the third epoch makes the same vectors as a run that never stopped."""
    ex = device_examples(model)
    whole = trainer_for(ex, model)
    whole.fit(**ex.fit_arguments(0, 3), verbose=0)

    first = trainer_for(ex, model)
    first.fit(**ex.fit_arguments(0, 2), verbose=0)
    checkpoint = tmp_path / "epoch-2.weights.h5"
    first.save_weights(checkpoint)
    assert checkpoint.stat().st_size < 100_000  # the corpus is not in it
    resumed = trainer_for(ex, model)  # a new process would build it afresh
    resumed.optimizer.build(resumed.trainable_variables)
    resumed.load_weights(checkpoint)
    resumed.fit(**ex.fit_arguments(2, 3), verbose=0)
    for a, b in zip(whole.core.get_weights(), resumed.core.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # and the third epoch really trained
    assert not np.allclose(first.core.get_weights()[0], resumed.core.get_weights()[0])


def test_refuses_what_it_cannot_do_with_the_host_messages():
    from kw2v.errors import Kw2vError

    ids, counts, starts = planted_corpus()
    with pytest.raises(Kw2vError, match="negative sampling"):
        on_device(ids, counts, negative=0)
    with pytest.raises(Kw2vError, match="window must be at least 1"):
        on_device(ids, counts, window=0)
    with pytest.raises(Kw2vError, match="at least 2 are needed"):
        on_device(ids[:1], counts)
    with pytest.raises(Kw2vError, match="--batch-size must be at least 1"):
        on_device(ids, counts, batch_size=0)


# -- the same tests under JAX, in an environment without TensorFlow ---------------------------


def test_under_jax_without_tensorflow(jax_python):
    """Every test above, again under KERAS_BACKEND=jax, where TensorFlow cannot be imported."""
    no_tf = subprocess.run([jax_python, "-c", "import tensorflow"], capture_output=True, text=True)
    assert no_tf.returncode != 0 and "No module named 'tensorflow'" in no_tf.stderr
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    done = subprocess.run(
        [jax_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__, "-k",
         "not under_jax_without_tensorflow"],
        capture_output=True, text=True, env=env, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout.splitlines()[-1]


def test_runs_on_the_backend_it_says():
    """Under the JAX run above this asserts JAX really was the backend, and no TensorFlow."""
    if os.environ.get("KERAS_BACKEND") == "jax":
        assert BACKEND == "jax" and "tensorflow" not in sys.modules
    else:
        assert BACKEND == "tensorflow"
