"""word2vec's training examples made inside the compiled training step, on any Keras backend.

The host pipelines (:mod:`kw2v.pipeline`, :mod:`kw2v.graph_windows`) make every example on the
CPU and feed it to the model; on an accelerator that feeding, not the model, sets the speed.
Here the encoded corpus lives in device memory, as non-trainable variables of a layer, and each
training step makes its own examples next to the model, with ``keras.ops`` only, so the same
code runs under TensorFlow and JAX. The rules are word2vec's, as in :func:`kw2v.window_pairs`:

1. subsampling first (keep probability :func:`kw2v.keep_probabilities`), so the window counts
   the words left after it;
2. a window size drawn per centre word, uniformly in ``1 .. window``;
3. no window across a sentence boundary;
4. ``negative`` noise words per example from unigram^0.75, by Walker's alias method
   (the tables of :class:`kw2v.NoiseSampler`: exact, O(1) a draw).

The corpus is cut into blocks of ``block`` consecutive positions (4 by default); a step takes
``blocks_per_step`` of them, about ``batch_size`` examples' worth, from all over the corpus in an
order drawn per epoch, as the host pipelines' shuffle mixes a batch. One block of consecutive
text a step learned worse: WS353 0.34 after 3 epochs of wiki-sample (0.39 with the blocks
shuffled) against 0.54 for the host path, as did the host path shuffling 250-token chunks
(0.34). Blocks of 4 positions gave WS353 0.49 and SimLex 0.24 (means of seeds 0-2; the host
path's seed 0: 0.54 and 0.22); the spread between seeds, about 0.03, leaves open whether the
device path's WS353 is really lower.

To count neighbours after subsampling, a block is read with a halo of ``halo`` positions on
each side and its kept tokens are compacted. Whether a token is kept, and its window size, are
functions of (seed, epoch, corpus position), so a halo token gets the very draws it gets in its
own block: the pairs are exactly those of :func:`kw2v.window_pairs` over the whole corpus with
the same draws (a test checks it, and CBOW's against :func:`kw2v.cbow_windows`), except where
fewer than ``window`` tokens of a halo survive subsampling inside the same sentence; then the
centre misses the neighbours past the halo (never gets a wrong one). Measured over one epoch of
wiki-sample (1,887,035 pairs, blocks of 224 positions) against a halo as long as a block: a
halo of ``window`` positions lost 0.086% of the pairs, ``window + 3`` lost 0.005%, and the
default, ``4 * window``, none.

Shapes are fixed, as XLA wants them: each block has ``block`` centre slots, each with
``2 * window`` pair slots (offsets ``-window .. -1, 1 .. window``), and a validity mask that
becomes the loss weight; ``capacity`` packs the real ones into fewer rows
(:class:`DeviceExamples`).

Randomness is a counter-based hash (murmur3's finaliser on uint32) of (seed, epoch, position or
slot): ``keras.random`` takes a tensor seed under JAX but not under TensorFlow
(``draw_seed`` accepts an int or a ``SeedGenerator`` only), and a generator's state would make
steps depend on each other. The hash makes a step a pure function of its block numbers: keep
and window draws are keyed by (seed, epoch) and the corpus position, negatives by (seed, epoch,
the step's first block) and the slot; the block order of epoch ``e`` is NumPy's permutation
from ``(seed, e)``. So an epoch is reproducible, a resumed run equals an uninterrupted one,
and both backends draw the same numbers.

Use
---
::

    host = SkipGramPipeline(ids, vocab.counts, sentence_starts=starts, steps_per_execution=32)
    examples = DeviceExamples(host)
    trainer = examples.training_model(build_skipgram_model(len(vocab), 100))
    trainer.compile(optimizer=RowAdagrad(0.1), jit_compile=True,
                    steps_per_execution=examples.execution_steps())
    # then Keras's fit with **examples.fit_arguments(start_epoch=0, epochs=5)
    # trainer.core is the course's model, trained; save it alone. Checkpoints: the trainer's
    # save_weights/load_weights (model and optimizer, not the corpus; build the optimizer
    # before loading), then ``fit`` with ``examples.fit_arguments(e, epochs)`` resumes at epoch e.

``fit``'s input is global block numbers (``fit_inputs``), ``blocks_per_step`` a step; the
``trainer`` makes that step's examples and computes the masked binary cross-entropy (labels
``[1, 0, ..., 0]``) in :meth:`DeviceTraining.compute_loss`; ``RowAdagrad`` updates the core
model's tables (sparse rows under TensorFlow, dense gradients under JAX). Introduced with
issue 18 (examples on the device).
"""

