"""Training: corpus → vocabulary → streaming pairs → Keras model → ``fit`` → vectors."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import keras

from kw2v import distribute
from kw2v.checkpoint import RunBackup, prepare_out_dir
from kw2v.config import TrainConfig
from kw2v.errors import Kw2vError
from kw2v.io import atomic_path, atomic_write
from kw2v.model import build_skipgram_model, embedding_weights
from kw2v.optimizers import RowAdagrad
from kw2v.pipeline import SkipGramPipeline, encode_corpus
from kw2v.vectors import WordVectors
from kw2v.vocab import Vocabulary


def compile_skipgram(
    model: keras.Model,
    learning_rate: float = 0.1,
    *,
    jit_compile: bool = True,
    steps_per_execution: int = 32,
) -> keras.Model:
    """Compile for speed: row-wise sparse Adagrad, binary cross-entropy, XLA, 32 steps per call.

    ``steps_per_execution`` runs many steps inside one graph call, so Python is not in the
    loop per batch; XLA fuses the gathers, dots and scatters of one step. Introduced in
    notebook 04.
    """
    model.compile(
        optimizer=RowAdagrad(learning_rate),
        loss="binary_crossentropy",
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
    )
    return model


def model_vectors(
    model: keras.Model, vocab: Vocabulary, output_vectors: str = "target+context"
) -> WordVectors:
    """The word vectors of a trained model, reserved index 0 left out.

    ``"target+context"`` adds the two tables (the default, see :class:`TrainConfig`);
    ``"target"`` keeps the target table alone. With a shared table both are the same
    direction. Introduced in notebook 03.
    """
    weights = embedding_weights(model, "target")
    if output_vectors == "target+context" and "context_embedding" in [
        layer.name for layer in model.layers
    ]:
        weights = weights + embedding_weights(model, "context")
    return WordVectors(vocab.words[1:], weights[1:], counts=vocab.counts[1:].tolist())


class NeighborsCallback(keras.callbacks.Callback):
    """Print the nearest neighbours of a few probe words at the end of each epoch.

    Watching "king" gather "queen" and "prince" is the quickest check that training works.
    Introduced in notebook 03.

    Parameters
    ----------
    vocab : Vocabulary
    words : sequence of str
        Probe words; those not in the vocabulary are skipped.
    topn : int
    every : int
        Print every ``every`` epochs.
    """

    def __init__(self, vocab: Vocabulary, words: Sequence[str], topn: int = 5, every: int = 1):
        super().__init__()
        self.vocab, self.topn, self.every = vocab, topn, every
        self.words = [w for w in words if w in vocab]

    def on_epoch_end(self, epoch, logs=None):
        if not self.words or (epoch + 1) % self.every:
            return
        wv = model_vectors(self.model, self.vocab)
        for word in self.words:
            near = ", ".join(w for w, _ in wv.most_similar(word, topn=self.topn))
            print(f"  epoch {epoch + 1}: {word} → {near}", flush=True)


@dataclasses.dataclass
class TrainResult:
    """What :func:`train` returns: the model, its vocabulary, the vectors and the loss history."""

    model: keras.Model
    vocab: Vocabulary
    vectors: WordVectors
    history: dict[str, list[float]]
    config: TrainConfig
    tokens: int
    seconds: float

    @property
    def words_per_second(self) -> float:
        """Corpus tokens (after dropping rare words) times epochs, per second of training."""
        return self.tokens * self.config.epochs / max(self.seconds, 1e-9)


def train(
    corpus: Iterable[Sequence[str]],
    config: TrainConfig | None = None,
    *,
    out_dir: str | os.PathLike | None = None,
    probe_words: Sequence[str] = (),
    callbacks: Sequence[keras.callbacks.Callback] = (),
    animate: str | os.PathLike | None = None,
    verbose: int | str = "auto",
    **overrides,
) -> TrainResult:
    """Train skip-gram with negative sampling on a corpus with ``model.fit``.

    Parameters
    ----------
    corpus : iterable of list of str
        Re-iterable sentences, e.g. :class:`kw2v.Corpus`; read twice (count, then encode).
    config : TrainConfig, optional
        Defaults if omitted; keyword ``overrides`` replace single fields (``epochs=1``).
    out_dir : path, optional
        If given: ``vectors.bin`` (word2vec binary), ``vocab.tsv``, ``run.json`` and
        ``model.keras`` are written there, and a checkpoint after every epoch in
        ``out_dir/backup/`` (see :mod:`kw2v.checkpoint`): run again with the same
        ``out_dir`` after an interruption and training resumes at the last finished epoch. Under
        ``config.strategy == "multiworker"`` only the chief writes.
    probe_words : sequence of str
        Print their nearest neighbours after each epoch.
    callbacks : sequence of keras.callbacks.Callback
        Passed to ``fit``.
    animate : path, optional
        Write a film of the probe groups' vectors forming (:class:`kw2v.SpaceAnimation`)
        there, ``.gif`` or ``.mp4``.
    verbose : "auto", 0, 1 or 2
        "auto": a progress bar on a terminal, else one line per epoch.

    Returns
    -------
    TrainResult

    Raises
    ------
    Kw2vError
        Bad options, an empty corpus, no word reaching ``min_count``, no training pairs, an
        output folder holding a stopped run with other options. Introduced in notebook 04.
    """
    config = dataclasses.replace(config or TrainConfig(), **overrides).validate()
    if (config.model, config.loss) != ("skipgram", "negative"):  # CBOW, GloVe, hier. softmax
        from kw2v.variants import train_variant

        return train_variant(
            corpus, config, out_dir=out_dir, probe_words=probe_words, callbacks=callbacks,
            verbose=verbose,
        )  # fmt: skip
    # First: logical devices and multi-worker collectives must be set up before TF starts.
    strategy = distribute.make_strategy(config.strategy, config.logical_cpus)
    distribute.check_batch_size(strategy, config.batch_size)
    if verbose == "auto":
        verbose = 1 if sys.stdout.isatty() else 2
    out = prepare_out_dir(out_dir) if distribute.is_chief(strategy) else None
    backup = RunBackup(out, config) if out is not None else None  # a stopped run to resume?
    keras.utils.set_random_seed(config.seed)

    vocab = Vocabulary.build(corpus, min_count=config.min_count, max_size=config.max_vocab)
    if backup is not None:
        vocab = backup.vocabulary(vocab)  # the stopped run's numbering, checked to match
    ids, starts = encode_corpus(corpus, vocab)
    _say_vocabulary(vocab, len(ids), config.min_count, verbose)
    pipeline = SkipGramPipeline(
        ids,
        vocab.counts,
        sentence_starts=starts,
        window=config.window,
        negative=config.negative,
        sample=config.sample,
        batch_size=config.batch_size,
        seed=config.seed,
    )
    _check_pairs(pipeline)
    jit_compile, steps_per_execution = distribute.compile_options(
        strategy, config.jit_compile, min(config.steps_per_execution, pipeline.steps_per_epoch())
    )
    # Keras runs whole executions: an epoch that is not a multiple of steps_per_execution
    # would eat into the next epoch's random stream, and resuming would not be exact.
    pipeline.steps_multiple = steps_per_execution
    # Under a strategy, variables (weights and optimizer slots) are made once per replica.
    with strategy.scope() if strategy else contextlib.nullcontext():
        model = build_skipgram_model(
            len(vocab), config.dim, shared_embedding=config.shared_embedding
        )
        compile_skipgram(
            model,
            config.learning_rate,
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
        )
    if strategy is not None and verbose:
        print(
            f"{config.strategy}: {strategy.num_replicas_in_sync} replica(s), "
            f"{config.batch_size // strategy.num_replicas_in_sync} pairs each per step",
            flush=True,
        )
    all_callbacks = list(callbacks)
    if probe_words:
        all_callbacks.append(NeighborsCallback(vocab, probe_words))
    if animate is not None:
        from kw2v.animation import SpaceAnimation

        all_callbacks.append(SpaceAnimation(vocab, path=animate))

    # --- checkpoints: resume a stopped run, save after every epoch (kw2v.checkpoint)
    done, past, past_seconds = 0, {}, 0.0
    if backup is not None:
        backup.start(vocab)
        backup.restore(model)
        all_callbacks.append(backup.callback())
        done, past, past_seconds = backup.epochs_done, backup.history, backup.seconds
        if backup.resuming and verbose:
            print(
                f"resuming from epoch {done + 1} of {config.epochs}: {done} epoch(s) restored "
                f"from {backup.folder}"
                if done < config.epochs
                else f"resuming: all {done} epochs were done; writing the results",
                flush=True,
            )

    start = time.perf_counter()
    new_history = {}
    if done < config.epochs:
        with _pipeline_errors(pipeline):
            dataset = (
                pipeline.dataset(start_epoch=done)
                if strategy is None
                else distribute.distribute_pipeline(strategy, pipeline, start_epoch=done)
            )
            new_history = model.fit(
                dataset,
                epochs=config.epochs,
                initial_epoch=done,
                steps_per_epoch=pipeline.steps_per_epoch(),
                callbacks=all_callbacks,
                verbose=verbose,
                shuffle=False,  # the pipeline shuffles within each chunk
            ).history
    seconds = past_seconds + time.perf_counter() - start
    history = {k: list(vals) for k, vals in past.items()}
    for k, vals in new_history.items():
        history.setdefault(k, []).extend(float(v) for v in vals)
    result = TrainResult(
        model=model,
        vocab=vocab,
        vectors=model_vectors(model, vocab, config.output_vectors),
        history=history,
        config=config,
        tokens=len(ids),
        seconds=seconds,
    )
    _finish(result, out, verbose)
    if backup is not None:
        backup.finish()
    distribute.wait_for_workers(strategy)
    return result


def _say_vocabulary(vocab: Vocabulary, n_tokens: int, min_count: int, verbose) -> None:
    if verbose:
        print(
            f"vocabulary: {len(vocab) - 1:,} words seen {min_count}+ times, "
            f"covering {n_tokens:,} tokens",
            flush=True,
        )


def _finish(result: TrainResult, out: Path | None, verbose) -> None:
    """The last line of a run's log, and its files written when it has an output folder."""
    if verbose:
        print(
            f"trained {result.config.epochs} epoch(s) in {result.seconds:.1f} s, "
            f"{result.words_per_second:,.0f} words/s",
            flush=True,
        )
    if out is not None:
        save_run(result, out)


