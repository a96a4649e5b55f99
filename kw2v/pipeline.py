"""What every method's input pipeline shares: training examples made fresh each epoch.

:class:`ExamplePipeline` is the base of them all (steps, random streams, shards, errors);
:class:`CorpusPipeline` adds what word2vec's methods share (subsampling, noise, the encoded
corpus read in chunks, examples made by TensorFlow ops). Each method's own pipeline lives in
its module: :class:`kw2v.SkipGramPipeline`, :class:`kw2v.CBOWPipeline`,
:class:`kw2v.GloVePipeline`; hierarchical softmax turns either word2vec pipeline's predicted
word into its path in the Huffman tree (:mod:`kw2v.hierarchical`).
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Iterator

import numpy as np

from kw2v.backend import require_tensorflow
from kw2v.config import check_values
from kw2v.errors import Kw2vError
from kw2v.sampling import NoiseSampler, keep_probabilities, kept_tokens, noise_distribution

#: Batches made ahead of ``fit``: two executions of 32 steps.
_PREFETCH = 64


class ExamplePipeline:
    """What every method's pipeline shares: the batches of an epoch, fed to ``fit`` by tf.data.

    A subclass says what one pass over its data yields (:meth:`_pass`), how many examples
    an epoch expects (:meth:`expected_examples`) and how its batches look to TensorFlow
    (:meth:`_signature`, :meth:`_to_examples`). This class does the rest, the same way for
    every method, so every method resumes, distributes and fails alike:

    - an epoch is exactly :meth:`steps_per_epoch` batches, a whole number of executions of
      :meth:`execution_steps` steps (Keras runs whole executions of ``steps_per_execution``
      steps: otherwise each Keras epoch would take a few batches of the next pipeline epoch,
      and a resumed run would not continue the stream where the stopped one was);
    - epoch ``e`` draws from its own random stream ``(seed, e)``, so a stopped run resumes
      at any epoch with the very batches it would have had;
    - :meth:`shard` gives worker ``i`` of ``n`` its contiguous share, for multi-worker runs;
    - :meth:`check_examples` refuses, before ``fit``, data that makes no batch;
    - an error raised while making batches inside tf.data is kept, and :meth:`errors`
      re-raises it as itself (TensorFlow would wrap it in a traceback-long ``OpError``).

    Introduced in notebook 02 (skip-gram); notebooks 06 and 07 add CBOW and GloVe.
    """

    #: What the examples are called in messages ("training pairs").
    examples = "examples"
    #: How to get more of them, for the message when there are none.
    remedy = "give more text or lower --min-count"

    def __init__(self, *, batch_size: int, seed: int, steps_per_execution: int = 1):
        check_values(batch_size=batch_size, steps_per_execution=steps_per_execution)
        self.batch_size, self.seed = batch_size, seed
        self.steps_per_execution = steps_per_execution
        # One random stream per epoch, as many batches as a pass makes; :meth:`shard` narrows
        # these (and the data read, ``lo:hi`` of :meth:`_size`) for distributed training.
        self.shard_index, self.num_shards, self.steps = 0, 1, None
        self.lo, self.hi = 0, self._size()
        self._failures: list[Exception] = []  # shared by the shards (a shallow copy)

    # -- what a subclass says
    def _size(self) -> int:
        """How many units (tokens, matrix entries) the data has: what :meth:`shard` splits."""
        raise NotImplementedError

    def expected_examples(self) -> float:
        """Expected examples in one pass over this pipeline's share of the data."""
        raise NotImplementedError

    def kept_fraction(self) -> float:
        """The expected fraction of the corpus's tokens that a pass trains on: 1 unless the
        method subsamples."""
        return 1.0

    def _pass(self, rng: np.random.Generator) -> Iterator[tuple]:
        """One pass over ``lo:hi`` of the data, in batches of ``batch_size``."""
        raise NotImplementedError

    def _signature(self) -> tuple:
        """The ``tf.TensorSpec`` of each item of a batch, as :meth:`_pass` yields it."""
        raise NotImplementedError

    def _to_examples(self, ds):
        """Turn the batches into ``fit``'s ``(inputs, labels[, weights])``; default: as they are."""
        return ds

    # -- shared
    def _expected_steps(self) -> int:
        """Expected batches per pass (the exact count varies a little with the random draws)."""
        return max(1, int(self.expected_examples() // self.batch_size))

    def execution_steps(self) -> int:
        """Steps per graph call: ``steps_per_execution``, or fewer if an epoch is shorter."""
        return min(self.steps_per_execution, self._expected_steps())

    def steps_per_epoch(self) -> int:
        """Batches per epoch: the expected count rounded up to whole executions
        (:meth:`execution_steps`); a shard's count is fixed by :meth:`shard`."""
        if self.steps is not None:
            return self.steps
        multiple = self.execution_steps()
        return -(-self._expected_steps() // multiple) * multiple

    def check_examples(self) -> None:
        """Refuse, before ``fit``, data too small to make one example an epoch.

        Raises
        ------
        Kw2vError
            Naming the examples and the fix (:attr:`remedy`).
        """
        expected = self.expected_examples()
        if expected < 1:
            raise Kw2vError(
                f"the corpus makes about {expected:.2f} {self.examples} per epoch, too few to "
                f"train; {self.remedy}"
            )

    def batches(self, epoch: int) -> Iterator[tuple]:
        """Yield exactly :meth:`steps_per_epoch` batches of epoch ``epoch``.

        A pass over the data makes about that many batches; a fixed count keeps Keras's
        progress bar, the learning-rate schedule and resumed runs exact. Batches past the
        count are dropped; missing ones are taken from the start of another pass (same stream).
        """
        stream = (
            [self.seed, epoch] if self.num_shards == 1 else [self.seed, epoch, self.shard_index]
        )
        rng = np.random.default_rng(stream)
        steps, produced = self.steps_per_epoch(), 0
        while True:
            for batch in self._pass(rng):
                yield batch
                produced += 1
                if produced == steps:
                    return

    def shard(
        self, index: int, count: int, *, batch_size: int | None = None, steps: int | None = None
    ) -> ExamplePipeline:
        """The pipeline of worker ``index`` of ``count``: its contiguous ``1/count`` of the data.

        Each shard draws from its own random stream and makes exactly ``steps`` batches per
        epoch of ``batch_size`` examples, so every worker of a synchronous multi-worker run
        takes the same number of steps (a worker that ran short would leave the others
        waiting in an all-reduce). Introduced with :mod:`kw2v.distribute`.

        Parameters
        ----------
        index, count : int
            This shard and the number of shards (``0 <= index < count``).
        batch_size : int, optional
            Examples per batch (a replica's share of the global batch); default: unchanged.
        steps : int, optional
            Batches per epoch; default: the expected count for this shard and batch size.
        """
        if not 0 <= index < count:
            raise Kw2vError(f"shard index must be in [0, {count}), got {index}")
        part = copy.copy(self)
        n = self._size()
        part.lo, part.hi = n * index // count, n * (index + 1) // count
        part.shard_index, part.num_shards = index, count
        part.batch_size = batch_size or self.batch_size
        part.steps = steps
        return part

    def dataset(self, start_epoch: int = 0):
        """A ``tf.data.Dataset`` of the examples, epoch after epoch, without end.

        Pass ``steps_per_epoch=self.steps_per_epoch()`` to ``fit``, which then takes exactly
        one epoch of batches per Keras epoch (Keras keeps one iterator across epochs when
        ``steps_per_epoch`` is set). ``start_epoch`` resumes the random streams of a stopped
        run. Batches are made in a background thread and prefetched, so a second core makes
        data while the first trains.
        """
        tf = require_tensorflow("the tf.data input pipeline")
        failures = self._failures

        def generate():
            epoch = start_epoch
            try:
                while True:
                    yield from self.batches(epoch)
                    epoch += 1
            except Exception as e:  # tf.data would wrap it; kept for :meth:`errors`
                failures.append(e)
                raise

        ds = tf.data.Dataset.from_generator(generate, output_signature=self._signature())
        return self._for_fit(ds, tf.data.AUTOTUNE)

    def training_model(self, core):
        """The model ``fit`` trains: ``core`` itself, fed by :meth:`dataset` (examples made on
        the device wrap it instead: :class:`kw2v.device_examples.DeviceExamples`)."""
        return core

    def fit_arguments(self, start_epoch: int, epochs: int) -> dict:
        """``fit``'s data arguments for epochs ``start_epoch .. epochs - 1``."""
        return dict(
            x=self.dataset(start_epoch),
            epochs=epochs,
            initial_epoch=start_epoch,
            steps_per_epoch=self.steps_per_epoch(),
            shuffle=False,  # the pipeline shuffles within each chunk
        )

    def _for_fit(self, batches, prefetch):
        """The batches as ``fit`` takes them (:meth:`_to_examples`), ``prefetch`` ahead."""
        return self._to_examples(batches).prefetch(prefetch)

    @property
    def failure(self) -> Exception | None:
        """The first error raised while making batches for :meth:`dataset`, if any."""
        return self._failures[0] if self._failures else None

    @contextlib.contextmanager
    def errors(self):
        """Re-raise an error of the batches as itself: inside ``fit``, TensorFlow wraps what a
        generator raises in an ``OpError`` whose message is a traceback."""
        try:
            yield
        except Exception:
            if self.failure is not None:
                raise self.failure from None
            raise


def labels_first_true(predicted):
    """Labels ``[1, 0, ..., 0]`` for a (batch, 1 + k) block: the true word, then k negatives."""
    tf = require_tensorflow("the tf.data input pipeline")

    return tf.concat(
        [tf.ones_like(predicted[:, :1], tf.float32), tf.zeros_like(predicted[:, 1:], tf.float32)],
        axis=1,
    )


class CorpusPipeline(ExamplePipeline):
    """What the word2vec pipelines share: checked options, subsampling and noise made ready,
    and one pass over the encoded corpus cut into shuffled full batches, one chunk at a time.

    Each epoch walks the corpus in order in chunks of ``chunk_tokens`` tokens: subsampling,
    dynamic windows (:mod:`kw2v.windows`), a shuffle inside the chunk (so a batch mixes many
    parts of the text), and k negatives per example from unigram^0.75. Only one chunk's
    examples are in memory at a time. Subclasses say how a chunk becomes examples
    (:meth:`_chunk_examples`, and :attr:`graph_kind` for the TensorFlow twin) and how they
    look to ``fit``. Introduced in notebook 02.

    Parameters
    ----------
    ids : ndarray of int32
        The encoded corpus (:func:`kw2v.encode_corpus`).
    counts : ndarray of int
        Vocabulary counts (``Vocabulary.counts``), for subsampling and the noise distribution.
    sentence_starts : ndarray of int, optional
        Token offsets where sentences start; windows do not cross them.
    window, negative, sample : int, int, float
        word2vec's ``-window``, ``-negative`` and ``-sample``; ``negative=0`` for hierarchical
        softmax.
    batch_size : int, optional
        Examples per batch (default :attr:`default_batch_size`); each carries ``negative``
        negatives.
    chunk_tokens : int, optional
        Corpus tokens turned into examples at a time (default :attr:`default_chunk_tokens`).
    seed : int
    noise_power : float
        The noise distribution is unigram^noise_power.
    steps_per_execution : int
        Steps per graph call of the model this pipeline feeds (see :class:`ExamplePipeline`).
    """

    default_batch_size = 1024
    default_chunk_tokens = 100_000
    #: The model's inputs: the one the examples read (``x``), then the one whose column 0 is
    #: the word to predict, followed by its negatives.
    inputs = ("target", "context")
    #: What :class:`kw2v.graph_windows.ChunkBatcher` makes of a chunk: "pairs" or "cbow".
    graph_kind = "pairs"

    remedy = (
        "it needs lines of 2 or more known words: give more text, or lower --min-count or "
        "--sample (--sample 0 keeps every word)"
    )

    def __init__(
        self,
        ids: np.ndarray,
        counts: np.ndarray,
        *,
        sentence_starts: np.ndarray | None = None,
        window: int = 5,
        negative: int = 5,
        sample: float = 1e-3,
        batch_size: int | None = None,
        chunk_tokens: int | None = None,
        seed: int = 0,
        noise_power: float = 0.75,
        steps_per_execution: int = 1,
    ):
        check_values(window=window, negative=negative)
        if len(ids) < 2:
            raise Kw2vError(
                f"the corpus has {len(ids)} known word(s); at least 2 are needed to make "
                f"{self.examples}"
            )
        self.ids = ids if isinstance(ids, np.memmap) else np.asarray(ids, dtype=np.int32)
        self.counts = np.asarray(counts)
        self.starts = (
            np.zeros(1, np.int64) if sentence_starts is None else np.asarray(sentence_starts)
        )
        self.window, self.negative, self.sample = window, negative, sample
        self.chunk_tokens = self.default_chunk_tokens if chunk_tokens is None else chunk_tokens
        self.keep = keep_probabilities(self.counts, sample)
        self.noise = NoiseSampler(noise_distribution(self.counts, noise_power))
        super().__init__(
            batch_size=self.default_batch_size if batch_size is None else batch_size,
            seed=seed,
            steps_per_execution=steps_per_execution,
        )

    def _size(self) -> int:
        return len(self.ids)

    def kept_fraction(self) -> float:
        """The expected fraction of corpus tokens that survive subsampling."""
        return kept_tokens(self.counts, self.sample) / max(float(self.counts.sum()), 1.0)

    def _chunk_examples(self, ids, rng, sentence_ids):
        """One chunk's examples ``(x, y)``, a row each, in corpus order."""
        raise NotImplementedError

    def _pass_batches(self, rng, b):
        """One pass: shuffled examples chunk by chunk, cut into full batches (the rest carried)."""
        carry_x = carry_y = None
        yielded = False
        for lo in range(self.lo, self.hi, self.chunk_tokens):
            hi = min(lo + self.chunk_tokens, self.hi)
            sent = np.searchsorted(self.starts, np.arange(lo, hi), side="right")
            x, y = self._chunk_examples(self.ids[lo:hi], rng, sent)
            order = rng.permutation(len(y))
            x, y = x[order], y[order]
            if carry_x is not None:
                x, y = np.concatenate([carry_x, x]), np.concatenate([carry_y, y])
            full = len(y) // b * b
            for i in range(0, full, b):
                yielded = True
                yield x[i : i + b], y[i : i + b]
            carry_x, carry_y = x[full:], y[full:]
        if not yielded:
            if carry_y is None or not len(carry_y):
                raise Kw2vError(
                    f"the corpus makes no {self.examples}; it needs sentences of 2 or more "
                    "known words (lower --min-count or --sample, or give more text)"
                )
            yield carry_x, carry_y  # a tiny corpus: one short batch a pass

    def _pass(self, rng):
        """One pass: full batches of ``(x, predicted)``, each predicted word followed by k draws
        from the noise."""
        for x, words in self._pass_batches(rng, self.batch_size):
            negs = self.noise.sample(rng, (len(words), self.negative))
            yield x, np.concatenate([words[:, None], negs], axis=1)

    def _x_shape(self) -> tuple:
        """The shape of a batch of ``x``: ``(None,)`` for a word, ``(None, width)`` for a row."""
        return (None,)

    def _signature(self):
        tf = require_tensorflow("the tf.data input pipeline")
        return (
            tf.TensorSpec(self._x_shape(), tf.int32),
            tf.TensorSpec((None, self.negative + 1), tf.int32),
        )

    def _to_examples(self, ds):
        """``({x input, predicted input}, labels)``; labels ``[1, 0, ..., 0]``: the true word
        first, then the negatives."""
        x_name, predicted = self.inputs
        return ds.map(lambda x, y: ({x_name: x, predicted: y}, labels_first_true(y)))

    def _chunks(self):
        """This share's chunks of word ids, ``(index, ids)``, as a ``tf.data.Dataset`` made
        without Python: read from the encoded corpus's file when it is memory-mapped
        (:func:`encode_corpus` with a path; bounded memory), else sliced from the array.

        (Reading them with ``tf.numpy_function`` cost a third of the training time, and up to
        a minute at the end of ``fit``: the calls wait for Python's lock.)
        """
        tf = require_tensorflow("the tf.data input pipeline")

        size, n = self.chunk_tokens, self.hi - self.lo
        full, rest = divmod(n, size)
        path = getattr(self.ids, "filename", None)
        if path is not None and os.path.getsize(path) == 4 * len(self.ids):  # the whole file

            def records(first, count, length):  # ``count`` chunks of ``length`` ids
                return tf.data.FixedLengthRecordDataset(
                    path, 4 * length, header_bytes=4 * first,
                    footer_bytes=4 * (len(self.ids) - first - count * length),
                )  # fmt: skip

            parts = ([records(self.lo, full, size)] if full else []) + (
                [records(self.lo + full * size, 1, rest)] if rest else []
            )
            chunks = parts[0] if len(parts) == 1 else parts[0].concatenate(parts[1])
            chunks = chunks.map(lambda r: tf.io.decode_raw(r, tf.int32))
        else:
            ids = tf.constant(np.asarray(self.ids[self.lo : self.hi], dtype=np.int32))
            chunks = tf.data.Dataset.range(full + (rest > 0)).map(
                lambda i: ids[i * size : (i + 1) * size]
            )
        return chunks.enumerate()

    def dataset(self, start_epoch: int = 0):
        """A ``tf.data.Dataset`` of the examples, epoch after epoch, without end, made by
        TensorFlow ops (:mod:`kw2v.graph_windows`): no Python per batch.

        Epoch ``e`` is exactly :meth:`steps_per_epoch` batches from the random stream
        ``(seed, e)`` (and the shard), taken from as many passes over the data as needed; the
        chunks of a pass are made in parallel, in order, while ``fit`` trains. The batches
        follow the same rules as :meth:`batches` (the NumPy version, for reading) with
        TensorFlow's random numbers instead of NumPy's.
        """
        tf = require_tensorflow("the tf.data input pipeline")

        from kw2v.graph_windows import ChunkBatcher

        maker = ChunkBatcher(
            self.graph_kind, self.keep, self.noise, window=self.window,
            negative=self.negative, batch_size=self.batch_size,
        )  # fmt: skip
        steps = self.steps_per_epoch()
        stream = [self.seed, self.shard_index] if self.num_shards > 1 else [self.seed, 0]
        # Chunks are made on all cores but one, which the training step keeps (on 2 cores:
        # one thread; measured 30 s an epoch against 38 s with both).
        threads = max(1, (os.cpu_count() or 2) - 1)
        starts = tf.constant(np.asarray(self.starts, dtype=np.int64))
        chunks = self._chunks()

        def chunk_batches(seed, index, ids):
            first = self.lo + index * self.chunk_tokens
            positions = first + tf.range(tf.size(ids, out_type=tf.int64))
            sentences = tf.cast(tf.searchsorted(starts, positions, side="right"), tf.int32)
            seed = tf.random.experimental.stateless_fold_in(seed, index)
            return maker.batches(ids, sentences, seed)

        def one_pass(seed):
            made = chunks.map(
                lambda i, ids: chunk_batches(seed, i, ids), num_parallel_calls=threads
            )
            return made.flat_map(lambda x, y: tf.data.Dataset.from_tensor_slices((x, y)))

        def one_epoch(epoch):
            seed = tf.random.experimental.stateless_fold_in(tf.constant(stream, tf.int64), epoch)
            passes = tf.data.Dataset.counter().flat_map(
                lambda p: one_pass(tf.random.experimental.stateless_fold_in(seed, p))
            )
            return passes.take(steps)

        ds = tf.data.Dataset.counter(start_epoch).flat_map(one_epoch)
        options = tf.data.Options()
        options.threading.private_threadpool_size = threads
        options.threading.max_intra_op_parallelism = 1
        return self._for_fit(ds.with_options(options), _PREFETCH)
