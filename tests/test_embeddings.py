"""kw2v.embeddings: the word tables every word2vec model starts from."""

import keras
import numpy as np
import pytest

from kw2v import Kw2vError


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