def _check_pairs(pipeline: SkipGramPipeline) -> None:
    """Refuse, before ``fit``, a corpus too short to make a batch of training pairs."""
    expected = pipeline.expected_pairs()
    if expected < 1:
        raise Kw2vError(
            f"the corpus makes about {expected:.2f} training pairs per epoch, too few to "
            "train; it needs lines of 2 or more known words: give more text, or lower "
            "--min-count or --sample (--sample 0 keeps every word)"
        )


@contextlib.contextmanager
def _pipeline_errors(pipeline: SkipGramPipeline):
    """Re-raise an error of the input pipeline as itself: inside ``fit``, TensorFlow wraps
    what a generator raises in an ``OpError`` whose message is a traceback."""
    try:
        yield
    except Exception:
        failure = getattr(pipeline, "failure", None)
        if failure is not None:
            raise failure from None
        raise


def save_run(result: TrainResult, out: Path) -> None:
    """Write the vectors and everything needed to reload or inspect the run."""
    result.vectors.save_word2vec(out / "vectors.bin", binary=True)
    result.vocab.save(out / "vocab.tsv")
    meta = {
        "config": dataclasses.asdict(result.config),
        "tokens": result.tokens,
        "seconds": round(result.seconds, 3),
        "words_per_second": round(result.words_per_second),
        "history": result.history,
    }
    with atomic_write(out / "run.json", mode="w") as f:
        json.dump(meta, f, indent=2)
    with atomic_path(out / "model.keras") as tmp:
        result.model.save(tmp)


def load_run(out_dir: str | os.PathLike) -> tuple[WordVectors, dict]:
    """The vectors and the run record written by :func:`train` with ``out_dir``."""
    out = Path(out_dir)
    vectors = WordVectors.load_word2vec(out / "vectors.bin", binary=True)
    meta = json.loads((out / "run.json").read_text()) if (out / "run.json").exists() else {}
    return vectors, meta
