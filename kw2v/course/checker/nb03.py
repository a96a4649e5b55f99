"""Checks of notebook 03's "Your turn" exercises: the two-table Keras model and 3CosAdd.

Keras is imported inside the model check, so the checks run on any Keras backend (TensorFlow,
JAX, PyTorch). See :mod:`kw2v.course.checker.grading` for the machinery.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .compare import as_array, sigmoid
from .grading import Fail, Report, call, check


@check
def check_skipgram_model(report: Report, build_model: Callable) -> None:
    """Check ``build_model(vocab_size, dim)``: the two-input Keras skip-gram model.

    It must take ``{"target": (batch,), "context": (batch, N)}``, return one probability per
    context word, shape (batch, N), hold two separate ``Embedding`` tables named
    ``target_embedding`` and ``context_embedding``, and compute σ(θ_wᵀe_c) when its sigmoid
    ``Dense`` is the identity. Introduced in notebook 03.

    Parameters
    ----------
    build_model : callable
        The student's ``build_model(vocab_size, dim) -> keras.Model``.

    Returns
    -------
    CheckResult
    """
    import keras

    V, dim = 12, 4
    model = call(build_model, V, dim)
    if not isinstance(model, keras.Model):
        raise Fail(f"return a keras.Model, got {type(model).__name__}")
    embeddings = [layer for layer in model.layers if isinstance(layer, keras.layers.Embedding)]
    if len(embeddings) == 1:
        raise Fail(
            "the context table is the same object as the target table: the exercise asks for "
            "a separate one (a second Embedding layer for the context input)"
        )
    names = sorted(layer.name for layer in embeddings)
    if names != ["context_embedding", "target_embedding"]:
        raise Fail(
            "two Embedding layers named 'target_embedding' and 'context_embedding' expected, "
            f"found {names}"
        )
    for layer in embeddings:
        shape = tuple(layer.embeddings.shape)
        if shape != (V, dim):
            raise Fail(f"{layer.name}: table shape ({V}, {dim}) expected, got {shape}")
    report.ok(f"two separate Embedding tables of shape ({V}, {dim})")
    if not any(
        isinstance(layer, keras.layers.Dense) and tuple(layer.kernel.shape) == (1, 1)
        for layer in model.layers
    ):
        raise Fail(
            "no Dense(1) layer after the score: the exercise asks for section 2's sigmoid "
            "Dense(1), σ(a s + b), applied to each score (reshape the (batch, N) scores to "
            "(batch, n, 1) before it, and back after)"
        )

    rng = np.random.default_rng(6)
    E, Theta = rng.normal(0, 0.5, size=(V, dim)), rng.normal(0, 0.5, size=(V, dim))
    model.get_layer("target_embedding").embeddings.assign(E.astype("float32"))
    model.get_layer("context_embedding").embeddings.assign(Theta.astype("float32"))
    for layer in model.layers:  # the sigmoid Dense(1) at the identity: σ(1·s + 0)
        if isinstance(layer, keras.layers.Dense) and tuple(layer.kernel.shape) == (1, 1):
            layer.kernel.assign([[1.0]])
            if layer.use_bias:
                layer.bias.assign([0.0])
    targets = np.array([1, 5, 7], dtype="int32")
    contexts = np.array([[2, 3, 4, 11], [5, 1, 9, 9], [6, 0, 8, 10]], dtype="int32")
    try:
        got = keras.ops.convert_to_numpy(model({"target": targets, "context": contexts}))
    except Exception as err:  # noqa: BLE001 -- any error in the student's model is reported
        raise Fail(
            "calling the model on {'target': (3,), 'context': (3, 4)} failed: "
            f"{type(err).__name__}: {str(err).splitlines()[0]}"
        ) from None
    got = np.asarray(got, dtype=np.float64)
    if got.shape == (3, 4, 1):
        raise Fail(
            "shape (3, 4) expected, got (3, 4, 1): drop the last axis after the Dense "
            "(layers.Reshape((-1,)))"
        )
    got = as_array(got, (3, 4), "the model's output")
    problem = _output_problem(got, E[targets], Theta[targets], E[contexts], Theta[contexts])
    if problem:
        raise Fail(problem)
    report.ok("output (batch, N) = σ(θ_wᵀ e_c), one probability per context word")


def _output_problem(got, E_t, Theta_t, E_ctx, Theta_ctx) -> str | None:
    """What is wrong with the model's (batch, N) output, or None; the rows of the targets and
    contexts in E and Θ given, the Dense layer set to the identity."""
    scores = np.einsum("bd,bnd->bn", E_t, Theta_ctx)
    if np.allclose(got, sigmoid(scores), atol=1e-5):
        return None
    if np.any(got < 0) or np.any(got > 1):
        return "outputs outside [0, 1]: end with a sigmoid (Dense(1, activation='sigmoid'))"
    if np.allclose(got, sigmoid(np.einsum("bd,bnd->bn", Theta_t, E_ctx)), atol=1e-5):
        return (
            "the tables are swapped: the target goes through target_embedding (E), the "
            "context words through context_embedding (Θ)"
        )
    norms = np.linalg.norm(E_t, axis=1)[:, None] * np.linalg.norm(Theta_ctx, axis=2)
    if np.allclose(got, sigmoid(scores / norms), atol=1e-5):
        return (
            "the score is the cosine of e_c and θ_w, not their dot product: drop "
            "normalize=True from the Dot layer (word2vec scores with the raw θ_wᵀe_c; the "
            "vectors' lengths carry information, and a cosine in [−1, 1] caps σ near 0.73)"
        )
    if np.allclose(got.sum(axis=1), 1.0, atol=1e-5):
        return (
            "each row sums to 1: that is a softmax over the n context words, which makes them "
            "compete. Each (target, context) pair is its own yes/no question: a sigmoid per "
            "score, Dense(1, activation='sigmoid')"
        )
    if np.allclose(got, np.maximum(scores, 0.0), atol=1e-5):
        return "the Dense layer's activation is relu: use activation='sigmoid'"
    return (
        "with the Dense layer at weight 1, bias 0 the output should be σ(θ_wᵀe_c) for each "
        "context word: check the Dot axes, (1, 2), and that the Dense(1) has "
        "activation='sigmoid'"
    )


def _analogy_candidates(vectors: np.ndarray, a: int, b: int, c: int, how: str) -> int:
    """The answer of one way (right or wrong) to solve "a is to b as c is to ?"."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    if how == "3cosadd":
        scores = unit @ (unit[b] - unit[a] + unit[c])
    elif how == "raw offset":  # cosine with b - a + c of raw vectors: also accepted
        query = vectors[b] - vectors[a] + vectors[c]
        scores = unit @ (query / np.linalg.norm(query))
    elif how == "wrong sign":
        scores = unit @ (unit[a] - unit[b] + unit[c])
    elif how == "c forgotten":
        scores = unit @ (unit[b] - unit[a])
    elif how == "dot":
        scores = vectors @ (vectors[b] - vectors[a] + vectors[c])
    elif how == "smallest":
        scores = unit @ (unit[b] - unit[a] + unit[c])
    elif how == "euclidean":
        scores = -np.linalg.norm(vectors - (vectors[b] - vectors[a] + vectors[c]), axis=1)
    elif how == "3cosmul":  # Levy & Goldberg's product of cosines shifted to [0, 1]
        shifted = (1 + unit @ unit[[a, b, c]].T) / 2
        scores = shifted[:, 1] * shifted[:, 2] / (shifted[:, 0] + 1e-6)
    else:
        raise ValueError(how)
    if how == "smallest":  # argmin: the least similar word
        scores = -scores
    scores[[a, b, c]] = -np.inf
    return int(np.argmax(scores))


