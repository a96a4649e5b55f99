"""Notebook 03's checks (kw2v.course.checker.nb03): the reference answers pass, and each
typical wrong answer fails with a message that names the mistake.
"""

import keras
import numpy as np
import pytest
from checking import failed_with
from keras import layers

from kw2v.course import checker
from kw2v.course.checker import nb03

# ---- reference answers (what the solution notebooks fill in) ------------------------------


def build_model(vocab_size, dim, shared=False, normalize=False, head="dense"):
    """The reference model; the options plant the mistakes (``head``: "dense" is right,
    "sigmoid" leaves the Dense out, "dense on scores" skips the reshape before it)."""
    target = keras.Input(shape=(), dtype="int32", name="target")
    context = keras.Input(shape=(None,), dtype="int32", name="context")
    E = layers.Embedding(vocab_size, dim, name="target_embedding")
    Theta = E if shared else layers.Embedding(vocab_size, dim, name="context_embedding")
    dots = layers.Dot(axes=(1, 2), normalize=normalize)([E(target), Theta(context)])
    if head == "sigmoid":
        return keras.Model([target, context], layers.Activation("sigmoid")(dots))
    if head == "dense on scores":
        return keras.Model([target, context], layers.Dense(1, activation="sigmoid")(dots))
    prob = layers.Dense(1, activation="sigmoid")(layers.Reshape((-1, 1))(dots))
    return keras.Model([target, context], layers.Reshape((-1,))(prob))


def analogy(vectors, words, a, b, c, left_out="abc"):
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    i = {w: n for n, w in enumerate(words)}
    scores = unit @ (unit[i[b]] - unit[i[a]] + unit[i[c]])
    scores[[i[w] for w, role in zip((a, b, c), "abc", strict=True) if role in left_out]] = -np.inf
    return words[int(np.argmax(scores))]


REFERENCE = {
    checker.check_skipgram_model: build_model,
    checker.check_3cosadd: analogy,
}


# ---- wrong answers ------------------------------------------------------------------------


def test_shared_table_in_the_keras_model(capsys):
    out = failed_with(checker.check_skipgram_model, lambda V, d: build_model(V, d, True), capsys)
    assert "the context table is the same object as the target table" in out


def test_model_output_with_a_trailing_axis(capsys):
    def trailing(V, d):
        m = build_model(V, d)
        return keras.Model(m.inputs, m.layers[-2].output)  # before the last Reshape

    assert "got (3, 4, 1): drop the last axis" in failed_with(
        checker.check_skipgram_model, trailing, capsys
    )


def test_a_normalized_dot_is_named(capsys):
    out = failed_with(
        checker.check_skipgram_model, lambda V, d: build_model(V, d, normalize=True), capsys
    )
    assert "the score is the cosine of e_c and θ_w, not their dot product" in out
    assert "drop normalize=True" in out and "check the Dot axes" not in out


@pytest.mark.parametrize(
    "mistake, message",
    [
        ("wrong sign", "the offset is the wrong way round"),
        ("dot", "rank by cosine: normalise the vectors first"),
        ("euclidean", "not by Euclidean distance"),
    ],
)
def test_3cosadd_mistakes(mistake, message, capsys):
    def wrong(vectors, words, a, b, c):
        i = {w: n for n, w in enumerate(words)}
        return words[nb03._analogy_candidates(vectors, i[a], i[b], i[c], mistake)]

    assert message in failed_with(checker.check_3cosadd, wrong, capsys)


@pytest.mark.parametrize(
    "left_out, kept",
    [("", "c"), ("c", "b"), ("bc", "a"), ("ac", "b"), ("ab", "c")],
    ids=["none left out", "only c left out", "a kept", "b kept", "c kept"],
)
def test_3cosadd_must_leave_out_each_question_word(left_out, kept, capsys):
    def keeps_some(vectors, words, a, b, c):
        return analogy(vectors, words, a, b, c, left_out=left_out)

    out = failed_with(checker.check_3cosadd, keeps_some, capsys)
    assert f"which is {kept} itself: leave {kept} out of the candidates too" in out


def _cosmul(vectors, words, a, b, c):
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    i = {w: n for n, w in enumerate(words)}

    def cos(j):
        return (unit @ unit[i[j]] + 1) / 2

    scores = cos(b) * cos(c) / (cos(a) + 1e-3)
    scores[[i[a], i[b], i[c]]] = -np.inf
    return words[int(np.argmax(scores))]


@pytest.mark.parametrize(
    "wrong, message",
    [
        (
            lambda v, w, a, b, c: w[
                nb03._analogy_candidates(v, w.index(a), w.index(b), w.index(c), "c forgotten")
            ],
            "ê(w_c) is missing from the query",
        ),
        (
            lambda v, w, a, b, c: w[
                nb03._analogy_candidates(v, w.index(a), w.index(b), w.index(c), "smallest")
            ],
            "that is the word of *smallest* cosine: take the argmax",
        ),
        # 3CosMul agrees with "c forgotten" on one question only: named as itself, not that
        (_cosmul, "'girl' expected, got 'woman': that is 3CosMul (a product of shifted cosines)"),
    ],
    ids=["b - a", "argmin", "3CosMul"],
)
def test_more_3cosadd_mistakes(wrong, message, capsys):
    assert message in failed_with(checker.check_3cosadd, wrong, capsys)


@pytest.mark.parametrize(
    "head, message",
    [
        ("sigmoid", "no Dense(1) layer after the score"),
        ("dense on scores", "a Dense layer needs a known last axis: reshape the (batch, N)"),
    ],
)
def test_more_skipgram_model_mistakes(head, message, capsys):
    out = failed_with(
        checker.check_skipgram_model, lambda V, d: build_model(V, d, head=head), capsys
    )
    assert message in out
