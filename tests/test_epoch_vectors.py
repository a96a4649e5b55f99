"""Vectors after every epoch: ``train --epoch-vectors`` for every method, the files, the chief."""

import json
import time
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import METHODS, cli_flags, method_options, planted_sentences, write_corpus

from kw2v import Vocabulary, WordVectors
from kw2v.callbacks import EpochVectors
from kw2v.cli import main
from kw2v.files import read_epoch_vectors, save_epoch_vectors


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("epochs") / "planted.txt"
    write_corpus(path, planted_sentences(400))
    return path


@pytest.mark.parametrize("method", METHODS)
def test_train_writes_the_vectors_and_time_of_every_epoch(corpus_file, tmp_path, method):
    options = method_options(method, dim=8, epochs=2, min_count=1, sample=0, batch_size=256)
    out, epochs = tmp_path / "run", tmp_path / "epochs"
    started = time.time()
    argv = ["train", "--corpus", str(corpus_file), "--out", str(out), "--epoch-vectors"]
    assert main([*argv, str(epochs), *cli_flags(options)]) == 0
    finished = time.time()
    saved = read_epoch_vectors(epochs)
    assert [epoch for epoch, _, _ in saved] == [1, 2]
    (_, t1, first), (_, t2, last) = saved
    assert started < t1 < t2 < finished  # absolute unix times, in order
    final = WordVectors.load_word2vec(out / "vectors.bin")
    after_2 = WordVectors.load_word2vec(last)
    # the last epoch's file is the run's vectors: same words, same table (E or E + Θ)
    assert after_2.words == final.words and len(final) == 32
    np.testing.assert_array_equal(after_2.vectors, final.vectors)
    after_1 = WordVectors.load_word2vec(first)
    assert after_1.words == final.words and not np.allclose(after_1.vectors, final.vectors)


def test_a_new_run_replaces_stale_epochs_and_a_resumed_one_keeps_its_own(tmp_path):
    words, vectors = ["a", "b"], np.eye(2, dtype=np.float32)
    for epoch in (1, 2, 3):  # an earlier, longer run into the same folder
        save_epoch_vectors(tmp_path, epoch, words, vectors * epoch, 100.0 + epoch)
    save_epoch_vectors(tmp_path, 1, words, vectors, 200.0)  # a new run's first epoch
    assert [(e, t) for e, t, _ in read_epoch_vectors(tmp_path)] == [(1, 200.0)]
    save_epoch_vectors(tmp_path, 2, words, vectors, 201.0)  # resumed after epoch 1
    assert [(e, t) for e, t, _ in read_epoch_vectors(tmp_path)] == [(1, 200.0), (2, 201.0)]
    assert json.loads((tmp_path / "epochs.json").read_text())[1] == {"epoch": 2, "time": 201.0}
    assert read_epoch_vectors(tmp_path / "none") == []


def _model_of(chief: bool):
    """A stand-in model whose strategy says whether this process is the chief."""
    extended = SimpleNamespace(should_checkpoint=chief)
    return SimpleNamespace(distribute_strategy=SimpleNamespace(extended=extended))


def test_only_the_chief_writes(tmp_path):
    vocab = Vocabulary(["a", "b"], [3, 2])
    worker = EpochVectors(tmp_path / "epochs", vocab)
    worker.set_model(_model_of(chief=False))
    worker.on_train_begin()
    worker.on_epoch_end(0)
    assert not (tmp_path / "epochs").exists()


def test_from_python_without_a_run_folder(tmp_path):
    from kw2v import train

    corpus = planted_sentences(400)
    result = train(corpus, epoch_vectors=tmp_path, dim=8, epochs=2, min_count=1, verbose=0)
    (_, _, path) = read_epoch_vectors(tmp_path)[-1]
    np.testing.assert_array_equal(WordVectors.load_word2vec(path).vectors, result.vectors.vectors)
