"""The command line: ``python -m kw2v demo | train | evaluate | neighbors | plot | export``.

User errors print one line on stderr and exit with status 2; nothing prints a traceback.
TensorFlow is imported only by the commands that train.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from kw2v.config import LOSSES, MODELS, TrainConfig
from kw2v.errors import Kw2vError

DEMO_PROBES = ("king", "war", "music", "france", "three")
EXIT_USER_ERROR = 2


def _import_tensorflow_quietly() -> None:
    """Import TensorFlow with C-level stderr muted: TF 2.21 prints absl start-up lines
    ("Could not find cuda drivers...") that ignore TF_CPP_MIN_LOG_LEVEL
    (tensorflow/tensorflow#100442). Python exceptions still propagate."""
    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            import tensorflow as tf

            tf.config.list_physical_devices()  # device probing logs too ("cuInit")
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _load_vectors(path: str):
    """A vectors file (.bin binary, else text), or a run folder holding ``vectors.bin``."""
    from kw2v.vectors import WordVectors

    p = Path(path)
    if p.is_dir():
        p = p / "vectors.bin"
    if not p.is_file():
        raise Kw2vError(f"vectors file not found: {p}; give a .bin/.txt file or a run folder")
    return WordVectors.load_word2vec(p)


def _add_train_options(p: argparse.ArgumentParser, defaults) -> None:
    """Options shared by ``train`` and ``demo``; defaults come from :class:`TrainConfig`."""
    g = p.add_argument_group("training options")
    g.add_argument("--epochs", type=int, default=defaults.epochs)
    g.add_argument("--dim", type=int, default=defaults.dim, help="vector size")
    g.add_argument(
        "--window", type=int, default=defaults.window, help="max context distance (5; glove: 10)"
    )
    g.add_argument("--negative", type=int, default=defaults.negative, help="negatives per pair")
    g.add_argument("--min-count", type=int, default=defaults.min_count)
    g.add_argument("--max-vocab", type=int, default=defaults.max_vocab)
    g.add_argument("--sample", type=float, default=defaults.sample, help="subsampling threshold")
    g.add_argument("--batch-size", type=int, default=defaults.batch_size, help="pairs per batch")
    g.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    g.add_argument(
        "--shared-embedding",
        action="store_true",
        help="one Embedding for target and context (the classic Keras tutorial)",
    )
    g.add_argument(
        "--model",
        choices=MODELS,
        default=defaults.model,
        help="word2vec's skip-gram or CBOW, or GloVe (default: skipgram)",
    )
    g.add_argument(
        "--loss",
        choices=LOSSES,
        default=defaults.loss,
        help="negative sampling or hierarchical softmax, for skipgram and cbow",
    )
    g.add_argument("--seed", type=int, default=defaults.seed)
    g.add_argument(
        "--normalize",
        choices=("none", "lower", "text8"),
        default=None,
        help="tokenisation of a local file (default: lower; datasets are already clean)",
    )
    g.add_argument("--probe", nargs="*", default=None, help="print these words' neighbours")


def _config_from(args):
    return TrainConfig(
        dim=args.dim,
        window=args.window,
        negative=args.negative,
        min_count=args.min_count,
        max_vocab=args.max_vocab,
        sample=args.sample,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        shared_embedding=args.shared_embedding,
        seed=args.seed,
        model=args.model,
        loss=args.loss,
    ).validate()


def cmd_train(args) -> int:
    from kw2v.corpus import Corpus

    config = _config_from(args)  # bad options and paths fail before TensorFlow loads
    corpus = Corpus(args.corpus, mode=args.normalize)
    _import_tensorflow_quietly()
    from kw2v.train import train

    print(f"corpus: {corpus.name} ({corpus.path})", flush=True)
    train(corpus, config, out_dir=args.out, probe_words=args.probe or ())
    print(f"wrote {Path(args.out) / 'vectors.bin'} (word2vec binary format)")
    return 0


def cmd_demo(args) -> int:
    from kw2v.corpus import Corpus
    from kw2v.evaluate import evaluate_all, format_table
    from kw2v.plot import plot_tsne

    start = time.perf_counter()
    out = Path(args.out)
    config = _config_from(args)
    _import_tensorflow_quietly()
    from kw2v.train import train

    corpus = Corpus("wiki-sample")
    print(f"kw2v demo: skip-gram with negative sampling in Keras on {corpus.name}", flush=True)
    result = train(corpus, config, out_dir=out, probe_words=args.probe or ())
    scores = evaluate_all(result.vectors)
    print("\nevaluation (same scoring as gensim's evaluate_word_pairs / analogies):")
    print(format_table(scores))
    print("\nnearest neighbours:")
    for word in DEMO_PROBES:
        if word in result.vectors:
            near = ", ".join(w for w, _ in result.vectors.most_similar(word, topn=6))
            print(f"  {word:>8} → {near}")
    png = out / "tsne.png"
    plot_tsne(
        result.vectors,
        n_words=args.tsne_words,
        out=png,
        seed=args.seed,
        title=f"t-SNE of the {args.tsne_words} most frequent words (kw2v, wiki-sample)",
    )
    with open(out / "scores.json", "w") as f:
        json.dump(scores, f, indent=2)
    print(f"\nwrote {out / 'vectors.bin'}, {png} and {out / 'scores.json'}")
    print(f"demo finished in {time.perf_counter() - start:.0f} s")
    return 0


def cmd_evaluate(args) -> int:
    from kw2v.evaluate import evaluate_all, format_table

    scores = evaluate_all(_load_vectors(args.vectors), analogies_too=not args.no_analogies)
    print(json.dumps(scores, indent=2) if args.json else format_table(scores))
    return 0


def cmd_neighbors(args) -> int:
    wv = _load_vectors(args.vectors)
    for word in args.words:
        wv.index(word)  # unknown word: a clear error with suggestions, before any output
    for word in args.words:
        near = wv.most_similar(word, topn=args.topn)
        print(f"{word}: " + ", ".join(f"{w} ({s:.3f})" for w, s in near))
    return 0


def cmd_plot(args) -> int:
    from kw2v.plot import plot_pca, plot_tsne

    wv = _load_vectors(args.vectors)
    draw = plot_tsne if args.method == "tsne" else plot_pca
    draw(wv, n_words=args.words, out=args.out)
    print(f"wrote {args.out}")
    return 0


def cmd_export(args) -> int:
    wv = _load_vectors(args.vectors)
    if args.format == "projector":
        vec, meta = wv.save_projector(args.out)
        print(f"wrote {vec} and {meta}: load both at https://projector.tensorflow.org")
    else:
        path = wv.save_word2vec(args.out, binary=args.format == "word2vec-binary")
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:

    defaults = TrainConfig()
    parser = argparse.ArgumentParser(
        prog="python -m kw2v", description="word2vec in Keras: train, evaluate, look, export."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="train on the embedded wiki-sample, evaluate, draw t-SNE")
    p.add_argument("--out", default="runs/demo", help="output folder (default: runs/demo)")
    p.add_argument("--tsne-words", type=int, default=250)
    _add_train_options(p, defaults)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("train", help="train on a corpus and write DIR/vectors.bin")
    p.add_argument("--corpus", required=True, help="wiki-sample, text8, or a text file path")
    p.add_argument("--out", required=True, help="output folder")
    _add_train_options(p, defaults)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="WS353, SimLex-999 and analogy scores of vectors")
    p.add_argument("vectors", help="vectors file or run folder")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--no-analogies", action="store_true", help="skip the analogy questions")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("neighbors", help="nearest neighbours of words by cosine")
    p.add_argument("vectors")
    p.add_argument("words", nargs="+")
    p.add_argument("--topn", type=int, default=10)
    p.set_defaults(func=cmd_neighbors)

    p = sub.add_parser("plot", help="t-SNE or PCA picture of the most frequent words")
    p.add_argument("vectors")
    p.add_argument("--out", required=True, help="PNG file to write")
    p.add_argument("--method", choices=("tsne", "pca"), default="tsne")
    p.add_argument("--words", type=int, default=300, help="how many frequent words")
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("export", help="write vectors in another format")
    p.add_argument("vectors")
    p.add_argument(
        "--format", required=True, choices=("word2vec-text", "word2vec-binary", "projector")
    )
    p.add_argument("--out", required=True, help="file (word2vec) or folder (projector)")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Kw2vError as e:
        print(f"kw2v: error: {e}", file=sys.stderr)
    except OSError as e:
        where = f": {e.filename}" if e.filename else ""
        print(f"kw2v: error: {e.strerror or e}{where}", file=sys.stderr)
    except KeyboardInterrupt:
        print("kw2v: interrupted", file=sys.stderr)
        return 130
    return EXIT_USER_ERROR
