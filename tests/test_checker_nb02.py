"""Notebook 02's checks (kw2v.course.checker.nb02): the reference answers pass, and each
typical wrong answer fails with a message that names the mistake.
"""

import numpy as np
import pytest
from checking import failed_with

from kw2v.course import checker

# ---- reference answers (what the solution notebooks fill in) ------------------------------


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
            if mistake != "E fixed":
                E[c] -= learning_rate * g_e
    return (E, E.copy()) if mistake == "one table twice" else (E, Theta)


REFERENCE = {
    checker.check_noise_distribution: noise_distribution,
    checker.check_keep_probability: keep_probability,
    checker.check_ns_loss_and_gradients: ns_loss_and_gradients,
    checker.check_sgns_training: train_sgns,
}


# ---- wrong answers ------------------------------------------------------------------------


def test_wrong_sign_of_the_negatives_gradient(capsys):
    def wrong(e_c, theta_o, theta_neg):
        cost, g_e, g_o, g_neg = ns_loss_and_gradients(e_c, theta_o, theta_neg)
        return cost, g_e, g_o, -g_neg

    out = failed_with(checker.check_ns_loss_and_gradients, wrong, capsys)
    assert "the gradient for the negatives has the wrong sign" in out
    assert "✓ dJ/de_c agrees" in out  # the right parts are still reported right


def test_missing_minus_one_for_the_true_context(capsys):
    def wrong(e_c, theta_o, theta_neg):
        cost, g_e, _, g_neg = ns_loss_and_gradients(e_c, theta_o, theta_neg)
        return cost, g_e, sigmoid(theta_o @ e_c) * e_c, g_neg

    out = failed_with(checker.check_ns_loss_and_gradients, wrong, capsys)
    assert "the true context's factor is σ(s_o) − 1" in out


def test_transposed_negatives_gradient(capsys):
    def wrong(e_c, theta_o, theta_neg):
        cost, g_e, g_o, g_neg = ns_loss_and_gradients(e_c, theta_o, theta_neg)
        return cost, g_e, g_o, g_neg.T

    assert "dJ/dθ_neg is transposed" in failed_with(
        checker.check_ns_loss_and_gradients, wrong, capsys
    )


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


def test_shared_table_in_the_numpy_training_loop(capsys):
    def shared(*args):
        return train_sgns(*args, mistake="shared")

    out = failed_with(checker.check_sgns_training, shared, capsys)
    assert "the context table is the same object as the target table" in out


def test_training_loop_that_climbs(capsys):
    def climbs(targets, contexts, noise, dim, negatives, epochs, learning_rate, seed):
        return train_sgns(targets, contexts, noise, dim, negatives, epochs, -learning_rate, seed)

    assert "the updates go up the gradient" in failed_with(
        checker.check_sgns_training, climbs, capsys
    )


@pytest.mark.parametrize(
    "mistake, message",
    [
        ("no negatives", "there are no negatives in your loop"),
        ("negatives' rows fixed", "the negatives' rows of Θ never change"),
        ("one table twice", "E and Θ hold the same values: that is one table returned twice"),
        ("uniform draw", "your negatives do not come from `noise`"),
        ("E fixed", "E never left its random start"),
    ],
)
def test_sgns_training_wrong_loops(mistake, message, capsys):
    def wrong(*args):
        return train_sgns(*args, mistake=mistake)

    assert message in failed_with(checker.check_sgns_training, wrong, capsys)


def test_planted_corpus_keeps_contexts_in_the_group():
    targets, contexts, group = checker.planted_corpus()
    assert np.all(group[targets] == group[contexts]) and np.all(targets != contexts)
    assert len(group) == 20 and np.bincount(group).tolist() == [5, 5, 5, 5]


def _ns_with(J=None, g_e=None):
    """The reference with J or dJ/de_c replaced by a wrong one."""

    def answer(e_c, theta_o, theta_neg):
        right = ns_loss_and_gradients(e_c, theta_o, theta_neg)
        s_o, s_neg = theta_o @ e_c, theta_neg @ e_c
        cost = right[0] if J is None else J(s_o, s_neg)
        grad = right[1] if g_e is None else g_e(s_o, s_neg, theta_o, theta_neg)
        return cost, grad, right[2], right[3]

    return answer


def _keep_with_fixed_t(counts, sample):
    return keep_probability(counts, 1e-3)


MORE_MISTAKES = {
    "hard-coded P_n": (
        checker.check_noise_distribution,
        lambda c: noise_distribution(np.array([0, 1000, 100, 10, 1])),  # hard-coded
        "right on the first counts but wrong on",
    ),
    "sample ignored": (
        checker.check_keep_probability,
        _keep_with_fixed_t,
        "your function ignores `sample`",
    ),
    "t/f only": (
        checker.check_keep_probability,
        lambda c, t: np.minimum(1, t / (c / c.sum())),
        "the √(t/f) term is missing",
    ),
    "f/t": (
        checker.check_keep_probability,
        lambda c, t: np.minimum(1, np.sqrt(c / c.sum() / t) + c / c.sum() / t),
        "the ratio is upside down",
    ),
    "J mean": (
        checker.check_ns_loss_and_gradients,
        _ns_with(J=lambda s_o, s_neg: -np.log(sigmoid(s_o)) - np.log(sigmoid(-s_neg)).mean()),
        "J is a sum over the k negatives, not their mean",
    ),
    "sigma(-s_i)": (
        checker.check_ns_loss_and_gradients,
        _ns_with(g_e=lambda s_o, s_neg, t_o, t_n: (sigmoid(s_o) - 1) * t_o + sigmoid(-s_neg) @ t_n),
        "in dJ/de_c each negative's factor is σ(s_i)",
    ),
}


@pytest.mark.parametrize(("check", "wrong", "message"), MORE_MISTAKES.values(), ids=MORE_MISTAKES)
def test_more_nb02_mistakes(check, wrong, message, capsys):
    assert message in failed_with(check, wrong, capsys)


def test_keep_probability_python_min_is_a_hint(capsys):
    def python_min(counts, sample):
        ratio = sample / (counts / counts.sum())
        return min(1.0, np.sqrt(ratio) + ratio)

    out = failed_with(checker.check_keep_probability, python_min, capsys)
    assert "truth value" in out and "on arrays use np.minimum" in out
