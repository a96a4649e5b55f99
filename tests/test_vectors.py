"""WordVectors: lookup and similarity, checked against gensim (file formats: test_files.py)."""

from __future__ import annotations

import numpy as np
import pytest

from kw2v.errors import Kw2vError
from kw2v.vectors import UnknownWordError, WordVectors

# --- construction and lookup -------------------------------------------------------------------


def test_container_basics(wv: WordVectors) -> None:
    assert len(wv) == 203 and wv.dim == 16
    assert wv.vectors.dtype == np.float32 and wv.vectors.shape == (203, 16)
    assert "king" in wv and "nope" not in wv and 3 not in wv
    assert wv.index("queen") == 2
    np.testing.assert_array_equal(wv["queen"], wv.vectors[2])
    assert wv.counts[:2] == [203, 202]
    assert wv.words[:3] == ["the", "king", "queen"]
    with pytest.raises(ValueError):
        wv.vectors[0, 0] = 1.0  # read-only, so the cached unit vectors cannot go stale


def test_constructor_rejects_bad_input() -> None:
    with pytest.raises(Kw2vError, match="unique"):
        WordVectors(["a", "b", "a"], np.zeros((3, 2)))
    with pytest.raises(Kw2vError, match="2 words but 3"):
        WordVectors(["a", "b"], np.zeros((3, 2)))
    with pytest.raises(Kw2vError, match="counts"):
        WordVectors(["a", "b"], np.zeros((2, 2)), counts=[1])
    with pytest.raises(Kw2vError, match="2-D"):
        WordVectors(["a", "b"], np.zeros(2))
    with pytest.raises(Kw2vError, match="non-empty"):
        WordVectors(["a", ""], np.zeros((2, 2)))


def test_unit_vectors_keep_zero_rows_zero() -> None:
    wv = WordVectors(["a", "b", "c"], [[3.0, 4.0], [0.0, 0.0], [0.0, -2.0]])
    np.testing.assert_allclose(wv.unit_vectors, [[0.6, 0.8], [0.0, 0.0], [0.0, -1.0]])
    assert wv.similarity("a", "b") == 0.0
    assert wv.similarity("a", "c") == pytest.approx(-0.8)


def test_unknown_word_is_keyerror_and_kw2verror_with_suggestions(wv: WordVectors) -> None:
    with pytest.raises(KeyError) as info:
        wv["kingg"]
    err = info.value
    assert isinstance(err, Kw2vError) and isinstance(err, UnknownWordError)
    assert "'kingg'" in str(err) and "'king'" in str(err) and "'kings'" in str(err)
    assert len(err.suggestions) <= 3
    with pytest.raises(UnknownWordError, match="min_count"):
        wv.similarity("king", "zzzzzzzzzzzz")


# --- similarity, against gensim ----------------------------------------------------------------

QUERIES = [
    (["king"], []),
    (["king", "woman"], ["man"]),
    (["queen", "prince"], ["king", "w3"]),
    ("apple", "banana"),
    ([], ["man"]),
]


#: 3CosAdd (``most_similar``) on every query, 3CosMul on those with a positive word.
SIMILAR = [("most_similar", q) for q in QUERIES] + [("most_similar_cosmul", q) for q in QUERIES[:4]]


@pytest.mark.filterwarnings("ignore:Call to deprecated `init_sims`:DeprecationWarning")
@pytest.mark.parametrize(("name", "query"), SIMILAR)
def test_most_similar_and_cosmul_equal_gensim(wv, kv, name, query) -> None:
    positive, negative = query
    ours = getattr(wv, name)(positive, negative, topn=15)
    theirs = getattr(kv, name)(positive=positive, negative=negative, topn=15)
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-5)


def test_most_similar_accepts_a_raw_vector(wv, kv) -> None:
    query = wv["king"] - wv["man"] + wv["woman"]
    ours = wv.most_similar(query, topn=10)
    theirs = kv.most_similar(positive=[query], topn=10)
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    (best, score), *_ = wv.most_similar(wv["king"], topn=1)  # a raw vector excludes no word
    assert best == "king" and score == pytest.approx(1.0)
    mixed = wv.most_similar(["king", query], ["man"], topn=10)
    assert [w for w, _ in mixed] == [
        w for w, _ in kv.most_similar([query, "king"], ["man"], topn=10)
    ]


def test_similarity_neighbors_and_topn(wv, kv) -> None:
    assert wv.similarity("king", "queen") == pytest.approx(kv.similarity("king", "queen"), abs=1e-6)
    assert wv.neighbors("king", topn=5) == wv.most_similar(["king"], topn=5)
    assert wv.most_similar("king", topn=0) == []
    everything = wv.most_similar("king", topn=None)
    assert len(everything) == len(wv) - 1 and "king" not in dict(everything)
    scores = [s for _, s in everything]
    assert scores == sorted(scores, reverse=True)


def test_query_errors(wv) -> None:
    with pytest.raises(Kw2vError, match="at least one"):
        wv.most_similar([])
    with pytest.raises(Kw2vError, match="positive"):
        wv.most_similar_cosmul([], ["king"])
    with pytest.raises(Kw2vError, match="shape"):
        wv.most_similar(np.zeros(3))
    with pytest.raises(UnknownWordError):
        wv.most_similar(["king", "kingz"])


# --- gensim ---------------------------------------------------------------------------------------


def test_gensim_round_trip_keeps_counts(wv) -> None:
    kv = wv.to_gensim()
    assert kv.index_to_key == wv.words
    np.testing.assert_array_equal(kv.vectors, wv.vectors)
    assert kv.get_vecattr("king", "count") == wv.counts[1]
    back = WordVectors.from_gensim(kv)
    assert back.words == wv.words and back.counts == wv.counts
    np.testing.assert_array_equal(back.vectors, wv.vectors)
    no_counts = WordVectors(["a", "b"], np.eye(2)).to_gensim()
    assert WordVectors.from_gensim(no_counts).counts is None
