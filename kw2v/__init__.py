"""kw2v: word2vec in Keras 3, the helper package of the kw2v course.

Read top-down the way data flows: ``datasets`` (named corpora, downloads) and ``corpus``
(text → tokens) → ``vocab`` → ``sampling`` and ``pairs`` (subsampling, negatives, skip-gram
pairs) → ``pipeline`` (tf.data) → ``model`` (and ``cbow``, ``hierarchical``, ``glove``) →
``methods`` (the five methods, one interface) → ``training`` (one ``train()`` for all, with
``callbacks``) → ``run_folder`` (checkpoints, saved runs) → ``vectors`` (lookup, similarity)
and ``io`` (atomic files, word2vec formats) → ``evaluate`` and ``plot``; ``cli`` is the command
line. Public names are importable from ``kw2v`` itself; TensorFlow loads only when a name that
needs it is first used (``kw2v.import_tensorflow`` loads it without start-up noise).
"""

import os as _os
from importlib import import_module as _import_module

# Keep TensorFlow's C++ start-up chatter (CUDA probing on CPU machines) off the console.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"

_EXPORTS = {
    "Kw2vError": "errors",
    "import_tensorflow": "startup",
    "setup_notebook": "startup",
    "Corpus": "corpus",
    "tokenize": "corpus",
    "normalize_text8": "corpus",
    "iter_sentences": "corpus",
    "download_text8": "datasets",
    "wiki_sample_path": "datasets",
    "Vocabulary": "vocab",
    "keep_probabilities": "sampling",
    "noise_distribution": "sampling",
    "make_sampling_table": "sampling",
    "NoiseSampler": "sampling",
    "kept_tokens": "sampling",
    "DeviceExamples": "device_examples",
    "skipgrams": "pairs",
    "window_pairs": "pairs",
    "ExamplePipeline": "pipeline",
    "SkipGramPipeline": "pipeline",
    "encode_corpus": "pipeline",
    "build_skipgram_model": "model",
    "build_softmax_model": "model",
    "embedding_weights": "model",
    "couples_to_inputs": "model",
    "RowAdagrad": "optimizers",
    "TrainConfig": "config",
    "train": "training",
    "TrainResult": "training",
    "compile_model": "training",
    "compile_skipgram": "training",
    "model_vectors": "model",
    "word_tables": "model",
    "NeighborsCallback": "callbacks",
    "EpochVectors": "callbacks",
    "SpaceAnimation": "animation",
    "Method": "methods",
    "METHODS": "methods",
    "method_for": "methods",
    "RunBackup": "run_folder",
    "load_model": "run_folder",
    "load_run": "run_folder",
    "save_run": "run_folder",
    "WordVectors": "vectors",
    "UnknownWordError": "vectors",
    "atomic_write": "io",
    "atomic_path": "io",
    "word_pairs": "evaluate",
    "analogies": "evaluate",
    "evaluate_all": "evaluate",
    "format_table": "evaluate",
    "plot_tsne": "plot",
    "plot_pca": "plot",
    "plot_analogy_arrows": "plot",
    "project_2d": "plot",
    "content_words": "plot",
    "overlapping_labels": "plot",
    "WORD_GROUPS": "plot",
    # the word2vec variants and GloVe (notebooks 06 and 07)
    "CBOWPipeline": "cbow",
    "build_cbow_model": "cbow",
    "HuffmanTree": "hierarchical",
    "PAD_CODE": "hierarchical",
    "path_loss": "hierarchical",
    "plot_huffman_tree": "hierarchical",
    "build_hierarchical_skipgram_model": "hierarchical",
    "cbow_windows": "cbow",
    "glove_vectors": "glove",
    "glove_weight": "glove",
    "fit_biases": "glove",
    "warm_start_biases": "glove",
    "Cooccurrence": "glove",
    "count_cooccurrences": "glove",
    "GloVePipeline": "glove",
    "build_glove_model": "glove",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    """Import the module that holds ``name`` on first use (PEP 562)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kw2v' has no attribute {name!r}")
    value = getattr(_import_module(f"kw2v.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_EXPORTS])
