"""kw2v.course.checker: reference answers pass; typical wrong answers fail with a message naming the
mistake; an unfinished stub prints "not done yet" and raises nothing.

The reference answers here are written as a student would write them, independently of the
checker's own internals, so a checker that compared an answer with itself could not pass.
"""

import keras
import numpy as np
import pytest
from keras import layers

from kw2v.course import checker
from kw2v.course.checker import compare, nb03

# ---- reference answers (what the solution notebooks fill in) ------------------------------


def softmax(s):
    z = np.exp(s - s.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def pair_cost(e_c, Theta, o):
    s = Theta @ e_c
    m = s.max()
    return -s[o] + m + np.log(np.exp(s - m).sum())


def batch_cost(E, Theta, targets, contexts):
    return np.mean([pair_cost(E[c], Theta, o) for c, o in zip(targets, contexts, strict=True)])


def softmax_gradients(e_c, Theta, o):
    delta = softmax(Theta @ e_c)
    delta[o] -= 1.0
    return Theta.T @ delta, np.outer(delta, e_c)


def sgd_step(E, Theta, c, o, learning_rate):
    cost = pair_cost(E[c], Theta, o)
    grad_e, grad_Theta = softmax_gradients(E[c], Theta, o)
    E[c] -= learning_rate * grad_e
    Theta -= learning_rate * grad_Theta
    return cost


def noise_distribution(counts):
    weights = np.asarray(counts, dtype=float) ** 0.75
    return weights / weights.sum()


def keep_probability(counts, sample):
    ratio = sample / (counts / counts.sum())
    return np.minimum(1.0, np.sqrt(ratio) + ratio)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def ns_loss_and_gradients(e_c, theta_o, theta_neg):
    s_o, s_neg = theta_o @ e_c, theta_neg @ e_c
    cost = -np.log(sigmoid(s_o)) - np.log(sigmoid(-s_neg)).sum()
    g_o, g_neg = sigmoid(s_o) - 1, sigmoid(s_neg)
    return cost, g_o * theta_o + g_neg @ theta_neg, g_o * e_c, np.outer(g_neg, e_c)


def train_sgns(targets, contexts, noise, dim, negatives, epochs, learning_rate, seed, mistake=""):
    """The reference loop; ``mistake`` plants one of the wrong answers students write."""
    rng = np.random.default_rng(seed)
    V = len(noise)
    E = rng.uniform(-0.5 / dim, 0.5 / dim, size=(V, dim))
    Theta = E if mistake in ("shared", "one table twice") else np.zeros((V, dim))
    k = 0 if mistake == "no negatives" else negatives
    for _ in range(epochs):
        for c, o in zip(targets, contexts, strict=True):
            if mistake == "uniform draw":
                neg = rng.integers(V, size=k)
            else:
                neg = rng.choice(V, size=k, p=noise)
            _, g_e, g_o, g_neg = ns_loss_and_gradients(E[c], Theta[o], Theta[neg])
            Theta[o] -= learning_rate * g_o
            if mistake != "negatives' rows fixed":
                np.subtract.at(Theta, neg, learning_rate * g_neg)
            E[c] -= learning_rate * g_e
    return (E, E.copy()) if mistake == "one table twice" else (E, Theta)


def build_model(vocab_size, dim, shared=False, normalize=False):
    target = keras.Input(shape=(), dtype="int32", name="target")
    context = keras.Input(shape=(None,), dtype="int32", name="context")
    E = layers.Embedding(vocab_size, dim, name="target_embedding")
    Theta = E if shared else layers.Embedding(vocab_size, dim, name="context_embedding")
    dots = layers.Dot(axes=(1, 2), normalize=normalize)([E(target), Theta(context)])
    prob = layers.Dense(1, activation="sigmoid")(layers.Reshape((-1, 1))(dots))
    return keras.Model([target, context], layers.Reshape((-1,))(prob))


def analogy(vectors, words, a, b, c, left_out="abc"):
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    i = {w: n for n, w in enumerate(words)}
    scores = unit @ (unit[i[b]] - unit[i[a]] + unit[i[c]])
    scores[[i[w] for w, role in zip((a, b, c), "abc", strict=True) if role in left_out]] = -np.inf
    return words[int(np.argmax(scores))]


REFERENCE = {
    checker.check_softmax: softmax,
    checker.check_pair_cost: pair_cost,
    checker.check_batch_cost: batch_cost,
    checker.check_softmax_gradients: softmax_gradients,
    checker.check_sgd_step: sgd_step,
    checker.check_noise_distribution: noise_distribution,
    checker.check_keep_probability: keep_probability,
    checker.check_ns_loss_and_gradients: ns_loss_and_gradients,
    checker.check_sgns_training: train_sgns,
    checker.check_skipgram_model: build_model,
    checker.check_3cosadd: analogy,
}
IDS = [check.__name__ for check in REFERENCE]


def failed_with(check, answer, capsys) -> str:
    """Run ``check`` on a wrong answer; assert it failed; return what it printed."""
    result = check(answer)
    out = capsys.readouterr().out
    assert not result and result.status == "failed", out
    assert "✗" in out
    return out


@pytest.mark.parametrize("check", REFERENCE, ids=IDS)
def test_reference_answer_passes(check, capsys):
    result = check(REFERENCE[check])
    out = capsys.readouterr().out
    assert result and result.status == "passed", out
    assert "✗" not in out and "✓" in out


@pytest.mark.parametrize("check", REFERENCE, ids=IDS)
def test_stub_is_not_done_yet_and_raises_nothing(check, capsys):
    def stub(*args):
        # YOUR CODE HERE
        raise NotImplementedError

    result = check(stub)
    assert result.status == "not done yet" and not result
    assert "not done yet" in capsys.readouterr().out


def test_a_stub_returning_none_is_not_done_yet(capsys):
    assert checker.check_softmax(lambda s: None).status == "not done yet"
    assert "not done yet" in capsys.readouterr().out


def test_an_exception_in_the_answer_is_reported_not_raised(capsys):
    out = failed_with(checker.check_softmax, lambda s: s / 0 + undefined_name, capsys)  # noqa: F821
    assert "your function raised NameError" in out


# ---- wrong sign ----------------------------------------------------------------------------


def test_wrong_sign_of_the_negatives_gradient(capsys):
    def wrong(e_c, theta_o, theta_neg):
        cost, g_e, g_o, g_neg = ns_loss_and_gradients(e_c, theta_o, theta_neg)
        return cost, g_e, g_o, -g_neg

    out = failed_with(checker.check_ns_loss_and_gradients, wrong, capsys)
    assert "the gradient for the negatives has the wrong sign" in out
    assert "✓ dJ/de_c agrees" in out  # the right parts are still reported right


def test_wrong_sign_of_the_softmax_gradient(capsys):
    def wrong(e_c, Theta, o):
        g_e, g_Theta = softmax_gradients(e_c, Theta, o)
        return -g_e, g_Theta

    assert "dJ/de_c has the wrong sign" in failed_with(
        checker.check_softmax_gradients, wrong, capsys
    )


def test_wrong_sign_of_the_sgd_update(capsys):
    def uphill(E, Theta, c, o, learning_rate):
        return sgd_step(E, Theta, c, o, -learning_rate)

    out = failed_with(checker.check_sgd_step, uphill, capsys)
    assert "wrong sign: e_c moved up the gradient" in out
    assert "wrong sign: Θ moved up the gradient" in out


def test_wrong_sign_of_the_cost(capsys):
    out = failed_with(checker.check_pair_cost, lambda e, T, o: -pair_cost(e, T, o), capsys)
    assert "wrong sign: J = -log P(o | c)" in out


# ---- a missing factor ----------------------------------------------------------------------


def test_missing_minus_one_for_the_true_context(capsys):
    def wrong(e_c, theta_o, theta_neg):
        cost, g_e, _, g_neg = ns_loss_and_gradients(e_c, theta_o, theta_neg)
        return cost, g_e, sigmoid(theta_o @ e_c) * e_c, g_neg

    out = failed_with(checker.check_ns_loss_and_gradients, wrong, capsys)
    assert "the true context's factor is σ(s_o) − 1" in out


def test_missing_learning_rate(capsys):
    def wrong(E, Theta, c, o, learning_rate):
        return sgd_step(E, Theta, c, o, 1.0)

    assert "the learning rate is missing" in failed_with(checker.check_sgd_step, wrong, capsys)


def test_sum_instead_of_mean_over_the_batch(capsys):
    def wrong(E, Theta, targets, contexts):
        return len(targets) * batch_cost(E, Theta, targets, contexts)

    out = failed_with(checker.check_batch_cost, wrong, capsys)
    assert "you summed over the batch: take the mean" in out


def test_an_unknown_constant_factor_is_named(capsys):
    def wrong(e_c, Theta, o):
        g_e, g_Theta = softmax_gradients(e_c, Theta, o)
        return 0.5 * g_e, g_Theta

    out = failed_with(checker.check_softmax_gradients, wrong, capsys)
    assert "dJ/de_c is off by a factor of 0.5" in out


def test_missing_y_in_the_softmax_gradient(capsys):
    def wrong(e_c, Theta, o):
        y_hat = softmax(Theta @ e_c)
        return Theta.T @ y_hat, np.outer(y_hat, e_c)

    out = failed_with(checker.check_softmax_gradients, wrong, capsys)
    assert "missing the −θ_o term" in out and "dJ/dΘ is missing −y" in out


# ---- a transposed matrix -------------------------------------------------------------------


def test_transposed_softmax_gradient(capsys):
    def wrong(e_c, Theta, o):
        g_e, g_Theta = softmax_gradients(e_c, Theta, o)
        return g_e, g_Theta.T

    out = failed_with(checker.check_softmax_gradients, wrong, capsys)
    assert "dJ/dΘ is transposed: shape (5, 3) expected, got (3, 5)" in out


def test_transposed_negatives_gradient(capsys):
    def wrong(e_c, theta_o, theta_neg):
        cost, g_e, g_o, g_neg = ns_loss_and_gradients(e_c, theta_o, theta_neg)
        return cost, g_e, g_o, g_neg.T

    assert "dJ/dθ_neg is transposed" in failed_with(
        checker.check_ns_loss_and_gradients, wrong, capsys
    )


def test_shape_d_by_one_is_named(capsys):
    def wrong(e_c, Theta, o):
        g_e, g_Theta = softmax_gradients(e_c, Theta, o)
        return g_e.reshape(-1, 1), g_Theta

    out = failed_with(checker.check_softmax_gradients, wrong, capsys)
    assert "shape (3,) expected, got (3, 1)" in out


# ---- negatives from the wrong distribution ------------------------------------------------


def test_unigram_instead_of_unigram_to_the_three_quarters(capsys):
    out = failed_with(checker.check_noise_distribution, lambda c: c / c.sum(), capsys)
    assert "your noise distribution is the unigram distribution: raise the counts" in out


def test_uniform_noise(capsys):
    def uniform(counts):
        return np.where(counts > 0, 1.0, 0.0) / np.count_nonzero(counts)

    out = failed_with(checker.check_noise_distribution, uniform, capsys)
    assert "your noise distribution is uniform" in out


def test_another_power_is_estimated(capsys):
    def sqrt_noise(counts):
        w = np.sqrt(counts)
        return w / w.sum()

    out = failed_with(checker.check_noise_distribution, sqrt_noise, capsys)
    assert "your probabilities follow count^0.5: word2vec's power is 3/4" in out


def test_unnormalised_noise(capsys):
    out = failed_with(checker.check_noise_distribution, lambda c: c**0.75, capsys)
    assert "not normalised" in out


def test_paper_keep_probability(capsys):
    def paper(counts, sample):
        return np.minimum(1.0, np.sqrt(sample / (counts / counts.sum())))

    out = failed_with(checker.check_keep_probability, paper, capsys)
    assert "that is the paper's √(t/f)" in out


def test_uncapped_keep_probability(capsys):
    def uncapped(counts, sample):
        ratio = sample / (counts / counts.sum())
        return np.sqrt(ratio) + ratio

    assert "cap it at 1" in failed_with(checker.check_keep_probability, uncapped, capsys)


# ---- a shared table where a separate one was asked ----------------------------------------


def test_shared_table_in_the_numpy_training_loop(capsys):
    def shared(*args):
        return train_sgns(*args, mistake="shared")

    out = failed_with(checker.check_sgns_training, shared, capsys)
    assert "the context table is the same object as the target table" in out


def test_shared_table_in_the_keras_model(capsys):
    out = failed_with(checker.check_skipgram_model, lambda V, d: build_model(V, d, True), capsys)
    assert "the context table is the same object as the target table" in out


def test_scoring_against_E_in_the_batch_cost(capsys):
    def one_table(E, Theta, targets, contexts):
        return batch_cost(E, E, targets, contexts)

    out = failed_with(checker.check_batch_cost, one_table, capsys)
    assert "you scored against E: the context vectors are the rows of Θ" in out


# ---- the rest of the catalogue -------------------------------------------------------------


def test_softmax_without_max_subtraction_overflows(capsys):
    def naive(s):
        return np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True)

    out = failed_with(checker.check_softmax, naive, capsys)
    assert "exp(1000) overflows. Subtract the largest score" in out
    assert "✓ softmax([1, 2, 3])" in out


