"""What every method's pipeline shares (kw2v.pipeline): exact epochs, reproducible and
resumable from any epoch, in NumPy and in tf.data; shards with their own streams and the same
steps; a memory-mapped corpus; a tiny corpus. Parametrised over the methods
(conftest.METHODS) where a rule holds for all of them."""

import numpy as np
import pytest
import tensorflow as tf
from conftest import METHODS, method_pipeline, random_sentences, skipgram_pipeline

from kw2v import CBOWPipeline, Kw2vError, SkipGramPipeline, Vocabulary, encode_corpus

#: Batches of 64 from a corpus read in chunks of 700 tokens (a short last chunk), seed 2.
CORPUS = {"batch_size": 64, "chunk_tokens": 700, "seed": 2, "min_count": 1}


def _flat(batch):
    """A batch (any method's: inputs, targets, weights) as nested lists, to compare."""
    return [np.asarray(v).tolist() for v in tf.nest.flatten(batch)]


# --------------------------------------------------------------------------- epochs


@pytest.mark.parametrize("method", METHODS)
def test_reproducible_per_epoch_and_different_across_epochs(method):
    p, again = (method_pipeline(method, random_sentences(), batch_size=16, seed=3) for _ in "ab")
    a = [_flat(b) for b in p.batches(1)]
    b = [_flat(b) for b in again.batches(1)]
    d = [_flat(b) for b in p.batches(2)]
    assert len(a) == p.steps_per_epoch()
    assert all(x == y for x, y in zip(a, b, strict=True))
    assert not all(x == y for x, y in zip(a, d, strict=True))


@pytest.mark.parametrize("method", METHODS)
def test_dataset_epochs_are_exact_reproducible_and_resume_where_they_stopped(method):
    p = method_pipeline(method, random_sentences(), **CORPUS)
    steps = p.steps_per_epoch()
    first = [_flat(b) for b in p.dataset().take(2 * steps)]
    again = [_flat(b) for b in p.dataset().take(2 * steps)]
    resumed = [_flat(b) for b in p.dataset(start_epoch=1).take(steps)]
    assert first == again
    assert resumed == first[steps:]  # epoch 1 is the same whether or not epoch 0 ran
    assert first[:steps] != first[steps:]  # each epoch draws anew
    batch = next(iter(p.dataset()))
    assert all(v.shape[0] == 64 for v in tf.nest.flatten(batch))
    if method in ("skipgram", "cbow"):  # the true word, then 5 negatives
        assert batch[1].shape == (64, 6)


# --------------------------------------------------------------------------- shards


def test_shards_split_the_corpus_with_exact_steps():
    # words 1-9 fill the first half of the text, 10-19 the second: a shard's pairs show
    # which half it read
    rng = np.random.default_rng(0)
    ids = np.concatenate([rng.integers(1, 10, 2000), rng.integers(10, 20, 2000)])
    whole = skipgram_pipeline(ids, np.bincount(ids, minlength=20), sample=0, chunk_tokens=300)
    a, b = whole.shard(0, 2, batch_size=8, steps=40), whole.shard(1, 2, batch_size=8, steps=40)
    assert (a.lo, a.hi, b.lo, b.hi) == (0, 2000, 2000, 4000)
    assert abs(a.expected_pairs() + b.expected_pairs() - whole.expected_pairs()) < 1e-6
    for shard, words in ((a, range(1, 10)), (b, range(10, 20))):
        batches = list(shard.batches(0))
        assert len(batches) == shard.steps_per_epoch() == 40  # the same count on every worker
        assert all(t.shape == (8,) for t, _ in batches)
        pairs = np.concatenate([np.stack([t, c[:, 0]], axis=1) for t, c in batches])
        assert np.isin(pairs, words).all()
    # one shard of one keeps the unsharded random stream
    for (t1, c1), (t2, c2) in zip(whole.batches(0), whole.shard(0, 1).batches(0), strict=True):
        np.testing.assert_array_equal(t1, t2)
        np.testing.assert_array_equal(c1, c2)
    with pytest.raises(Kw2vError, match="shard index"):
        whole.shard(2, 2)