from __future__ import annotations

import contextlib
import math

import keras
import numpy as np
from keras import ops

from kw2v.errors import Kw2vError

__all__ = ["DeviceExamples", "DeviceTraining", "ExampleMaker", "hash_bits", "uniform"]

#: How a host pipeline lays out its examples (its ``graph_kind``) → the layout made here.
LAYOUTS = {"pairs": "skipgram", "cbow": "cbow"}

# -- counter-based random numbers ------------------------------------------------------------

_M1, _M2, _GOLDEN = 0x85EBCA6B, 0xC2B2AE35, 0x9E3779B9


def _u32(value):
    """A uint32 tensor: Python ints wrap to 32 bits, tensors are cast."""
    if isinstance(value, int):
        return ops.convert_to_tensor(np.uint32(value & 0xFFFFFFFF))
    return ops.cast(value, "uint32")


def _mix(x):
    """murmur3's 32-bit finaliser: a bijection of uint32 whose every output bit depends on
    every input bit."""
    x = ops.bitwise_xor(x, ops.right_shift(x, _u32(16))) * _u32(_M1)
    x = ops.bitwise_xor(x, ops.right_shift(x, _u32(13))) * _u32(_M2)
    return ops.bitwise_xor(x, ops.right_shift(x, _u32(16)))


def _key(*words):
    """A uint32 key from a few integers (Python ints or scalar tensors), e.g. (seed, epoch)."""
    key = _u32(_GOLDEN)
    for word in words:
        key = _mix(ops.bitwise_xor(key, _mix(_u32(word) + _u32(_GOLDEN))))
    return key


def hash_bits(key, stream: int, counter):
    """32 random bits per element of ``counter`` (int tensor): a pure function of
    (key, stream, counter). Two rounds of :func:`_mix`, so that streams are not shifted
    copies of one another."""
    x = _u32(counter) * _u32(_GOLDEN) + _mix(ops.bitwise_xor(key, _u32(stream)))
    return _mix(ops.bitwise_xor(_mix(x), key))


def uniform(key, stream: int, counter):
    """Floats uniform in [0, 1), 24 bits, one per element of ``counter``."""
    bits = ops.right_shift(hash_bits(key, stream, counter), _u32(8))
    return ops.cast(ops.cast(bits, "int32"), "float32") * (1.0 / (1 << 24))


def _below(key, stream: int, counter, n):
    """Integers uniform in ``0 .. n - 1`` (bias below n / 2^31), one per element."""
    bits = ops.right_shift(hash_bits(key, stream, counter), _u32(1))
    return ops.mod(ops.cast(bits, "int32"), n)


# Streams: one per kind of draw, so no two draws share their random bits.
_KEEP, _SPAN, _BUCKET, _ALIAS = 1, 2, 3, 4


# -- the layer that makes examples ---------------------------------------------------------


