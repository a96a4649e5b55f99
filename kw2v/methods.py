"""The five ways kw2v learns word vectors, behind the one small interface :func:`kw2v.train` uses.

gensim's ``Word2Vec`` makes skip-gram or CBOW, negative sampling or hierarchical softmax,
options of one training job; kw2v does the same, and adds GloVe. A :class:`Method` says four
things, and nothing else differs between the methods:

- which options it reads, with its defaults (:attr:`Method.defaults`): an option it would
  ignore is refused in one line instead;
- how a corpus becomes its training examples (:meth:`Method.pipeline`);
- how its Keras model is built (:meth:`Method.build`) and the loss it is compiled with
  (:attr:`Method.loss`);
- which tables are the word vectors (:attr:`Method.output_vectors`).

Vocabulary, checkpoints and resuming, strategies, probes, Ctrl-C and the run folder belong to
:func:`kw2v.train`, the same for all five. Nothing here imports TensorFlow until a pipeline or
a model is made, so the command line checks options before TensorFlow loads.
Introduced in notebook 06.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from kw2v.errors import Kw2vError

if TYPE_CHECKING:
    import keras
    import numpy as np

    from kw2v.config import TrainConfig
    from kw2v.pipeline import ExamplePipeline
    from kw2v.vocab import Vocabulary

#: The options that only some methods read; each method gives its defaults for the ones it reads.
OPTIONAL = ("negative", "sample", "shared_embedding")


class Method:
    """How one method trains: its options, examples, model, loss and word vectors.

    Attributes
    ----------
    title : str
        Its name in messages.
    window : int
        Its default ``--window``.
    defaults : dict
        The :data:`OPTIONAL` options it reads, with their defaults; it refuses the others.
    output_vectors : tuple of str
        What ``--output-vectors`` may be for it; the first is its default (see
        :func:`kw2v.model.word_tables`).
    """

    title = ""
    #: The Keras loss it is compiled with.
    loss = "binary_crossentropy"
    window = 5
    defaults: dict = {}
    output_vectors = ("target+context", "target")
    #: Why it reads no such option, for the message that refuses one.
    unused: dict = {}

    def resolve(self, config: TrainConfig) -> None:
        """Fill the options left at None with this method's defaults; refuse one it ignores.

        Raises
        ------
        Kw2vError
            One line naming the option, why this method has no use for it, and the fix.
        """
        if config.window is None:
            config.window = self.window
        for name in OPTIONAL:
            value = getattr(config, name)
            if name in self.defaults:
                setattr(config, name, self.defaults[name] if value is None else value)
            elif value is not None and value is not False:  # 0 is a value set
                option = "--" + name.replace("_", "-")
                why = self.unused.get(name, "it has no such knob")
                raise Kw2vError(f"{option} is not used by {self.title} ({why}); leave it out")
        if config.output_vectors is None:
            config.output_vectors = self.output_vectors[0]
        if config.output_vectors not in self.output_vectors:
            raise Kw2vError(
                f"--output-vectors {config.output_vectors} is not possible with {self.title}: "
                f"it has no context table Θ of words, only {' or '.join(self.output_vectors)}"
            )

    def pipeline(
        self, config: TrainConfig, vocab: Vocabulary, ids: np.ndarray, starts: np.ndarray, verbose
    ) -> ExamplePipeline:
        """The training examples of the encoded corpus, made fresh each epoch."""
        raise NotImplementedError

    def build(self, config: TrainConfig, vocab: Vocabulary, pipeline) -> keras.Model:
        """The Keras model, not compiled (:func:`kw2v.train` compiles it with :attr:`loss`)."""
        raise NotImplementedError


class _Word2Vec(Method):
    """What word2vec's four methods share: windows over the corpus, subsampling, and
    negative sampling or a Huffman tree."""

    hierarchical = False

    @property
    def loss(self):
        """Binary cross-entropy on (true, negatives), or the path loss of hierarchical softmax."""
        if self.hierarchical:
            from kw2v.hierarchical import path_loss

            return path_loss
        return "binary_crossentropy"

    def _pipeline_class(self):
        """:class:`kw2v.SkipGramPipeline` or :class:`kw2v.CBOWPipeline`."""
        raise NotImplementedError

    def pipeline(self, config, vocab, ids, starts, verbose):
        tree = _huffman_tree(vocab, verbose) if self.hierarchical else None
        return self._pipeline_class()(
            ids, vocab.counts, sentence_starts=starts, window=config.window,
            negative=0 if self.hierarchical else config.negative, sample=config.sample,
            batch_size=config.batch_size, seed=config.seed, tree=tree,
        )  # fmt: skip


def _huffman_tree(vocab, verbose):
    from kw2v.hierarchical import HuffmanTree

    tree = HuffmanTree(vocab.counts)
    if verbose:
        print(
            f"Huffman tree: {tree.n_nodes:,} inner nodes, paths of {tree.lengths[1:].min()} to "
            f"{tree.max_depth} steps ({tree.mean_depth(vocab.counts):.1f} per token on average)",
            flush=True,
        )
    return tree


_ONE_TABLE = "only skip-gram with negative sampling can share one table"


class _Hierarchical:
    """What hierarchical softmax changes in a word2vec method: no negatives, no table Θ of
    words (the node vectors of the Huffman tree take its place), so E alone is kept."""

    hierarchical = True
    defaults = {"sample": 1e-3}
    unused = {
        "negative": "hierarchical softmax predicts through the Huffman tree, with no negatives",
        "shared_embedding": _ONE_TABLE,
    }
    output_vectors = ("target",)


class SkipGramNegative(_Word2Vec):
    """Skip-gram with negative sampling: word2vec's default, kw2v's first (notebooks 02-05)."""

    hierarchical, title = False, "skip-gram with negative sampling"
    defaults = {"negative": 5, "sample": 1e-3, "shared_embedding": False}

    def _pipeline_class(self):
        from kw2v.pipeline import SkipGramPipeline

        return SkipGramPipeline

    def build(self, config, vocab, pipeline):
        from kw2v.model import build_skipgram_model

        return build_skipgram_model(len(vocab), config.dim, config.shared_embedding)


class SkipGramHierarchical(_Hierarchical, SkipGramNegative):
    """Skip-gram with hierarchical softmax: the context word's path in a Huffman tree."""

    title = "skip-gram with hierarchical softmax"

    def build(self, config, vocab, pipeline):
        from kw2v.hierarchical import build_hierarchical_skipgram_model

        return build_hierarchical_skipgram_model(len(vocab), pipeline.tree.n_nodes, config.dim)


