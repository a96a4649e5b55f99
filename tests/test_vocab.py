import numpy as np
import pytest

from kw2v import Kw2vError, Vocabulary, encode_corpus


def test_counts_order_and_reserved_index():
    sents = [["b", "a", "c", "a"], ["c", "a", "d"]]
    v = Vocabulary.build(sents, min_count=1)
    assert v.words == ["", "a", "c", "d", "b"]  # a:3, c:2, then d and b (1 each), gensim's order
    assert v.counts.tolist() == [0, 3, 2, 1, 1]
    assert v.index["a"] == 1 and v.total == 7


def test_frequency_ranking_ties_last_seen_first_like_gensim():
    v = Vocabulary.build([["x", "y", "z", "y", "x", "w"]], min_count=1)
    assert v.words[1:] == ["y", "x", "w", "z"]
    assert v.counts.tolist() == [0, 2, 2, 1, 1]
    assert len(v) == 5 and "x" in v and "" not in v


def test_min_count_and_max_size():
    sents = [["a"] * 5 + ["b"] * 4 + ["c"] * 3 + ["d"]]
    assert Vocabulary.build(sents, min_count=3).words[1:] == ["a", "b", "c"]
    assert Vocabulary.build(sents, min_count=1, max_size=2).words[1:] == ["a", "b"]


def test_same_order_as_gensim():
    from gensim.models import Word2Vec

    rng = np.random.default_rng(0)
    sents = [[f"w{i}" for i in rng.zipf(1.5, 30) if i < 200] for _ in range(300)]
    ours = Vocabulary.build(sents, min_count=2)
    ref = Word2Vec(min_count=2, vector_size=4, workers=1)
    ref.build_vocab(sents)
    assert ours.words[1:] == list(ref.wv.index_to_key)


def test_encode_decode_drops_unknown():
    v = Vocabulary.build([["a", "a", "b"]], min_count=1)
    assert v.encode(["a", "zzz", "b"]).tolist() == [1, 2]
    assert v.encode(["a", "zzz"], keep_unknown=True).tolist() == [1, 0]
    assert v.decode([2, 1]) == ["b", "a"]


def test_save_load_round_trip(tmp_path):
    v = Vocabulary.build([["é", "a", "a", "b"]], min_count=1)
    v.save(tmp_path / "v.tsv")
    w = Vocabulary.load(tmp_path / "v.tsv")
    assert w.words == v.words and w.counts.tolist() == v.counts.tolist()


def test_errors_name_the_fix(tmp_path):
    with pytest.raises(Kw2vError, match="empty"):
        Vocabulary.build([[], []])
    with pytest.raises(Kw2vError, match="min-count"):
        Vocabulary.build([["a", "b"]], min_count=5)
    bad = tmp_path / "bad.tsv"
    bad.write_text("word-without-count\n")
    with pytest.raises(Kw2vError, match="bad.tsv:1"):
        Vocabulary.load(bad)


def test_encode_corpus_drops_unknown_words_and_marks_sentences():
    vocab = Vocabulary.build([["a", "b", "a"], ["b", "rare"]], min_count=2)
    ids, starts = encode_corpus([["a", "b", "a"], ["rare"], ["b", "rare", "a"]], vocab)
    assert vocab.decode(ids) == ["a", "b", "a", "b", "a"]
    assert starts.tolist() == [0, 3]


def test_encode_corpus_to_a_file_is_memory_mapped_and_equal(tmp_path):
    sentences = [["a", "b", "a"], ["rare"], ["b", "rare", "a"]] * 1000
    vocab = Vocabulary.build(sentences, min_count=2)
    ids, starts = encode_corpus(sentences, vocab)
    mapped, mapped_starts = encode_corpus(sentences, vocab, tmp_path / "ids")
    assert isinstance(mapped, np.memmap)
    np.testing.assert_array_equal(mapped, ids)
    np.testing.assert_array_equal(mapped_starts, starts)
    assert (tmp_path / "ids").stat().st_size == 4 * len(ids)