class ExampleMaker(keras.layers.Layer):
    """Makes one step's examples from its global block numbers, with backend-neutral ops.

    Holds the encoded corpus, each token's sentence number and the sampling tables as
    non-trainable variables, so they live in device memory and are not constants baked into
    the compiled graph (which would copy a corpus into every compiled program). They are not
    written by ``save_weights``: they are the data, rebuilt from the corpus, and a checkpoint
    stays the size of the model. Built by :meth:`DeviceExamples.training_model`.

    ``call(blocks)`` returns ``(inputs, weight, dropped)``: the core model's inputs, one 0/1
    weight per example slot (skip-gram: a pair; CBOW: a centre word), and how many examples
    did not fit in ``slots`` (see :func:`_compact`; always 0 with ``slots=None``).
    """

    def __init__(
        self,
        ids: np.ndarray,
        sentence_ids: np.ndarray,
        keep: np.ndarray,
        threshold: np.ndarray,
        alias: np.ndarray,
        *,
        model: str,
        window: int,
        negative: int,
        block: int,
        halo: int,
        blocks_per_epoch: int,
        seed: int,
        slots: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.slots = slots
        self.model, self.window, self.negative = model, window, negative
        self.block, self.halo, self.blocks_per_epoch = block, halo, blocks_per_epoch
        self.seed = seed
        self.size, self.vocab_size = len(ids), len(keep)
        self.corpus = self._constant("corpus", ids, "int32")
        self.sentences = self._constant("sentences", sentence_ids, "int32")
        self.keep = self._constant("keep", keep, "float32")
        self.threshold = self._constant("threshold", threshold, "float32")
        self.alias = self._constant("alias", alias, "int32")
        self.built = True

    def _constant(self, name, array, dtype):
        array = np.asarray(array, dtype=dtype)
        return self.add_weight(
            shape=array.shape,
            dtype=dtype,
            initializer=lambda shape, dtype=None: ops.convert_to_tensor(array, dtype),
            trainable=False,
            name=name,
        )

    # The data, not state: rebuilt from the corpus, never checkpointed.
    def save_own_variables(self, store):
        pass

    def load_own_variables(self, store):
        pass

    def offsets(self) -> np.ndarray:
        """The pair slots' offsets from the centre, ``-window .. -1, 1 .. window``."""
        w = self.window
        return np.array([*range(-w, 0), *range(1, w + 1)], np.int32)

    def draws(self, epoch, positions):
        """Subsampling uniforms and window sizes of the tokens at ``positions`` in ``epoch``.

        Functions of (seed, epoch, position) only: a token gets the same draws in its own
        block and in a neighbour's halo, and a test can give NumPy's reference the same."""
        key = _key(self.seed, epoch)
        return uniform(key, _KEEP, positions), 1 + _below(key, _SPAN, positions, self.window)

    def windows(self, epoch, index):
        """Blocks ``index`` (m,) of ``epoch``: centre ids (m * block,), neighbour ids and which
        pair slots are real (m * block, 2w), after subsampling and dynamic windows."""
        length, h, b = self.block + 2 * self.halo, self.halo, self.block
        positions = index[:, None] * b - h + ops.arange(length, dtype="int32")[None, :]
        inside = (positions >= 0) & (positions < self.size)
        at = ops.clip(positions, 0, self.size - 1)
        ids, sentences = ops.take(self.corpus, at), ops.take(self.sentences, at)
        u, spans = self.draws(epoch, positions)
        kept = inside & (u < ops.take(self.keep, ids))
        # Compact each block's kept tokens, in order: token i goes to slot rank(i), dropped
        # ones to a spare slot at the end. Ranks are unique, so the scatter's sums are copies.
        kept_int = ops.cast(kept, "int32")
        slot = ops.where(kept, ops.cumsum(kept_int, axis=1) - 1, length)
        m = index.shape[0]
        row = ops.broadcast_to(ops.arange(m, dtype="int32")[:, None], slot.shape)
        packed = ops.scatter(
            ops.reshape(ops.stack([row, slot], axis=-1), (m * length, 2)),
            ops.reshape(ops.stack([ids, sentences, spans], axis=-1), (m * length, 3)),
            (m, length + 1, 3),
        )
        n_kept = ops.sum(kept_int, axis=1)[:, None, None]
        before = ops.sum(kept_int[:, :h], axis=1)  # kept tokens of the left halo
        in_block = ops.sum(kept_int[:, h : h + b], axis=1)
        # Centre slot j of a block is its j-th kept token.
        j = ops.arange(b, dtype="int32")[None, :]
        centre = before[:, None] + j  # (m, b)
        has_centre = j < in_block[:, None]
        offsets = ops.convert_to_tensor(self.offsets())
        neighbour = centre[:, :, None] + offsets  # (m, b, 2w)

        def look(column, where):  # packed[block, where, column]
            flat = ops.reshape(ops.clip(where, 0, length - 1), (m, -1))
            got = ops.take_along_axis(packed[:, :, column], flat, axis=1)
            return ops.reshape(got, where.shape)

        reach = look(2, centre)[:, :, None] >= ops.abs(offsets)
        same_sentence = look(1, neighbour) == look(1, centre)[:, :, None]
        real = (
            has_centre[:, :, None] & (neighbour >= 0) & (neighbour < n_kept) & same_sentence & reach
        )
        w2 = 2 * self.window
        return (
            ops.reshape(look(0, centre), (m * b,)),
            ops.reshape(look(0, neighbour), (m * b, w2)),
            ops.reshape(real, (m * b, w2)),
        )

    def negatives(self, epoch, index, shape):
        """Noise words of the given shape for a step whose first block is ``index``: unigram^0.75
        by Walker's alias method (a uniform bucket, then the bucket's word or its alias)."""
        key = _key(self.seed, epoch, index)
        count = ops.arange(math.prod(shape), dtype="int32")
        bucket = _below(key, _BUCKET, count, self.vocab_size)
        own = uniform(key, _ALIAS, count) < ops.take(self.threshold, bucket)
        words = ops.where(own, bucket, ops.take(self.alias, bucket))
        return ops.reshape(words, shape)

    def call(self, blocks):
        """``blocks``: this step's global block numbers (m,), all of one epoch."""
        blocks = ops.cast(blocks, "int32")
        epoch = blocks[0] // self.blocks_per_epoch
        index = blocks % self.blocks_per_epoch
        centres, neighbours, real = self.windows(epoch, index)
        first = index[0]  # each block is in one step an epoch: it names the step
        if self.model == "skipgram":
            n = real.shape[0] * real.shape[1]
            target = ops.reshape(ops.broadcast_to(centres[:, None], neighbours.shape), (n,))
            rows = ops.stack([target, ops.reshape(neighbours, (n,))], axis=1)
            rows, weight, dropped = _compact(rows, ops.reshape(real, (n,)), self.slots)
            noise = self.negatives(epoch, first, (rows.shape[0], self.negative))
            context = ops.concatenate([rows[:, 1:], noise], axis=1)
            return {"target": rows[:, 0], "context": context}, weight, dropped
        # CBOW: the window's words predict the centre; padding 0 is left out of the mean.
        rows = ops.concatenate([centres[:, None], ops.where(real, neighbours, 0)], axis=1)
        rows, weight, dropped = _compact(rows, ops.any(real, axis=1), self.slots)
        context = rows[:, 1:]
        # A row with no word at all would average nothing (0 / 0 = NaN, and a NaN gradient
        # even at weight 0): it gets word 1 in its first slot, and weight 0.
        first_word = ops.where(ops.any(context > 0, axis=1), context[:, 0], 1)
        context = ops.concatenate([first_word[:, None], context[:, 1:]], axis=1)
        noise = self.negatives(epoch, first, (rows.shape[0], self.negative))
        target = ops.concatenate([rows[:, :1], noise], axis=1)
        return {"context": context, "target": target}, weight, dropped


def _compact(rows, real, slots):
    """The ``real`` rows first, in order, in ``slots`` rows: (rows, weight, dropped).

    ``slots=None`` keeps every row where it is (the real ones weighted 1): exact, but the
    model then also scores the empty slots. Fewer slots than rows packs the real rows and
    drops those past ``slots`` (``dropped`` counts them), so a step scores fewer empty slots.
    """
    if slots is None or slots >= rows.shape[0]:
        return rows, real, ops.convert_to_tensor(0, "int32")
    real_int = ops.cast(real, "int32")
    rank = ops.cumsum(real_int) - 1
    slot = ops.where(real & (rank < slots), rank, slots)  # the others to a spare row
    packed = ops.scatter(ops.expand_dims(slot, 1), rows, (slots + 1, rows.shape[1]))[:slots]
    count = ops.sum(real_int)
    weight = ops.arange(slots, dtype="int32") < count
    return packed, weight, ops.maximum(count - slots, 0)


# -- the training model ----------------------------------------------------------------------


class DeviceTraining(keras.Model):
    """Trains a kw2v model on examples made inside the step: ``fit``'s input is block numbers.

    ``call`` makes the step's examples (:class:`ExampleMaker`) and runs the course's model,
    :attr:`core`, on them; :meth:`compute_loss` is binary cross-entropy against labels
    ``[1, 0, ..., 0]``, averaged over the real examples only. ``fit`` is the training loop and
    the optimizer (``RowAdagrad``) updates :attr:`core`'s tables; save :attr:`core` alone.
    """

    def __init__(self, core: keras.Model, maker: ExampleMaker, **kwargs):
        super().__init__(**kwargs)
        self.core, self.maker = core, maker
        self.built = True  # both parts are: load_weights may restore a checkpoint at once
        # Examples left out because a step had more than its slots (0 with slots=None).
        self.dropped = keras.metrics.Sum(name="dropped", dtype="int32")

    def call(self, blocks):
        inputs, weight, dropped = self.maker(blocks)
        return self.core(inputs), weight, dropped

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Mean binary cross-entropy of the real examples; every backend's ``train_step``
        calls this, so the loss is written once."""
        probabilities, weight, dropped = y_pred
        self.dropped.update_state(dropped)
        labels = ops.concatenate(
            [ops.ones_like(probabilities[:, :1]), ops.zeros_like(probabilities[:, 1:])], axis=1
        )
        per_example = keras.losses.binary_crossentropy(labels, probabilities)
        weight = ops.cast(weight, per_example.dtype)
        return ops.sum(per_example * weight) / ops.maximum(ops.sum(weight), 1.0)


# -- what the coordinator uses ---------------------------------------------------------------


class DeviceExamples:
    """Examples of a word2vec pipeline made on the device instead, and the ``fit`` that uses
    them.

    The host pipeline (a :class:`kw2v.SkipGramPipeline` or :class:`kw2v.CBOWPipeline`, with
    negative sampling) brings the corpus and the options — window, negatives, subsampling,
    batch size (as ``train --batch-size`` counts it: pairs for skip-gram, centre words for
    CBOW), seed, steps per execution — and has already checked them and the corpus with its
    one-line errors; it holds the subsampling and noise tables and the expected number of
    examples. A step covers about ``batch_size / (examples per token)`` corpus positions, in
    blocks from all over the corpus (:meth:`fit_inputs`).

    Parameters
    ----------
    host : kw2v.pipeline.CorpusPipeline
        The pipeline whose examples to make on the device.
    block : int
        Consecutive corpus positions of a block.
    halo : int, optional
        Positions read past each side of a block, so that windows at its edges count the kept
        words beyond it; default ``4 * window``.
    capacity : float, optional
        Example slots a step scores, as a multiple of the examples it makes on average.
        None (default): a slot for every possible example, exact, but on wiki-sample only 46%
        of skip-gram's slots are real (subsampling and the dynamic window empty the rest),
        and the model scores them all. 1.5: the real examples are packed into 1.5 times the
        mean, about 1.5 times fewer rows; a step with more than that drops the rest (counted
        in ``fit``'s ``dropped`` metric; none on wiki-sample, where the fullest step of an
        epoch made 1.3 times the mean).

    Raises
    ------
    Kw2vError
        A host with no negatives (hierarchical softmax), or a bad block, halo or capacity.
    """

    def __init__(
        self,
        host,
        *,
        block: int = 4,
        halo: int | None = None,
        capacity: float | None = None,
    ):
        if host.negative < 1:
            raise Kw2vError(
                f"examples on the device use negative sampling: --negative must be at least 1, "
                f"got {host.negative} (hierarchical softmax: use --examples host)"
            )
        if halo is not None and halo < 0:
            raise Kw2vError(f"halo must be >= 0, got {halo}")
        if block < 1:
            raise Kw2vError(f"block must be at least 1, got {block}")
        if capacity is not None and capacity <= 0:
            raise Kw2vError(
                f"capacity must be above 0 (None: room for every example), got {capacity}"
            )
        self.host = host
        self.model = LAYOUTS[host.graph_kind]
        self.window, self.negative, self.seed = host.window, host.negative, host.seed
        self.batch_size, self.steps_per_execution = host.batch_size, host.steps_per_execution
        self.block = block
        self.halo = 4 * self.window if halo is None else halo
        self.capacity = capacity

    @property
    def size(self) -> int:
        """Corpus tokens."""
        return len(self.host.ids)

    def expected_examples(self) -> float:
        """Expected examples an epoch: skip-gram's pairs or CBOW's centre words."""
        return self.host.expected_examples()

    def kept_fraction(self) -> float:
        """Expected fraction of the corpus tokens that survive subsampling."""
        return self.host.kept_fraction()

    def check_examples(self) -> None:
        """Refuse a corpus that makes less than one example an epoch (the host's message)."""
        self.host.check_examples()

    def blocks_per_step(self) -> int:
        """Blocks a step trains on: about ``batch_size`` examples' worth of positions."""
        per_token = self.expected_examples() / self.size
        centres = self.batch_size / max(per_token, 1e-9)
        return max(1, round(centres / self.block))

    def _passing_steps(self) -> int:
        """Steps that cover the corpus's blocks once."""
        return math.ceil(math.ceil(self.size / self.block) / self.blocks_per_step())

    def execution_steps(self) -> int:
        """Steps per graph call: ``steps_per_execution``, or fewer if an epoch is shorter."""
        return min(self.steps_per_execution, self._passing_steps())

    def steps_per_epoch(self) -> int:
        """Steps of one pass over the corpus, rounded up to whole executions."""
        multiple = self.execution_steps()
        return math.ceil(self._passing_steps() / multiple) * multiple

    def blocks_per_epoch(self) -> int:
        """Blocks an epoch: the corpus's, and empty ones past its end to fill the last step."""
        return self.steps_per_epoch() * self.blocks_per_step()

    def slots(self) -> int | None:
        """Example slots a step scores (None: every possible one; see ``capacity``)."""
        if self.capacity is None:
            return None
        mean = self.expected_examples() / self.steps_per_epoch()
        return max(1, math.ceil(self.capacity * mean))

    def sentence_ids(self) -> np.ndarray:
        """Each token's sentence number (int32)."""
        return (
            np.searchsorted(self.host.starts, np.arange(self.size), side="right").astype(np.int32)
            - 1
        )

    def maker(self) -> ExampleMaker:
        """The layer that makes a step's examples, its variables made in the current scope."""
        return ExampleMaker(
            np.asarray(self.host.ids, dtype=np.int32),
            self.sentence_ids(),
            self.host.keep,
            self.host.noise.threshold,
            self.host.noise.alias,
            model=self.model,
            window=self.window,
            negative=self.negative,
            block=self.block,
            halo=self.halo,
            blocks_per_epoch=self.blocks_per_epoch(),
            seed=self.seed,
            slots=self.slots(),
            name="examples",
        )

    def training_model(self, core: keras.Model) -> DeviceTraining:
        """``core`` (:func:`kw2v.build_skipgram_model` or :func:`kw2v.build_cbow_model`)
        wrapped to train on examples made in the step; compile it, then ``fit`` with
        :meth:`fit_arguments`."""
        return DeviceTraining(core, self.maker(), name=f"{core.name}_on_device")

    def fit_inputs(self, start_epoch: int, epochs: int) -> np.ndarray:
        """The global block numbers of epochs ``start_epoch .. epochs - 1``: ``fit``'s ``x``,
        taken :meth:`blocks_per_step` at a time.

        Epoch ``e`` visits its blocks in an order drawn from ``(seed, e)``, so a step trains
        on small blocks from all over the corpus, as the host pipelines' shuffle mixes a
        batch. (Consecutive text in a step hurts: blocks of 224 positions, one a step, gave
        WS353 0.34-0.39 after 3 epochs of wiki-sample against 0.54 for the host path, and so
        did the host path shuffling 250-token chunks.) A block number names its block, so
        resuming at any epoch gives the same steps.
        """
        blocks = self.blocks_per_epoch()
        order = [
            epoch * blocks + np.random.default_rng([self.seed, epoch]).permutation(blocks)
            for epoch in range(start_epoch, epochs)
        ]
        return np.concatenate(order or [np.zeros(0, np.int64)]).astype(np.int32)

    def fit_arguments(self, start_epoch: int, epochs: int) -> dict:
        """``fit``'s data arguments: :meth:`blocks_per_step` block numbers a step, an epoch a
        pass over the corpus."""
        return dict(
            x=self.fit_inputs(start_epoch, epochs),
            batch_size=self.blocks_per_step(),
            epochs=epochs,
            initial_epoch=start_epoch,
            steps_per_epoch=self.steps_per_epoch(),
            shuffle=False,
        )

    @property
    def examples(self) -> str:
        """What the examples are called in messages (the host pipeline's name)."""
        return self.host.examples

    def errors(self):
        """No error can come from a thread here: the examples are made inside the step."""
        return contextlib.nullcontext()