# The words of the planted analogy vectors, one row each in analogy_vectors().
ANALOGY_WORDS = [
    "man",
    "woman",
    "king",
    "queen",
    "prince",
    "princess",
    "boy",
    "girl",
    "crown",
    "throne",
]


def analogy_vectors() -> np.ndarray:
    """Planted vectors for :func:`check_3cosadd`, one row per word of ``ANALOGY_WORDS``.

    Each female word is its male word plus a "gender" offset and a little noise; *crown* and
    *throne* are near-synonyms with long vectors. Chosen (seed 1879) so that the typical
    mistakes each give a different answer to the first question. Introduced in notebook 03.

    Returns
    -------
    ndarray of float64, shape (len(ANALOGY_WORDS), 4)
    """
    rng = np.random.default_rng(1879)
    index = {w: i for i, w in enumerate(ANALOGY_WORDS)}
    vectors = rng.normal(size=(len(ANALOGY_WORDS), 4))
    gender = np.array([2.0, 0.0, 0.0, 0.0])
    for female, male in (
        ("woman", "man"),
        ("queen", "king"),
        ("princess", "prince"),
        ("girl", "boy"),
    ):
        vectors[index[female]] = vectors[index[male]] + gender + 0.2 * rng.normal(size=4)
    vectors[index["throne"]] = vectors[index["crown"]] + 0.05 * rng.normal(size=4)
    vectors[[index["crown"], index["throne"]]] *= 3.0
    return vectors


