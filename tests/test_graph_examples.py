"""The examples made by TensorFlow ops inside tf.data: the same rules as the NumPy versions."""

import numpy as np
import pytest
import tensorflow as tf

from kw2v import (
    CBOWPipeline,
    NoiseSampler,
    SkipGramPipeline,
    Vocabulary,
    cbow_windows,
    encode_corpus,
    keep_probabilities,
    window_pairs,
)
from kw2v.graph_windows import alias_draw, cbow_windows_from_draws, window_pairs_from_draws


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


def _corpus_pipeline(cls=SkipGramPipeline, **options):
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(40)]
    sentences = [list(rng.choice(words, size=rng.integers(3, 30))) for _ in range(300)]
    vocab = Vocabulary.build(sentences, min_count=1)
    ids, starts = encode_corpus(sentences, vocab)
    options = {"batch_size": 64, "chunk_tokens": 700, "seed": 2, **options}
    return cls(ids, vocab.counts, sentence_starts=starts, **options)


def _flat(batch):
    x, y = batch
    return [np.asarray(v).tolist() for v in (*x.values(), y)]


@pytest.mark.parametrize("cls", [SkipGramPipeline, CBOWPipeline])
def test_dataset_epochs_are_exact_reproducible_and_resume_where_they_stopped(cls):
    p = _corpus_pipeline(cls)
    steps = p.steps_per_epoch()
    first = [_flat(b) for b in p.dataset().take(2 * steps)]
    again = [_flat(b) for b in p.dataset().take(2 * steps)]
    resumed = [_flat(b) for b in p.dataset(start_epoch=1).take(steps)]
    assert first == again
    assert resumed == first[steps:]  # epoch 1 is the same whether or not epoch 0 ran
    assert first[:steps] != first[steps:]  # each epoch draws anew
    x, y = next(iter(p.dataset()))
    assert (
        y.shape == (64, 6) and x["context" if cls is SkipGramPipeline else "target"].shape[0] == 64
    )


def test_dataset_pairs_come_from_the_windows_and_negatives_from_the_noise():
    p = _corpus_pipeline(sample=0.0)
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


def test_dataset_shards_split_the_data_and_make_the_same_steps():
    p = _corpus_pipeline()
    parts = [p.shard(i, 2, steps=5) for i in range(2)]
    seen = []
    for part in parts:
        batches = list(part.dataset().take(5))
        assert len(batches) == 5
        seen.append({int(t) for x, _ in batches for t in x["target"]})
    assert seen[0] != seen[1]


def test_a_tiny_corpus_makes_one_short_batch_per_pass():
    vocab = Vocabulary.build([["a", "b", "c"]], min_count=1)
    ids, starts = encode_corpus([["a", "b", "c"]], vocab)
    p = SkipGramPipeline(ids, vocab.counts, sentence_starts=starts, sample=0.0, batch_size=64)
    x, y = next(iter(p.dataset()))
    assert 1 <= len(x["target"]) <= 6 and y.shape[1] == 6  # 3 words: at most 6 pairs


def test_encode_corpus_to_a_file_is_memory_mapped_and_equal(tmp_path):
    sentences = [["a", "b", "a"], ["rare"], ["b", "rare", "a"]] * 1000
    vocab = Vocabulary.build(sentences, min_count=2)
    ids, starts = encode_corpus(sentences, vocab)
    mapped, mapped_starts = encode_corpus(sentences, vocab, tmp_path / "ids")
    assert isinstance(mapped, np.memmap)
    np.testing.assert_array_equal(mapped, ids)
    np.testing.assert_array_equal(mapped_starts, starts)
    assert (tmp_path / "ids").stat().st_size == 4 * len(ids)


@pytest.mark.parametrize("shard", [None, (1, 3)])
def test_a_memory_mapped_corpus_makes_the_same_batches_as_one_in_memory(tmp_path, shard):
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(40)]
    sentences = [list(rng.choice(words, size=rng.integers(3, 30))) for _ in range(300)]
    vocab = Vocabulary.build(sentences, min_count=1)
    options = {"batch_size": 64, "chunk_tokens": 700, "seed": 2}  # a short last chunk
    made = []
    for path in (None, tmp_path / "ids"):
        ids, starts = encode_corpus(sentences, vocab, path)
        p = SkipGramPipeline(ids, vocab.counts, sentence_starts=starts, **options)
        if shard is not None:
            p = p.shard(*shard, steps=4)
        made.append([_flat(b) for b in p.dataset().take(2 * p.steps_per_epoch())])
    assert len(ids) % 700 and made[0] == made[1]
