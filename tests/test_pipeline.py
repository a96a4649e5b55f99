import numpy as np
import pytest

from kw2v import Kw2vError, SkipGramPipeline, Vocabulary, encode_corpus


def _pipeline(ids, counts, **kw):
    kw.setdefault("batch_size", 16)
    return SkipGramPipeline(np.asarray(ids, np.int32), np.asarray(counts), **kw)


def test_encode_corpus_drops_unknown_words_and_marks_sentences():
    vocab = Vocabulary.build([["a", "b", "a"], ["b", "rare"]], min_count=2)
    ids, starts = encode_corpus([["a", "b", "a"], ["rare"], ["b", "rare", "a"]], vocab)
    assert vocab.decode(ids) == ["a", "b", "a", "b", "a"]
    assert starts.tolist() == [0, 3]


def test_exact_batch_count_shapes_and_true_contexts(planted):
    vocab = Vocabulary.build(planted, min_count=1)
    ids, starts = encode_corpus(planted, vocab)
    p = _pipeline(ids, vocab.counts, sentence_starts=starts, window=3, negative=4, sample=0)
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
    p = _pipeline(ids[ids > 0], counts, negative=5, sample=0, batch_size=256)
    negs = np.concatenate([c[:, 1:].ravel() for _, c in p.batches(0)])
    freq = np.bincount(negs, minlength=4)[1:] / len(negs)
    want = counts[1:] ** 0.75 / (counts[1:] ** 0.75).sum()
    np.testing.assert_allclose(freq, want, atol=0.01)


def test_reproducible_per_epoch_and_different_across_epochs():
    ids = np.random.default_rng(0).integers(1, 50, 3000)
    counts = np.bincount(ids, minlength=50)
    a = [c.copy() for _, c in _pipeline(ids, counts, seed=3).batches(1)]
    b = [c.copy() for _, c in _pipeline(ids, counts, seed=3).batches(1)]
    d = [c.copy() for _, c in _pipeline(ids, counts, seed=3).batches(2)]
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not all(np.array_equal(x, y) for x, y in zip(a, d, strict=False))


def test_dataset_labels_and_endless_epochs():
    ids = np.random.default_rng(0).integers(1, 20, 500)
    p = _pipeline(ids, np.bincount(ids, minlength=20), negative=3)
    steps = p.steps_per_epoch()
    items = list(p.dataset().take(2 * steps + 1))  # runs past one epoch without ending
    assert len(items) == 2 * steps + 1
    x, y = items[0]
    assert x["context"].shape[1] == 4
    np.testing.assert_array_equal(y.numpy()[0], [1, 0, 0, 0])


def test_tiny_corpus_gives_one_short_batch_and_no_pairs_is_an_error():
    p = _pipeline([1, 2, 1], [0, 2, 1], batch_size=1024, sample=0)
    ((t, c),) = list(p.batches(0))
    assert 0 < len(t) < 1024
    with pytest.raises(Kw2vError, match="at least 2"):
        _pipeline([1], [0, 1])
    with pytest.raises(Kw2vError, match="no training pairs"):
        list(_pipeline([1, 2], [0, 1, 1], sentence_starts=np.array([0, 1])).batches(0))


def test_shards_split_the_corpus_with_exact_steps():
    # words 1-9 fill the first half of the text, 10-19 the second: a shard's pairs show
    # which half it read
    rng = np.random.default_rng(0)
    ids = np.concatenate([rng.integers(1, 10, 2000), rng.integers(10, 20, 2000)])
    whole = _pipeline(ids, np.bincount(ids, minlength=20), sample=0, chunk_tokens=300)
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
    from kw2v.cbow import CBOWPipeline
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