def test_softmax_over_the_wrong_axis(capsys):
    out = failed_with(checker.check_softmax, lambda s: np.exp(s) / np.exp(s).sum(axis=0), capsys)
    assert "normalise over the last axis" in out


def test_update_that_rebinds_instead_of_changing_in_place(capsys):
    def rebinds(E, Theta, c, o, learning_rate):
        cost = pair_cost(E[c], Theta, o)
        g_e, g_Theta = softmax_gradients(E[c], Theta, o)
        E = E.copy()
        E[c] = E[c] - learning_rate * g_e
        Theta = Theta - learning_rate * g_Theta
        return cost

    assert "update them in place" in failed_with(checker.check_sgd_step, rebinds, capsys)


def test_training_loop_that_climbs(capsys):
    def climbs(targets, contexts, noise, dim, negatives, epochs, learning_rate, seed):
        return train_sgns(targets, contexts, noise, dim, negatives, epochs, -learning_rate, seed)

    assert "the updates go up the gradient" in failed_with(
        checker.check_sgns_training, climbs, capsys
    )


def test_model_output_with_a_trailing_axis(capsys):
    def trailing(V, d):
        m = build_model(V, d)
        return keras.Model(m.inputs, m.layers[-2].output)  # before the last Reshape

    assert "got (3, 4, 1): drop the last axis" in failed_with(
        checker.check_skipgram_model, trailing, capsys
    )


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


