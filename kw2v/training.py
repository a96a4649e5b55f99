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

import keras

from kw2v import distribute
from kw2v.callbacks import CtrlC, NeighborsCallback
from kw2v.config import TrainConfig
from kw2v.methods import Method, method_for
from kw2v.model import model_vectors
from kw2v.optimizers import RowAdagrad
from kw2v.pipeline import ExamplePipeline, encode_corpus
from kw2v.run_folder import RunBackup, prepare_out_dir, run_folder_locked, save_run
from kw2v.vectors import WordVectors
from kw2v.vocab import Vocabulary


def compile_model(
    model: keras.Model,
    loss,
    learning_rate: float = 0.1,
    *,
    jit_compile: bool = True,
    steps_per_execution: int = 32,
) -> keras.Model:
    """Compile for speed: row-wise sparse Adagrad, XLA, 32 steps per call; ``loss`` is the
    method's (:attr:`kw2v.methods.Method.loss`).

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


def compile_skipgram(
    model: keras.Model,
    learning_rate: float = 0.1,
    *,
    jit_compile: bool = True,
    steps_per_execution: int = 32,
) -> keras.Model:
    """:func:`compile_model` with skip-gram's loss, binary cross-entropy. Introduced in
    notebook 04."""
    return compile_model(
        model,
        "binary_crossentropy",
        learning_rate,
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
    )


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

    ``config.model`` and ``config.loss`` choose the method (:mod:`kw2v.methods`): skip-gram
    or CBOW with negative sampling or hierarchical softmax, or GloVe.

    Parameters
    ----------
    corpus : iterable of list of str
        Re-iterable sentences, e.g. :class:`kw2v.Corpus`; read twice (count, then encode).
    config : TrainConfig, optional
        Defaults if omitted; keyword ``overrides`` replace single fields (``epochs=1``,
        ``model="cbow"``, ``loss="hierarchical"``).
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
    config = dataclasses.replace(config or TrainConfig(), **overrides).validate()
    method = method_for(config.model, config.loss)
    # First: logical devices and multi-worker collectives must be set up before TF starts.
    strategy = distribute.make_strategy(config.strategy, config.logical_cpus)
    distribute.check_batch_size(strategy, config.batch_size)
    verbose = (1 if sys.stdout.isatty() else 2) if verbose == "auto" else verbose
    out = prepare_out_dir(out_dir) if distribute.is_chief(strategy) else None
    with run_folder_locked(out):
        backup = RunBackup(out, config) if out is not None else None  # a stopped run?
        extras = _Extras(probe_words, callbacks, animate, epoch_vectors)
        result = _train(method, corpus, config, strategy, backup, extras, verbose)
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
        extra = [*self.callbacks, *_probes(vocab, self.probe_words, config)]
        if distribute.is_chief(strategy):  # files are written by the chief alone
            if self.animate is not None:
                from kw2v.animation import SpaceAnimation

                extra.append(SpaceAnimation(vocab, path=self.animate))
            if self.epoch_vectors is not None:
                from kw2v.callbacks import EpochVectors

                extra.append(EpochVectors(self.epoch_vectors, vocab, config.output_vectors))
        return extra


def _train(method, corpus, config, strategy, backup, extras: _Extras, verbose):
    """The steps of :func:`train` once its options, strategy and run folder are settled."""
    keras.utils.set_random_seed(config.seed)
    with tempfile.TemporaryDirectory(prefix="kw2v-") as folder:  # removed at the end, or on Ctrl-C
        vocab, ids, starts = _vocabulary(corpus, config, backup, Path(folder) / "ids", verbose)
        return _train_encoded(method, vocab, ids, starts, config, strategy, backup, extras, verbose)


def _train_encoded(method, vocab, ids, starts, config, strategy, backup, extras, verbose):
    """:func:`_train` once the corpus is encoded (and memory-mapped from its file)."""
    start = time.perf_counter()
    pipeline = method.pipeline(config, vocab, ids, starts, verbose)
    pipeline.check_examples()
    ctrl_c = CtrlC()
    with ctrl_c.deferred():  # from here on, Ctrl-C stops at a safe point, never lost
        model = _model(method, config, vocab, pipeline, strategy, verbose)
        extra = extras.callbacks_for(vocab, config, strategy)
        done, history, seconds = _resume(backup, vocab, model, config, extra, verbose)
        with pipeline.errors():
            history = _fit(
                model, pipeline, strategy, config, done, [*extra, ctrl_c], history, verbose
            )
        result = TrainResult(
            model=model,
            vocab=vocab,
            vectors=model_vectors(model, vocab, config.output_vectors),
            history=history,
            config=config,
            tokens=len(ids),
            seconds=seconds + time.perf_counter() - start,
            effective_tokens=round(len(ids) * pipeline.kept_fraction()),
        )
        _finish(result, backup, verbose)
    return result


def _vocabulary(corpus, config: TrainConfig, backup: RunBackup | None, ids_file: Path, verbose):
    """The vocabulary (a stopped run's, checked to match) and the corpus encoded with it into
    ``ids_file``, memory-mapped: memory stays flat however large the corpus."""
    vocab = Vocabulary.build(corpus, min_count=config.min_count, max_size=config.max_vocab)
    if backup is not None:
        vocab = backup.vocabulary(vocab)  # the stopped run's numbering, checked to match
    ids, starts = encode_corpus(corpus, vocab, ids_file)
    if verbose:
        print(
            f"vocabulary: {len(vocab) - 1:,} words seen {config.min_count}+ times, "
            f"covering {len(ids):,} tokens",
            flush=True,
        )
    return vocab, ids, starts


def _model(method: Method, config, vocab, pipeline: ExamplePipeline, strategy, verbose):
    """The method's model, compiled; under a strategy, its variables made once per replica."""
    jit_compile, steps_per_execution = distribute.compile_options(
        strategy, config.jit_compile, min(config.steps_per_execution, pipeline.steps_per_epoch())
    )
    # Keras runs whole executions: an epoch that is not a multiple of steps_per_execution
    # would eat into the next epoch's random stream, and resuming would not be exact.
    pipeline.steps_multiple = steps_per_execution
    with strategy.scope() if strategy else contextlib.nullcontext():
        model = method.build(config, vocab, pipeline)
        compile_model(
            model,
            method.loss,
            config.learning_rate,
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
        )
    if strategy is not None and verbose:
        share = config.batch_size // strategy.num_replicas_in_sync
        print(
            f"{config.strategy}: {strategy.num_replicas_in_sync} replica(s), "
            f"{share} {pipeline.examples} each per step",
            flush=True,
        )
    return model


def _probes(vocab, probe_words, config) -> list[keras.callbacks.Callback]:
    if not probe_words:
        return []
    return [NeighborsCallback(vocab, probe_words, output_vectors=config.output_vectors)]


def _resume(backup: RunBackup | None, vocab, model, config, callbacks: list, verbose):
    """Restore a stopped run into ``model`` and add the checkpoint callback to ``callbacks``.

    Returns the epochs done, their loss history and the seconds they took (0, {}, 0 afresh).
    """
    if backup is None:
        return 0, {}, 0.0
    backup.start(vocab)
    backup.restore(model)
    callbacks.append(backup.callback())
    done = backup.epochs_done
    if backup.resuming and verbose:
        print(
            f"resuming from epoch {done + 1} of {config.epochs}: {done} epoch(s) restored "
            f"from {backup.folder}"
            if done < config.epochs
            else f"resuming: all {done} epochs were done; writing the results",
            flush=True,
        )
    return done, backup.history, backup.seconds


def _fit(model, pipeline: ExamplePipeline, strategy, config, done, callbacks, history, verbose):
    """``model.fit`` from epoch ``done`` to ``config.epochs``; the history of all epochs."""
    history = {k: list(vals) for k, vals in history.items()}
    if done >= config.epochs:
        return history
    dataset = (
        pipeline.dataset(start_epoch=done)
        if strategy is None
        else distribute.distribute_pipeline(strategy, pipeline, start_epoch=done)
    )
    new = model.fit(
        dataset,
        epochs=config.epochs,
        initial_epoch=done,
        steps_per_epoch=pipeline.steps_per_epoch(),
        callbacks=callbacks,
        verbose=verbose,
        shuffle=False,  # the pipeline shuffles within each chunk
    ).history
    for k, vals in new.items():
        history.setdefault(k, []).extend(float(v) for v in vals)
    return history


def _finish(result: TrainResult, backup: RunBackup | None, verbose) -> None:
    """The last line of a run's log; its files written, then its backup removed."""
    if verbose:
        print(
            f"trained {result.config.epochs} epoch(s) in {result.seconds:.1f} s: "
            f"{result.words_per_second:,.0f} corpus words/s, "
            f"{result.effective_words_per_second:,.0f} effective words/s (after subsampling, "
            "as gensim counts them)",
            flush=True,
        )
    if backup is not None:
        save_run(result, backup.folder.parent)
        backup.finish()
