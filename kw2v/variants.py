"""Training the word2vec variants: CBOW, hierarchical softmax and GloVe.

:func:`kw2v.train` hands a run here when ``model`` is ``"cbow"`` or ``"glove"`` or ``loss`` is
``"hierarchical"``; the run then goes through the same steps as skip-gram — vocabulary,
encoded corpus, a streaming ``tf.data`` pipeline, a Keras model compiled with
:class:`kw2v.RowAdagrad`, ``model.fit`` — and returns the same :class:`kw2v.training.TrainResult`,
writing the same files. Introduced in notebook 06.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Iterable, Sequence

import keras

from kw2v.config import TrainConfig
from kw2v.optimizers import RowAdagrad
from kw2v.pipeline import SkipGramPipeline, encode_corpus
from kw2v.vectors import WordVectors
from kw2v.vocab import Vocabulary

__all__ = ["build_variant", "variant_vectors", "train_variant"]


def variant_vectors(model: keras.Model, vocab: Vocabulary) -> WordVectors:
    """The word vectors of a trained model of any kind, reserved index 0 left out.

    Skip-gram keeps its ``target_embedding``, CBOW the input table it averages
    (``word_embedding``), GloVe the sum of its word and context tables.
    """
    from kw2v.glove import glove_vectors

    if model.name == "glove":
        weights = glove_vectors(model)
    else:
        layer = "word_embedding" if model.name.startswith("cbow") else "target_embedding"
        weights = keras.ops.convert_to_numpy(model.get_layer(layer).embeddings)
    return WordVectors(vocab.words[1:], weights[1:], counts=vocab.counts[1:].tolist())


class _Probe(keras.callbacks.Callback):
    """Nearest neighbours of probe words after each epoch, for any variant."""

    def __init__(self, vocab: Vocabulary, words: Sequence[str], topn: int = 5):
        super().__init__()
        self.vocab, self.topn = vocab, topn
        self.words = [w for w in words if w in vocab]

    def on_epoch_end(self, epoch, logs=None):
        if not self.words:
            return
        wv = variant_vectors(self.model, self.vocab)
        for word in self.words:
            near = ", ".join(w for w, _ in wv.most_similar(word, topn=self.topn))
            print(f"  epoch {epoch + 1}: {word} → {near}", flush=True)


def build_variant(config: TrainConfig, vocab: Vocabulary, ids, starts, verbose: int = 0):
    """The pipeline, dataset, model and loss of a variant, before compiling.

    Returns
    -------
    (pipeline, dataset, model, loss, optimizer)
        ``pipeline.steps_per_epoch()`` gives the batches of one epoch.
    """
    from kw2v.cbow import CBOWPipeline, build_cbow_model
    from kw2v.glove import (
        GloVePipeline,
        build_glove_model,
        count_cooccurrences,
        warm_start_biases,
    )
    from kw2v.hierarchical import (
        HuffmanTree,
        build_hierarchical_skipgram_model,
        hierarchical_dataset,
        path_loss,
    )
    from kw2v.model import build_skipgram_model

    hierarchical = config.loss == "hierarchical"
    negative = 0 if hierarchical else config.negative
    if config.model == "glove":
        start = time.perf_counter()
        cooc = count_cooccurrences(ids, len(vocab), config.window, sentence_starts=starts)
        if verbose:
            print(
                f"co-occurrence matrix: {len(cooc):,} non-zero entries "
                f"({cooc.density:.3%} of {len(vocab) - 1:,}²), "
                f"counted in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
        pipeline = GloVePipeline(cooc, batch_size=config.batch_size, seed=config.seed)
        model = warm_start_biases(build_glove_model(len(vocab), config.dim), cooc)
        optimizer = RowAdagrad(config.learning_rate)
        return pipeline, pipeline.dataset(), model, "mean_squared_error", optimizer
    cbow = config.model == "cbow"
    pipeline = (CBOWPipeline if cbow else SkipGramPipeline)(
        ids, vocab.counts, sentence_starts=starts, window=config.window, negative=negative,
        sample=config.sample, batch_size=config.batch_size, seed=config.seed,
    )  # fmt: skip
    predicted = "target" if cbow else "context"
    dataset = pipeline.dataset()
    if not hierarchical:
        if cbow:
            model = build_cbow_model(len(vocab), config.dim)
        else:
            model = build_skipgram_model(len(vocab), config.dim, config.shared_embedding)
        return pipeline, dataset, model, "binary_crossentropy", RowAdagrad(config.learning_rate)
    tree = HuffmanTree(vocab.counts)
    if verbose:
        print(
            f"Huffman tree: {tree.n_nodes:,} inner nodes, paths of {tree.lengths[1:].min()} to "
            f"{tree.max_depth} steps ({tree.mean_depth(vocab.counts):.1f} per token on average)",
            flush=True,
        )
    dataset = hierarchical_dataset(dataset, tree, predicted)
    if cbow:
        model = build_cbow_model(len(vocab), config.dim, n_nodes=tree.n_nodes)
    else:
        model = build_hierarchical_skipgram_model(len(vocab), tree.n_nodes, config.dim)
    return pipeline, dataset, model, path_loss, RowAdagrad(config.learning_rate)


def train_variant(
    corpus: Iterable[Sequence[str]],
    config: TrainConfig,
    *,
    out_dir=None,
    probe_words: Sequence[str] = (),
    callbacks: Sequence[keras.callbacks.Callback] = (),
    verbose: int | str = "auto",
):
    """Train CBOW, hierarchical softmax or GloVe; called by :func:`kw2v.train`.

    Same arguments and result as :func:`kw2v.train`. For GloVe, ``seconds`` includes
    counting the co-occurrences, so words/s compares whole runs.
    """
    from kw2v.checkpoint import prepare_out_dir
    from kw2v.training import TrainResult, _finish, _say_vocabulary

    config = config.validate()
    if verbose == "auto":
        verbose = 1 if sys.stdout.isatty() else 2
    out = prepare_out_dir(out_dir)
    keras.utils.set_random_seed(config.seed)

    vocab = Vocabulary.build(corpus, min_count=config.min_count, max_size=config.max_vocab)
    ids, starts = encode_corpus(corpus, vocab)
    _say_vocabulary(vocab, len(ids), config.min_count, verbose)
    start = time.perf_counter()
    pipeline, dataset, model, loss, optimizer = build_variant(config, vocab, ids, starts, verbose)
    steps = pipeline.steps_per_epoch()
    model.compile(
        optimizer=optimizer,
        loss=loss,
        jit_compile=config.jit_compile,
        steps_per_execution=min(config.steps_per_execution, steps),
    )
    all_callbacks = list(callbacks)
    if probe_words:
        all_callbacks.append(_Probe(vocab, probe_words))
    history = model.fit(
        dataset,
        epochs=config.epochs,
        steps_per_epoch=steps,
        callbacks=all_callbacks,
        verbose=verbose,
        shuffle=False,
    )
    seconds = time.perf_counter() - start
    result = TrainResult(
        model=model,
        vocab=vocab,
        vectors=variant_vectors(model, vocab),
        history={k: [float(v) for v in vals] for k, vals in history.history.items()},
        config=dataclasses.replace(config),
        tokens=len(ids),
        seconds=seconds,
    )
    _finish(result, out, verbose)
    return result