def test_planted_corpus_keeps_contexts_in_the_group():
    targets, contexts, group = checker.planted_corpus()
    assert np.all(group[targets] == group[contexts]) and np.all(targets != contexts)
    assert len(group) == 20 and np.bincount(group).tolist() == [5, 5, 5, 5]


# ---- the wrong answers a student's read of the checker found passing (issue 20) -----------


def test_a_forgotten_return_is_named_not_not_done_yet(capsys):
    def no_return(s):
        z = np.exp(s - s.max(axis=-1, keepdims=True))
        z / z.sum(axis=-1, keepdims=True)

    out = failed_with(checker.check_softmax, no_return, capsys)
    assert "your function returned None: it computes something but does not return it" in out
    assert "not done yet" not in out


def test_a_stub_with_only_a_docstring_and_pass_is_not_done_yet(capsys):
    def stub(e_c, Theta, o):
        """(dJ/de_c, dJ/dTheta) of J = -log P(o | c)."""
        # YOUR CODE HERE
        pass

    assert checker.check_softmax_gradients(stub).status == "not done yet"
    assert "not done yet" in capsys.readouterr().out


def test_a_wrong_index_is_not_called_a_factor(capsys):
    out = failed_with(checker.check_pair_cost, lambda e, T, o: pair_cost(e, T, o + 1), capsys)
    assert "J is wrong" in out and "check that the score of the true context is s[o]" in out
    assert "factor" not in out


