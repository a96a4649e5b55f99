"""Word tables: how every kw2v model starts its embeddings, and how its word vectors are read.

Every model kw2v builds names its tables alike — E, the table of the word a model reads, and
Θ, the table of the word it predicts (:data:`INPUT_TABLES`, :data:`OUTPUT_TABLES`) — so one
:func:`model_vectors` reads the vectors of any of them. Introduced in notebook 03.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from kw2v.config import check_values
from kw2v.errors import Kw2vError
from kw2v.vectors import WordVectors
from kw2v.vocab import Vocabulary


def word2vec_embedding(
    vocab_size: int, embedding_dim: int, name: str, *, seed: int | None = 1, **options
) -> layers.Embedding:
    """An embedding table with word2vec's start: rows uniform in ``±0.5 / embedding_dim``.

    word2vec starts its input vectors small and random and its output vectors at zero;
    ``seed=None`` gives the zero start. ``options`` go to ``keras.layers.Embedding``
    (``mask_zero``). Shared by every model kw2v builds, so they all start alike.

    Raises
    ------
    Kw2vError
        If ``embedding_dim`` is below 1.
    """
    check_values(dim=embedding_dim)
    scale = 0.5 / embedding_dim
    init = "zeros" if seed is None else keras.initializers.RandomUniform(-scale, scale, seed=seed)
    return layers.Embedding(
        vocab_size, embedding_dim, embeddings_initializer=init, name=name, **options
    )


def sigmoid_scores(hidden, candidates):
    """``sigma(a * hidden . u + b)`` for every candidate vector ``u``: (batch, N) probabilities.

    ``hidden`` is (batch, dim) — skip-gram's target vector, CBOW's context mean — and
    ``candidates`` (batch, n, dim): the true word and k negatives. The ``Dot`` then the
    sigmoid ``Dense`` of the course's model; the Dense starts as the identity inside the
    sigmoid (a = 1, b = 0), i.e. word2vec's ``sigma(v . u)``. Introduced in notebook 03.
    """
    dots = layers.Dot(axes=(1, 2), name="dot")([hidden, candidates])  # (batch, N)
    dots = layers.Reshape((-1, 1))(dots)
    prob = layers.Dense(
        1, activation="sigmoid", kernel_initializer="ones", bias_initializer="zeros", name="prob"
    )(dots)
    return layers.Reshape((-1,), name="probability")(prob)


def word_model(model: keras.Model) -> keras.Model:
    """The model that holds the word tables: ``model`` itself, or the course's model inside
    a training wrapper (:class:`kw2v.device_examples.DeviceTraining`'s ``core``)."""
    return getattr(model, "core", model)


def embedding_weights(model: keras.Model, which: str = "target") -> np.ndarray:
    """The ``target`` (the word vectors we keep) or ``context`` embedding table as an array."""
    name = f"{which}_embedding"
    model = word_model(model)
    try:
        layer = model.get_layer(name)
    except ValueError:
        if which == "context":  # shared table
            layer = model.get_layer("target_embedding")
        else:
            raise Kw2vError(f"model {model.name!r} has no layer {name!r}") from None
    return keras.ops.convert_to_numpy(layer.embeddings)


#: The layers that hold kw2v's word tables, by the notation's names: E, the table of the
#: word a model reads (skip-gram's target, CBOW's context words, GloVe's word), and Θ, the
#: table of the word it predicts. Hierarchical softmax has no Θ: its output side is the tree.
INPUT_TABLES = ("target_embedding", "word_embedding")
OUTPUT_TABLES = ("context_embedding", "output_embedding")


def word_tables(model: keras.Model, output_vectors: str = "target+context") -> np.ndarray:
    """The word vectors of any kw2v model, one row per vocabulary index (reserved 0 included).

    ``"target+context"`` adds E and Θ (GloVe's ``w + w~``; Levy et al. 2015 for word2vec);
    ``"target"`` keeps E alone, the table word2vec and gensim save. A model without Θ (a
    shared table, hierarchical softmax) gives E either way. Introduced in notebook 03.

    Raises
    ------
    Kw2vError
        If ``output_vectors`` is neither, or the model has no word table.
    """
    check_values(output_vectors=output_vectors)
    model = word_model(model)
    names = [layer.name for layer in model.layers]
    found = [n for n in INPUT_TABLES if n in names]
    if not found:
        raise Kw2vError(f"model {model.name!r} has no word table ({' or '.join(INPUT_TABLES)})")
    weights = keras.ops.convert_to_numpy(model.get_layer(found[0]).embeddings)
    for name in OUTPUT_TABLES:
        if output_vectors == "target+context" and name in names:
            weights = weights + keras.ops.convert_to_numpy(model.get_layer(name).embeddings)
    return weights


def model_vectors(
    model: keras.Model, vocab: Vocabulary, output_vectors: str = "target+context"
) -> WordVectors:
    """The word vectors of a trained model (:func:`word_tables`), reserved index 0 left out.

    Works for every model kw2v builds. Introduced in notebook 03.
    """
    weights = word_tables(model, output_vectors)
    return WordVectors(vocab.words[1:], weights[1:], counts=vocab.counts[1:].tolist())
