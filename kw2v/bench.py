"""kw2v against gensim, side by side: same corpus, same options, each timed as a whole process.

``python -m kw2v bench --corpus PATH [--model skipgram|cbow --loss negative|hierarchical
--epochs N --max-words W --out DIR]`` runs both trainers, gensim's ``Word2Vec`` with the
matching ``sg``, ``hs`` and ``negative``,
as child processes (so start-up, reading and vocabulary building count, and peak memory is each
process's own), scores both with :mod:`kw2v.evaluate` (equal to gensim's evaluators) and writes
``bench.json`` and ``bench.md``.

Time to quality: each child saves its vectors and the time after every epoch (kw2v's
``train --epoch-vectors``, a gensim callback for gensim). Once both have finished, every
snapshot is scored, outside the timing, and the scores are drawn against the seconds since
that process started in ``time_to_quality.png``: a trainer that is slower per word can still
reach a score first. Both write their snapshots through :func:`kw2v.files.save_epoch_vectors`,
so the writing, which later epochs' times include, costs both alike.

Words per second are counted two ways, named in every table: raw (the corpus's words, epochs
times, over the process's wall time) and effective (the words left after ``min_count`` and
subsampling, what gensim's log calls "effective words"), the same count for both trainers.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from kw2v.config import TrainConfig
from kw2v.errors import Kw2vError
from kw2v.files import read_epoch_vectors, save_epoch_vectors

METRICS = (
    "wall_s",
    "words_per_s",
    "effective_words_per_s",
    "peak_rss_mb",
    "ws353",
    "simlex",
    "analogy_add",
)
#: How the tables name the two word counts.
WORD_RATES = {
    "words_per_s": "raw words/s (corpus words x epochs / wall_s)",
    "effective_words_per_s": "effective words/s (left after min_count and subsampling)",
}
#: The scores the time-to-quality curve follows, and their panel titles.
CURVE_SCORES = {
    "ws353": "WS353 (Spearman ρ)",
    "simlex": "SimLex-999 (Spearman ρ)",
    "analogy_add": "analogies, 3CosAdd (accuracy)",
}


def trainers(report: dict) -> dict[str, str]:
    """How the tables and the picture name the two trainers."""
    return {"kw2v": "kw2v", "gensim": f"gensim (workers={report['gensim_options']['workers']})"}


EPOCHS_DIR = "epochs"  # in each trainer's folder: its vectors after every epoch


def prepare_corpus(source: str, max_words: int | None, workdir: Path) -> tuple[Path, int]:
    """A plain-text copy of the corpus (at most ``max_words`` words) that both trainers read,
    tokenised the same way (whitespace), and its word count. Streams: bounded memory."""
    from kw2v.corpus import Corpus

    corpus = Corpus(source, mode="none")
    out = workdir / "corpus.txt"
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for sentence in corpus:
            if max_words is not None and n + len(sentence) > max_words:
                sentence = sentence[: max_words - n]
            if sentence:
                f.write(" ".join(sentence) + "\n")
                n += len(sentence)
            if max_words is not None and n >= max_words:
                break
    if n == 0:
        raise Kw2vError(f"corpus {source} has no words")
    return out, n


def _run_child(argv: list[str]) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MB of that process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        raise Kw2vError(f"{' '.join(argv[:4])} ... failed ({proc.returncode}): {err[-500:]}")
    return wall, usage.ru_maxrss / 1024  # Linux reports kilobytes


def _gensim_worker(argv: list[str]) -> None:
    """Child process: train gensim's Word2Vec on a text file and save its vectors, and after
    every epoch its vectors and the time, as ``kw2v train --epoch-vectors`` does."""
    corpus, out, options = argv
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec
    from gensim.models.word2vec import LineSentence

    class EpochVectors(CallbackAny2Vec):
        def __init__(self):
            self.epoch = 0

        def on_epoch_end(self, model):
            ended = time.time()
            self.epoch += 1
            wv = model.wv
            save_epoch_vectors(
                Path(out) / EPOCHS_DIR, self.epoch, wv.index_to_key, wv.vectors, ended
            )

    start = time.perf_counter()
    model = Word2Vec(LineSentence(corpus), **json.loads(options), callbacks=[EpochVectors()])
    seconds = time.perf_counter() - start
    Path(out).mkdir(parents=True, exist_ok=True)
    model.wv.save_word2vec_format(str(Path(out) / "vectors.bin"), binary=True)
    used = {"sg": model.sg, "hs": model.hs, "negative": model.negative, "workers": model.workers}
    (Path(out) / "run.json").write_text(json.dumps({"seconds": seconds, "options": used}))


def run_bench(
    source: str,
    out_dir: str | os.PathLike,
    config: TrainConfig | None = None,
    *,
    max_words: int | None = None,
    workers: int | None = None,
    **overrides,
) -> dict:
    """Train kw2v and gensim with the same options; return and write the results.

    Writes ``bench.json``, ``bench.md`` and ``time_to_quality.png`` in ``out_dir``; each
    trainer's results hold a ``curve``, one point per epoch: the seconds since its process
    started and the WS353, SimLex-999 and 3CosAdd analogy scores of that epoch's vectors.

    ``config`` (default: one epoch) and ``overrides`` are kw2v's options, as for
    :func:`kw2v.train`; kw2v gets them all, gensim those it has: ``sg`` (1 for skip-gram, 0
    for CBOW), ``hs`` (1 for hierarchical softmax), ``negative`` (0 with ``hs``), the vector
    size, window, ``min_count``, ``sample``, epochs and seed. gensim trains on ``workers``
    threads (default: every core).

    Raises
    ------
    Kw2vError
        For GloVe, which gensim's Word2Vec does not have, or an option the method ignores.
    """
    from kw2v.methods import resolve

    config = dataclasses.replace(config or TrainConfig(epochs=1), **overrides)
    if config.architecture == "glove":
        raise Kw2vError(
            "bench compares kw2v with gensim's Word2Vec, which has no GloVe; train it with "
            "`train --model glove` and score it with `evaluate`"
        )
    method, config = resolve(config)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    text, words = prepare_corpus(source, max_words, out)
    runs = {}
    for name, argv in _commands(config, text, out, workers or os.cpu_count() or 1).items():
        shutil.rmtree(out / name / EPOCHS_DIR, ignore_errors=True)  # an earlier bench's
        print(f"training {name} ...", flush=True)
        started = time.time()  # the curve's zero: the process's start
        runs[name] = (started, *_run_child(argv))
    # Words per epoch left after min_count and subsampling (gensim's "effective words",
    # :func:`kw2v.sampling.kept_tokens`), as kw2v counted them: the same for both trainers.
    effective = json.loads((out / "kw2v" / "run.json").read_text())["effective_tokens"]
    rates = {
        "words_per_s": words * config.epochs,
        "effective_words_per_s": effective * config.epochs,
    }
    results = {name: _result(out / name, *run, rates) for name, run in runs.items()}
    k, g = results["kw2v"], results["gensim"]
    report = {
        "corpus": str(source),
        "method": method.title,
        "words": words,
        "effective_words": effective,
        "options": {k: v for k, v in dataclasses.asdict(config).items() if v is not None},
        "gensim_options": json.loads((out / "gensim" / "run.json").read_text())["options"],
        "machine": machine_description(),
        "results": results,
        "ratios": {
            "words_per_s": round(k["words_per_s"] / g["words_per_s"], 3),
            "ws353_diff": round(k["ws353"] - g["ws353"], 4),
            "analogy_ratio": (
                round(k["analogy_add"] / g["analogy_add"], 3) if g["analogy_add"] else None
            ),
        },
    }
    (out / "bench.json").write_text(json.dumps(report, indent=2))
    (out / "bench.md").write_text(markdown_report(report))
    plot_time_to_quality(report, out / "time_to_quality.png")
    return report


def _commands(config: TrainConfig, text: Path, out: Path, workers: int) -> dict[str, list[str]]:
    """The two child processes: ``kw2v train`` with every option of ``config``, and gensim's
    ``Word2Vec`` with those it has (``sg``, ``hs``, ``negative``, size, window, ...)."""
    hs = int(config.objective == "hierarchical")
    gensim = dict(
        sg=int(config.architecture == "skipgram"), hs=hs, vector_size=config.dim,
        window=config.window, negative=0 if hs else config.negative,
        min_count=config.min_count, sample=config.sample, epochs=config.epochs, seed=config.seed,
        workers=workers,
    )  # fmt: skip
    kw2v_out = out / "kw2v"
    return {
        "kw2v": [
            sys.executable, "-m", "kw2v", "train", "--corpus", str(text), "--out", str(kw2v_out),
            "--normalize", "none", "--epoch-vectors", str(kw2v_out / EPOCHS_DIR),
            *config.to_argv(),
        ],
        "gensim": [
            sys.executable, "-m", "kw2v.bench", "--gensim-worker", str(text),
            str(out / "gensim"), json.dumps(gensim),
        ],
    }  # fmt: skip


def _result(folder: Path, started: float, wall: float, rss: float, rates: dict) -> dict:
    """One trainer's figures, scored outside the timing: ``rates`` are the words each rate
    counts over the whole run."""
    from kw2v.evaluate import evaluate_all
    from kw2v.vectors import WordVectors

    vectors = WordVectors.load_word2vec(folder / "vectors.bin")
    scores = evaluate_all(vectors)
    return {
        "wall_s": round(wall, 1),
        "train_s": round(json.loads((folder / "run.json").read_text())["seconds"], 1),
        **{rate: round(n / wall) for rate, n in rates.items()},
        "peak_rss_mb": round(rss),
        "vocabulary": len(vectors),
        **{m: round(scores[m], 4) for m in ("ws353", "simlex", "analogy_add", "analogy_mul")},
        "curve": quality_curve(folder / EPOCHS_DIR, started),
    }


def quality_curve(directory: Path, started: float) -> list[dict]:
    """Score the vectors saved after every epoch in ``directory``
    (:func:`kw2v.files.save_epoch_vectors`); ``seconds`` counts from ``started``, the unix time
    at which the process was started."""
    from kw2v.evaluate import evaluate_all
    from kw2v.vectors import WordVectors

    curve = []
    for epoch, ended, path in read_epoch_vectors(directory):
        scores = evaluate_all(WordVectors.load_word2vec(path))
        point = {"epoch": epoch, "seconds": round(ended - started, 2)}
        curve.append(point | {k: round(scores[k], 4) for k in CURVE_SCORES})
    return curve


def plot_time_to_quality(report: dict, out: str | os.PathLike | None = None):
    """Each score of :data:`CURVE_SCORES` against the seconds since the process started, one
    panel per score, one line per trainer, one labelled marker per epoch; written to ``out``
    (PNG) with matplotlib's Agg. Returns the ``matplotlib.figure.Figure``."""
    import matplotlib
    from matplotlib.figure import Figure

    from kw2v.plot import PLOT_STYLE, save_figure

    corpus = Path(report["corpus"]).name
    with matplotlib.rc_context(PLOT_STYLE):
        fig = Figure(figsize=(4.6 * len(CURVE_SCORES), 4.2), layout="constrained")
        panels = fig.subplots(1, len(CURVE_SCORES))
        for ax, (key, label) in zip(panels, CURVE_SCORES.items(), strict=True):
            for name, trainer in trainers(report).items():
                curve = report["results"][name]["curve"]
                x, y = [p["seconds"] for p in curve], [p[key] for p in curve]
                (line,) = ax.plot(x, y, marker="o", label=trainer)
                for p in curve:
                    ax.annotate(
                        str(p["epoch"]),
                        (p["seconds"], p[key]),
                        xytext=(3, 4),
                        textcoords="offset points",
                        fontsize=8,
                        color=line.get_color(),
                    )
            ax.set_xlim(left=0)
            ax.set(title=label, xlabel="seconds since the process started")
        fig.axes[0].legend(title="numbers: epochs", fontsize=9)
        fig.suptitle(
            f"{report['method']} on {corpus} ({report['words']:,} words, "
            f"{report['options']['epochs']} epochs): quality against wall-clock time\n"
            "of whole processes, from their start (start-up, reading and vocabulary included)"
        )
        save_figure(fig, out)
    return fig