@pytest.mark.parametrize("factor", [2.0, 0.5, -3.0, 0.25, 1 / 7])
def test_a_plausible_factor_is_named(factor):
    assert compare.plausible_factor(factor)


@pytest.mark.parametrize("factor", [0.2896, 1.3, 0.7, 1.0, 0.0, float("nan")])
def test_an_arbitrary_ratio_is_not_a_factor(factor):
    assert not compare.plausible_factor(factor)


def _theta_first(E, Theta, c, o, learning_rate):
    cost = pair_cost(E[c], Theta, o)
    delta = softmax(Theta @ E[c])
    delta[o] -= 1.0
    Theta -= learning_rate * np.outer(delta, E[c])
    E[c] -= learning_rate * Theta.T @ delta  # Θ has moved already
    return cost


def _theta_first_recomputed(E, Theta, c, o, learning_rate):
    cost = pair_cost(E[c], Theta, o)
    Theta -= learning_rate * softmax_gradients(E[c], Theta, o)[1]
    E[c] -= learning_rate * softmax_gradients(E[c], Theta, o)[0]  # with the new Θ
    return cost


def _e_first(E, Theta, c, o, learning_rate):
    cost = pair_cost(E[c], Theta, o)
    E[c] -= learning_rate * softmax_gradients(E[c], Theta, o)[0]
    Theta -= learning_rate * softmax_gradients(E[c], Theta, o)[1]  # with the new e_c
    return cost


