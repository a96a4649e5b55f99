"""kw2v.course: what only the notebooks use loads, grades and draws without TensorFlow."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WITHOUT_TENSORFLOW = "import sys\nsys.modules['tensorflow'] = None  # importing it now fails\n"


def _run(code, **env):
    """Run ``code`` in a fresh interpreter with TensorFlow made unimportable."""
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_TENSORFLOW + code],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
        env={**os.environ, "MPLBACKEND": "Agg", **env},
    )


def test_the_checker_and_the_diagrams_need_no_tensorflow():
    done = _run(
        "from kw2v.course import checker, diagrams, notebook\n"
        "assert checker.check_noise_distribution(lambda c: c**0.75 / (c**0.75).sum())\n"
        "assert not checker.check_3cosadd(lambda v, w, a, b, c: a)\n"
        "diagrams.draw_unigram_noise().savefig('/dev/null', format='png')\n"
    )
    assert done.returncode == 0, done.stderr
    assert "check_noise_distribution: all right" in done.stdout


def test_the_keras_model_check_runs_on_jax_without_tensorflow():
    pytest.importorskip("jax")
    done = _run(
        "import keras\n"
        "from keras import layers\n"
        "from kw2v.course import checker\n"
        "def build(V, d):\n"
        "    t = keras.Input(shape=(), dtype='int32', name='target')\n"
        "    c = keras.Input(shape=(None,), dtype='int32', name='context')\n"
        "    e = layers.Embedding(V, d, name='target_embedding')(t)\n"
        "    th = layers.Embedding(V, d, name='context_embedding')(c)\n"
        "    p = layers.Dense(1, activation='sigmoid')(\n"
        "        layers.Reshape((-1, 1))(layers.Dot(axes=(1, 2))([e, th])))\n"
        "    return keras.Model([t, c], layers.Reshape((-1,))(p))\n"
        "assert keras.backend.backend() == 'jax'\n"
        "assert checker.check_skipgram_model(build)\n",
        KERAS_BACKEND="jax",
    )
    assert done.returncode == 0, done.stderr


def test_no_course_module_imports_tensorflow():
    import ast

    for path in (ROOT / "kw2v" / "course").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in getattr(node, "names", [])]
            module = getattr(node, "module", None) or ""
            if isinstance(node, ast.Import | ast.ImportFrom):
                assert "tensorflow" not in [n.split(".")[0] for n in [module, *names]], path
