"""Distributed training: mirrored over two logical CPUs, two workers on loopback, the JAX backend.

Logical devices, multi-worker collectives and the Keras backend are all fixed when a process
starts, so those runs happen in subprocesses.
"""

import json
import textwrap

import numpy as np
import pytest
from conftest import (
    METHODS,
    cli_flags,
    free_ports,
    group_purity,
    method_options,
    planted_sentences,
    run_python,
    start_python,
    write_corpus,
)

from kw2v import Kw2vError, TrainConfig, WordVectors, distribute, train
from kw2v.cli import main
from kw2v.files import read_epoch_vectors

SMALL = {"dim": 16, "epochs": 4, "min_count": 1, "sample": 0, "batch_size": 256, "window": 3}


def _python(code: str, *args, env=None, timeout=180):
    """Run ``code`` in a fresh Python with the tests folder importable; fail on a bad exit."""
    proc = run_python("-c", textwrap.dedent(code), *args, env=env, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


MIRRORED_CLI = """
    import sys
    from kw2v import RowAdagrad
    from kw2v.cli import main

    kinds = set()  # the gradients RowAdagrad is given, recorded as the step is traced
    update_step = RowAdagrad.update_step
    def spy(self, gradient, variable, learning_rate):
        kinds.add(type(gradient).__name__)
        return update_step(self, gradient, variable, learning_rate)
    RowAdagrad.update_step = spy
    status = main(sys.argv[1:])
    print("gradients:", *sorted(kinds))
    sys.exit(status)
"""


@pytest.mark.parametrize("method", METHODS)
def test_mirrored_on_two_logical_cpus_trains_as_one_device_does(tmp_path, method):
    """The CLI's mirrored run splits each single-device batch in two, halves each replica's
    loss and sums the gradients: the same steps, so the same vectors as one device running
    the same (non-XLA) step, up to float rounding. RowAdagrad keeps its sparse path. Every
    method, each in its own process (devices are fixed when TensorFlow starts)."""
    sentences = planted_sentences(500)  # small: each method starts its own TensorFlow
    corpus = tmp_path / "planted.txt"
    write_corpus(corpus, sentences)
    out = tmp_path / "run"
    options = method_options(method, **{**SMALL, "epochs": 1})
    stdout = _python(
        MIRRORED_CLI,
        *["train", "--corpus", str(corpus), "--out", str(out), *cli_flags(options)],
        *["--strategy=mirrored", "--logical-cpus=2"],
    )
    assert "mirrored: 2 replica(s), 128 " in stdout
    assert "IndexedSlices" in stdout.rsplit("gradients:", 1)[1]
    mirrored = WordVectors.load_word2vec(out / "vectors.bin")
    run = json.loads((out / "run.json").read_text())
    assert run["config"]["strategy"] == "mirrored"

    single = train(sentences, verbose=0, jit_compile=False, steps_per_execution=1, **options)
    assert mirrored.words == single.vectors.words
    np.testing.assert_allclose(mirrored.vectors, single.vectors.vectors, atol=1e-4)
    np.testing.assert_allclose(run["history"]["loss"], single.history["loss"], rtol=1e-5)


WORKER = """
    import json, os, sys
    import numpy as np
    from conftest import planted_sentences
    from kw2v import train

    out, options = sys.argv[1], json.loads(sys.argv[2])
    index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    result = train(planted_sentences(), out_dir=out + "/run", verbose=0, strategy="multiworker",
                   epoch_vectors=f"{out}/epochs{index}", **options)
    np.save(f"{out}/worker{index}.npy", result.vectors.vectors)
"""


def test_two_workers_on_loopback_train_the_same_vectors(tmp_path):
    workers = [f"127.0.0.1:{p}" for p in free_ports(2)]
    procs = []
    for index in range(2):
        tf_config = {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
        options = json.dumps({**SMALL, "epochs": 2})
        procs.append(
            start_python(
                "-c",
                textwrap.dedent(WORKER),
                str(tmp_path),
                options,
                env={"TF_CONFIG": json.dumps(tf_config)},
            )
        )
    try:
        results = [p.communicate(timeout=180) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err[-3000:]
    a, b = np.load(tmp_path / "worker0.npy"), np.load(tmp_path / "worker1.npy")
    np.testing.assert_allclose(a, b, atol=1e-6)
    # worker 0, the chief, wrote the run once; it holds the same vectors
    saved = WordVectors.load_word2vec(tmp_path / "run" / "vectors.bin")
    np.testing.assert_allclose(saved.vectors, a, atol=1e-6)
    assert json.loads((tmp_path / "run" / "run.json").read_text())["config"]["strategy"] == (
        "multiworker"
    )
    assert group_purity(saved) > 0.9
    # and the vectors after every epoch, once
    assert [epoch for epoch, _, _ in read_epoch_vectors(tmp_path / "epochs0")] == [1, 2]
    assert not (tmp_path / "epochs1").exists()
    last = WordVectors.load_word2vec(tmp_path / "epochs0" / "epoch-2.bin")
    np.testing.assert_array_equal(last.vectors, saved.vectors)


def test_each_worker_reads_its_shard_in_its_share_of_the_batch():
    import tensorflow as tf

    from kw2v import SkipGramPipeline

    ids = np.random.default_rng(0).integers(1, 20, 4000).astype(np.int32)
    whole = SkipGramPipeline(ids, np.bincount(ids, minlength=20), batch_size=256, sample=0)
    # two workers with two GPUs each: a worker makes 128 pairs a step, 64 per replica
    parts = [
        distribute.input_pipeline(whole, tf.distribute.InputContext(2, i, 4)) for i in range(2)
    ]
    assert [(p.lo, p.hi) for p in parts] == [(0, 2000), (2000, 4000)]
    assert all(p.batch_size == 128 for p in parts)
    assert all(p.steps_per_epoch() == whole.steps_per_epoch() for p in parts)
    # one worker (mirrored): the whole corpus, the same batches as without a strategy
    (alone,) = [distribute.input_pipeline(whole, tf.distribute.InputContext(1, 0, 2))]
    for (t1, c1), (t2, c2) in zip(whole.batches(0), alone.batches(0), strict=True):
        np.testing.assert_array_equal(t1, t2)
        np.testing.assert_array_equal(c1, c2)


def test_strategy_errors_say_what_to_do(monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(Kw2vError, match="TF_CONFIG environment variable"):
        distribute.make_strategy("multiworker")
    monkeypatch.setenv("TF_CONFIG", '{"cluster": {}}')
    with pytest.raises(Kw2vError, match="TF_CONFIG must be JSON like"):
        distribute.make_strategy("multiworker")
    with pytest.raises(Kw2vError, match="--strategy must be one of"):
        distribute.make_strategy("parameter-server")
    with pytest.raises(Kw2vError, match="--logical-cpus"):
        TrainConfig(logical_cpus=2).validate()
    with pytest.raises(Kw2vError, match="--strategy"):
        TrainConfig(strategy="tpu").validate()

    class ThreeReplicas:
        num_replicas_in_sync = 3

    with pytest.raises(Kw2vError, match="multiple of the 3 replicas.*try 1023"):
        distribute.check_batch_size(ThreeReplicas(), 1024)


def test_cli_multiworker_without_tf_config_is_one_line_exit_2(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    argv = ["train", "--corpus", "wiki-sample", "--out", str(tmp_path), "--strategy", "multiworker"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "kw2v: error: --strategy multiworker reads the cluster from the TF_CONFIG"
    )
    assert err.count("\n") == 1
    assert main([*argv[:-2], "--logical-cpus", "2"]) == 2
    assert "--logical-cpus" in capsys.readouterr().err


@pytest.mark.parametrize(
    "tf_config,chief",
    [
        (None, True),
        ({"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 0}}, True),
        ({"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 1}}, False),
        ({"cluster": {"chief": ["c:0"], "worker": ["a:1"]}, "task": {"type": "chief"}}, True),
        (
            {"cluster": {"chief": ["c:0"], "worker": ["a:1"]}, "task": {"type": "worker"}},
            False,
        ),
    ],
)
def test_the_chief_is_named_chief_or_worker_0(monkeypatch, tf_config, chief):
    if tf_config is None:
        monkeypatch.delenv("TF_CONFIG", raising=False)
    else:
        monkeypatch.setenv("TF_CONFIG", json.dumps(tf_config))
    assert distribute.chief_in_tf_config() is chief


def test_the_model_trains_under_the_jax_backend():
    """keras.ops and Keras layers only: the same model and RowAdagrad (its dense path) train
    under JAX, fed by the tf.data pipeline. tf.distribute strategies stay TensorFlow's."""
    pytest.importorskip("jax")
    out = _python(
        """
        import json, sys
        import keras
        from conftest import METHODS, cli_flags, group_purity, method_options, planted_sentences
        from kw2v import Kw2vError, train

        result = train(planted_sentences(), verbose=0, **json.loads(sys.argv[1]))
        try:
            train(planted_sentences(), strategy="mirrored", verbose=0)
            refused = ""
        except Kw2vError as e:
            refused = str(e)
        print(json.dumps({"backend": keras.backend.backend(), "refused": refused,
                          "purity": group_purity(result.vectors), "loss": result.history["loss"]}))
        """,
        json.dumps(SMALL),
        env={"KERAS_BACKEND": "jax"},
    )
    r = json.loads(out.splitlines()[-1])
    assert r["backend"] == "jax"
    assert r["purity"] > 0.9
    assert r["loss"][-1] < r["loss"][0]
    assert "needs the TensorFlow backend" in r["refused"]
