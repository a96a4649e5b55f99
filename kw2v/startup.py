"""Starting TensorFlow quietly, for the command line and the notebooks' setup cells."""

from __future__ import annotations

import os
import sys
from types import ModuleType


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
