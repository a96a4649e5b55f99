"""Checks of notebook 02's "Your turn" exercises: noise, subsampling, the negative-sampling
cost and its gradients, and a NumPy training loop on a planted corpus.

See :mod:`kw2v.course.checker.grading` for the machinery.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .compare import as_array, as_scalar, close, diagnose, fmt, grade, numerical_gradient, sigmoid
from .grading import Fail, Report, call, check


def _ns_cost(e_c, theta_o, theta_neg) -> float:
    return float(-np.log(sigmoid(theta_o @ e_c)) - np.log(sigmoid(-(theta_neg @ e_c))).sum())


INTEGER_DIVISION = (
    "every word got the same weight: the exponent came out as 0. In Python 3 // 4 is integer "
    "division, which is 0, so count ** (3 // 4) is 1 for every word (even count 0): write "
    "3 / 4 or 0.75"
)


@check
def check_noise_distribution(report: Report, noise_distribution: Callable) -> None:
    """Check ``noise_distribution(counts)``: word2vec's P_n(w) ∝ count(w)^(3/4).

    Diagnoses the unigram distribution, the uniform one, another power (estimated from the
    answer), a missing normalisation and a word of count 0 that gets a probability.
    Introduced in notebook 02.

    Parameters
    ----------
    noise_distribution : callable
        The student's ``noise_distribution(counts) -> ndarray`` of probabilities.

    Returns
    -------
    CheckResult
    """
    counts = np.array([0, 1000, 100, 10, 1])  # index 0 is reserved: count 0
    got = as_array(call(noise_distribution, counts.copy()), (5,), "noise_distribution(counts)")
    c = counts.astype(np.float64)
    expected = c**0.75 / (c**0.75).sum()
    nonzero = c > 0
    uniform = np.where(nonzero, 1.0 / nonzero.sum(), 0.0)
    variants = [
        (
            "your noise distribution is the unigram distribution: raise the counts to the "
            "power 3/4 before normalising",
            c / c.sum(),
        ),
        (
            "your noise distribution is uniform (what tf.keras's skipgrams draws from): "
            "word2vec draws in proportion to count^(3/4) (if you wrote 3 // 4: that is integer "
            "division, 0; write 3 / 4)",
            uniform,
        ),
        ("raised to 3/4 but not normalised: divide by the sum so it adds up to 1", c**0.75),
        (
            "you raised the unigram probabilities to 3/4 but did not renormalise: divide by "
            "their sum again",
            (c / c.sum()) ** 0.75,
        ),
        (
            "that is the power 4/3: the exponent is 3/4 = 0.75",
            c ** (4 / 3) / (c ** (4 / 3)).sum(),
        ),
        (INTEGER_DIVISION, np.full(5, 0.2)),  # c ** (3 // 4) = c ** 0 = 1, count 0 included
        (INTEGER_DIVISION, np.ones(5)),
    ]
    problem = diagnose(got, expected, variants, "P_n")
    if problem is None:
        report.ok(f"counts [0, 1000, 100, 10, 1] → P_n = {fmt(got)}")
        report.ok("P_n sums to 1 and the reserved index (count 0) is never drawn")
        _other_counts(report, noise_distribution)
        return
    known = any(close(got, variant) for _, variant in variants)
    if not known and np.all(np.isfinite(got)) and np.all(got[nonzero] > 0):
        # which power would give this answer? slope of log P against log count
        power = np.polyfit(np.log(c[nonzero]), np.log(got[nonzero]), 1)[0]
        fitted = c[nonzero] ** power / (c[nonzero] ** power).sum()
        if abs(power) < 0.01 and got[0] > 0:  # count 0 weighs as much as the rest: 0 ** 0
            problem = INTEGER_DIVISION
        elif abs(power - 0.75) > 0.01 and np.allclose(
            got[nonzero] / got[nonzero].sum(), fitted, rtol=1e-4
        ):
            problem = (
                f"your probabilities follow count^{power:.3g}: word2vec's power is 3/4 = 0.75"
                + ("" if np.isclose(got.sum(), 1) else ", and they must sum to 1")
            )
    if got[0] != 0 and np.isfinite(got[0]) and problem != INTEGER_DIVISION:
        problem = (
            f"{problem}; and count 0 (the reserved index) must get probability 0, not {got[0]:.3g}"
        )
    raise Fail(f"{problem}; expected {fmt(expected)}, got {fmt(got)}")


def _other_counts(report: Report, noise_distribution: Callable) -> None:
    """The same on counts drawn at random: an answer made for one input fails here."""
    counts = np.random.default_rng(9).integers(1, 5000, size=8)
    counts[0] = 0
    got = call(noise_distribution, counts.copy())
    expected = counts**0.75 / (counts**0.75).sum()
    if np.shape(got) != expected.shape or not close(got, expected):
        raise Fail(
            f"right on the first counts but wrong on {counts.tolist()}: compute P_n from the "
            "`counts` argument (no numbers or lengths written in)"
        )
    report.ok(f"{len(counts)} random counts: right too")


def _keep_variants(counts: np.ndarray, t: float):
    """The right keep probabilities of ``counts`` for threshold ``t``, and the named mistakes."""
    f = counts / counts.sum()
    return np.minimum(1.0, np.sqrt(t / f) + t / f), [
        (
            "that is the paper's √(t/f): word2vec's code keeps with √(t/f) + t/f "
            "(the formula in the notebook)",
            np.minimum(1.0, np.sqrt(t / f)),
        ),
        ("the √(t/f) term is missing: keep = √(t/f) + t/f", np.minimum(1.0, t / f)),
        (
            "cap it at 1: a probability cannot exceed 1 (rare words are always kept)",
            np.sqrt(t / f) + t / f,
        ),
        (
            "that is the probability of discarding a word: keep = 1 − discard",
            1 - np.minimum(1.0, np.sqrt(t / f) + t / f),
        ),
        (
            "that is the paper's discard probability 1 − √(t/f): keep = √(t/f) + t/f",
            1 - np.sqrt(t / f),
        ),
        (
            "use the frequency f = count / total, not the raw count",
            np.minimum(1.0, np.sqrt(t / counts) + t / counts),
        ),
        (
            "the ratio is upside down: z = f / t, and keep = √(t/f) + t/f = 1/√z + 1/z "
            "(frequent words, large f, are kept less)",
            np.minimum(1.0, np.sqrt(f / t) + f / t),
        ),
    ]


@check
def check_keep_probability(report: Report, keep_probability: Callable) -> None:
    """Check ``keep_probability(counts, sample)``: word2vec's subsampling keep probability.

    The word2vec C code keeps an occurrence of a word of frequency f = count / total with
    probability min(1, √(t/f) + t/f). Diagnoses the paper's √(t/f), the discard
    probability, a missing cap at 1, the ratio upside down and raw counts used as frequencies;
    a second call with another t catches an answer that ignores ``sample``.
    Introduced in notebook 02.

    Parameters
    ----------
    keep_probability : callable
        The student's ``keep_probability(counts, sample) -> ndarray``.

    Returns
    -------
    CheckResult
    """
    cases = [
        (np.array([50_000, 5_000, 500, 50, 5]), 1e-3),
        (np.array([900, 90_000, 30, 9_000]), 1e-4),
    ]
    for counts, t in cases:
        what = f"keep_probability({counts.tolist()}, {t:g})"
        got = as_array(call(keep_probability, counts.copy(), t), counts.shape, what)
        expected, variants = _keep_variants(counts, t)
        if t != cases[0][1]:
            variants.append(
                (
                    f"your function ignores `sample`: it gives the answer for t = "
                    f"{cases[0][1]:g}, not t = {t:g}",
                    _keep_variants(counts, cases[0][1])[0],
                )
            )
        problem = diagnose(got, expected, variants, "the keep probabilities")
        if problem:
            raise Fail(f"{what}: {problem}; expected {fmt(expected)}, got {fmt(got)}")
        report.ok(f"{what} → {fmt(got)}")
    report.ok("frequent words are mostly dropped, rare ones always kept (capped at 1)")


@check
def check_ns_loss_and_gradients(report: Report, ns_loss_and_gradients: Callable) -> None:
    """Check ``ns_loss_and_gradients(e_c, theta_o, theta_neg)``: the negative-sampling cost.

    J = −log σ(θ_oᵀe_c) − Σ_i log σ(−θ_iᵀe_c) and its gradients with respect to e_c, θ_o
    and the k negatives' rows, compared with central differences. Diagnoses wrong signs (for
    the true context and for the negatives), σ(s_o) instead of σ(s_o) − 1, a missing
    negatives' term, a transposed gradient. Introduced in notebook 02.

    Parameters
    ----------
    ns_loss_and_gradients : callable
        The student's function returning ``(J, grad_e_c, grad_theta_o, grad_theta_neg)`` with
        shapes (), (d,), (d,), (k, d).

    Returns
    -------
    CheckResult
    """
    rng = np.random.default_rng(5)
    d, k = 4, 3
    e_c, theta_o, theta_neg = rng.normal(size=d), rng.normal(size=d), rng.normal(size=(k, d))
    out = call(ns_loss_and_gradients, e_c.copy(), theta_o.copy(), theta_neg.copy())
    if not isinstance(out, tuple | list) or len(out) != 4:
        raise Fail("return four things: (J, dJ/de_c, dJ/dθ_o, dJ/dθ_neg)")
    s_o, s_neg = theta_o @ e_c, theta_neg @ e_c
    g_o, g_neg = sigmoid(s_o) - 1.0, sigmoid(s_neg)
    want = {
        "J": _ns_cost(e_c, theta_o, theta_neg),
        "e": g_o * theta_o + g_neg @ theta_neg,
        "o": g_o * e_c,
        "neg": np.outer(g_neg, e_c),
    }
    work = e_c.copy()
    assert np.allclose(
        numerical_gradient(lambda: _ns_cost(work, theta_o, theta_neg), work), want["e"]
    )

    J = as_scalar(out[0], "J")
    problem = diagnose(
        np.array(J),
        np.array(want["J"]),
        [
            ("J has the wrong sign: J = −log σ(s_o) − Σ log σ(−s_i)", np.array(-want["J"])),
            (
                "J is missing the negatives' term −Σ_i log σ(−θ_iᵀe_c)",
                np.array(-np.log(sigmoid(s_o))),
            ),
            (
                "for the negatives use log σ(−s_i), the probability that the pair is made up, "
                "not log σ(s_i)",
                np.array(-np.log(sigmoid(s_o)) - np.log(sigmoid(s_neg)).sum()),
            ),
            (
                "J is a sum over the k + 1 words, not a mean",
                np.array(want["J"] / (k + 1)),
            ),
            (
                "J is a sum over the k negatives, not their mean: −Σ_i log σ(−s_i)",
                np.array(-np.log(sigmoid(s_o)) - np.log(sigmoid(-s_neg)).mean()),
            ),
        ],
        "J",
        hint="J = −log σ(θ_oᵀe_c) − Σ_i log σ(−θ_iᵀe_c), one term per negative row",
    )
    report.verdict(problem, f"J = {J:.4f}")

    grade(
        report,
        out[1],
        want["e"],
        [
            ("dJ/de_c has the wrong sign", -want["e"]),
            (
                "in dJ/de_c the gradient for the negatives has the wrong sign: each adds "
                "+σ(s_i) θ_i",
                g_o * theta_o - g_neg @ theta_neg,
            ),
            ("dJ/de_c is missing the negatives' term Σ_i σ(s_i) θ_i", g_o * theta_o),
            (
                "in dJ/de_c the true context's factor is σ(s_o) − 1 (prediction minus label 1), "
                "not σ(s_o)",
                sigmoid(s_o) * theta_o + g_neg @ theta_neg,
            ),
            (
                "in dJ/de_c each negative's factor is σ(s_i), the predicted probability of the "
                "made-up pair (prediction minus label 0), not σ(−s_i)",
                g_o * theta_o + sigmoid(-s_neg) @ theta_neg,
            ),
        ],
        "dJ/de_c",
        "dJ/de_c agrees with central differences",
    )

    grade(
        report,
        out[2],
        want["o"],
        [
            ("dJ/dθ_o has the wrong sign: it is (σ(s_o) − 1) e_c", -want["o"]),
            (
                "dJ/dθ_o: the true context's factor is σ(s_o) − 1 (prediction minus label 1), "
                "not σ(s_o)",
                sigmoid(s_o) * e_c,
            ),
        ],
        "dJ/dθ_o",
        "dJ/dθ_o agrees with central differences",
    )

    got = np.asarray(out[3], dtype=np.float64)
    if got.shape == (d, k) and close(got, want["neg"].T):
        report.wrong(
            f"dJ/dθ_neg is transposed: shape ({k}, {d}) expected, got {got.shape}; one row "
            "per negative, like theta_neg"
        )
        return
    got = as_array(out[3], (k, d), "dJ/dθ_neg")
    problem = diagnose(
        got,
        want["neg"],
        [
            (
                "the gradient for the negatives has the wrong sign: ∂J/∂θ_i = +σ(s_i) e_c",
                -want["neg"],
            ),
            (
                "the negatives have label 0: their factor is σ(s_i) − 0, not σ(s_i) − 1",
                np.outer(g_neg - 1.0, e_c),
            ),
            (
                "use σ(s_i), the predicted probability of the made-up pair, not σ(−s_i)",
                np.outer(sigmoid(-s_neg), e_c),
            ),
        ],
        "dJ/dθ_neg",
    )
    report.verdict(problem, "dJ/dθ_neg agrees with central differences")


def planted_corpus(groups: int = 4, size: int = 5, pairs_per_word: int = 30, seed: int = 0):
    """A tiny corpus whose words come in ``groups``: contexts are always from the same group.

    Training on it must put each word's vector nearest to the other words of its group.
    Introduced in notebook 02.

    Parameters
    ----------
    groups, size : int
        Number of groups and words per group; word ``w`` belongs to group ``w // size``.
    pairs_per_word : int
        Pairs with each word as the target.
    seed : int
        Seed of the draw of contexts and of the shuffle.

    Returns
    -------
    targets, contexts : ndarray of int
        The (target, context) pairs, shuffled.
    group : ndarray of int
        ``group[w]`` is the group of word ``w``.
    """
    rng = np.random.default_rng(seed)
    V = groups * size
    group = np.arange(V) // size
    targets = np.repeat(np.arange(V), pairs_per_word)
    offsets = rng.integers(1, size, size=len(targets))  # another word of the same group
    contexts = group[targets] * size + (targets % size + offsets) % size
    order = rng.permutation(len(targets))
    return targets[order], contexts[order], group


def _group_accuracy(E: np.ndarray, group: np.ndarray) -> float:
    """Share of words whose nearest other word (by cosine) is in the same group."""
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    unit = E / np.where(norms > 0, norms, 1.0)
    cos = unit @ unit.T
    np.fill_diagonal(cos, -np.inf)
    return float(np.mean(group[cos.argmax(axis=1)] == group))


def _trained_tables(train_sgns: Callable, noise: np.ndarray, dim: int):
    """Run the student's loop on :func:`planted_corpus` with ``noise``; return (E, Θ)."""
    targets, contexts, _ = planted_corpus()
    V = len(noise)
    out = call(train_sgns, targets.copy(), contexts.copy(), noise.copy(), dim, 3, 5, 0.1, 0)
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise Fail("return the two tables: (E, Theta)")
    if out[0] is out[1] or (
        isinstance(out[0], np.ndarray)
        and isinstance(out[1], np.ndarray)
        and np.shares_memory(out[0], out[1])
    ):
        raise Fail(
            "the context table is the same object as the target table: the exercise asks for "
            "a separate one (Theta = np.zeros((V, dim)))"
        )
    return as_array(out[0], (V, dim), "E"), as_array(out[1], (V, dim), "Θ")


