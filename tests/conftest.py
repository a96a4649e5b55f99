"""The shared harness: a small corpus with planted structure, the five methods, their
pipelines and options, the command line run as a process, word vectors for file and lookup
tests, an environment without TensorFlow (Keras on JAX), and quiet TensorFlow."""

import dataclasses
import os
import socket
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


#: The methods whose examples can also be made inside the training step
#: (:mod:`kw2v.device_examples`), that way: resume, bad input and the JAX environment run them.
ON_DEVICE = {
    "skipgram-device": {"architecture": "skipgram", "examples": "device"},
    "cbow-device": {"architecture": "cbow", "examples": "device"},
}


def method_options(method: str, **options) -> dict:
    """``train()`` keywords for ``method`` (of :data:`METHODS` or :data:`ON_DEVICE`): its model
    and loss, plus ``options`` less the ones it refuses (GloVe has no ``sample``: it counts
    every co-occurrence)."""
    options = {**{**METHODS, **ON_DEVICE}[method], **options}
    if method == "glove":
        options.pop("sample", None)
    return options


def cli_flags(options: dict) -> list[str]:
    """The same options as command-line flags (:func:`kw2v.config.flag_of`)."""
    from kw2v.config import TrainConfig, flag_of

    fields = {f.name: f for f in dataclasses.fields(TrainConfig)}
    return [f"{flag_of(fields[k])}={v}" for k, v in options.items() if k != "verbose"]


def planted_file(path, n_sentences: int = 1500):
    """:func:`planted_sentences` as a corpus file at ``path`` (:func:`write_corpus`)."""
    return write_corpus(path, planted_sentences(n_sentences))


def random_sentences(n_sentences: int = 300, n_words: int = 40, seed: int = 5):
    """Sentences of 3 to 29 words drawn at random from ``w0 .. w39``: no structure to learn,
    enough tokens for several chunks of a pipeline."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(n_words)]
    return [list(rng.choice(words, size=rng.integers(3, 30))) for _ in range(n_sentences)]


def method_pipeline(method: str, sentences, *, chunk_tokens: int | None = None, **options):
    """``method``'s training examples of ``sentences``, made as :func:`kw2v.train` makes them
    (``options`` as ``train()`` keywords): one pipeline factory for every method.
    ``chunk_tokens`` sets how many corpus tokens word2vec's pipelines read at a time (GloVe's
    reads its matrix, not chunks): small, a pass has several chunks and a short last one."""
    from kw2v import TrainConfig, Vocabulary, encode_corpus
    from kw2v.methods import resolve

    chosen, config = resolve(TrainConfig(**method_options(method, **options)))
    vocab = Vocabulary.build(sentences, min_count=config.min_count)
    ids, starts = encode_corpus(sentences, vocab)
    pipeline = chosen.pipeline(config, vocab, ids, starts, 0)
    if chunk_tokens is not None and method != "glove":
        pipeline.chunk_tokens = chunk_tokens
    return pipeline


def skipgram_pipeline(ids, counts, **options):
    """A :class:`kw2v.SkipGramPipeline` of encoded ``ids`` (batches of 16 unless told)."""
    from kw2v import SkipGramPipeline

    options.setdefault("batch_size", 16)
    return SkipGramPipeline(np.asarray(ids, np.int32), np.asarray(counts), **options)


def write_corpus(path, sentences):
    """``sentences`` as a text file, one a line; returns ``path``."""
    path.write_text("\n".join(" ".join(s) for s in sentences) + "\n")
    return path


# --------------------------------------------------------------------------- processes

TESTS = Path(__file__).resolve().parent


def _child_env(env: dict | None) -> dict:
    """This process's environment with ``env`` on top and the tests folder importable (a
    child may ``from conftest import ...``)."""
    env = {**os.environ, **(env or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    return env


def run_python(*args: str, env: dict | None = None, timeout: float = 300):
    """Run ``python *args`` in a fresh interpreter; return the finished
    :class:`subprocess.CompletedProcess` (text stdout and stderr), whatever its exit status."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_child_env(env),
    )


def run_kw2v(*args: str, env: dict | None = None, timeout: float = 120):
    """Run the command line, ``python -m kw2v *args``, as a user would; see :func:`run_python`."""
    return run_python("-m", "kw2v", *args, env=env, timeout=timeout)


def assert_user_error(proc, *fragments: str, most_lines: int = 1) -> None:
    """The command line refused, the way every user error must be: exit status 2, no
    traceback, and on stderr at most ``most_lines`` lines (warnings first) ending in one
    ``kw2v: error: ...`` line; every fragment is in stderr."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert 1 <= len(lines) <= most_lines, proc.stderr
    assert lines[-1].startswith("kw2v: error: "), proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, (fragment, proc.stderr)


def start_python(*args: str, env: dict | None = None, quiet: bool = False):
    """Start ``python *args`` and return the running :class:`subprocess.Popen`: its stdout and
    stderr piped as text, unbuffered so lines arrive as they are printed, or with ``quiet``
    thrown away (a server no one reads must not fill a pipe and stall)."""
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=output,
        stderr=output,
        text=True,
        env=_child_env({"PYTHONUNBUFFERED": "1", **(env or {})}),
    )


def start_kw2v(*args: str, env: dict | None = None):
    """Start the command line, ``python -m kw2v *args``; see :func:`start_python`."""
    return start_python("-m", "kw2v", *args, env=env)


def free_ports(n: int = 1) -> list[int]:
    """``n`` different TCP ports on 127.0.0.1 that are free now (for a server a test starts)."""
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


# --------------------------------------------------------------------------- word vectors

#: The words every small :func:`wv` table starts with.
WORDS = ["the", "king", "queen", "man", "woman", "prince", "princess", "apple", "banana", "kings"]


@pytest.fixture(scope="module")
def wv():
    """203 random 16-d vectors (a few non-ASCII words) with counts, for file and lookup tests."""
    from kw2v.vectors import WordVectors

    rng = np.random.default_rng(42)
    words = WORDS + [f"w{i}" for i in range(190)] + ["café", "naïve", "日本"]
    return WordVectors(
        words, rng.standard_normal((len(words), 16)), counts=range(len(words), 0, -1)
    )


@pytest.fixture(scope="module")
def kv(wv):
    """The same vectors as gensim's ``KeyedVectors``: the reference they are checked against."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(wv.dim)
    kv.add_vectors(wv.words, np.array(wv.vectors))
    return kv


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
