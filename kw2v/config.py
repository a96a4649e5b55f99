"""Training options in one light dataclass (no TensorFlow import), shared by the API and CLI."""

from __future__ import annotations

import dataclasses

from kw2v.distribute import STRATEGIES
from kw2v.errors import Kw2vError
from kw2v.methods import method_for

OUTPUT_VECTORS = ("target+context", "target")
#: What ``model`` may be: word2vec's two architectures, and GloVe (notebooks 06 and 07).
MODELS = ("skipgram", "cbow", "glove")
#: What ``loss`` may be for skip-gram and CBOW: negative sampling or hierarchical softmax.
LOSSES = ("negative", "hierarchical")


@dataclasses.dataclass
class TrainConfig:
    """Every knob of a training run, with the defaults chosen by measurement (see README).

    ``model`` and ``loss`` choose the method (:mod:`kw2v.methods`). ``window``, ``negative``,
    ``sample`` and ``output_vectors`` left at None take the method's default (word2vec: window
    5, 5 negatives, sample 1e-3; GloVe: window 10, the paper's; on 20 MB of wiki8 it scores
    WS353 0.40 against 0.35 for 5, because 1/distance weights far words less); an option the
    method does not read, set anyway, is refused (``negative`` with hierarchical softmax,
    ``sample`` with GloVe).
    ``batch_size`` counts (target, context) pairs; each also carries ``negative`` negatives.
    ``output_vectors``: the vectors kept are the target table E plus the context table Θ
    (as GloVe does; Levy et al. 2015), or E alone (as word2vec and gensim do). For skip-gram
    the sum scored better on every set, measured on wiki-sample (WS353 0.52 vs 0.51 over
    3 seeds, with less spread) and on 20 MB of wiki8 (WS353 0.59 vs 0.57, analogies 15.5% vs
    11.2%), and is its default; CBOW keeps E by default, as word2vec does, and hierarchical
    softmax has no Θ.
    ``strategy`` spreads training over devices or machines (:mod:`kw2v.distribute`), with
    the same global ``batch_size`` and ``learning_rate``; ``logical_cpus`` splits the CPU into
    that many devices for ``"mirrored"`` on a machine without GPUs.
    Introduced in notebook 04.
    """

    dim: int = 100
    window: int | None = None  # None: the method's default (5; GloVe: 10)
    negative: int | None = None  # None: 5, for negative sampling
    min_count: int = 5
    max_vocab: int | None = None
    sample: float | None = None  # None: 1e-3, for word2vec
    epochs: int = 5
    batch_size: int = 1024
    learning_rate: float = 0.1
    shared_embedding: bool = False
    output_vectors: str | None = None  # None: the method's default
    seed: int = 0
    steps_per_execution: int = 32
    jit_compile: bool = True
    strategy: str = "default"
    logical_cpus: int | None = None
    model: str = "skipgram"
    loss: str = "negative"

    def validate(self) -> TrainConfig:
        """Raise :class:`Kw2vError` naming the option and a valid range for a bad value, or an
        option the method does not use; fill the options left at None with its defaults."""
        checks = [
            ("dim", self.dim >= 1, "at least 1"),
            ("window", self.window is None or self.window >= 1, "at least 1"),
            ("negative", self.negative is None or self.negative >= 0, "0 or more"),
            ("min_count", self.min_count >= 1, "at least 1"),
            ("max_vocab", self.max_vocab is None or self.max_vocab >= 1, "at least 1"),
            ("sample", self.sample is None or self.sample >= 0, "0 or more (0 turns it off)"),
            ("epochs", self.epochs >= 1, "at least 1"),
            ("batch_size", self.batch_size >= 1, "at least 1"),
            ("learning_rate", self.learning_rate > 0, "above 0"),
            ("steps_per_execution", self.steps_per_execution >= 1, "at least 1"),
            (
                "output_vectors",
                self.output_vectors is None or self.output_vectors in OUTPUT_VECTORS,
                " or ".join(OUTPUT_VECTORS),
            ),
            ("strategy", self.strategy in STRATEGIES, "one of " + ", ".join(STRATEGIES)),
            ("logical_cpus", self.logical_cpus is None or self.logical_cpus >= 1, "at least 1"),
            (
                "logical_cpus",
                self.logical_cpus is None or self.strategy == "mirrored",
                "used with --strategy mirrored only",
            ),
            ("model", self.model in MODELS, "one of " + ", ".join(MODELS)),
            ("loss", self.loss in LOSSES, "one of " + ", ".join(LOSSES)),
        ]
        for name, ok, valid in checks:
            if not ok:
                option = "--" + name.replace("_", "-")
                raise Kw2vError(f"{option} must be {valid}, got {getattr(self, name)}")
        method_for(self.model, self.loss).resolve(self)
        return self
