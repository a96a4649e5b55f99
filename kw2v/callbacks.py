"""Keras callbacks for ``fit``: probe words and Ctrl-C (which :func:`kw2v.train` adds), and
the vectors saved after every epoch (``train --epoch-vectors``).

Any other ``keras.callbacks.Callback`` can be passed to :func:`kw2v.train` as well.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import keras

from kw2v import distribute
from kw2v.embeddings import model_vectors
from kw2v.files import save_epoch_vectors
from kw2v.vocab import Vocabulary


class NeighborsCallback(keras.callbacks.Callback):
    """Print the nearest neighbours of a few probe words at the end of each epoch.

    Watching "king" gather "queen" and "prince" is the quickest check that training works.
    Works with every model kw2v builds. Introduced in notebook 03.

    Parameters
    ----------
    vocab : Vocabulary
    words : sequence of str
        Probe words; those not in the vocabulary are skipped.
    topn : int
    every : int
        Print every ``every`` epochs.
    output_vectors : {"target+context", "target"}
        The vectors to look in (:func:`kw2v.word_tables`); :func:`kw2v.train` passes
        the run's.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        words: Sequence[str],
        topn: int = 5,
        every: int = 1,
        output_vectors: str = "target+context",
    ):
        super().__init__()
        self.vocab, self.topn, self.every = vocab, topn, every
        self.words = [w for w in words if w in vocab]
        self.output_vectors = output_vectors

    def on_epoch_end(self, epoch, logs=None):
        if not self.words or (epoch + 1) % self.every:
            return
        wv = model_vectors(self.model, self.vocab, self.output_vectors)
        for word in self.words:
            near = ", ".join(w for w, _ in wv.most_similar(word, topn=self.topn))
            print(f"  epoch {epoch + 1}: {word} → {near}", flush=True)


class CtrlC(keras.callbacks.Callback):
    """Ctrl-C during training stops it at the next safe point, never lost.

    Python turns SIGINT into ``KeyboardInterrupt`` at the next Python line the main thread
    runs. Inside ``fit`` that can be after a long graph call, in TensorFlow's clean-up code
    (a ``__del__``, where Python prints "Exception ignored" and goes on): the run then
    finishes as if nothing happened. Inside :meth:`deferred`, SIGINT only sets a flag, and
    this callback raises ``KeyboardInterrupt`` after the current batch (one graph call of
    ``steps_per_execution`` steps) or epoch, or at the end of the block. Pressed twice, it
    raises at once. Introduced in notebook 04.
    """

    def __init__(self):
        super().__init__()
        self.requested = False

    @contextlib.contextmanager
    def deferred(self):
        """Note Ctrl-C instead of raising it, within the ``with`` block; raise it at its end."""
        if threading.current_thread() is not threading.main_thread():
            yield  # signal handlers can only be set in the main thread
            return
        previous = signal.signal(signal.SIGINT, self._note)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous or signal.default_int_handler)
        self.check()

    def _note(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt  # the second Ctrl-C: now
        self.requested = True

    def check(self) -> None:
        """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed: a safe point to stop at."""
        if self.requested:
            raise KeyboardInterrupt

    def on_train_batch_end(self, batch, logs=None):
        self.check()

    def on_epoch_begin(self, epoch, logs=None):
        self.check()

    def on_epoch_end(self, epoch, logs=None):
        self.check()


class EpochVectors(keras.callbacks.Callback):
    """Save the word vectors and the time after every epoch, to follow quality against time.

    For convergence studies (how many epochs are worth it) and ``kw2v bench``'s
    time-to-quality curve. After epoch N it writes ``directory/epoch-N.bin`` (word2vec binary,
    the vectors :func:`kw2v.model_vectors` gives, like the run folder's ``vectors.bin``)
    and adds the unix time at which the epoch ended to ``directory/epochs.json``
    (:func:`kw2v.files.save_epoch_vectors`). Works with every model kw2v builds. Under a
    multi-worker strategy only the chief writes. ``kw2v.train(epoch_vectors=DIR)`` and
    ``kw2v train --epoch-vectors DIR`` add it with the run's vocabulary.

    Parameters
    ----------
    directory : path
        Created if missing.
    vocab : Vocabulary
        The run's vocabulary.
    output_vectors : {"target+context", "target"}
        The vectors to save (:func:`kw2v.word_tables`); give the run's.
    """

    def __init__(
        self,
        directory: str | os.PathLike,
        vocab: Vocabulary,
        output_vectors: str = "target+context",
    ):
        super().__init__()
        self.directory, self.vocab, self.output_vectors = Path(directory), vocab, output_vectors
        self.writes = True

    def on_train_begin(self, logs=None):
        strategy = getattr(self.model, "distribute_strategy", None)  # TensorFlow's Keras only
        self.writes = distribute.is_chief(strategy)

    def on_epoch_end(self, epoch, logs=None):
        ended = time.time()  # before writing: the snapshot is not part of the epoch
        if not self.writes:
            return
        wv = model_vectors(self.model, self.vocab, self.output_vectors)
        save_epoch_vectors(self.directory, epoch + 1, wv.words, wv.vectors, ended)
