"""kw2v: word2vec in Keras 3, the helper package of the kw2v course.

Read top-down the way data flows (the README's table lists every module): ``datasets`` and
``corpus`` (text → tokens) → ``vocab`` (words → indices) → ``sampling`` and ``windows``
(subsampling, negatives, the window rule) → ``pipeline`` (what every method's examples share)
→ ``embeddings`` (word tables) → one module per method, each with its examples, model and
``Method``: ``skipgram``, ``cbow``, ``hierarchical``, ``glove`` → ``methods`` and ``config``
(the five methods; every option declared once) → ``training`` (one ``train()`` for all) →
``run_folder`` → ``vectors`` and ``files`` → ``evaluate`` and ``plot``; ``cli`` is the command
line. Public names are importable from ``kw2v`` itself; TensorFlow loads only where it is
needed (``backend``), so vectors, evaluation and the command line's ``evaluate`` and
``neighbors`` work without it.
"""

import os as _os
from importlib import import_module as _import_module

# Keep TensorFlow's C++ start-up chatter (CUDA probing on CPU machines) off the console.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"

_EXPORTS = {
    "Kw2vError": "errors",
    "import_tensorflow": "backend",
    "setup_notebook": "course.notebook",
    "Corpus": "corpus",
    "tokenize": "corpus",
    "normalize_text8": "corpus",
    "iter_sentences": "corpus",
    "download_text8": "datasets",
    "wiki_sample_path": "datasets",
    "Vocabulary": "vocab",
    "encode_corpus": "vocab",
    "keep_probabilities": "sampling",
    "noise_distribution": "sampling",
    "make_sampling_table": "sampling",
    "NoiseSampler": "sampling",
    "kept_tokens": "sampling",
    "window_pairs": "windows",
    "cbow_windows": "windows",
    "ExamplePipeline": "pipeline",
    "CorpusPipeline": "pipeline",
    "DeviceExamples": "device_examples",
    "embedding_weights": "embeddings",
    "model_vectors": "embeddings",
    "word_tables": "embeddings",
    # skip-gram (notebooks 01-05)
    "skipgrams": "skipgram",
    "SkipGramPipeline": "skipgram",
    "build_skipgram_model": "skipgram",
    "build_softmax_model": "skipgram",
    "couples_to_inputs": "skipgram",
    # CBOW, hierarchical softmax, GloVe (notebooks 06 and 07)
    "CBOWPipeline": "cbow",
    "build_cbow_model": "cbow",
    "HuffmanTree": "hierarchical",
    "PAD_CODE": "hierarchical",
    "path_loss": "hierarchical",
    "build_hierarchical_skipgram_model": "hierarchical",
    "build_hierarchical_cbow_model": "hierarchical",
    "glove_vectors": "glove",
    "glove_weight": "glove",
    "fit_biases": "glove",
    "warm_start_biases": "glove",
    "Cooccurrence": "glove",
    "count_cooccurrences": "glove",
    "GloVePipeline": "glove",
    "build_glove_model": "glove",
    # one interface for the five methods, one train()
    "Method": "method",
    "METHODS": "methods",
    "method_for": "methods",
    "resolve": "methods",
    "TrainConfig": "config",
    "RowAdagrad": "optimizers",
    "train": "training",
    "TrainResult": "training",
    "compile_model": "training",
    "NeighborsCallback": "callbacks",
    "EpochVectors": "callbacks",
    "SpaceAnimation": "animation",
    "RunBackup": "run_folder",
    "load_model": "run_folder",
    "load_run": "run_folder",
    "save_run": "run_folder",
    "WordVectors": "vectors",
    "UnknownWordError": "vectors",
    "atomic_write": "files",
    "atomic_path": "files",
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
