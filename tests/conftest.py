"""Shared fixtures: a small corpus with planted structure, quiet TensorFlow, and an
environment without TensorFlow (Keras on JAX) for the tests that need one."""

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

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


# -- an environment without TensorFlow: Keras on JAX ------------------------------------------

REPO = Path(__file__).resolve().parents[1]
JAX_VENV = REPO / ".venv-jax"
#: What the JAX environment installs besides kw2v (with --no-deps: its pyproject requires
#: TensorFlow): JAX's CPU wheels, and the learner pins of requirements*.txt but TensorFlow's.
JAX_PINS = ("jax==0.10.2", "jaxlib==0.10.2")
_FROM_REQUIREMENTS = {
    "keras", "numpy", "scipy", "gensim", "matplotlib", "scikit-learn", "adjusttext", "pytest",
}  # fmt: skip


def jax_requirements() -> list[str]:
    pins = list(JAX_PINS)
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / name).read_text().splitlines():
            pin = line.split("#")[0].strip()
            if pin.split("==")[0].lower() in _FROM_REQUIREMENTS:
                pins.append(pin)
    return pins


def _jax_venv_ready(python: Path) -> bool:
    check = "import jax, keras, pytest, kw2v; print(kw2v.__file__)"
    if not python.exists():
        return False
    done = subprocess.run([python, "-c", check], capture_output=True, text=True)
    return done.returncode == 0 and Path(done.stdout.strip()).is_relative_to(REPO)


@pytest.fixture(scope="session")
def jax_python():
    """The Python of ``.venv-jax``: JAX's CPU wheels, Keras, kw2v, no TensorFlow. Built once
    (about 35 s from a warm pip cache), then reused. Skipped with one line if it cannot be
    built outside CI; under CI it must build."""
    python = JAX_VENV / "bin" / "python"
    if _jax_venv_ready(python):
        return python
    start = time.perf_counter()
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(JAX_VENV)],
        [*pip, *jax_requirements()],
        [*pip, "--no-deps", "-e", str(REPO)],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            why = (done.stderr.strip().splitlines() or ["no message"])[-1]
            message = f"cannot build {JAX_VENV.name} ({' '.join(step[:4])} ...): {why}"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
    print(f"built {JAX_VENV.name} in {time.perf_counter() - start:.0f} s")
    return python