@pytest.mark.parametrize(
    "wrong, message",
    [
        (_theta_first, "the update order: e_c's gradient was computed after Θ had already moved"),
        (
            _theta_first_recomputed,
            "the update order: e_c's gradient was computed after Θ had already moved",
        ),
        (_e_first, "the update order: Θ's gradient was computed after e_c had already moved"),
    ],
    ids=["theta first", "theta first, gradient recomputed", "e_c first"],
)
def test_the_update_order_mistake_is_named(wrong, message, capsys):
    out = failed_with(checker.check_sgd_step, wrong, capsys)
    assert message in out and "Compute both gradients from the old E and Θ first" in out


def test_integer_division_in_the_exponent(capsys):
    def floor_power(counts):
        weights = np.asarray(counts, dtype=float) ** (3 // 4)
        return weights / weights.sum()

    out = failed_with(checker.check_noise_distribution, floor_power, capsys)
    assert "3 // 4 is integer division, which is 0" in out and "write 3 / 4" in out
    assert "count^" not in out


def test_integer_division_on_the_seen_words_only(capsys):
    def floor_power(counts):
        weights = np.where(counts > 0, counts ** (3 // 4), 0)
        return weights / weights.sum()

    out = failed_with(checker.check_noise_distribution, floor_power, capsys)
    assert "your noise distribution is uniform" in out and "3 // 4: that is integer" in out


def test_a_normalized_dot_is_named(capsys):
    out = failed_with(
        checker.check_skipgram_model, lambda V, d: build_model(V, d, normalize=True), capsys
    )
    assert "the score is the cosine of e_c and θ_w, not their dot product" in out
    assert "drop normalize=True" in out and "check the Dot axes" not in out


@pytest.mark.parametrize(
    "mistake, message",
    [
        ("no negatives", "there are no negatives in your loop"),
        ("negatives' rows fixed", "the negatives' rows of Θ never change"),
        ("one table twice", "E and Θ hold the same values: that is one table returned twice"),
        ("uniform draw", "your negatives do not come from `noise`"),
    ],
)
def test_sgns_training_wrong_loops(mistake, message, capsys):
    def wrong(*args):
        return train_sgns(*args, mistake=mistake)

    assert message in failed_with(checker.check_sgns_training, wrong, capsys)