def machine_description() -> str:
    """CPU model, core count and library versions, for the record."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    def installed(package):
        try:
            return f"{package} {version(package)}"
        except PackageNotFoundError:
            return None

    packages = ("tensorflow", "jax", "keras", "gensim", "numpy")
    libs = ", ".join(filter(None, map(installed, packages)))
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {libs}"


def markdown_report(report: dict) -> str:
    """The results as markdown: a table with one row per metric (kw2v / gensim / ratio
    columns), then the time-to-quality points and picture."""
    k, g = report["results"]["kw2v"], report["results"]["gensim"]
    lines = [
        f"Method: {report['method']}; corpus: `{report['corpus']}`, {report['words']:,} raw "
        f"words ({report['effective_words']:,} effective words per epoch: left after "
        "min_count and subsampling); options: "
        + ", ".join(f"{a}={b}" for a, b in report["options"].items())
        + "; gensim's: "
        + ", ".join(f"{a}={b}" for a, b in report["gensim_options"].items()),
        f"Machine: {report['machine']}",
        "",
        f"| metric | kw2v | {trainers(report)['gensim']} | kw2v / gensim |",
        "|---|---:|---:|---:|",
    ]
    for m in (*METRICS, "analogy_mul", "train_s", "vocabulary"):
        ratio = k[m] / g[m] if g[m] else float("nan")
        lines.append(f"| {WORD_RATES.get(m, m)} | {k[m]:,} | {g[m]:,} | {ratio:.2f} |")
    lines += [
        "",
        "## Quality against time",
        "",
        "The scores of each epoch's vectors, at the end of that epoch; seconds count from the "
        "start of the trainer's process (start-up, reading and vocabulary included).",
        "",
        "| trainer | epoch | seconds since process start | "
        + " | ".join(CURVE_SCORES.values())
        + " |",
        "|---|---:|---:|" + "---:|" * len(CURVE_SCORES),
    ]
    for name, trainer in trainers(report).items():
        for p in report["results"][name]["curve"]:
            scores = " | ".join(f"{p[key]:.4f}" for key in CURVE_SCORES)
            lines.append(f"| {trainer} | {p['epoch']} | {p['seconds']:.1f} | {scores} |")
    lines += ["", "![quality against wall-clock time](time_to_quality.png)"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--gensim-worker":
        _gensim_worker(sys.argv[2:])
    else:
        print("usage: python -m kw2v bench --corpus PATH ...", file=sys.stderr)
        sys.exit(2)
