"""Interrupted training loses at most the current epoch, and files are never half-written.

In-process runs stop a run with a callback and resume it; real processes are killed with
SIGKILL and SIGINT. Corpora are the planted sentences of conftest, written to files. The
resume tests run over every method (conftest.METHODS).
"""

import json
import os
import shlex
import shutil
import signal
import sys
import time
import zipfile

import keras
import numpy as np
import pytest
from conftest import (
    METHODS,
    ON_DEVICE,
    assert_user_error,
    cli_flags,
    method_options,
    planted_sentences,
    run_kw2v,
    start_kw2v,
    start_python,
    write_corpus,
)

from kw2v import Corpus, Kw2vError, load_model, train
from kw2v.run_folder import BACKUP_DIR, LOCK_FILE, STATE_FILE
from kw2v.vectors import WordVectors

SMALL = {"dim": 8, "min_count": 1, "sample": 0, "batch_size": 256, "window": 3, "verbose": 2}


class StopAt(keras.callbacks.Callback):
    """Raise KeyboardInterrupt when epoch ``epoch`` (0-based) begins: Ctrl-C, in-process."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def _stop(planted, out, at, **kw):
    options = method_options(kw.pop("method", "skipgram"), **{**SMALL, **kw})
    with pytest.raises(KeyboardInterrupt):
        train(planted, out_dir=out, callbacks=[StopAt(at)], **options)
    return _state(out)


def _state(out):
    return json.loads((out / BACKUP_DIR / STATE_FILE).read_text())


@pytest.mark.parametrize("method", METHODS)
def test_resumed_run_equals_an_uninterrupted_one(planted, tmp_path, capsys, method):
    options = method_options(method, **SMALL)
    whole = train(planted, epochs=3, out_dir=tmp_path / "whole", **options)
    assert not (tmp_path / "whole" / BACKUP_DIR).exists()  # removed when the run completes

    out = tmp_path / "stopped"
    state = _stop(planted, out, at=2, epochs=3, method=method)
    assert state["epochs_done"] == 2 and len(state["history"]["loss"]) == 2
    assert sorted(os.listdir(out / BACKUP_DIR)) == ["epoch-2.weights.h5", STATE_FILE, "vocab.tsv"]
    assert not (out / "vectors.bin").exists()
    with pytest.raises(Kw2vError, match="give --epochs 2"):  # fewer than are done
        train(planted, epochs=1, out_dir=out, **options)
    capsys.readouterr()

    resumed = train(planted, epochs=3, out_dir=out, **options)
    printed = capsys.readouterr().out
    assert "resuming from epoch 3 of 3" in printed
    assert "Epoch 1/3" not in printed and "Epoch 2/3" not in printed and "Epoch 3/3" in printed
    # The same weights, optimizer state and (seed, epoch) data stream: the same vectors.
    np.testing.assert_array_equal(resumed.vectors.vectors, whole.vectors.vectors)
    np.testing.assert_allclose(resumed.history["loss"], whole.history["loss"], rtol=1e-6)
    assert not (out / BACKUP_DIR).exists()
    run = json.loads((out / "run.json").read_text())
    assert len(run["history"]["loss"]) == 3 and run["config"]["epochs"] == 3
    assert WordVectors.load_word2vec(out / "vectors.bin").words == whole.vectors.words


def test_other_options_are_refused_and_more_epochs_resume(planted, tmp_path, capsys):
    out = tmp_path / "run"
    _stop(planted, out, at=1, epochs=2)
    with pytest.raises(Kw2vError, match=r"1 epoch\(s\) done but other options: --dim 8 \(now 12\)"):
        train(planted, epochs=2, out_dir=out, **{**SMALL, "dim": 12})
    with pytest.raises(Kw2vError, match="another corpus"):
        train(planted_sentences(seed=5), epochs=2, out_dir=out, **SMALL)
    assert _state(out)["epochs_done"] == 1  # a refused run leaves the backup alone
    capsys.readouterr()
    result = train(planted, epochs=3, out_dir=out, **SMALL)  # --epochs may grow
    assert "resuming from epoch 2 of 3" in capsys.readouterr().out
    assert len(result.history["loss"]) == 3


def test_command_line_refuses_other_options_before_tensorflow(planted, tmp_path):
    out = tmp_path / "run"
    _stop(planted, out, at=1, epochs=2)
    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat\n")
    proc = run_kw2v("train", "--corpus", str(corpus), "--out", str(out), timeout=60)
    assert_user_error(proc, "other options: --dim 8 (now 100)", f"delete {out / BACKUP_DIR}")


def test_run_stopped_in_its_first_epoch_starts_afresh(planted, tmp_path, capsys):
    out = tmp_path / "run"
    assert _stop(planted, out, at=0, epochs=2)["epochs_done"] == 0
    capsys.readouterr()
    result = train(planted, epochs=1, out_dir=out, **{**SMALL, "dim": 4})  # nothing to lose
    assert "resuming" not in capsys.readouterr().out and result.vectors.dim == 4


def test_run_stopped_after_its_last_epoch_only_writes_results(planted, tmp_path, capsys):
    class StopAtEnd(keras.callbacks.Callback):
        def on_train_end(self, logs=None):
            raise KeyboardInterrupt

    out = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        train(planted, epochs=1, out_dir=out, callbacks=[StopAtEnd()], **SMALL)
    capsys.readouterr()
    result = train(planted, epochs=1, out_dir=out, **SMALL)
    printed = capsys.readouterr().out
    assert "all 1 epochs were done" in printed and "Epoch 1/1" not in printed
    assert WordVectors.load_word2vec(out / "vectors.bin").words == result.vectors.words


def test_damaged_backup_is_refused_with_the_fix(planted, tmp_path):
    state = tmp_path / "run" / BACKUP_DIR / STATE_FILE
    state.parent.mkdir(parents=True)
    state.write_text('{"format": 1, "epochs_do')
    with pytest.raises(Kw2vError, match="cannot be read.*delete that folder"):
        train(planted, epochs=1, out_dir=tmp_path / "run", **SMALL)


def test_model_keras_loads_with_safe_mode(planted, tmp_path):
    result = train(planted, epochs=1, out_dir=tmp_path, **SMALL)
    model = load_model(tmp_path)
    x = {"target": np.array([1, 2]), "context": np.array([[3, 4], [5, 6]])}
    np.testing.assert_allclose(model.predict(x, verbose=0), result.model.predict(x, verbose=0))
    # No layer or function in the file that would run code when loaded.
    with zipfile.ZipFile(tmp_path / "model.keras") as zf:
        config = json.loads(zf.read("config.json"))
    classes = set()

    def walk(node):
        if isinstance(node, dict):
            classes.add(node.get("class_name"))
            list(map(walk, node.values()))
        elif isinstance(node, list):
            list(map(walk, node))

    walk(config)
    assert "Embedding" in classes and "RowAdagrad" in classes
    assert not classes & {"Lambda", "__lambda__", "__function__", "__python_object__"}


def test_load_model_refuses_a_file_that_would_run_code(tmp_path):
    inputs = keras.Input((2,))
    outputs = keras.layers.Lambda(lambda x: x * 2)(inputs)
    keras.Model(inputs, outputs).save(tmp_path / "model.keras")
    with pytest.raises(Kw2vError, match="cannot load .*(unsafe|safe_mode)"):
        load_model(tmp_path)


# --------------------------------------------------------------------------- real processes


def _train_command(corpus, out, epochs=4, method="skipgram"):
    options = {"dim": 16, "min_count": 1, "sample": 0, "window": 3, "batch_size": 64}
    return [
        *("train", "--corpus", str(corpus), "--out", str(out), "--epochs", str(epochs)),
        *cli_flags(method_options(method, **options)),
    ]


def _read_until(proc, prefix, timeout=240):
    """Lines of stdout up to and including the first that starts with ``prefix``."""
    lines, deadline = [], time.monotonic() + timeout
    for line in proc.stdout:
        lines.append(line)
        if line.startswith(prefix):
            return lines
        assert time.monotonic() < deadline, "".join(lines)
    raise AssertionError(f"no line starting {prefix!r}:\n{''.join(lines)}{proc.stderr.read()}")


def _gensim_loads(path):
    from gensim.models import KeyedVectors

    return KeyedVectors.load_word2vec_format(path, binary=True)


@pytest.mark.parametrize("method", [*METHODS, *ON_DEVICE])
def test_sigkill_during_epoch_2_then_the_same_command_resumes(tmp_path, method):
    """And while the first run trains, a second one into its folder is refused at once."""
    corpus, out = tmp_path / "words.txt", tmp_path / "run"
    # 500 words at random: GloVe's matrix then has ~10^5 entries, epochs of a second or so.
    rng = np.random.default_rng(0)
    words = rng.integers(500, size=(3_000, 10))
    write_corpus(corpus, [[f"w{i}" for i in line] for line in words])
    args = _train_command(corpus, out, method=method)

    proc = start_kw2v(*args)
    _read_until(proc, "Epoch 2/4")  # epoch 1 is saved before epoch 2 begins
    proc.send_signal(signal.SIGSTOP)  # frozen in epoch 2, holding the folder's lock
    second = run_kw2v(*args, timeout=60)
    assert_user_error(second, f"another kw2v run (pid {proc.pid}) is training into {out}")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    done = _state(out)["epochs_done"]
    assert 1 <= done < 4
    assert (out / LOCK_FILE).exists()  # left behind, but released by the killed process

    proc = start_kw2v(*args)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert f"resuming from epoch {done + 1} of 4" in stdout
    assert "Epoch 1/4" not in stdout and "Epoch 4/4" in stdout
    assert "Traceback" not in stdout + stderr
    kv = _gensim_loads(out / "vectors.bin")
    assert len(kv) == len(np.unique(words)) and kv.vector_size == 16
    assert not (out / BACKUP_DIR).exists()
    assert len(json.loads((out / "run.json").read_text())["history"]["loss"]) == 4
    # The same vectors as a run that was never stopped (in this process, same options).
    config = json.loads((out / "run.json").read_text())["config"]
    whole = train(Corpus(corpus), verbose=0, **config)
    np.testing.assert_array_equal(kv.vectors, whole.vectors.vectors)


def test_ctrl_c_exits_130_with_the_command_that_resumes(tmp_path):
    """Ctrl-C is sent once epoch 2 has begun; the run has 50 epochs, so it can only pass if
    the interrupt is honoured, however slow the machine (no timing in the test)."""
    corpus, out = tmp_path / "planted.txt", tmp_path / "run"
    write_corpus(corpus, planted_sentences(3_000, 10))
    args = _train_command(corpus, out, epochs=50)

    proc = start_kw2v(*args)
    _read_until(proc, "Epoch 2/50")
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    (line,) = stderr.splitlines()
    assert line.startswith("kw2v: interrupted; ") and "Traceback" not in stdout
    assert f"are saved in {out / BACKUP_DIR}; resume with: " in line
    assert "Epoch 4/50" not in stdout  # stopped in epoch 2, or 3 at worst

    # The printed command is this one, ready to paste: same Python, same arguments.
    command = shlex.split(line.split("resume with: ", 1)[1])
    assert command[1:3] == ["-m", "kw2v"] and command[3:] == args
    python = shutil.which(command[0]) or command[0]
    assert os.path.realpath(python) == os.path.realpath(sys.executable)


def _cli_train(tmp_path, planted, *extra):
    from kw2v.cli import main

    corpus = tmp_path / "planted.txt"
    write_corpus(corpus, planted)
    argv = ["train", "--corpus", str(corpus), "--out", str(tmp_path / "run"), "--epochs", "1"]
    return main([*argv, "--dim", "4", "--min-count", "1", "--sample", "0", *extra])


def test_ctrl_c_while_reading_the_corpus_says_start_again(planted, tmp_path, monkeypatch, capsys):
    from kw2v.vocab import Vocabulary

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Vocabulary, "build", interrupted)
    assert _cli_train(tmp_path, planted) == 130
    line = capsys.readouterr().err.splitlines()[-1]
    assert line.startswith("kw2v: interrupted before the first epoch ended; start again with: ")


# Keras's numpy-2 DeprecationWarnings are hidden outside pytest; here the CLI would print them.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_ctrl_c_during_the_final_save_finishes_it_and_says_complete(
    planted, tmp_path, monkeypatch, capsys
):
    """SIGINT arriving while the results are written: they are written whole, then the run
    stops with 130 and says it is complete."""
    import kw2v.training

    save_run = kw2v.training.save_run

    def save_and_ctrl_c(result, out):
        os.kill(os.getpid(), signal.SIGINT)  # a real signal, to this process
        save_run(result, out)

    monkeypatch.setattr(kw2v.training, "save_run", save_and_ctrl_c)
    assert _cli_train(tmp_path, planted) == 130
    # ours is the one kw2v line (run alone, this test also catches TensorFlow's device probe)
    (line,) = [s for s in capsys.readouterr().err.splitlines() if s.startswith("kw2v:")]
    assert (
        line
        == f"kw2v: interrupted after the run was complete; its results are in {tmp_path / 'run'}"
    )
    assert _gensim_loads(tmp_path / "run" / "vectors.bin").vector_size == 4
    assert not (tmp_path / "run" / BACKUP_DIR).exists()


_WRITER = """
import sys
import numpy as np
from kw2v.vectors import WordVectors
rng = np.random.default_rng(0)
wv = WordVectors([f"w{i}" for i in range(20000)], rng.normal(size=(20000, 50)))
while True:
    wv.save_word2vec(sys.argv[1])
    print("saved", flush=True)
