"""Shared fixtures: a small corpus with planted structure, and quiet TensorFlow."""

import dataclasses
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

GROUPS = 4
GROUP_WORDS = 8


def planted_sentences(n_sentences: int = 1500, length: int = 8, seed: int = 0):
    """Sentences whose words all come from one of four topic groups ("a0".."a7", "b0"...).

    Words of a group only ever share contexts with their own group, so after training each
    word's nearest neighbours must be its group mates: a known answer for training.
    """
    rng = np.random.default_rng(seed)
    names = "abcd"
    out = []
    for _ in range(n_sentences):
        g = names[rng.integers(GROUPS)]
        out.append([f"{g}{i}" for i in rng.integers(GROUP_WORDS, size=length)])
    return out


@pytest.fixture(scope="session")
def planted():
    return planted_sentences()


def group_purity(wv, topn: int = 5) -> float:
    """Fraction of each planted word's top neighbours that share its group letter."""
    hits = total = 0
    for word in wv.words:
        for other, _ in wv.most_similar(word, topn=topn):
            hits += other[0] == word[0]
            total += 1
    return hits / total


#: The five methods as ``train()`` options: one sanity test runs over all of them, the way
#: gensim runs one over sg/cbow x hs/neg.
METHODS = {
    "skipgram": {"architecture": "skipgram", "objective": "negative"},
    "skipgram-hs": {"architecture": "skipgram", "objective": "hierarchical"},
    "cbow": {"architecture": "cbow", "objective": "negative"},
    "cbow-hs": {"architecture": "cbow", "objective": "hierarchical"},
    "glove": {"architecture": "glove"},
}


def method_options(method: str, **options) -> dict:
    """``train()`` keywords for ``method``: its model and loss, plus ``options`` less the ones
    it refuses (GloVe has no ``sample``: it counts every co-occurrence)."""
    options = {**METHODS[method], **options}
    if method == "glove":
        options.pop("sample", None)
    return options


def cli_flags(options: dict) -> list[str]:
    """The same options as command-line flags (:func:`kw2v.config.flag_of`)."""
    from kw2v.config import TrainConfig, flag_of

    fields = {f.name: f for f in dataclasses.fields(TrainConfig)}
    return [f"{flag_of(fields[k])}={v}" for k, v in options.items() if k != "verbose"]
