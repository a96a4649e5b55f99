"""The five ways kw2v learns word vectors, by their ``(--model, --loss)``, and the one place a
method's defaults fill in a :class:`kw2v.TrainConfig`.

Each method lives in its own module with its examples and its model (:mod:`kw2v.skipgram`,
:mod:`kw2v.cbow`, :mod:`kw2v.hierarchical`, :mod:`kw2v.glove`); what they share is
:class:`kw2v.method.Method`. Introduced in notebook 06.
"""

from __future__ import annotations

import dataclasses

from kw2v.backend import has_accelerator, keras_backend, tensorflow_installed
from kw2v.cbow import CBOWNegative
from kw2v.errors import Kw2vError
from kw2v.glove import GloVe
from kw2v.hierarchical import CBOWHierarchical, SkipGramHierarchical
from kw2v.method import OPTIONAL, Method
from kw2v.skipgram import SkipGramNegative

#: Every method, by its ``(architecture, objective)``. GloVe has its own loss: ``--loss``
#: stays at its default there.
METHODS: dict[tuple[str, str], Method] = {
    ("skipgram", "negative"): SkipGramNegative(),
    ("skipgram", "hierarchical"): SkipGramHierarchical(),
    ("cbow", "negative"): CBOWNegative(),
    ("cbow", "hierarchical"): CBOWHierarchical(),
    ("glove", "negative"): GloVe(),
}


def method_for(architecture: str, objective: str = "negative") -> Method:
    """The method that ``--model`` and ``--loss`` choose.

    Raises
    ------
    Kw2vError
        For a pair that names no method (GloVe has its own loss).
    """
    try:
        return METHODS[(architecture, objective)]
    except KeyError:
        raise Kw2vError(
            f"--loss must be left at negative with --model {architecture} (GloVe has its own "
            f"loss), got {objective}"
        ) from None


def resolve(config):
    """A validated :class:`kw2v.TrainConfig` with the options left at None filled in by its
    method's defaults; an option the method ignores, set anyway, is refused.

    Returns
    -------
    (Method, TrainConfig)
        The method and a new, complete configuration.

    Raises
    ------
    Kw2vError
        One line naming the option, why this method has no use for it, and the fix.
    """
    config.validate()
    method = method_for(config.architecture, config.objective)
    filled = {"window": config.window or method.window}
    for name in OPTIONAL:
        value = getattr(config, name)
        if name in method.defaults:
            filled[name] = method.defaults[name] if value is None else value
        elif value is not None and value is not False:  # 0 is a value set
            option = "--" + name.replace("_", "-")
            why = method.unused.get(name, "it has no such knob")
            raise Kw2vError(f"{option} is not used by {method.title} ({why}); leave it out")
    output = config.output_vectors or method.output_vectors[0]
    if output not in method.output_vectors:
        raise Kw2vError(
            f"--output-vectors {output} is not possible with {method.title}: it has no "
            f"context table Θ of words, only {' or '.join(method.output_vectors)}"
        )
    if config.strategy != "default" and keras_backend() != "tensorflow":
        raise Kw2vError(
            f"--strategy {config.strategy} needs the TensorFlow backend "
            f"(KERAS_BACKEND=tensorflow), not {keras_backend()}"
        )
    examples = _where_examples_are_made(config, method)
    return method, dataclasses.replace(config, **filled, output_vectors=output, examples=examples)


def _where_examples_are_made(config, method: Method) -> str:
    """``--examples`` settled: ``auto`` is the device where the method can make its examples
    there and either an accelerator runs the model or TensorFlow (``tf.data``) is missing;
    else the host. One line refuses what cannot be done."""
    can = method.device_examples and config.strategy == "default"
    if config.examples == "device" and not can:
        why = (
            f"{method.title} makes its examples on the host only"
            if not method.device_examples
            else f"--strategy {config.strategy} distributes host examples"
        )
        raise Kw2vError(f"--examples device is not possible: {why}; use --examples host")
    where = config.examples
    if where == "auto":
        where = "device" if can and (not tensorflow_installed() or has_accelerator()) else "host"
    if where == "host" and not tensorflow_installed():
        raise Kw2vError(
            f"tf.data, where {method.title} makes its examples here, needs TensorFlow, which "
            "is not installed (pip install tensorflow"
            + (", or use --examples device)" if can else ")")
        )
    return where
