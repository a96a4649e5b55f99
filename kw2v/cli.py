"""The command line: ``python -m kw2v demo | train | evaluate | neighbors | plot | export``.

User errors print one line on stderr and exit with status 2; nothing prints a traceback.
Warnings print as one line each. Ctrl-C stops with status 130 and says how to resume.
TensorFlow is imported only by the commands that train.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
import time
import warnings
from pathlib import Path

from kw2v.backend import tensorflow_if_installed
from kw2v.config import add_options, config_from_args
from kw2v.errors import Kw2vError

DEMO_PROBES = ("king", "war", "music", "france", "three")
DEMO_GROUPS = {  # coloured in the demo's t-SNE picture; words missing from the map are skipped
    "numbers": ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    "directions": ("north", "south", "east", "west"),
    "months": (
        "january",
        "february",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),  # not "march" and "may": mostly verbs in Wikipedia
    "places": ("france", "germany", "italy", "spain", "britain", "europe", "asia", "america"),
}
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C


def _load_vectors(path: str, nonfinite: str = "refuse"):
    """A vectors file or run folder (:func:`kw2v.run_folder.load_vectors`)."""
    from kw2v.run_folder import load_vectors

    return load_vectors(path, nonfinite=nonfinite)


def _add_run_options(p: argparse.ArgumentParser) -> None:
    """What ``train`` and ``demo`` add to the training options (:class:`TrainConfig`'s)."""
    g = p.add_argument_group("the run")
    g.add_argument(
        "--normalize",
        choices=("none", "lower", "text8"),
        default=None,
        help="tokenisation of a local file (default: lower; datasets are already clean)",
    )
    g.add_argument("--probe", nargs="*", default=None, help="print these words' neighbours")


def _at_least_one(text: str) -> int:
    """argparse type: a whole number of 1 or more."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _resolved(config):
    """``config`` with its method's defaults (:func:`kw2v.methods.resolve`). The methods'
    modules load Keras, so TensorFlow is loaded first, quietly (when installed)."""
    tensorflow_if_installed()
    from kw2v.methods import resolve

    return resolve(config)[1]


def cmd_train(args) -> int:
    from kw2v.corpus import Corpus

    config = _resolved(config_from_args(args))  # bad options fail before paths are read
    corpus = Corpus(args.corpus, mode=args.normalize)
    if args.epoch_vectors is not None:
        _check_epoch_vectors_dir(args.epoch_vectors)
    if args.animate is not None and Path(args.animate).suffix.lower() not in (".gif", ".mp4"):
        raise Kw2vError(f"--animate {args.animate}: give a .gif or .mp4 path")
    _check_out_dir(args.out, config)
    from kw2v.training import train

    print(f"corpus: {corpus.name} ({corpus.path})", flush=True)
    train(
        corpus,
        config,
        out_dir=args.out,
        probe_words=args.probe or (),
        animate=args.animate,
        epoch_vectors=args.epoch_vectors,
    )
    if args.animate is not None:
        print(f"wrote {args.animate} (the space forming)")
    from kw2v.distribute import chief_in_tf_config

    if config.strategy != "multiworker" or chief_in_tf_config():
        print(f"wrote {Path(args.out) / 'vectors.bin'} (word2vec binary format)")
    else:
        print(f"not writing {args.out}: the chief worker writes the run")
    return 0


def cmd_demo(args) -> int:
    from kw2v.corpus import Corpus
    from kw2v.evaluate import evaluate_all, format_table
    from kw2v.files import atomic_write
    from kw2v.plot import plot_tsne

    start = time.perf_counter()
    out = Path(args.out)
    config = _resolved(config_from_args(args))
    _check_out_dir(out, config)
    from kw2v.training import train

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
        highlight=DEMO_GROUPS,
        title=f"t-SNE of {args.tsne_words} frequent content words and {len(DEMO_GROUPS)} "
        "coloured groups (kw2v, wiki-sample)",
    )
    with atomic_write(out / "scores.json", "w") as f:
        json.dump(scores, f, indent=2)
    print(f"\nwrote {out / 'vectors.bin'}, {png} and {out / 'scores.json'}")
    print(f"demo finished in {time.perf_counter() - start:.0f} s")
    return 0


def _check_epoch_vectors_dir(path: str) -> None:
    """Create the ``--epoch-vectors`` folder now, so a bad path fails before training."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise Kw2vError(
            f"--epoch-vectors {path} is a file; give a folder (it receives epoch-N.bin and "
            "epochs.json)"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise Kw2vError(
            f"--epoch-vectors {path}: cannot create it ({e.strerror or e}); choose another folder"
        ) from None


def _check_out_dir(out, config) -> None:
    """Fail before TensorFlow loads if ``--out`` is not writable, is in use by another run, or
    holds a stopped run that these options cannot resume. The folder's lock is then held
    until this process ends."""
    from kw2v.run_folder import RunBackup, lock_run_folder, prepare_out_dir

    folder = prepare_out_dir(out)
    lock_run_folder(folder)
    RunBackup(folder, config)


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
    wv = _load_vectors(args.vectors, nonfinite="warn")  # copied as they are
    if args.format == "projector":
        vec, meta = wv.save_projector(args.out)
        print(f"wrote {vec} and {meta}: load both at https://projector.tensorflow.org")
    elif args.format == "tensorboard":
        log_dir = wv.save_tensorboard(args.out)
        print(f"wrote {log_dir}: see it with tensorboard --logdir {shlex.quote(str(log_dir))}")
    else:
        path = wv.save_word2vec(args.out, binary=args.format == "word2vec-binary")
        print(f"wrote {path}")
    return 0


def cmd_bench(args) -> int:
    from kw2v.bench import run_bench

    config = config_from_args(args)
    report = run_bench(
        args.corpus, args.out, config, max_words=args.max_words, workers=args.workers
    )
    print((Path(args.out) / "bench.md").read_text())
    print(f"wrote {Path(args.out) / 'bench.json'} and bench.md; ratios: {report['ratios']}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with kw2v's error style: one line, then exit status 2 (not the usage block)."""

    def error(self, message: str):
        print(f"kw2v: error: {message}; see {self.prog} --help", file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m kw2v", description="word2vec in Keras: train, evaluate, look, export."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_training_commands(sub)
    _add_vectors_commands(sub)
    return parser


def _add_training_commands(sub) -> None:
    """``demo``, ``train`` and ``bench``: the commands that train."""
    p = sub.add_parser("demo", help="train on the embedded wiki-sample, evaluate, draw t-SNE")
    p.add_argument("--out", default="runs/demo", help="output folder (default: runs/demo)")
    p.add_argument("--tsne-words", type=_at_least_one, default=150, help="content words drawn")
    add_options(p, groups=("training options",))
    _add_run_options(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("train", help="train on a corpus and write DIR/vectors.bin")
    p.add_argument("--corpus", required=True, help="wiki-sample, text8, or a text file path")
    p.add_argument("--out", required=True, help="output folder")
    add_options(p)
    _add_run_options(p)
    p.add_argument(
        "--animate",
        metavar="PATH",
        default=None,
        help="write a film of word groups forming during training (.gif, or .mp4 with ffmpeg)",
    )
    p.add_argument(
        "--epoch-vectors",
        metavar="DIR",
        default=None,
        help="after every epoch write DIR/epoch-N.bin (word2vec binary) and add the time it "
        "ended to DIR/epochs.json: quality against time, as bench draws it",
    )
    p.set_defaults(func=cmd_train)

    p = sub.add_parser(
        "bench",
        help="train kw2v and gensim with the same options, compare, draw quality against time",
        description="Train kw2v and gensim's Word2Vec (workers=2) on the same corpus with the "
        "same options, each as a whole process; write OUT/bench.json and bench.md (wall time, "
        "raw and effective words/s, peak memory, scores) and OUT/time_to_quality.png (the "
        "scores of every epoch's vectors against the seconds since each process started).",
    )
    p.add_argument("--corpus", required=True, help="wiki-sample, text8, or a text file path")
    p.add_argument("--out", default="runs/bench", help="output folder (default: runs/bench)")
    p.add_argument("--max-words", type=int, default=None, help="use the first W words only")
    p.add_argument(
        "--workers", type=_at_least_one, default=None, help="gensim's threads (default: all cores)"
    )
    add_options(p, groups=("training options",))
    p.set_defaults(epochs=1)
    p.set_defaults(func=cmd_bench)


def _add_vectors_commands(sub) -> None:
    """``evaluate``, ``neighbors``, ``plot`` and ``export``: the commands that read vectors."""
    p = sub.add_parser("evaluate", help="WS353, SimLex-999 and analogy scores of vectors")
    p.add_argument("vectors", help="vectors file or run folder")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--no-analogies", action="store_true", help="skip the analogy questions")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("neighbors", help="nearest neighbours of words by cosine")
    p.add_argument("vectors")
    p.add_argument("words", nargs="+")
    p.add_argument("--topn", type=_at_least_one, default=10)
    p.set_defaults(func=cmd_neighbors)

    p = sub.add_parser("plot", help="t-SNE or PCA picture of the most frequent content words")
    p.add_argument("vectors")
    p.add_argument("--out", required=True, help="PNG file to write")
    p.add_argument("--method", choices=("tsne", "pca"), default="tsne")
    p.add_argument("--words", type=_at_least_one, default=150, help="how many content words")
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("export", help="write vectors in another format")
    p.add_argument("vectors")
    p.add_argument(
        "--format",
        required=True,
        choices=("word2vec-text", "word2vec-binary", "projector", "tensorboard"),
    )
    p.add_argument(
        "--out", required=True, help="file (word2vec) or folder (projector, tensorboard)"
    )
    p.set_defaults(func=cmd_export)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a warning as ``kw2v: warning: ...`` on one line, not Python's two-line format."""
    print(f"kw2v: warning: {' '.join(str(message).split())}", file=sys.stderr, flush=True)


def _command_line(argv: list[str]) -> str:
    """The command that reruns these arguments, ready to paste into a shell."""
    python = shutil.which("python")
    same = python and os.path.realpath(python) == os.path.realpath(sys.executable)
    return shlex.join(["python" if same else sys.executable, "-m", "kw2v", *argv])


def _interrupted(args, argv: list[str]) -> str:
    """The Ctrl-C message: for training, what is saved and the exact command to resume."""
    if args.command not in ("train", "demo"):
        return "kw2v: interrupted"
    from kw2v.run_folder import BACKUP_DIR, read_state

    try:
        state = read_state(args.out)
    except Kw2vError:
        state = None
    command = _command_line(argv)
    run = Path(args.out) / "run.json"
    if state is None and run.is_file() and run.stat().st_mtime >= args.started:
        return f"kw2v: interrupted after the run was complete; its results are in {args.out}"
    if state and state["epochs_done"]:
        done, epochs = state["epochs_done"], state["config"]["epochs"]
        backup = Path(args.out) / BACKUP_DIR
        return (
            f"kw2v: interrupted; {done} of {epochs} epochs are saved in {backup}; "
            f"resume with: {command}"
        )
    return f"kw2v: interrupted before the first epoch ended; start again with: {command}"


def main(argv: list[str] | None = None, *, leave_on_interrupt: bool = False) -> int:
    """Run the command line; return the exit status.

    ``leave_on_interrupt`` (the console entry point, :func:`run`): after Ctrl-C, end the process
    at once with ``os._exit`` once the message is printed. The finished epochs are on disk by
    then, and releasing an input pipeline stopped mid-epoch (TensorFlow's generator threads)
    can otherwise hold the process for minutes on a busy machine.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.started = time.time()  # a run.json newer than this was written by this command
    with warnings.catch_warnings():
        warnings.showwarning = _one_line_warning
        try:
            return args.func(args)
        except Kw2vError as e:
            print(f"kw2v: error: {e}", file=sys.stderr)
        except OSError as e:
            where = f": {e.filename}" if e.filename else ""
            print(
                f"kw2v: error: {e.strerror or e}{where}; check the path and its permissions",
                file=sys.stderr,
            )
        except MemoryError:
            print(_OUT_OF_MEMORY, file=sys.stderr)
        except KeyboardInterrupt:
            print(_interrupted(args, argv), file=sys.stderr, flush=True)
            if leave_on_interrupt:
                sys.stdout.flush()
                os._exit(EXIT_INTERRUPTED)
            return EXIT_INTERRUPTED
        except Exception as e:
            if type(e).__name__ != "ResourceExhaustedError":  # TensorFlow's out of memory
                raise
            print(_OUT_OF_MEMORY, file=sys.stderr)
    return EXIT_USER_ERROR


_OUT_OF_MEMORY = (
    "kw2v: error: out of memory; lower --dim, --batch-size or --max-vocab (or --window), "
    "or train on a smaller corpus"
)


def run() -> None:
    """The console entry point (``kw2v``, ``python -m kw2v``): :func:`main` as the exit status."""
    sys.exit(main(leave_on_interrupt=True))