def _check_negatives(train_sgns: Callable, E, Theta, V: int) -> None:
    """Fail when the negatives play no part: the same tables with every negative drawn
    elsewhere, or the row of a word that is only ever a negative never moves."""
    elsewhere = np.zeros(V + 1)
    elsewhere[V] = 1.0  # every negative is the noise-only word: a different draw
    E2, Theta2 = _trained_tables(train_sgns, elsewhere, E.shape[1])
    unused = np.array_equal(E, E2) and np.array_equal(Theta[:V], Theta2[:V])
    if unused and not np.any(Theta[V]):
        raise Fail(
            "there are no negatives in your loop: the tables come out the same whatever the "
            "noise distribution. Draw `negatives` words per pair, rng.choice(V, size="
            "negatives, p=noise), and update with the negatives' gradients too"
        )
    if unused:
        raise Fail(
            "your negatives do not come from `noise`: the tables come out the same with "
            "another noise distribution. Draw them with rng.choice(V, size=negatives, p=noise)"
        )
    if not np.any(Theta[V]):
        raise Fail(
            "the negatives' rows of Θ never change: word 20 is only ever drawn as a negative "
            "and its row is still zero. Each negative's θ_i moves too, by −η σ(s_i) e_c "
            "(np.subtract.at(Theta, neg, ...), which also handles a word drawn twice)"
        )