"""


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.13])
def test_sigkill_while_saving_vectors_leaves_a_complete_file(tmp_path, delay):
    path = tmp_path / "vectors.bin"
    proc = start_python("-c", _WRITER, str(path))
    assert proc.stdout.readline() == "saved\n"
    time.sleep(delay)  # somewhere inside a later save
    proc.kill()
    proc.wait(timeout=30)
    kv = _gensim_loads(path)
    assert len(kv) == 20000 and kv.vector_size == 50
    # At most the hidden temporary file of the save that was cut short.
    others = [p.name for p in tmp_path.iterdir() if p.name != "vectors.bin"]
    assert all(n.startswith(".vectors.bin.") and n.endswith(".tmp") for n in others), others


def test_checkpoint_that_cannot_be_written_is_one_line(planted, tmp_path, monkeypatch, capsys):
    """An error in the checkpoint callback, inside fit, still reaches the user as one line."""
    import errno

    import kw2v.run_folder
    from kw2v.cli import main

    def disk_full(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(kw2v.run_folder, "atomic_path", disk_full)
    corpus = tmp_path / "planted.txt"
    write_corpus(corpus, planted)
    argv = ["train", "--corpus", str(corpus), "--out", str(tmp_path / "run"), "--epochs", "1"]
    assert main([*argv, "--dim", "4", "--min-count", "1", "--sample", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot save the checkpoint" in err and "No space" in err
