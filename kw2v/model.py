"""The Keras models: skip-gram with negative sampling (two inputs) and the full-softmax baseline,
and reading the word vectors out of any kw2v model."""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

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
    if embedding_dim < 1:
        raise Kw2vError(f"embedding dimension must be at least 1, got {embedding_dim}")
    scale = 0.5 / embedding_dim
    init = "zeros" if seed is None else keras.initializers.RandomUniform(-scale, scale, seed=seed)
    return layers.Embedding(
        vocab_size, embedding_dim, embeddings_initializer=init, name=name, **options
    )


def build_skipgram_model(
    vocab_size: int,
    embedding_dim: int = 100,
    shared_embedding: bool = False,
    name: str = "skipgram",
) -> keras.Model:
    """The two-input skip-gram model: Embedding, Dot, sigmoid Dense.

    ``target`` has shape ``(batch,)`` and ``context`` shape ``(batch, n)``; the output is one
    probability per context word, shape ``(batch, n)``. So the same model trains on tf.keras
    ``skipgrams`` couples (n = 1, one label per couple) and on grouped examples (n = 1 + k: the
    true context followed by k negatives, labels ``[1, 0, ..., 0]``), which look the target
    vector up once for all k + 1 dot products. Introduced in notebook 03.

    ``shared_embedding=True`` is the classic Keras tutorial: one table for both inputs.
    The default, ``False``, is word2vec proper: a separate context table. With one table a
    word must be close to its own neighbours, which pulls apart words that are similar but
    rarely side by side; with two, similar words only need similar contexts. On wiki-sample
    (notebook 03) the separate tables scored a little higher on the word-pair benchmarks
    (WS353, SimLex-999), by less than the evaluation's noise, and the shared table a little
    higher on the analogy questions, where both are near zero on so small a corpus. It is also
    the layout gensim uses.

    Parameters
    ----------
    vocab_size : int
        Number of word indices, reserved index 0 included (``len(vocabulary)``).
    embedding_dim : int
        Vector size.
    shared_embedding : bool
        One Embedding for target and context (True) or two (False).

    Returns
    -------
    keras.Model
        Not compiled; see :func:`kw2v.training.compile_skipgram`.
    """
    if vocab_size < 2:
        raise Kw2vError(f"vocab_size must be at least 2 (index 0 is reserved), got {vocab_size}")
    # word2vec's start: small random target vectors; context vectors at zero when separate
    # (a shared table cannot start at zero: every gradient would be zero).
    target_embedding = word2vec_embedding(vocab_size, embedding_dim, "target_embedding")
    context_embedding = (
        target_embedding
        if shared_embedding
        else word2vec_embedding(vocab_size, embedding_dim, "context_embedding", seed=None)
    )
    target = keras.Input(shape=(), dtype="int32", name="target")
    context = keras.Input(shape=(None,), dtype="int32", name="context")
    t = target_embedding(target)  # (batch, dim)
    c = context_embedding(context)  # (batch, n, dim)
    dots = layers.Dot(axes=(1, 2), name="dot")([t, c])  # (batch, n)
    dots = layers.Reshape((-1, 1))(dots)
    # Starts as the identity inside the sigmoid, i.e. word2vec's sigma(t . c).
    prob = layers.Dense(
        1, activation="sigmoid", kernel_initializer="ones", bias_initializer="zeros", name="prob"
    )(dots)
    prob = layers.Reshape((-1,), name="probability")(prob)
    return keras.Model([target, context], prob, name=name)


def build_softmax_model(vocab_size: int, embedding_dim: int = 50) -> keras.Model:
    """Skip-gram with a full softmax: P(context | target) over the whole vocabulary.

    The baseline of notebook 01: correct and simple, but every step computes a score for every
    word in the vocabulary, so it slows down linearly as the vocabulary grows. Trains with
    ``sparse_categorical_crossentropy`` on (target, context) index pairs. Introduced in
    notebook 01.
    """
    if vocab_size < 2:
        raise Kw2vError(f"vocab_size must be at least 2, got {vocab_size}")
    target = keras.Input(shape=(), dtype="int32", name="target")
    e = layers.Embedding(vocab_size, embedding_dim, name="target_embedding")(target)
    probs = layers.Dense(vocab_size, activation="softmax", name="softmax")(e)
    return keras.Model(target, probs, name="skipgram_softmax")


def embedding_weights(model: keras.Model, which: str = "target") -> np.ndarray:
    """The ``target`` (the word vectors we keep) or ``context`` embedding table as an array."""
    name = f"{which}_embedding"
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
    if output_vectors not in ("target+context", "target"):
        raise Kw2vError(f"--output-vectors must be target+context or target, got {output_vectors}")
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


def couples_to_inputs(couples: np.ndarray, labels: np.ndarray | None = None):
    """tf.keras ``skipgrams`` output → the model's inputs (``context`` as shape (n, 1)).

    Returns ``{"target": ..., "context": ...}``, plus labels of shape (n, 1) if given.
    """
    couples = np.asarray(couples, dtype=np.int32)
    x = {"target": couples[:, 0], "context": couples[:, 1:2]}
    if labels is None:
        return x
    return x, np.asarray(labels, dtype=np.float32).reshape(-1, 1)
