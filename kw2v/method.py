"""What a method is: the small interface :func:`kw2v.train` talks to, the same for all five.

gensim's ``Word2Vec`` makes skip-gram or CBOW, negative sampling or hierarchical softmax,
options of one training job; kw2v does the same, and adds GloVe. A :class:`Method` says four
things, and nothing else differs between the methods:

- which options it reads, with its defaults (:attr:`Method.defaults`): an option it would
  ignore is refused in one line instead;
- how a corpus becomes its training examples (:meth:`Method.pipeline`);
- how its Keras model is built (:meth:`Method.build`) and the loss it is compiled with
  (:meth:`Method.keras_loss`);
- which tables are the word vectors (:attr:`Method.output_vectors`).

Each method's module holds its examples, its model and its :class:`Method`
(:mod:`kw2v.skipgram`, :mod:`kw2v.cbow`, :mod:`kw2v.hierarchical`, :mod:`kw2v.glove`);
:mod:`kw2v.methods` lists them. Introduced in notebook 06.
"""

from __future__ import annotations

from typing import Any

#: The options that only some methods read; each method gives its defaults for the ones it reads.
OPTIONAL = ("negative", "sample", "shared_embedding")

#: Why a method other than skip-gram with negative sampling refuses ``--shared-embedding``.
ONE_TABLE = "only skip-gram with negative sampling can share one table"


class Method:
    """How one method trains: its options, examples, model, loss and word vectors.

    ``config`` below is a :class:`kw2v.TrainConfig`, ``vocab`` a :class:`kw2v.Vocabulary`.

    Attributes
    ----------
    title : str
        Its name in messages.
    window : int
        Its default ``--window``.
    defaults : dict
        The :data:`OPTIONAL` options it reads, with their defaults; it refuses the others.
    unused : dict
        Why it reads none of the others, for the message that refuses one.
    output_vectors : tuple of str
        What ``--output-vectors`` may be for it; the first is its default (see
        :func:`kw2v.word_tables`).
    """

    title = ""
    #: Whether :mod:`kw2v.device_examples` can make its examples inside the training step;
    #: if not, they are made on the host only.
    device_examples = False
    window = 5
    defaults: dict = {}
    unused: dict = {}
    output_vectors = ("target+context", "target")

    def keras_loss(self) -> Any:
        """The Keras loss its model is compiled with."""
        return "binary_crossentropy"

    def pipeline(self, config, vocab, ids, starts, verbose):
        """The training examples of the encoded corpus, made fresh each epoch
        (a :class:`kw2v.ExamplePipeline`)."""
        raise NotImplementedError

    def build(self, config, vocab, pipeline):
        """The Keras model, not compiled (:func:`kw2v.train` compiles it with
        :meth:`keras_loss`)."""
        raise NotImplementedError


class Word2VecMethod(Method):
    """What word2vec's methods share: a :class:`kw2v.pipeline.CorpusPipeline` subclass over
    the corpus (:attr:`pipeline_class`), subsampling, negatives."""

    defaults = {"negative": 5, "sample": 1e-3}
    pipeline_class: Any = None

    def pipeline_options(self, config, vocab, ids, starts, verbose) -> dict:
        """The keyword arguments of :attr:`pipeline_class` besides the corpus."""
        return dict(
            sentence_starts=starts, window=config.window, negative=config.negative,
            sample=config.sample, batch_size=config.batch_size, seed=config.seed,
            steps_per_execution=config.steps_per_execution,
        )  # fmt: skip

    def pipeline(self, config, vocab, ids, starts, verbose):
        options = self.pipeline_options(config, vocab, ids, starts, verbose)
        host = self.pipeline_class(ids, vocab.counts, **options)
        if config.examples == "device":
            from kw2v.device_examples import DeviceExamples

            return DeviceExamples(host)
        return host
