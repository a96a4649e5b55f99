"""Training, the same for every method: corpus → vocabulary → examples → Keras model → ``fit``
→ vectors → run folder.

:func:`train` talks to a method (:mod:`kw2v.methods`) only through its small interface; every
feature here — checkpoints and resuming, strategies, probe words, Ctrl-C, the run folder and
its lock — therefore serves skip-gram and CBOW, negative sampling and hierarchical softmax,
and GloVe alike. Introduced in notebook 04.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import keras

from kw2v import distribute
from kw2v.callbacks import CtrlC, NeighborsCallback
from kw2v.config import TrainConfig
from kw2v.embeddings import model_vectors, word_model
from kw2v.method import Method
from kw2v.methods import resolve
from kw2v.optimizers import RowAdagrad
from kw2v.pipeline import ExamplePipeline
from kw2v.run_folder import RunBackup, prepare_out_dir, run_folder_locked, save_run
from kw2v.vectors import WordVectors
from kw2v.vocab import Vocabulary, encode_corpus


def compile_model(
    model: keras.Model,
    loss,
    learning_rate: float = 0.1,
    *,
    jit_compile: bool = True,
    steps_per_execution: int = 32,
) -> keras.Model:
    """Compile for speed: row-wise sparse Adagrad, XLA, 32 steps per call; ``loss`` is the
    method's (:meth:`kw2v.method.Method.keras_loss`; ``"binary_crossentropy"`` for skip-gram).

    ``steps_per_execution`` runs many steps inside one graph call, so Python is not in the
    loop per batch; XLA fuses the gathers, dots and scatters of one step. Introduced in
    notebook 04.
    """
    model.compile(
        optimizer=RowAdagrad(learning_rate),
        loss=loss,
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
    )
    return model


@dataclasses.dataclass
class TrainResult:
    """What :func:`train` returns: the model, its vocabulary, the vectors and the loss history.

    ``seconds`` counts making the examples (GloVe's counting included) and ``fit``, over
    every run of a resumed training. ``tokens`` counts the corpus words in the vocabulary;
    ``effective_tokens`` those expected to survive subsampling, as gensim's logs count
    "effective words" (equal to ``tokens`` for GloVe, which does not subsample).
    """

    model: keras.Model
    vocab: Vocabulary
    vectors: WordVectors
    history: dict[str, list[float]]
    config: TrainConfig
    tokens: int
    seconds: float
    effective_tokens: int

    @property
    def words_per_second(self) -> float:
        """Corpus tokens (after dropping rare words) times epochs, per second of training."""
        return self.tokens * self.config.epochs / max(self.seconds, 1e-9)

    @property
    def effective_words_per_second(self) -> float:
        """Tokens surviving subsampling times epochs, per second: gensim's "effective words"."""
        return self.effective_tokens * self.config.epochs / max(self.seconds, 1e-9)


def train(
    corpus: Iterable[Sequence[str]],
    config: TrainConfig | None = None,
    *,
    out_dir: str | Path | None = None,
    probe_words: Sequence[str] = (),
    callbacks: Sequence[keras.callbacks.Callback] = (),
    animate: str | Path | None = None,
    epoch_vectors: str | Path | None = None,
    verbose: int | str = "auto",
    **overrides,
) -> TrainResult:
    """Train word vectors on a corpus with ``model.fit``, by any of kw2v's five methods.

    ``config.architecture`` and ``config.objective`` choose the method (:mod:`kw2v.methods`):
    skip-gram or CBOW with negative sampling or hierarchical softmax, or GloVe.

    Parameters
    ----------
    corpus : iterable of list of str
        Re-iterable sentences, e.g. :class:`kw2v.Corpus`; read twice (count, then encode).
    config : TrainConfig, optional
        Defaults if omitted; keyword ``overrides`` replace single fields (``epochs=1``,
        ``architecture="cbow"``, ``objective="hierarchical"``).
    out_dir : path, optional
        The run folder (:mod:`kw2v.run_folder`): locked while the run trains; a checkpoint
        after every epoch in ``out_dir/backup/``, so that the same call after an interruption
        resumes at the last finished epoch; at the end ``vectors.bin`` (word2vec binary),
        ``vocab.tsv``, ``run.json`` and ``model.keras``. Under ``config.strategy ==
        "multiworker"`` only the chief writes.
    probe_words : sequence of str
        Print their nearest neighbours after each epoch.
    callbacks : sequence of keras.callbacks.Callback
        More callbacks for ``fit``.
    animate : path, optional
        Write a film of probe word groups forming (:class:`kw2v.SpaceAnimation`) there,
        ``.gif`` or ``.mp4``.
    epoch_vectors : path, optional
        Save the vectors and the time after every epoch in this folder
        (:class:`kw2v.EpochVectors`), to follow quality against time.
    verbose : "auto", 0, 1 or 2
        "auto": a progress bar on a terminal, else one line per epoch.

    Returns
    -------
    TrainResult

    Raises
    ------
    Kw2vError
        Bad options or an option the method does not use, an empty corpus, no word reaching
        ``min_count``, too few training examples, an output folder in use by another run or
        holding a stopped run with other options. Introduced in notebook 04.
    KeyboardInterrupt
        Ctrl-C, at the next safe point; the finished epochs are kept in ``out_dir/backup/``.
    """
    method, config = resolve(dataclasses.replace(config or TrainConfig(), **overrides))
    # First: logical devices and multi-worker collectives must be set up before TF starts.
    strategy = distribute.make_strategy(config.strategy, config.logical_cpus)
    distribute.check_batch_size(strategy, config.batch_size)
    config = distribute.compile_options(strategy, config)
    verbose = (1 if sys.stdout.isatty() else 2) if verbose == "auto" else verbose
    out = prepare_out_dir(out_dir) if distribute.is_chief(strategy) else None
    with run_folder_locked(out):
        backup = RunBackup(out, config) if out is not None else None  # a stopped run?
        extras = _Extras(probe_words, callbacks, animate, epoch_vectors)
        result = _Run(method, config, strategy, backup, extras, verbose).train(corpus)
    distribute.wait_for_workers(strategy)
    return result


@dataclasses.dataclass
class _Extras:
    """What a run does besides training: :func:`train`'s probes, callbacks and files."""

    probe_words: Sequence[str]
    callbacks: Sequence[keras.callbacks.Callback]
    animate: str | Path | None
    epoch_vectors: str | Path | None

    def callbacks_for(self, vocab, config, strategy) -> list[keras.callbacks.Callback]:
        """The callbacks of a run whose vocabulary is ``vocab``."""
        extra = list(self.callbacks)
        if self.probe_words:
            extra.append(
                NeighborsCallback(vocab, self.probe_words, output_vectors=config.output_vectors)
            )
        if distribute.is_chief(strategy):  # files are written by the chief alone
            if self.animate is not None:
                from kw2v.animation import SpaceAnimation

                extra.append(SpaceAnimation(vocab, path=self.animate))
            if self.epoch_vectors is not None:
                from kw2v.callbacks import EpochVectors

                extra.append(EpochVectors(self.epoch_vectors, vocab, config.output_vectors))
        return extra


@dataclasses.dataclass
class _Run:
    """One training run once its options, strategy and run folder are settled: what each of
    its steps needs, in one place."""

    method: Method
    config: TrainConfig
    strategy: Any  # a tf.distribute.Strategy, or None
    backup: RunBackup | None
    extras: _Extras
    verbose: int

    def train(self, corpus) -> TrainResult:
        """Corpus → vocabulary → examples → model → ``fit`` → vectors → run folder."""
        keras.utils.set_random_seed(self.config.seed)
        with tempfile.TemporaryDirectory(prefix="kw2v-") as folder:  # removed at the end
            vocab, ids, starts = self.encode(corpus, Path(folder) / "ids")
            start = time.perf_counter()
            pipeline = self.method.pipeline(self.config, vocab, ids, starts, self.verbose)
            pipeline.check_examples()
            ctrl_c = CtrlC()
            with ctrl_c.deferred():  # from here on, Ctrl-C stops at a safe point, never lost
                model = self.model(vocab, pipeline)
                callbacks = self.extras.callbacks_for(vocab, self.config, self.strategy)
                done, history, seconds = self.resume(vocab, model, callbacks)
                with pipeline.errors():
                    history = self.fit(model, pipeline, done, [*callbacks, ctrl_c], history)
                result = TrainResult(
                    model=word_model(model),
                    vocab=vocab,
                    vectors=model_vectors(model, vocab, self.config.output_vectors),
                    history=history,
                    config=self.config,
                    tokens=len(ids),
                    seconds=seconds + time.perf_counter() - start,
                    effective_tokens=round(len(ids) * pipeline.kept_fraction()),
                )
                self.finish(result)
        return result

    def encode(self, corpus, ids_file: Path):
        """The vocabulary (a stopped run's, checked to match) and the corpus encoded with it
        into ``ids_file``, memory-mapped: memory stays flat however large the corpus."""
        config = self.config
        vocab = Vocabulary.build(corpus, min_count=config.min_count, max_size=config.max_vocab)
        if self.backup is not None:
            vocab = self.backup.vocabulary(vocab)  # the stopped run's numbering, checked
        ids, starts = encode_corpus(corpus, vocab, ids_file)
        if self.verbose:
            print(
                f"vocabulary: {len(vocab) - 1:,} words seen {config.min_count}+ times, "
                f"covering {len(ids):,} tokens",
                flush=True,
            )
        return vocab, ids, starts

    def model(self, vocab, pipeline: ExamplePipeline) -> keras.Model:
        """The method's model, compiled; under a strategy, its variables made once per replica."""
        strategy = self.strategy
        with strategy.scope() if strategy else contextlib.nullcontext():
            model = pipeline.training_model(self.method.build(self.config, vocab, pipeline))
            compile_model(
                model,
                self.method.keras_loss(),
                self.config.learning_rate,
                jit_compile=self.config.jit_compile,
                steps_per_execution=pipeline.execution_steps(),
            )
        if strategy is not None and self.verbose:
            share = self.config.batch_size // strategy.num_replicas_in_sync
            print(
                f"{self.config.strategy}: {strategy.num_replicas_in_sync} replica(s), "
                f"{share} {pipeline.examples} each per step",
                flush=True,
            )
        return model

    def resume(self, vocab, model, callbacks: list):
        """Restore a stopped run into ``model`` and add the checkpoint callback to ``callbacks``.

        Returns the epochs done, their loss history and the seconds they took (0, {}, 0 afresh).
        """
        backup = self.backup
        if backup is None:
            return 0, {}, 0.0
        backup.start(vocab)
        backup.restore(model)
        callbacks.append(backup.callback())
        done, epochs = backup.epochs_done, self.config.epochs
        if backup.resuming and self.verbose:
            print(
                f"resuming from epoch {done + 1} of {epochs}: {done} epoch(s) restored "
                f"from {backup.folder}"
                if done < epochs
                else f"resuming: all {done} epochs were done; writing the results",
                flush=True,
            )
        return done, backup.history, backup.seconds

    def fit(self, model, pipeline: ExamplePipeline, done: int, callbacks, history):
        """``model.fit`` from epoch ``done`` to the last; the history of all epochs."""
        history = {k: list(vals) for k, vals in history.items()}
        if done >= self.config.epochs:
            return history
        data = pipeline.fit_arguments(done, self.config.epochs)
        if self.strategy is not None:
            data["x"] = distribute.distribute_pipeline(self.strategy, pipeline, start_epoch=done)
        new = model.fit(**data, callbacks=callbacks, verbose=self.verbose).history
        for k, vals in new.items():
            history.setdefault(k, []).extend(float(v) for v in vals)
        return history

    def finish(self, result: TrainResult) -> None:
        """The last line of a run's log; its files written, then its backup removed."""
        if self.verbose:
            print(
                f"trained {result.config.epochs} epoch(s) in {result.seconds:.1f} s: "
                f"{result.words_per_second:,.0f} corpus words/s, "
                f"{result.effective_words_per_second:,.0f} effective words/s (after "
                "subsampling, as gensim counts them)",
                flush=True,
            )
        if self.backup is not None:
            save_run(result, self.backup.folder.parent)
            self.backup.finish()
