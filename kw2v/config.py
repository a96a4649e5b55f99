"""Training options, declared once: each field of :class:`TrainConfig` carries its flag, help,
valid range and resume rule.

The command line's options (:func:`add_options`, :func:`config_from_args`), the benchmark's
child command (:meth:`TrainConfig.to_argv`) and the check that a stopped run resumes with its
own options (:func:`may_change_on_resume`) are all made from these fields, so adding an option
means adding one field. Ranges are checked in one place, :func:`check_values`, which the
pipelines and builders call too. Nothing here imports TensorFlow, Keras or the methods: the
command line checks options before anything heavy loads. A method's own defaults (window,
negatives, ...) are filled in by :func:`kw2v.methods.resolve`. Introduced in notebook 04.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable

from kw2v.errors import Kw2vError

OUTPUT_VECTORS = ("target+context", "target")
#: What ``architecture`` may be: word2vec's two architectures, and GloVe (notebooks 06 and 07).
ARCHITECTURES = ("skipgram", "cbow", "glove")
#: What ``objective`` may be for skip-gram and CBOW: negative sampling or hierarchical softmax.
OBJECTIVES = ("negative", "hierarchical")
#: Where training examples are made (:func:`kw2v.methods.resolve` settles ``auto``).
EXAMPLES = ("auto", "host", "device")
#: ``tf.distribute`` strategies (:mod:`kw2v.distribute`).
STRATEGIES = ("default", "mirrored", "multiworker")


def _option(
    default,
    help: str,
    *,
    valid: tuple[Callable, str] | None = None,
    choices: tuple[str, ...] | None = None,
    flag: str | None = None,
    may_change: bool = False,
    cli: bool = True,
    group: str = "training options",
):
    """A :class:`TrainConfig` field and what the rest of kw2v needs to know about it.

    ``valid`` is ``(test, "what a valid value is")``, applied unless the value is None;
    ``flag`` the command-line name when it is not ``--`` + the field's name; ``may_change``
    whether a stopped run may resume with another value; ``cli=False`` keeps it off the
    command line.
    """
    if choices is not None:
        valid = (lambda v, c=choices: v in c, "one of " + ", ".join(choices))
    meta = dict(help=help, valid=valid, choices=choices, flag=flag, may_change=may_change)
    return dataclasses.field(default=default, metadata={**meta, "cli": cli, "group": group})


def _at_least(n):
    return (lambda v: v >= n, f"at least {n}")


@dataclasses.dataclass
class TrainConfig:
    """Every knob of a training run, with the defaults chosen by measurement (see README).

    ``architecture`` and ``objective`` (``--model``, ``--loss``) choose the method
    (:mod:`kw2v.methods`). ``window``, ``negative``, ``sample`` and ``output_vectors`` left at
    None take the method's default (word2vec: window 5, 5 negatives, sample 1e-3; GloVe: window
    10, the paper's); an option the method does not read, set anyway, is refused.
    ``output_vectors``: the vectors kept are the target table E plus the context table Θ (as
    GloVe does; Levy et al. 2015), or E alone (as word2vec and gensim do); for skip-gram the sum
    scored better on every set (WS353 0.52 vs 0.51 over 3 seeds on wiki-sample; 0.59 vs 0.57 and
    analogies 15.5% vs 11.2% on 20 MB of wiki8), and is its default; CBOW keeps E, as word2vec
    does, and hierarchical softmax has no Θ. ``strategy`` spreads training over devices or
    machines with the same global ``batch_size`` and ``learning_rate``. Introduced in
    notebook 04.
    """

    epochs: int = _option(5, "passes over the corpus", valid=_at_least(1), may_change=True)
    dim: int = _option(100, "vector size", valid=_at_least(1))
    window: int | None = _option(None, "max context distance (5; glove: 10)", valid=_at_least(1))
    negative: int | None = _option(
        None, "negatives per example (5; negative sampling)", valid=(lambda v: v >= 0, "0 or more")
    )
    min_count: int = _option(5, "drop words seen fewer times", valid=_at_least(1))
    max_vocab: int | None = _option(None, "keep at most this many words", valid=_at_least(1))
    sample: float | None = _option(
        None,
        "subsampling threshold (1e-3; word2vec)",
        valid=(lambda v: v >= 0, "0 or more (0 turns it off)"),
    )
    batch_size: int = _option(1024, "pairs per batch", valid=_at_least(1))
    learning_rate: float = _option(
        0.1, "RowAdagrad's step size", valid=(lambda v: v > 0, "above 0")
    )
    shared_embedding: bool = _option(
        False, "one Embedding for target and context (the classic Keras tutorial)"
    )
    architecture: str = _option(
        "skipgram",
        "word2vec's skip-gram or CBOW, or GloVe",
        choices=ARCHITECTURES,
        flag="--model",
    )
    objective: str = _option(
        "negative",
        "negative sampling or hierarchical softmax, for skipgram and cbow; an option the "
        "method does not use (--negative with hierarchical, --sample with glove) is refused",
        choices=OBJECTIVES,
        flag="--loss",
    )
    seed: int = _option(0, "random seed: the same seed gives the same vectors")
    output_vectors: str | None = _option(
        None,
        "vectors to save: the sum of both tables (skipgram's and glove's default) or the target "
        "table (gensim's; cbow's default, the only one with hierarchical softmax)",
        choices=OUTPUT_VECTORS,
        may_change=True,
    )
    examples: str = _option(
        "auto",
        "where training examples are made: host (tf.data on the CPU, beside the model), device "
        "(inside the compiled step, next to the model: skip-gram and CBOW with negative "
        "sampling, on any Keras backend), auto (device on a GPU or without TensorFlow, else host)",
        choices=EXAMPLES,
    )
    steps_per_execution: int = _option(
        32, "training steps per graph call", valid=_at_least(1), may_change=True, cli=False
    )
    jit_compile: bool = _option(True, "compile the step with XLA", may_change=True, cli=False)
    strategy: str = _option(
        "default",
        "mirrored: all local GPUs (or logical CPUs); multiworker: the cluster in TF_CONFIG",
        choices=STRATEGIES,
        group="distributed training (TensorFlow backend)",
    )
    logical_cpus: int | None = _option(
        None,
        "with --strategy mirrored: split the CPU into N devices (to try it without GPUs)",
        valid=_at_least(1),
        group="distributed training (TensorFlow backend)",
    )

    def validate(self) -> TrainConfig:
        """Raise :class:`Kw2vError` naming the option and its valid range for a bad value.

        The method's defaults are filled in by :func:`kw2v.methods.resolve`.
        """
        check_values(**dataclasses.asdict(self))
        if self.logical_cpus is not None and self.strategy != "mirrored":
            raise Kw2vError("--logical-cpus is used with --strategy mirrored only")
        return self

    def to_argv(self) -> list[str]:
        """The ``python -m kw2v train`` options that give this configuration (options left at
        None or off are left out)."""
        argv = []
        for f in _cli_fields():
            value = getattr(self, f.name)
            if value is None or value is False:
                continue
            argv += [flag_of(f)] if value is True else [flag_of(f), str(value)]
        return argv


_FIELDS = {f.name: f for f in dataclasses.fields(TrainConfig)}


def flag_of(f: dataclasses.Field) -> str:
    """The command-line flag of a field."""
    return f.metadata["flag"] or "--" + f.name.replace("_", "-")


def check_values(**values) -> None:
    """Check option values against their fields' ranges: the one place options are checked.

    Raises
    ------
    Kw2vError
        Naming the option's flag, the valid range and the value given.
    """
    for name, value in values.items():
        valid = _FIELDS[name].metadata["valid"]
        if value is not None and valid is not None and not valid[0](value):
            raise Kw2vError(f"{flag_of(_FIELDS[name])} must be {valid[1]}, got {value}")


def may_change_on_resume(name: str) -> bool:
    """Whether a stopped run may resume with another value of option ``name``."""
    return name in _FIELDS and _FIELDS[name].metadata["may_change"]


def _cli_fields() -> list[dataclasses.Field]:
    return [f for f in _FIELDS.values() if f.metadata["cli"]]


def add_options(parser: argparse.ArgumentParser, groups: tuple[str, ...] | None = None) -> None:
    """Add the command-line option of every :class:`TrainConfig` field (of ``groups``)."""
    made: dict[str, argparse._ArgumentGroup] = {}
    for f in _cli_fields():
        group = f.metadata["group"]
        if groups is not None and group not in groups:
            continue
        g = made.setdefault(group, parser.add_argument_group(group))
        default = f.default
        shown = "" if default is None or isinstance(default, bool) else f" (default: {default})"
        if isinstance(default, bool):
            g.add_argument(flag_of(f), dest=f.name, action="store_true", help=f.metadata["help"])
            continue
        kind = {"int": int, "float": float}.get(f.type.split(" ")[0], str)
        g.add_argument(
            flag_of(f),
            dest=f.name,
            type=kind,
            choices=f.metadata["choices"],
            default=default,
            help=f.metadata["help"] + shown,
        )


def config_from_args(args: argparse.Namespace, **overrides) -> TrainConfig:
    """The :class:`TrainConfig` of parsed command-line options (fields not on the parser keep
    their defaults), validated."""
    given = {name: getattr(args, name) for name in _FIELDS if hasattr(args, name)}
    return TrainConfig(**{**given, **overrides}).validate()