class CBOWNegative(_Word2Vec):
    """CBOW with negative sampling: the mean of the context words predicts the centre word.

    Its default vectors are E alone (the context words' table), as word2vec saves them.
    """

    hierarchical, title = False, "CBOW with negative sampling"
    defaults = {"negative": 5, "sample": 1e-3}
    unused = {"shared_embedding": _ONE_TABLE}
    output_vectors = ("target", "target+context")

    def _pipeline_class(self):
        from kw2v.cbow import CBOWPipeline

        return CBOWPipeline

    def build(self, config, vocab, pipeline):
        from kw2v.cbow import build_cbow_model

        return build_cbow_model(len(vocab), config.dim)


class CBOWHierarchical(_Hierarchical, CBOWNegative):
    """CBOW with hierarchical softmax: the centre word's path in a Huffman tree."""

    title = "CBOW with hierarchical softmax"

    def build(self, config, vocab, pipeline):
        from kw2v.cbow import build_cbow_model

        return build_cbow_model(len(vocab), config.dim, n_nodes=pipeline.tree.n_nodes)


class GloVe(Method):
    """GloVe: vectors fitted to the log of the co-occurrence counts, counted once (notebook 07).

    ``seconds`` of its run includes the counting, so words/s compares whole runs.
    """

    loss, title, window = "mean_squared_error", "GloVe", 10
    unused = {
        "negative": "GloVe fits co-occurrence counts, with no negatives",
        "sample": "GloVe counts every co-occurrence; its weighting f(X) damps frequent pairs",
        "shared_embedding": _ONE_TABLE,
    }

    def pipeline(self, config, vocab, ids, starts, verbose):
        from kw2v.glove import GloVePipeline, count_cooccurrences

        start = time.perf_counter()
        cooc = count_cooccurrences(ids, len(vocab), config.window, sentence_starts=starts)
        if verbose:
            print(
                f"co-occurrence matrix: {len(cooc):,} non-zero entries "
                f"({cooc.density:.3%} of {len(vocab) - 1:,}²), "
                f"counted in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
        return GloVePipeline(cooc, batch_size=config.batch_size, seed=config.seed)

    def build(self, config, vocab, pipeline):
        from kw2v.glove import build_glove_model, warm_start_biases

        return warm_start_biases(build_glove_model(len(vocab), config.dim), pipeline.cooc)


#: Every method, by its ``(--model, --loss)``. GloVe has its own loss: ``--loss`` stays at its
#: default there.
METHODS: dict[tuple[str, str], Method] = {
    ("skipgram", "negative"): SkipGramNegative(),
    ("skipgram", "hierarchical"): SkipGramHierarchical(),
    ("cbow", "negative"): CBOWNegative(),
    ("cbow", "hierarchical"): CBOWHierarchical(),
    ("glove", "negative"): GloVe(),
}


def method_for(model: str, loss: str = "negative") -> Method:
    """The method that ``--model`` and ``--loss`` choose.

    Raises
    ------
    Kw2vError
        For a pair that names no method (GloVe has its own loss).
    """
    try:
        return METHODS[(model, loss)]
    except KeyError:
        raise Kw2vError(
            f"--loss must be left at negative with --model {model} (GloVe has its own loss), "
            f"got {loss}"
        ) from None