def test_glove_and_cbow_shards_split_the_data_with_their_own_streams():
    """The shared base shards every method's pipeline: contiguous shares, fixed steps."""
    from kw2v.glove import GloVePipeline, count_cooccurrences

    ids = np.random.default_rng(0).integers(1, 40, 4000).astype(np.int32)
    cooc = count_cooccurrences(ids, 40, window=3)
    whole = GloVePipeline(cooc, batch_size=32, sampling="uniform")
    parts = [whole.shard(i, 2, batch_size=16, steps=5) for i in range(2)]
    seen = [
        {int(k) for x, _, _ in p.batches(0) for k in x["word"] * 40 + x["context"]} for p in parts
    ]
    keys = cooc.rows.astype(int) * 40 + cooc.cols
    half = len(cooc) // 2
    assert seen[0] <= set(keys[:half]) and seen[1] <= set(keys[half:])  # disjoint shares
    assert [len(list(p.batches(0))) for p in parts] == [5, 5]
    cbow = CBOWPipeline(ids, np.bincount(ids, minlength=40), window=2, sample=0, batch_size=64)
    a, b = (cbow.shard(i, 2) for i in range(2))
    assert a.expected_examples() + b.expected_examples() == pytest.approx(cbow.expected_examples())
    assert not np.array_equal(next(a.batches(0))[0], next(b.batches(0))[0])


def test_dataset_shards_split_the_data_and_make_the_same_steps():
    p = method_pipeline("skipgram", random_sentences(), **CORPUS)
    parts = [p.shard(i, 2, steps=5) for i in range(2)]
    seen = []
    for part in parts:
        batches = list(part.dataset().take(5))
        assert len(batches) == 5
        seen.append({int(t) for x, _ in batches for t in x["target"]})
    assert seen[0] != seen[1]


# --------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("cls", [SkipGramPipeline, CBOWPipeline])
@pytest.mark.parametrize("shard", [None, (1, 3)])
def test_a_memory_mapped_corpus_makes_the_same_batches_as_one_in_memory(tmp_path, shard, cls):
    sentences = random_sentences()
    vocab = Vocabulary.build(sentences, min_count=1)
    options = {"batch_size": 64, "chunk_tokens": 700, "seed": 2}  # a short last chunk
    made = []
    for path in (None, tmp_path / "ids"):
        ids, starts = encode_corpus(sentences, vocab, path)
        p = cls(ids, vocab.counts, sentence_starts=starts, **options)
        if shard is not None:
            p = p.shard(*shard, steps=4)
        made.append([_flat(b) for b in p.dataset().take(2 * p.steps_per_epoch())])
    assert len(ids) % 700 and made[0] == made[1]


def test_tiny_corpus_gives_one_short_batch_and_no_pairs_is_an_error():
    p = skipgram_pipeline([1, 2, 1], [0, 2, 1], batch_size=1024, sample=0)
    ((t, c),) = list(p.batches(0))
    assert 0 < len(t) < 1024
    with pytest.raises(Kw2vError, match="at least 2"):
        skipgram_pipeline([1], [0, 1])
    with pytest.raises(Kw2vError, match="no training pairs"):
        list(skipgram_pipeline([1, 2], [0, 1, 1], sentence_starts=np.array([0, 1])).batches(0))


def test_a_tiny_corpus_makes_one_short_batch_per_pass():
    vocab = Vocabulary.build([["a", "b", "c"]], min_count=1)
    ids, starts = encode_corpus([["a", "b", "c"]], vocab)
    p = SkipGramPipeline(ids, vocab.counts, sentence_starts=starts, sample=0.0, batch_size=64)
    x, y = next(iter(p.dataset()))
    assert 1 <= len(x["target"]) <= 6 and y.shape[1] == 6  # 3 words: at most 6 pairs