@check
def check_sgns_training(report: Report, train_sgns: Callable) -> None:
    """Check ``train_sgns``: a NumPy training loop for skip-gram with negative sampling.

    Trains on :func:`planted_corpus` (20 words in 4 groups; contexts always from the same
    group) with uniform noise over 21 words, the last one only ever a negative. Checks that
    the tables are separate (not one table twice), have shape (V, d); that the negatives count
    (the tables change when the noise does, and the noise-only word's row of Θ moves); that
    pairs across groups score low (σ < 0.2, as only a loop with negatives on both tables
    gets them), and that every word's nearest neighbour in E is in its own group.
    Introduced in notebook 02.

    Parameters
    ----------
    train_sgns : callable
        The student's ``train_sgns(targets, contexts, noise, dim, negatives, epochs,
        learning_rate, seed) -> (E, Theta)``.

    Returns
    -------
    CheckResult
    """
    targets, contexts, group = planted_corpus()
    V, dim = len(group), 8
    E, Theta = _trained_tables(train_sgns, np.full(V + 1, 1.0 / (V + 1)), dim)
    if np.allclose(E, Theta):
        raise Fail(
            "E and Θ hold the same values: that is one table returned twice (a copy is still "
            "the same numbers). Train a separate Θ, started at zero, updated by its own "
            "gradients"
        )
    report.ok(f"two separate tables of shape ({V + 1}, {dim})")
    if not np.any(E):
        raise Fail(
            "E is all zeros: with Θ also at zero every gradient is zero. Start E small and "
            "random (uniform in ±0.5/dim), Θ at zero"
        )
    if not np.any(Theta):
        raise Fail("Θ is still all zeros: the loop must update the context table too")
    if np.abs(E).max() <= 0.5 / dim:
        raise Fail(
            "E never left its random start (every entry still within ±0.5/dim): update e_c "
            "by −η ∂J/∂e_c for every pair"
        )
    real = sigmoid(np.sum(E[targets] * Theta[contexts], axis=1)).mean()
    across = group[:, None] != group[None, :]
    made_up = sigmoid(E[:V] @ Theta[:V].T)[across].mean()
    if not np.all(np.isfinite(E)) or not real > made_up + 0.05:
        raise Fail(
            f"real pairs do not score higher than pairs across groups (σ {real:.2f} against "
            f"{made_up:.2f}): the updates go up the gradient, or are missing. SGD subtracts η "
            "times the gradient, for every pair of every epoch, from e_c, θ_o and the "
            "negatives' rows"
        )
    _check_negatives(train_sgns, E, Theta, V)
    report.ok("the negatives count: the noise-only word's row of Θ moved")
    if made_up > 0.2:
        raise Fail(
            f"pairs across groups still score σ = {made_up:.2f} on average (below 0.2 "
            f"expected; real pairs {real:.2f}): the negatives should push them down. Check the "
            "negatives' gradients with check_ns_loss_and_gradients and that every pair "
            "updates θ_o, the negatives' rows and e_c"
        )
    accuracy = _group_accuracy(E[:V], group)
    if accuracy < 0.9:
        raise Fail(
            f"the planted groups were not recovered: the nearest neighbour of only "
            f"{accuracy:.0%} of the words is in their group (≥ 90% expected). Check the "
            "gradients with check_ns_loss_and_gradients and that each pair gets its negatives"
        )
    report.ok(f"the planted groups are recovered: {accuracy:.0%} of nearest neighbours in-group")
    report.ok(f"real pairs score σ = {real:.2f} on average, pairs across groups {made_up:.2f}")
