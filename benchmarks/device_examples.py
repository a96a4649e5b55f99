"""Speed of skip-gram's two example paths on one machine: made on the host in ``tf.data``
(:mod:`kw2v.graph_windows`, TensorFlow only) or inside the training step
(:mod:`kw2v.device_examples`, any Keras backend). Training pairs per second of steady epochs.

    python benchmarks/device_examples.py [--corpus wiki-sample] [--epochs 3] [--batch-size 1024]
    KERAS_BACKEND=jax .venv-jax/bin/python benchmarks/device_examples.py   # device path only

Default options otherwise (dim 100, window 5, 5 negatives, sample 1e-3, min_count 5,
``RowAdagrad`` at 0.1, XLA, 32 steps per execution). The first epoch compiles and is reported
apart; WS353 and SimLex-999 of the trained vectors follow, to check the paths learn alike.
"""

from __future__ import annotations

import argparse
import time

import keras
import numpy as np

from kw2v import Corpus, Vocabulary, encode_corpus, evaluate_all, model_vectors
from kw2v.device_examples import DeviceExamples
from kw2v.optimizers import RowAdagrad
from kw2v.skipgram import SkipGramPipeline, build_skipgram_model

STEPS_PER_EXECUTION = 32


class EpochTimes(keras.callbacks.Callback):
    """Seconds of every epoch."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def host_path(ids, starts, vocab, args):
    """tf.data examples, as ``kw2v train`` makes them today: (pairs an epoch, epoch seconds)."""
    pipeline = SkipGramPipeline(
        ids, vocab.counts, sentence_starts=starts, batch_size=args.batch_size, seed=0,
        steps_per_execution=STEPS_PER_EXECUTION,
    )  # fmt: skip
    model = build_skipgram_model(len(vocab), args.dim)
    model.compile(
        optimizer=RowAdagrad(0.1),
        loss="binary_crossentropy",
        jit_compile=True,
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    times = EpochTimes()
    model.fit(
        pipeline.dataset(),
        epochs=args.epochs,
        steps_per_epoch=pipeline.steps_per_epoch(),
        callbacks=[times],
        verbose=0,
    )
    return pipeline.steps_per_epoch() * args.batch_size, times.seconds, model


def device_path(ids, starts, vocab, args):
    """Examples made in the step: (expected pairs an epoch, epoch seconds)."""
    host = SkipGramPipeline(
        ids, vocab.counts, sentence_starts=starts, batch_size=args.batch_size, seed=args.seed,
        steps_per_execution=STEPS_PER_EXECUTION,
    )  # fmt: skip
    examples = DeviceExamples(host, capacity=args.capacity, block=args.block)
    trainer = examples.training_model(build_skipgram_model(len(vocab), args.dim))
    trainer.compile(
        optimizer=RowAdagrad(0.1), jit_compile=True, steps_per_execution=examples.execution_steps()
    )
    times = EpochTimes()
    trainer.fit(**examples.fit_arguments(0, args.epochs), callbacks=[times], verbose=0)
    return examples.expected_examples(), times.seconds, trainer.core


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="wiki-sample")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--paths", default="host,device")
    parser.add_argument("--capacity", type=float, default=None, help="DeviceExamples capacity")
    parser.add_argument("--block", type=int, default=4, help="DeviceExamples block")
    parser.add_argument("--seed", type=int, default=0, help="the device path's example seed")
    args = parser.parse_args()
    corpus = Corpus(args.corpus)
    vocab = Vocabulary.build(corpus, min_count=5)
    ids, starts = encode_corpus(corpus, vocab)
    paths = {"host": host_path, "device": device_path}
    backend = keras.backend.backend()
    for name in args.paths.split(","):
        if name == "host" and backend != "tensorflow":
            print(f"host (tf.data): needs the TensorFlow backend, not {backend}; skipped")
            continue
        pairs, seconds, model = paths[name](ids, starts, vocab, args)
        scores = evaluate_all(model_vectors(model, vocab), analogies_too=False)
        if name == "device":
            name = f"device (block {args.block}, capacity {args.capacity})"
        steady = float(np.median(seconds[1:])) if len(seconds) > 1 else seconds[0]
        print(
            f"{name} {backend} batch {args.batch_size}: {pairs / steady:,.0f} pairs/s "
            f"(steady epoch {steady:.1f} s; first {seconds[0]:.1f} s; {pairs:,.0f} pairs); "
            f"after {args.epochs} epochs WS353 {scores['ws353']:.3f}, "
            f"SimLex {scores['simlex']:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