#: The ways to get 3CosAdd wrong that :func:`_analogy_candidates` computes, and their messages.
ANALOGY_MISTAKES = [
    (
        "c forgotten",
        "ê(w_c) is missing from the query: rank by cosine with ê(w_b) − ê(w_a) + ê(w_c)",
    ),
    ("smallest", "that is the word of *smallest* cosine: take the argmax of the scores"),
    ("wrong sign", "the offset is the wrong way round: add b − a to c (king − man + woman)"),
    ("dot", "rank by cosine: normalise the vectors first (long vectors win raw dot products)"),
    ("euclidean", "3CosAdd ranks by cosine similarity, not by Euclidean distance"),
    (
        "3cosmul",
        "that is 3CosMul (a product of shifted cosines): this exercise asks for 3CosAdd, the "
        "largest cosine with ê(w_b) − ê(w_a) + ê(w_c)",
    ),
]


@check
def check_3cosadd(report: Report, analogy: Callable) -> None:
    """Check ``analogy(vectors, words, a, b, c)``: 3CosAdd, "a is to b as c is to ?".

    The answer is the word w, other than a, b and c, whose unit vector has the largest cosine
    with ê(w_b) − ê(w_a) + ê(w_c). Planted vectors make each typical mistake give a different
    word: leaving a, b or c (each one separately) among the candidates, the offset the wrong
    way round, raw dot products or Euclidean distance instead of cosines. Introduced in
    notebook 03.

    Parameters
    ----------
    analogy : callable
        The student's ``analogy(vectors, words, a, b, c) -> str``.

    Returns
    -------
    CheckResult
    """
    vectors, words = analogy_vectors(), list(ANALOGY_WORDS)
    index = {w: i for i, w in enumerate(words)}
    questions = [
        ("man", "woman", "king"),
        ("king", "queen", "boy"),
        ("prince", "princess", "man"),
        ("crown", "throne", "king"),  # a near-zero offset: the answer is not king itself
        # a, b and c would each win here if left in: girl without a, woman without b (or
        # when only c is left out), queen without c
        ("girl", "woman", "queen"),
    ]
    answers = []
    for a, b, c in questions:
        got = call(analogy, vectors.copy(), list(words), a, b, c)
        if not isinstance(got, str):
            raise Fail(f"return the answer word as a string, got {type(got).__name__}")
        answers.append(got)

    def solve(how: str) -> list[str]:
        return [words[_analogy_candidates(vectors, *(index[w] for w in q), how)] for q in questions]

    for (a, b, c), got, want in zip(questions, answers, solve("3cosadd"), strict=True):
        if got == want:
            report.ok(f"{a} is to {b} as {c} is to {got}")
            continue
        for role, word in (("a", a), ("b", b), ("c", c)):
            if got == word:
                raise Fail(
                    f"{a} : {b} :: {c} : ? — {want!r} expected, you answered {got!r}, which is "
                    f"{role} itself: leave {role} out of the candidates too (a, b and c are "
                    "all excluded: set the scores of all three to -inf)"
                )
        # a mistake is named only when it gives every one of the answers
        message = next(
            (m for how, m in ANALOGY_MISTAKES if answers == solve(how)),
            "check that every row is scaled to length 1 (norm along axis=1), the query is "
            "ê(w_b) − ê(w_a) + ê(w_c), and the answer is the word of largest cosine with it",
        )
        raise Fail(f"{a} : {b} :: {c} : ? — {want!r} expected, got {got!r}: {message}")
