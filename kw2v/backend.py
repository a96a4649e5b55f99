"""Which Keras backend runs, and TensorFlow only where it is needed.

The model, the optimizer and ``fit`` are Keras 3 and run on any backend. A few features are
TensorFlow's own — the ``tf.data`` input pipelines, ``tf.distribute`` strategies, TensorBoard
files — and import it through :func:`require_tensorflow`, which turns a missing TensorFlow
into one line that names the feature, instead of a traceback.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from types import ModuleType

from kw2v.errors import Kw2vError


def keras_backend() -> str:
    """The backend Keras will use (``KERAS_BACKEND``, else Keras's default, TensorFlow),
    read without importing Keras."""
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def tensorflow_installed() -> bool:
    """Whether TensorFlow can be imported here (found without importing it)."""
    return importlib.util.find_spec("tensorflow") is not None


def has_accelerator() -> bool:
    """Whether Keras's backend sees a GPU or another accelerator (imports the backend)."""
    backend = keras_backend()
    if backend == "jax":
        import jax

        return any(d.platform != "cpu" for d in jax.devices())
    if backend == "torch":
        import torch

        return torch.cuda.is_available()
    return bool(import_tensorflow().config.list_physical_devices("GPU"))


def import_tensorflow() -> ModuleType:
    """Import TensorFlow with C-level stderr muted while it loads; return the module.

    TensorFlow 2.21 prints absl start-up lines ("Could not find cuda drivers ...") straight to
    file descriptor 2, ignoring ``TF_CPP_MIN_LOG_LEVEL`` (tensorflow/tensorflow#100442), and
    Jupyter shows them under the cell. Device probing logs too, so it runs muted as well.
    Python exceptions still propagate; once TensorFlow is loaded this is a plain import.
    Introduced in notebook 00 (the setup cell).
    """
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            import tensorflow as tf

            tf.config.list_physical_devices()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return tf


def tensorflow_if_installed() -> ModuleType | None:
    """TensorFlow imported quietly (:func:`import_tensorflow`) when it is installed, else None:
    the command line loads it this way before training, so its start-up lines stay off the
    console, and trains without it on another backend."""
    try:
        return import_tensorflow()
    except ModuleNotFoundError:
        return None


def require_tensorflow(feature: str) -> ModuleType:
    """Import TensorFlow (quietly) for ``feature``, or raise one line saying what is missing.

    Raises
    ------
    Kw2vError
        If TensorFlow is not installed.
    """
    try:
        tf = import_tensorflow()
    except ModuleNotFoundError:
        raise Kw2vError(
            f"{feature} needs TensorFlow, which is not installed here (Keras backend: "
            f"{keras_backend()}); pip install tensorflow"
        ) from None
    return tf
