"""kw2v in an environment without TensorFlow (Keras on JAX, ``.venv-jax``): what needs only
NumPy and Keras works, and what needs TensorFlow says so in one line."""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import planted_sentences

from kw2v.vectors import WordVectors


@pytest.fixture(scope="module")
def run_in_jax(jax_python, tmp_path_factory):
    """Run ``python ARGS`` in the JAX environment, in a scratch folder; CompletedProcess."""
    cwd = tmp_path_factory.mktemp("no-tf")
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}

    def run(*args, timeout=300):
        return subprocess.run(
            [str(jax_python), *args], capture_output=True, text=True, env=env, cwd=cwd,
            timeout=timeout,
        )  # fmt: skip

    return run


@pytest.fixture(scope="module")
def vectors_file(tmp_path_factory):
    rng = np.random.default_rng(0)
    words = ["king", "queen", "man", "woman", "paris", "france", "berlin", "germany"]
    path = tmp_path_factory.mktemp("vectors") / "vectors.bin"
    WordVectors(words, rng.normal(size=(len(words), 8)).astype(np.float32)).save_word2vec(path)
    return path


def test_tensorflow_cannot_be_imported_there(run_in_jax):
    done = run_in_jax("-c", "import tensorflow")
    assert done.returncode != 0 and "No module named 'tensorflow'" in done.stderr


def test_vectors_load_and_evaluate_without_tensorflow(run_in_jax, vectors_file):
    script = (
        "import sys, kw2v\n"
        f"wv = kw2v.WordVectors.load_word2vec({str(vectors_file)!r})\n"
        "print(len(wv), wv.most_similar('king', topn=1)[0][0])\n"
        "print(sorted(kw2v.evaluate_all(wv, analogies_too=False)))\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    done = run_in_jax("-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("8 ") and "ws353" in done.stdout


def test_command_line_evaluate_and_neighbors_without_tensorflow(run_in_jax, vectors_file):
    done = run_in_jax("-m", "kw2v", "evaluate", str(vectors_file), "--no-analogies")
    assert done.returncode == 0, done.stderr
    assert "ws353" in done.stdout
    done = run_in_jax("-m", "kw2v", "neighbors", str(vectors_file), "king", "--topn", "3")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("king: ") and done.stdout.count("(") == 3


def test_the_exercise_checker_grades_without_tensorflow(run_in_jax):
    script = (
        "import sys, numpy as np\n"
        "from kw2v.course import checker\n"
        "def softmax(z):\n"
        "    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n"
        "assert checker.check_softmax(softmax)\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    done = run_in_jax("-c", script)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "args,feature",
    [
        (["export", "{vectors}", "--format", "tensorboard", "--out", "tb"], "TensorBoard"),
        (["train", "--corpus", "{corpus}", "--out", "run", "--strategy", "mirrored"], "mirrored"),
        (["train", "--corpus", "{corpus}", "--out", "run2", "--loss", "hierarchical"], "tf.data"),
    ],
)
def test_what_needs_tensorflow_says_so_in_one_line(
    run_in_jax, vectors_file, tmp_path, args, feature
):
    corpus = tmp_path / "planted.txt"
    corpus.write_text("\n".join(" ".join(s) for s in planted_sentences(200)) + "\n")
    args = [a.format(vectors=vectors_file, corpus=corpus) for a in args]
    done = run_in_jax("-m", "kw2v", *args)
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("kw2v: error: ") and feature in line and "TensorFlow" in line


def test_train_makes_its_examples_on_the_device_and_gensim_loads_the_vectors(run_in_jax, tmp_path):
    """The README's train command, one epoch: without TensorFlow the examples are made inside
    the step (``--examples auto`` settles on ``device``)."""
    from gensim.models import KeyedVectors

    out = tmp_path / "run"
    done = run_in_jax("-m", "kw2v", "train", "--corpus", "wiki-sample", "--out", str(out),
                      "--epochs", "1", timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert json.loads((out / "run.json").read_text())["config"]["examples"] == "device"
    kv = KeyedVectors.load_word2vec_format(str(out / "vectors.bin"), binary=True)
    assert len(kv) == 9002 and kv.vector_size == 100
    assert np.isfinite(kv.vectors).all()
    history = json.loads((out / "run.json").read_text())["history"]["loss"]
    assert len(history) == 1 and 0 < history[0] < 0.6931  # below chance: it learned


def test_device_path_resumes_and_refuses_bad_input_under_jax(jax_python):
    """The device-path cases of the resume (SIGKILL in epoch 2, then the same command gives
    an uninterrupted run's vectors) and bad-input tests, run again under JAX."""
    tests = Path(__file__).resolve().parent
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    done = subprocess.run(
        [str(jax_python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(tests / "test_resume.py"), str(tests / "test_bad_input.py"),
         "-k", "device and (sigkill_during_epoch_2 or every_method_refuses)"],
        capture_output=True, text=True, env=env, cwd=tests.parent, timeout=1200,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "skipped" not in summary and "deselected" in summary
